/**
 * trainModel's options, read once and checked before any work: own keys
 * only, each value of its documented type and range, defaults filled in —
 * the config a run uses and saves with its model.
 */

import type { OptimizerName } from '../backend/abi.js';
import { Act, Opt } from '../backend/abi.js';
import { classCounts, type Dataset } from '../data/dataset.js';
import { DataError, ValueError } from '../errors.js';
import { resolveOptimizer } from '../training/resolve-options.js';
import { guardRead, lookupName, optionalBoolean, optionalFunction, readOptions } from '../options.js';
import { checkDataset } from '../data/check-dataset.js';
import { checkNumberIn, checkPositiveInt, checkSeed, describe } from '../validate.js';
import type { TrainedModel, TrainModelConfig, TrainModelOptions } from './train-model.js';

/** trainModel's hidden layer sizes when none are given. */
export const DEFAULT_HIDDEN: readonly number[] = [64, 32];
/** trainModel's rows per mini-batch when none is given. */
export const DEFAULT_BATCH_SIZE = 32;

const OPTION_KEYS = [
  'task', 'hidden', 'activation', 'optimizer', 'lr', 'batchSize', 'epochs', 'patience', 'weightDecay', 'clipNorm', 'schedule', 'monitor',
  'split', 'stratify', 'scale', 'seed', 'classWeight', 'runtime', 'onPrepared', 'onEpochEnd', 'signal',
] as const;

/** The most units a hidden layer may have: a layer of 65,536 units is already ~16 GB of weights after another such layer. */
export const MAX_HIDDEN_UNITS = 65536;

export function resolve(data: Dataset, options: TrainModelOptions): { config: TrainedModel['config']; o: TrainModelOptions } {
  checkDataset(data, 'data', 'to train on', false);
  const o = readOptions(options, 'options', OPTION_KEYS) as TrainModelOptions;
  const task = o.task === undefined ? data.task : lookupName({ binary: 0, multiclass: 1, regression: 2 }, o.task, 'task');
  if (task !== 'regression' && !data.classes) {
    throw new DataError(`task: '${task}' needs class labels, but the dataset's target '${data.targetName}' is numeric (regression); parse it with task '${task}'`);
  }
  if (task === 'binary' && data.classes!.length !== 2) {
    throw new DataError(`task: 'binary' needs exactly 2 classes, the target '${data.targetName}' has ${data.classes!.length}; use 'multiclass'`);
  }
  if (task !== 'regression') {
    const counts = classCounts(data);
    const present = counts.filter((c) => c > 0).length;
    if (present < 2) throw new DataError(`data.y: expected at least 2 classes with rows (of the target '${data.targetName}'), got ${present}`);
  }
  const hidden = guardRead('hidden', () => {
    const h = o.hidden === undefined ? [...DEFAULT_HIDDEN] : o.hidden;
    if (!Array.isArray(h)) throw new ValueError(`hidden: expected an array of layer sizes, got ${describe(h)}`);
    // a plain loop over a copy: a hole is a missing size (forEach would skip it), each size read once
    const sizes = Array.from(h as unknown[]);
    sizes.forEach((units, i) => {
      checkPositiveInt(units, `hidden[${i}]`);
      if ((units as number) > MAX_HIDDEN_UNITS) throw new ValueError(`hidden[${i}]: expected at most ${MAX_HIDDEN_UNITS} units, got ${units}`);
    });
    return sizes as number[];
  });
  const activation = o.activation === undefined ? 'relu' : lookupName(HIDDEN_ACTIVATIONS, o.activation, 'activation');
  const opt = optimizerOption(o);
  const optimizer = opt.type;
  const splitFractions = guardRead('split', () => {
    const f = o.split === undefined ? [0.8, 0.1, 0.1] : o.split;
    if (!Array.isArray(f) || f.length !== 3) throw new ValueError(`split: expected [train, validation, test] fractions, got ${describe(f)}`);
    // checked here, so that an error names split[i] (the option given), not split()'s options.train
    const [train, validation, test] = [0, 1, 2].map((i) => checkNumberIn(f[i], `split[${i}]`, 0, 1));
    const sum = train! + validation! + test!;
    if (Math.abs(sum - 1) > 1e-9) throw new ValueError(`split: expected [train, validation, test] fractions summing to 1, got ${train} + ${validation} + ${test} = ${sum}`);
    return [train!, validation!, test!] as [number, number, number];
  });
  optionalFunction(o.onEpochEnd, 'onEpochEnd');
  optionalFunction(o.onPrepared, 'onPrepared');
  const config: TrainedModel['config'] = {
    task,
    hidden,
    activation,
    optimizer,
    optimizerSettings: opt.settings,
    lr: checkNumberIn(opt.lr ?? (o.lr === undefined ? (optimizer === 'adam' ? 0.003 : 0.05) : o.lr), opt.lr !== undefined ? 'optimizer.lr' : 'lr', 0, Infinity, true),
    batchSize: o.batchSize === undefined ? DEFAULT_BATCH_SIZE : checkPositiveInt(o.batchSize, 'batchSize'),
    epochs: o.epochs === undefined ? 300 : checkPositiveInt(o.epochs, 'epochs'),
    patience: o.patience === undefined ? 50 : checkPositiveInt(o.patience, 'patience'),
    weightDecay: opt.weightDecay !== undefined
      ? checkNumberIn(opt.weightDecay, 'optimizer.weightDecay', 0, Infinity)
      : checkNumberIn(o.weightDecay === undefined ? 0.005 : o.weightDecay, 'weightDecay', 0, Infinity),
    clipNorm: opt.clipNorm !== undefined
      ? checkNumberIn(opt.clipNorm, 'optimizer.clipNorm', 0, Infinity, true)
      : o.clipNorm === undefined || o.clipNorm === null ? null : checkNumberIn(o.clipNorm, 'clipNorm', 0, Infinity, true),
    split: splitFractions,
    // checked by the Trainer and the fit, which name them
    schedule: o.schedule ?? null,
    monitor: o.monitor === undefined ? 'val_loss' : lookupName({ val_loss: 0, val_accuracy: 1, val_mae: 2, loss: 3 }, o.monitor, 'monitor'),
    stratify: optionalBoolean(o.stratify, 'stratify') ?? true,
    scale: o.scale === undefined ? 'standard' : lookupName({ standard: 0, minmax: 1, none: 2 }, o.scale, 'scale'),
    seed: checkSeed(o.seed, 'seed'),
    classWeight: o.classWeight === undefined || o.classWeight === null ? null : lookupName({ balanced: 0 }, o.classWeight, 'classWeight'),
  };
  if (config.classWeight !== null && task === 'regression') throw new ValueError("classWeight: weights the classes of a classification task, got it with task 'regression'");
  // a metric the task has no value for is refused now, not after the split and the encoding
  if (config.monitor === 'val_accuracy' && task === 'regression') throw new ValueError("monitor: 'val_accuracy' is a classification metric, got it with task 'regression'; monitor 'val_mae' or 'val_loss'");
  if (config.monitor === 'val_mae' && task !== 'regression') throw new ValueError(`monitor: 'val_mae' is a regression metric, got it with task '${task}'; monitor 'val_accuracy' or 'val_loss'`);
  // the optimizer as the Trainer will read it, checked before any work (its errors name optimizer.*)
  resolveOptimizer({ type: optimizer, lr: config.lr, weightDecay: config.weightDecay, ...(config.clipNorm !== null ? { clipNorm: config.clipNorm } : {}), ...opt.settings });
  return { config, o };
}

