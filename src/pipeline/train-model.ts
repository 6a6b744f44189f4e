import type { ActivationName, OptimizerName } from '../backend/abi.js';
import { classCounts, type Dataset, type Task } from '../data/dataset.js';
import { Scaler, type ScalerKind } from '../data/scaler.js';
import { splitNamed, type Split } from '../data/split.js';
import { checkDataset } from '../data/check-dataset.js';
import { DataError, ValueError } from '../errors.js';
import { evaluate, type Evaluation } from '../evaluation/evaluate.js';
import { Network } from '../network/network.js';
import type { Runtime } from '../runtime.js';
import { Trainer, type EpochInfo, type History } from '../training/trainer.js';
import { Act, Opt } from '../backend/abi.js';
import { guardRead, lookupName, optionalBoolean, optionalFunction, readOptions } from '../options.js';
import { checkNumberIn, checkPositiveInt, checkSeed, describe } from '../validate.js';

/** Every choice of the pipeline; each has a default that works on the bundled datasets. */
export interface TrainModelOptions {
  /** Default: the dataset's task. */
  task?: Task;
  /** Hidden layer sizes (default [64, 32]). */
  hidden?: number[];
  /** Hidden activation (default 'relu'). */
  activation?: Exclude<ActivationName, 'softmax'>;
  optimizer?: OptimizerName;
  /** Learning rate (default 0.003 for adam, 0.05 for sgd and momentum). */
  lr?: number;
  batchSize?: number;
  /** Maximum epochs (default 300). */
  epochs?: number;
  /** Early-stopping patience on the validation loss (default 50). */
  patience?: number;
  /** L2 weight decay (default 0.005: a little regularisation helps every bundled dataset). */
  weightDecay?: number;
  /** Clip the gradient's global L2 norm to this (see OptimizerOptions.clipNorm); default null, no clipping. */
  clipNorm?: number | null;
  /** [train, validation, test] fractions (default [0.8, 0.1, 0.1]). */
  split?: [number, number, number];
  /** Stratify the split by class (default true for classification). */
  stratify?: boolean;
  /** Input scaling fitted on the training part (default 'standard'). */
  scale?: ScalerKind;
  /** One seed for the split, the weights and the shuffling (default 0). */
  seed?: number;
  runtime?: Runtime;
  onEpochEnd?: (info: EpochInfo) => void | boolean;
  signal?: AbortSignal;
}

export interface TrainedModel {
  network: Network;
  history: History;
  /** Metrics on the test part (null when the test fraction is 0). */
  test: Evaluation | null;
  /** Metrics on the validation part (null when there is none). */
  validation: Evaluation | null;
  rows: { train: number; validation: number; test: number };
  config: Required<Omit<TrainModelOptions, 'runtime' | 'onEpochEnd' | 'signal'>>;
}

/**
 * The whole pipeline: split (stratified), scale (fitted on the training part
 * only), build the network for the task, train with validation loss and early
 * stopping (restoring the best epoch), and evaluate on the test part. The
 * returned network carries its scaler and labels, so it predicts on raw rows
 * and saves everything with `toJSON()`.
 */
export function trainModel(data: Dataset, options: TrainModelOptions = {}): TrainedModel {
  const { config, o } = resolve(data, options);
  const [train, validation, test] = config.split;
  const parts = splitNamed(data, {
    train, validation, test, seed: config.seed,
    // regression stratifies on deciles of the target
    stratify: config.stratify,
    // (a class-labelled dataset trained as regression is stratified by class)
    quantileBins: config.task === 'regression' && config.stratify && data.classes === null ? 10 : 0,
  }, 'data');
  const outputs = config.task === 'multiclass' ? data.classes!.length : 1;
  const network = new Network({
    inputs: data.features,
    layers: [
      ...config.hidden.map((units) => ({ units, activation: config.activation })),
      { units: outputs, activation: config.task === 'multiclass' ? 'softmax' : config.task === 'binary' ? 'sigmoid' : 'linear' },
    ],
    seed: config.seed,
    runtime: o.runtime,
  });
  try {
    return trainNetwork(network, data, parts, config, o);
  } catch (e) {
    // a TrainingError, a callback that threw: the half-trained network is the caller's only if it is returned
    network.dispose();
    throw e;
  }
}

