import type { ActivationName, OptimizerName } from '../backend/abi.js';
import type { Dataset, Task } from '../data/dataset.js';
import { Scaler, type ScalerKind } from '../data/scaler.js';
import { ValueError } from '../errors.js';
import { describe } from '../validate.js';
import { evaluate, type Evaluation } from '../evaluation/evaluate.js';
import { Network } from '../network/network.js';
import { defaultRuntimeOrThrow, Runtime } from '../runtime.js';
import { Trainer } from '../training/trainer.js';
import type { EpochInfo, History } from '../training/options.js';
import type { OptimizerOptions } from '../training/options.js';
import type { MonitorName } from '../training/monitor.js';
import type { ScheduleOptions } from '../training/schedules.js';
import type { ColumnSchema } from '../table/column-schema.js';
import { checkFitMemory } from './fit-memory.js';
import { makeParts, type EncodingDataset, type Parts } from './parts.js';
import { resolve } from './train-options.js';

export { DEFAULT_BATCH_SIZE, DEFAULT_HIDDEN } from './train-options.js';

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
  const network = pipelineNetwork(config, parts.train.features, outputs, runtime);
  try {
    const scaler = Scaler.fit(parts.train.x, parts.train.rows, parts.train.features, config.scale);
    if (config.task === 'regression') network.targetScaler = Scaler.fit(parts.train.y, parts.train.rows, 1, 'standard');
    network.classes = config.task === 'regression' ? null : classes;
    network.featureNames = parts.train.featureNames;
    network.targetName = data.targetName;

    const trainer = pipelineTrainer(network, config, config.classWeight === 'balanced' ? 'balanced' : null);
    const hasValidation = parts.validation.rows > 0;
    // The parts are the pipeline's own arrays: the training rows are scaled
    // in place and fit takes them as they are (the network gets its scaler
    // after fit), so a large training part is held once raw-and-scaled and
    // once in linear memory, not three times. The same arithmetic as the
    // scaler's transform inside fit: the same bits.
    scaler.scaleInPlace(parts.train.x, parts.train.rows);
    const history = trainer.fit(parts.train.x, parts.train.y, {
      epochs: config.epochs,
      validation: hasValidation ? { x: scaler.transform(parts.validation.x, parts.validation.rows), y: parts.validation.y } : undefined,
      earlyStopping: { monitor: hasValidation ? config.monitor : 'loss', patience: config.patience, restoreBest: true },
      onEpochEnd: o.onEpochEnd,
      signal: o.signal,
    });
    // fit copied the training rows into linear memory: the pipeline's copy
    // can go before evaluation allocates (the peak memory of a large table)
    parts.train = { ...parts.train, x: new Float32Array(0) };
    network.scaler = scaler;
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

/** The network a run of `config` trains: its hidden layers, and the output layer of its task. */
export function pipelineNetwork(config: TrainModelConfig, inputs: number, outputs: number, runtime: Runtime): Network {
  return new Network({
    inputs,
    layers: [
      ...config.hidden.map((units) => ({ units, activation: config.activation })),
      { units: outputs, activation: config.task === 'multiclass' ? 'softmax' : config.task === 'binary' ? 'sigmoid' : 'linear' },
    ],
    seed: config.seed,
    runtime,
  });
}

/** The trainer of a run of `config` (class weights 'balanced', given per class, or none). */
export function pipelineTrainer(network: Network, config: TrainModelConfig, classWeight: 'balanced' | number[] | null): Trainer {
  return new Trainer(network, {
    loss: config.task === 'multiclass' ? 'cce' : config.task === 'binary' ? 'bce' : 'mse',
    optimizer: { type: config.optimizer, lr: config.lr, weightDecay: config.weightDecay, clipNorm: config.clipNorm ?? undefined, ...config.optimizerSettings },
    batchSize: config.batchSize,
    seed: config.seed,
    ...(classWeight ? { classWeight } : {}),
    ...(config.schedule ? { schedule: config.schedule } : {}),
  });
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
