import type { ActivationName, OptimizerName } from '../backend/abi.js';
import { classCounts, type Dataset, type Task } from '../data/dataset.js';
import { Scaler, type ScalerKind } from '../data/scaler.js';
import { DataError, ValueError } from '../errors.js';
import { evaluate, type Evaluation } from '../evaluation/evaluate.js';
import { Network } from '../network/network.js';
import { defaultRuntimeOrThrow, Runtime } from '../runtime.js';
import { Trainer } from '../training/trainer.js';
import type { EpochInfo, History } from '../training/options.js';
import { Act, Opt } from '../backend/abi.js';
import { resolveOptimizer, type OptimizerOptions } from '../training/options.js';
import { guardRead, lookupName, optionalBoolean, optionalFunction, readOptions } from '../options.js';
import { checkDataset } from '../data/check-dataset.js';
import type { MonitorName } from '../training/monitor.js';
import type { ScheduleOptions } from '../training/schedules.js';
import { checkNumberIn, checkPositiveInt, checkSeed, describe } from '../validate.js';
import type { ColumnSchema } from '../table/column-schema.js';
import { checkFitMemory } from './fit-memory.js';
import { makeParts, type EncodingDataset, type Parts } from './parts.js';

/** trainModel's hidden layer sizes when none are given. */
export const DEFAULT_HIDDEN: readonly number[] = [64, 32];
/** trainModel's rows per mini-batch when none is given. */
export const DEFAULT_BATCH_SIZE = 32;

/** Every choice of the pipeline; each has a default that works on the datasets in examples/data. */
export interface TrainModelOptions {
  /** Default: the dataset's task. */
  task?: Task;
  /** Hidden layer sizes (default [64, 32]). */
  hidden?: number[];
  /** Hidden activation (default 'relu'). */
  activation?: Exclude<ActivationName, 'softmax'>;
  /**
   * The optimizer (default 'adam'): its name, or its options as a Trainer
   * takes them (`{ type: 'adam', lr: 0.01, beta2: 0.99 }`; see
   * OptimizerOptions). The pipeline's defaults fill what the object leaves
   * out (lr, weightDecay); an option given both here and beside it (`lr`,
   * `weightDecay`, `clipNorm`) is refused.
   */
  optimizer?: OptimizerName | OptimizerOptions;
  /** Learning rate (default 0.003 for adam, 0.05 for sgd and momentum). */
  lr?: number;
  /** Rows per mini-batch (default 32). */
  batchSize?: number;
  /** Maximum epochs (default 300). */
  epochs?: number;
  /** Early-stopping patience on the validation loss (default 50). */
  patience?: number;
  /** L2 weight decay (default 0.005: a little regularisation helps every dataset in examples/data). */
  weightDecay?: number;
  /** Clip the gradient's global L2 norm to this (see OptimizerOptions.clipNorm); default null, no clipping. */
  clipNorm?: number | null;
  /** A learning-rate schedule (see TrainerOptions.schedule); default null, a constant rate. */
  schedule?: ScheduleOptions | null;
  /** What early stopping watches (default 'val_loss', or 'loss' without a validation part); its mode follows the metric. */
  monitor?: MonitorName;
  /** [train, validation, test] fractions (default [0.8, 0.1, 0.1]). */
  split?: [number, number, number];
  /** Stratify the split by class (default true for classification). */
  stratify?: boolean;
  /** Input scaling fitted on the training part (default 'standard'). */
  scale?: ScalerKind;
  /** One seed for the split, the weights and the shuffling (default 0). */
  seed?: number;
  /**
   * 'balanced': weight each class's rows in the training loss by n / (k ·
   * count) (see TrainerOptions.classWeight), for imbalanced classes. Default
   * null: unweighted.
   */
  classWeight?: 'balanced' | null;
  /** The runtime to build the network in (default: the one set by the last `init()`). */
  runtime?: Runtime;
  /**
   * Called once the data is split and the columns' encoders are fitted on the
   * training part, before training starts: what each column became, the
   * part sizes, and what the pipeline did differently from what was asked.
   */
  onPrepared?: (info: PreparedInfo) => void;
  /** Called after every epoch (see FitOptions.onEpochEnd); return false to stop. */
  onEpochEnd?: (info: EpochInfo) => void | boolean;
  /** Cancels training between batches (see FitOptions.signal). */
  signal?: AbortSignal;
}