function trainNetwork(network: Network, data: Dataset, parts: Split, config: TrainedModel['config'], o: TrainModelOptions): TrainedModel {
  network.scaler = Scaler.fit(parts.train.x, parts.train.rows, parts.train.features, config.scale);
  if (config.task === 'regression') network.targetScaler = Scaler.fit(parts.train.y, parts.train.rows, 1, 'standard');
  network.classes = config.task === 'regression' ? null : data.classes;
  network.featureNames = data.featureNames;
  network.targetName = data.targetName;

  const loss = config.task === 'multiclass' ? 'cce' : config.task === 'binary' ? 'bce' : 'mse';
  const trainer = new Trainer(network, {
    loss,
    optimizer: { type: config.optimizer, lr: config.lr, weightDecay: config.weightDecay, clipNorm: config.clipNorm ?? undefined },
    batchSize: config.batchSize,
    seed: config.seed,
  });
  const hasValidation = parts.validation.rows > 0;
  const history = trainer.fit(parts.train.x, parts.train.y, {
    epochs: config.epochs,
    validation: hasValidation ? { x: parts.validation.x, y: parts.validation.y } : undefined,
    earlyStopping: { monitor: hasValidation ? 'val_loss' : 'loss', patience: config.patience, restoreBest: true },
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
  };
  return { network, history, test: testEval, validation: valEval, rows, config };
}

/** The headline numbers of an evaluation, for saving with a model. */
export function summary(e: Evaluation): Record<string, number> {
  return e.task === 'regression'
    ? { loss: e.loss, mse: e.mse, mae: e.mae, r2: e.r2 }
    : { loss: e.loss, accuracy: e.accuracy, macroF1: e.macro.f1, weightedF1: e.weighted.f1 };
}

const OPTION_KEYS = [
  'task', 'hidden', 'activation', 'optimizer', 'lr', 'batchSize', 'epochs', 'patience', 'weightDecay', 'clipNorm',
  'split', 'stratify', 'scale', 'seed', 'runtime', 'onEpochEnd', 'signal',
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
    const h = o.hidden === undefined ? [64, 32] : o.hidden;
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
  const optimizer = o.optimizer === undefined ? 'adam' : lookupName(Opt, o.optimizer, 'optimizer');
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
  const config: TrainedModel['config'] = {
    task,
    hidden,
    activation,
    optimizer,
    lr: checkNumberIn(o.lr === undefined ? (optimizer === 'adam' ? 0.003 : 0.05) : o.lr, 'lr', 0, Infinity, true),
    batchSize: o.batchSize === undefined ? 32 : checkPositiveInt(o.batchSize, 'batchSize'),
    epochs: o.epochs === undefined ? 300 : checkPositiveInt(o.epochs, 'epochs'),
    patience: o.patience === undefined ? 50 : checkPositiveInt(o.patience, 'patience'),
    weightDecay: checkNumberIn(o.weightDecay === undefined ? 0.005 : o.weightDecay, 'weightDecay', 0, Infinity),
    clipNorm: o.clipNorm === undefined || o.clipNorm === null ? null : checkNumberIn(o.clipNorm, 'clipNorm', 0, Infinity, true),
    split: splitFractions,
    stratify: optionalBoolean(o.stratify, 'stratify') ?? true,
    scale: o.scale === undefined ? 'standard' : lookupName({ standard: 0, minmax: 1, none: 2 }, o.scale, 'scale'),
    seed: checkSeed(o.seed, 'seed'),
  };
  return { config, o };
}

/** Activations a hidden layer may have (softmax only on an output). */
const HIDDEN_ACTIVATIONS = { relu: Act.relu, leaky_relu: Act.leaky_relu, tanh: Act.tanh, sigmoid: Act.sigmoid, linear: Act.linear };