/** The `optimizer` option: a name, or a Trainer's optimizer options; what it gives of lr, weightDecay and clipNorm, and its own hyperparameters. */
function optimizerOption(o: TrainModelOptions): { type: OptimizerName; lr?: unknown; weightDecay?: unknown; clipNorm?: unknown; settings: TrainModelConfig['optimizerSettings'] } {
  const v = o.optimizer;
  if (v === undefined) return { type: 'adam', settings: {} };
  if (typeof v === 'string') return { type: lookupName(Opt, v, 'optimizer'), settings: {} };
  const given = readOptions(v, 'optimizer', ['type', 'lr', 'momentum', 'beta1', 'beta2', 'eps', 'weightDecay', 'clipNorm'], "a name ('adam', 'sgd', 'momentum') or { type, lr, … }");
  const type = lookupName(Opt, given.type, 'optimizer.type');
  for (const key of ['lr', 'weightDecay', 'clipNorm'] as const) {
    if (given[key] !== undefined && o[key] !== undefined && o[key] !== null) {
      throw new ValueError(`${key}: given twice, as ${key} and as optimizer.${key}; keep one`);
    }
  }
  const settings: TrainModelConfig['optimizerSettings'] = {};
  for (const key of ['momentum', 'beta1', 'beta2', 'eps'] as const) if (given[key] !== undefined) settings[key] = given[key] as number;
  return { type, lr: given.lr, weightDecay: given.weightDecay, clipNorm: given.clipNorm, settings };
}

/** Activations a hidden layer may have (softmax only on an output). */
const HIDDEN_ACTIVATIONS = { relu: Act.relu, leaky_relu: Act.leaky_relu, tanh: Act.tanh, sigmoid: Act.sigmoid, linear: Act.linear };