/** What {@link TrainModelOptions.onPrepared} receives. */
export interface PreparedInfo {
  /** What each column became (a dataset read from a table); null otherwise. */
  schema: ColumnSchema[] | null;
  rows: { train: number; validation: number; test: number };
  /** Features the network takes (after encoding). */
  features: number;
  droppedClasses: DroppedClass[];
  warnings: string[];
}

/** A class the pipeline left out, with its row count. */
export interface DroppedClass {
  /** The class's label. */
  label: string;
  /** Its rows: too few to appear in every part of a stratified split. */
  rows: number;
}

/** Every option of a trainModel run as used, defaults filled in (saved in the model file's `training`). */
export interface TrainModelConfig extends Required<Omit<TrainModelOptions, 'runtime' | 'onEpochEnd' | 'onPrepared' | 'signal' | 'optimizer'>> {
  /** The optimizer's name. */
  optimizer: OptimizerName;
  /** The optimizer's own hyperparameters given in an `optimizer` object (momentum, beta1, beta2, eps); empty for the defaults. */
  optimizerSettings: Partial<Record<'momentum' | 'beta1' | 'beta2' | 'eps', number>>;
}

/** What trainModel returns; `M`, the model of a dataset that encodes itself (null for other datasets). */
export interface TrainedModel<M = null> {
  /** The trained network (numeric inputs: the encoded features), carrying its scaler, classes, feature and target names. */
  network: Network;
  /**
   * For a dataset read from a table (simdnet/csv's parseCsv, loadCsv): the
   * network with its column encoders, a Model (from simdnet/csv) that
   * predicts from raw records. null for other datasets (the network takes
   * the numeric features). The network carries the encoders either way
   * (`network.preprocess`), so saving the network saves the model.
   */
  model: M | null;
  /** The fit's history. */
  history: History;
  /** Metrics on the test part (null when there is none). */
  test: Evaluation | null;
  /** Metrics on the validation part (null when there is none). */
  validation: Evaluation | null;
  /** Rows in each part of the split. */
  rows: {
    /** Training rows. */
    train: number;
    /** Validation rows. */
    validation: number;
    /** Test rows. */
    test: number;
  };
  /** Every option as used, defaults filled in. */
  config: TrainModelConfig;
  /** What each column became, fitted on the training part (a dataset read from a table); null otherwise. */
  schema: ColumnSchema[] | null;
  /** Classes left out for having too few rows to appear in every part of the split. */
  droppedClasses: DroppedClass[];
  /** What the pipeline did differently from what was asked (a class left out, no split for a handful of rows), in words. */
  warnings: string[];
}

/**
 * The whole pipeline: split (stratified), encode the columns and scale
 * (fitted on the training part only), build the network for the task, train
 * with validation loss and early stopping (restoring the best epoch), and
 * evaluate on the test part. The returned model carries its encoders,
 * scaling and labels, so it predicts on raw rows and saves everything with
 * `toJSON()`.
 */
