import type { ActivationName, OptimizerName } from '../backend/abi.js';
import { classCounts, type Dataset, type Task } from '../data/dataset.js';
import { Scaler, type ScalerKind } from '../data/scaler.js';
import { split, type Split } from '../data/split.js';
import { DataError, ValueError } from '../errors.js';
import { evaluate, type Evaluation } from '../evaluation/evaluate.js';
import { Network } from '../network/network.js';
import { defaultRuntimeOrThrow, Runtime } from '../runtime.js';
import { Trainer } from '../training/trainer.js';
import type { EpochInfo, History } from '../training/options.js';
import type { MonitorName } from '../training/monitor.js';
import type { ScheduleOptions } from '../training/schedules.js';
import { Act, Opt } from '../backend/abi.js';
import { lookupName, optionalBoolean, optionalFunction, readOptions } from '../options.js';
import { checkNumberIn, checkPositiveInt, checkSeed, describe } from '../validate.js';
import { checkFitMemory } from './fit-memory.js';

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
  /** The optimizer (default 'adam'). */
  optimizer?: OptimizerName;
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
  /** The runtime to build the network in (default: the one set by the last `init()`). */
  runtime?: Runtime;
  /** Called after every epoch (see FitOptions.onEpochEnd); return false to stop. */
  onEpochEnd?: (info: EpochInfo) => void | boolean;
  /** Cancels training between batches (see FitOptions.signal). */
  signal?: AbortSignal;
}

/** What trainModel returns. */
export interface TrainedModel {
  /** The trained network, carrying its scaler, classes, feature and target names. */
  network: Network;
  /** The fit's history. */
  history: History;
  /** Metrics on the test part (null when the test fraction is 0). */
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
  const parts = split(data, {
    train, validation, test, seed: config.seed,
    // regression stratifies on deciles of the target
    stratify: config.stratify,
    quantileBins: config.task === 'regression' && config.stratify ? 10 : 0,
  });
  const classes = data.classes;
  const outputs = config.task === 'multiclass' ? classes!.length : 1;
  const runtime = o.runtime ?? defaultRuntimeOrThrow();
  if (!(runtime instanceof Runtime)) throw new ValueError(`runtime: expected a Runtime returned by init(), got ${describe(runtime)}`);
  checkPipelineMemory(runtime, data.features, config, outputs, parts);
  const network = new Network({
    inputs: data.features,
    layers: [
      ...config.hidden.map((units) => ({ units, activation: config.activation })),
      { units: outputs, activation: config.task === 'multiclass' ? 'softmax' : config.task === 'binary' ? 'sigmoid' : 'linear' },
    ],
    seed: config.seed,
    runtime,
  });
  network.scaler = Scaler.fit(parts.train.x, parts.train.rows, parts.train.features, config.scale);
  if (config.task === 'regression') network.targetScaler = Scaler.fit(parts.train.y, parts.train.rows, 1, 'standard');
  network.classes = classes;
  network.featureNames = data.featureNames;
  network.targetName = data.targetName;

  const loss = config.task === 'multiclass' ? 'cce' : config.task === 'binary' ? 'bce' : 'mse';
  const trainer = new Trainer(network, {
    loss,
    optimizer: { type: config.optimizer, lr: config.lr, weightDecay: config.weightDecay, clipNorm: config.clipNorm ?? undefined },
    batchSize: config.batchSize,
    seed: config.seed,
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
  };
  return { network, history, test: testEval, validation: valEval, rows, config };
}

/** Refuses, before the network is built, a run whose network, fit and evaluations cannot fit in linear memory. */
function checkPipelineMemory(runtime: Runtime, inputs: number, config: TrainedModel['config'], outputs: number, parts: Split): void {
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
  'split', 'stratify', 'scale', 'seed', 'runtime', 'onEpochEnd', 'signal',
] as const;

/** The most units a hidden layer may have: a layer of 65,536 units is already ~16 GB of weights after another such layer. */
export const MAX_HIDDEN_UNITS = 65536;

function resolve(data: Dataset, options: TrainModelOptions): { config: TrainedModel['config']; o: TrainModelOptions } {
  if (data === null || typeof data !== 'object' || !(data.x instanceof Float32Array)) {
    throw new ValueError(`data: expected a Dataset (from parseCsv, loadCsv or makeDataset), got ${describe(data)}`);
  }
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
    if (counts.filter((c) => c > 0).length < 2) throw new DataError(`target '${data.targetName}': expected at least 2 classes with rows, got ${counts.filter((c) => c > 0).length}`);
  }
  const hidden = o.hidden ?? [...DEFAULT_HIDDEN];
  if (!Array.isArray(hidden)) throw new ValueError(`hidden: expected an array of layer sizes, got ${describe(hidden)}`);
  hidden.forEach((h, i) => {
    checkPositiveInt(h, `hidden[${i}]`);
    if (h > MAX_HIDDEN_UNITS) throw new ValueError(`hidden[${i}]: expected at most ${MAX_HIDDEN_UNITS} units, got ${h}`);
  });
  const activation = o.activation === undefined ? 'relu' : lookupName(HIDDEN_ACTIVATIONS, o.activation, 'activation');
  const optimizer = o.optimizer === undefined ? 'adam' : lookupName(Opt, o.optimizer, 'optimizer');
  const splitFractions = o.split ?? [0.8, 0.1, 0.1];
  if (!Array.isArray(splitFractions) || splitFractions.length !== 3) {
    throw new ValueError(`split: expected [train, validation, test] fractions, got ${describe(splitFractions)}`);
  }
  optionalFunction(o.onEpochEnd, 'onEpochEnd');
  const config: TrainedModel['config'] = {
    task,
    hidden: hidden.slice(),
    activation,
    optimizer,
    lr: checkNumberIn(o.lr ?? (optimizer === 'adam' ? 0.003 : 0.05), 'lr', 0, Infinity, true),
    batchSize: o.batchSize === undefined ? DEFAULT_BATCH_SIZE : checkPositiveInt(o.batchSize, 'batchSize'),
    epochs: o.epochs === undefined ? 300 : checkPositiveInt(o.epochs, 'epochs'),
    patience: o.patience === undefined ? 50 : checkPositiveInt(o.patience, 'patience'),
    weightDecay: checkNumberIn(o.weightDecay ?? 0.005, 'weightDecay', 0, Infinity),
    clipNorm: o.clipNorm === undefined || o.clipNorm === null ? null : checkNumberIn(o.clipNorm, 'clipNorm', 0, Infinity, true),
    // checked by the Trainer and the fit, which name them
    schedule: o.schedule ?? null,
    monitor: o.monitor === undefined ? 'val_loss' : lookupName({ val_loss: 0, val_accuracy: 1, val_mae: 2, loss: 3 }, o.monitor, 'monitor'),
    split: [splitFractions[0], splitFractions[1], splitFractions[2]],
    stratify: optionalBoolean(o.stratify, 'stratify') ?? true,
    scale: o.scale === undefined ? 'standard' : lookupName({ standard: 0, minmax: 1, none: 2 }, o.scale, 'scale'),
    seed: checkSeed(o.seed, 'seed'),
  };
  return { config, o };
}

/** Activations a hidden layer may have (softmax only on an output). */
const HIDDEN_ACTIVATIONS = { relu: Act.relu, leaky_relu: Act.leaky_relu, tanh: Act.tanh, sigmoid: Act.sigmoid, linear: Act.linear };