export function trainModel<M>(data: EncodingDataset<M>, options?: TrainModelOptions): TrainedModel<M>;
/** The pipeline on numeric features (a Dataset from makeDataset, say): `model` is null; the network takes the features. */
export function trainModel(data: Dataset, options?: TrainModelOptions): TrainedModel;
export function trainModel(data: Dataset, options: TrainModelOptions = {}): TrainedModel<unknown> {
  const { config, o } = resolve(data, options);
  const parts = makeParts(data, config.split, config.stratify, config.seed, config.task === 'regression');
  const classes = parts.train.classes;
  const outputs = config.task === 'multiclass' ? classes!.length : 1;
  const runtime = o.runtime === undefined ? defaultRuntimeOrThrow() : o.runtime;
  if (!(runtime instanceof Runtime)) throw new ValueError(`runtime: expected a Runtime returned by init(), got ${describe(runtime)}`);
  checkPipelineMemory(runtime, parts.train.features, config, outputs, parts);
  if (parts.validation.rows === 0 && o.monitor !== undefined && config.monitor !== 'loss') {
    parts.warnings.push(`monitor '${config.monitor}' needs a validation part, and this run has none: early stopping watched the training loss`);
  }
  o.onPrepared?.({
    schema: parts.schema, features: parts.train.features, droppedClasses: parts.droppedClasses, warnings: parts.warnings,
    rows: { train: parts.train.rows, validation: parts.validation.rows, test: parts.test.rows },
  });
  const network = new Network({
    inputs: parts.train.features,
    layers: [
      ...config.hidden.map((units) => ({ units, activation: config.activation })),
      { units: outputs, activation: config.task === 'multiclass' ? 'softmax' : config.task === 'binary' ? 'sigmoid' : 'linear' },
    ],
    seed: config.seed,
    runtime,
  });
  try {
    network.scaler = Scaler.fit(parts.train.x, parts.train.rows, parts.train.features, config.scale);
    if (config.task === 'regression') network.targetScaler = Scaler.fit(parts.train.y, parts.train.rows, 1, 'standard');
    network.classes = config.task === 'regression' ? null : classes;
    network.featureNames = parts.train.featureNames;
    network.targetName = data.targetName;

    const loss = config.task === 'multiclass' ? 'cce' : config.task === 'binary' ? 'bce' : 'mse';
    const trainer = new Trainer(network, {
      loss,
      optimizer: { type: config.optimizer, lr: config.lr, weightDecay: config.weightDecay, clipNorm: config.clipNorm ?? undefined, ...config.optimizerSettings },
      batchSize: config.batchSize,
      seed: config.seed,
      ...(config.classWeight === 'balanced' ? { classWeight: 'balanced' as const } : {}),
      ...(config.schedule ? { schedule: config.schedule } : {}),
    });
    const hasValidation = parts.validation.rows > 0;
    const history = trainer.fit(parts.train.x, parts.train.y, {
      epochs: config.epochs,
      validation: hasValidation ? { x: parts.validation.x, y: parts.validation.y } : undefined,
      earlyStopping: { monitor: hasValidation ? config.monitor : 'loss', patience: config.patience, restoreBest: true },
      onEpochEnd: o.onEpochEnd,
      signal: o.signal,
    });
    const testEval = parts.test.rows > 0 ? evaluate(network, parts.test) : null;
    const valEval = hasValidation ? evaluate(network, parts.validation) : null;
    const rows = { train: parts.train.rows, validation: parts.validation.rows, test: parts.test.rows };
    network.trainingSummary = {
      config,
      rows,
      epochs: history.epochs,
      bestEpoch: history.bestEpoch,
      stopReason: history.stopReason,
      finalLoss: history.loss[history.bestEpoch - 1] ?? null,
      bestValLoss: history.valLoss[history.bestEpoch - 1] ?? null,
      test: testEval ? summary(testEval) : null,
      ...(parts.warnings.length > 0 ? { warnings: parts.warnings } : {}),
    };
    const model = parts.modelOf ? parts.modelOf(network) : null;
    return {
      network, model, history, test: testEval, validation: valEval, rows, config,
      schema: parts.schema, droppedClasses: parts.droppedClasses, warnings: parts.warnings,
    };
  } catch (e) {
    network.dispose();
    throw e;
  }
}

/** Refuses, before the network is built, a run whose network, fit and evaluations cannot fit in linear memory. */
function checkPipelineMemory(runtime: Runtime, inputs: number, config: TrainedModel['config'], outputs: number, parts: Parts): void {
  const layers = [...config.hidden, outputs].map((units, i, all) => ({ inputs: i === 0 ? inputs : all[i - 1]!, outputs: units }));
  const trainRows = parts.train.rows;
  checkFitMemory(
    runtime, layers, { trainRows, batchRows: Math.min(config.batchSize, trainRows), evalRows: [parts.test.rows, parts.validation.rows] },
    'trainModel', 'use fewer or smaller hidden layers (hidden), or a smaller batchSize',
  );
}

/** The headline numbers of an evaluation, for saving with a model. */
export function summary(e: Evaluation): Record<string, number> {
  return e.task === 'regression'
    ? { loss: e.loss, mse: e.mse, mae: e.mae, r2: e.r2 }
    : { loss: e.loss, accuracy: e.accuracy, macroF1: e.macro.f1, weightedF1: e.weighted.f1 };
}

const OPTION_KEYS = [
  'task', 'hidden', 'activation', 'optimizer', 'lr', 'batchSize', 'epochs', 'patience', 'weightDecay', 'clipNorm', 'schedule', 'monitor',
  'split', 'stratify', 'scale', 'seed', 'classWeight', 'runtime', 'onPrepared', 'onEpochEnd', 'signal',
] as const;

/** The most units a hidden layer may have: a layer of 65,536 units is already ~16 GB of weights after another such layer. */
export const MAX_HIDDEN_UNITS = 65536;

function resolve(data: Dataset, options: TrainModelOptions): { config: TrainedModel['config']; o: TrainModelOptions } {
  checkDataset(data, 'data', 'to train on');
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
