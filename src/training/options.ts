/**
 * What a Trainer and a fit take, and what they give back: the public option
 * and result types (checked into the kernels' values by resolve-options.ts).
 */

import type { LossName, OptimizerName } from '../backend/abi.js';
import type { MonitorMode, MonitorName } from './monitor.js';
import type { ScheduleOptions } from './schedules.js';
import type { MatrixInput } from '../validate.js';
import type { TargetInput } from '../network/targets.js';

/** The optimizer of a Trainer and its hyperparameters; keys another optimizer takes are refused. */
export interface OptimizerOptions {
  /** `'sgd'`, `'momentum'` (heavy ball, as PyTorch's SGD with momentum) or `'adam'`. */
  type: OptimizerName;
  /** Learning rate, a finite number > 0 (default 0.01 for sgd and momentum, 0.001 for adam). */
  lr?: number;
  /** momentum: the momentum coefficient, in [0, 1) (default 0.9). */
  momentum?: number;
  /** adam: the decay of the first-moment average, in [0, 1) (default 0.9). */
  beta1?: number;
  /** adam: the decay of the second-moment average, in [0, 1) (default 0.999). */
  beta2?: number;
  /** adam: added to the root of the second moment, > 0 (default 1e-8). */
  eps?: number;
  /** L2 weight decay added to the weights' gradients (never the biases'), ≥ 0 (default 0). */
  weightDecay?: number;
  /**
   * Gradient clipping: when the L2 norm of the whole gradient (every layer's
   * weights and biases together, before weight decay) exceeds this, it is
   * scaled down to this norm, as PyTorch's clip_grad_norm_. Default: no clipping.
   */
  clipNorm?: number;
}

/** What `new Trainer(network, options)` takes. */
export interface TrainerOptions {
  /**
   * The loss to minimise: `'bce'` (binary cross-entropy; a sigmoid output
   * layer), `'cce'` (categorical cross-entropy; a softmax output layer) or
   * `'mse'` (mean squared error; any output layer). Required.
   */
  loss: LossName;
  /** The optimizer: options, or just its name for its defaults (default `{ type: 'adam' }`). */
  optimizer?: OptimizerOptions | OptimizerName;
  /**
   * A learning-rate schedule (step, exponential, cosine with warm-up, reduce
   * on plateau) applied within every fit, starting from `optimizer.lr`.
   * Default: none, a constant rate (which `trainer.learningRate` can change).
   */
  schedule?: ScheduleOptions;
  /** Rows per mini-batch, a positive integer (default 32; capped at the number of rows). */
  batchSize?: number;
  /** Reshuffle the rows every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffling and of `validationSplit`, an integer from 0 to 2^32 − 1 (default 0). */
  seed?: number;
  /**
   * Weights of the classes in the training loss (bce and cce), for
   * imbalanced data: 'balanced' gives class c the weight n / (k · count_c)
   * over the fit's n rows and k classes (as scikit-learn's
   * compute_class_weight), or one weight per class (2 for one sigmoid unit).
   * Each row's loss and gradient are multiplied by its class's weight; the
   * mean is still over the rows (as Keras's class_weight). Validation losses
   * are not weighted. Default: none.
   */
  classWeight?: 'balanced' | readonly number[];
}

/** `earlyStopping`: stop when the monitored metric has not improved for `patience` epochs. */
export interface EarlyStoppingOptions {
  /**
   * What must keep improving: `'val_loss'` (the default; needs validation
   * data), `'val_accuracy'` (classification losses), `'val_mae'` (mse) or
   * `'loss'` (the training loss). Without validation data, pass
   * `monitor: 'loss'` explicitly: early stopping would otherwise watch
   * something that was never given.
   */
  monitor?: MonitorName;
  /** Whether the metric should fall (`'min'`) or rise (`'max'`); default `'auto'`: rise for accuracy, fall otherwise. */
  mode?: MonitorMode;
  /** Epochs without improvement before stopping, a positive integer (default 10). */
  patience?: number;
  /** The least change in the metric's direction that counts as an improvement, ≥ 0 (default 0). */
  minDelta?: number;
  /** Put back the weights of the best epoch when training ends (default true). */
  restoreBest?: boolean;
}

/** What `onEpochEnd` receives: the epoch's metrics. */
export interface EpochInfo {
  /** The epoch that ended, 1-based. */
  epoch: number;
  /** The most epochs this fit runs (its `epochs` option). */
  epochs: number;
  /** Mean training loss of the epoch (each batch's loss before its update, weighted by its rows). */
  loss: number;
  /** Learning rate of the epoch's last step. */
  lr: number;
  /** Validation loss after the epoch; present when validation data was given. */
  valLoss?: number;
  /** Classification losses with validation data: accuracy on it after the epoch, in [0, 1]. */
  valAccuracy?: number;
  /** mse with validation data: mean absolute error on it after the epoch, in the units the network trains on. */
  valMae?: number;
}

/** What `onEpochBegin` receives. */
export interface EpochBeginInfo {
  /** The epoch about to run, 1-based. */
  epoch: number;
  /** The most epochs this fit runs. */
  epochs: number;
  /** Learning rate of the epoch's first step (the schedule's, when there is one). */
  lr: number;
}

/** What `onTrainBegin` receives: the fit about to run. */
export interface TrainBeginInfo {
  /** The most epochs this fit runs. */
  epochs: number;
  /** Training rows (after `validationSplit` held some out). */
  rows: number;
  /** Validation rows (0 without validation data). */
  validationRows: number;
  /** Rows per mini-batch (the Trainer's batchSize, capped at the rows). */
  batchSize: number;
  /** Mini-batches (optimizer steps) per epoch. */
  batches: number;
}

/** What `onBatchEnd` receives. */
export interface BatchInfo {
  /** The epoch, 1-based. */
  epoch: number;
  /** The batch within the epoch, 1-based. */
  batch: number;
  /** Batches per epoch. */
  batches: number;
  /** Loss of this batch before its update. */
  loss: number;
}

/** What `trainer.fit(x, y, options)` takes; every option may be left out. */
export interface FitOptions {
  /** The most epochs to run, a positive integer (default 10). */
  epochs?: number;
  /** Held-out data: its loss (and accuracy or MAE) is computed after every epoch. Rows and targets as fit takes them. */
  validation?: {
    /** Inputs: nested rows or row-major values, raw (the network's scaler applies). */
    x: MatrixInput;
    /** Targets as `y` takes them (class labels too). */
    y: TargetInput | readonly string[];
  };
  /**
   * A fraction in (0, 1) of the rows of x and y to hold out as validation
   * data instead of `validation`: round(fraction · rows) rows (at least 1),
   * chosen at random with the Trainer's seed (the same rows on every fit of
   * the same data) and stratified by class for bce and cce, never simply the
   * last rows. Default: none.
   */
  validationSplit?: number;
  /**
   * Read `y` (and `validation.y`) as class labels even when they are
   * numbers: each number is a label (`String(value)`), like strings always
   * are. Default false: numbers are class indices, 0/1 targets or one-hot rows.
   */
  labels?: boolean;
  /** Stop when the monitored metric stops improving: true for the defaults, or options. Default: off. */
  earlyStopping?: EarlyStoppingOptions | boolean;
  /** Called once before the first epoch. */
  onTrainBegin?: (info: TrainBeginInfo) => void;
  /** Called before every epoch, after the schedule has set its rate. */
  onEpochBegin?: (info: EpochBeginInfo) => void;
  /** Called after every epoch; return false to stop training there. */
  onEpochEnd?: (info: EpochInfo) => void | boolean;
  /** Called after every batch. */
  onBatchEnd?: (info: BatchInfo) => void;
  /** Called once when training ends (however it ends, but for an error), with the history fit returns. */
  onTrainEnd?: (history: History) => void;
  /** Cancels training between batches; fit returns what it has (stopReason 'aborted'). */
  signal?: AbortSignal;
}

/** Why a fit stopped: all epochs ran, early stopping, `onEpochEnd` returned false, or the signal aborted. */
export type StopReason = 'epochs' | 'early-stopping' | 'callback' | 'aborted';

/** What `fit` returns: per-epoch metrics (arrays indexed by epoch − 1) and how training ended. */
export interface History {
  /** Mean training loss of each epoch (each batch's loss before its update, weighted by its rows). */
  loss: number[];
  /** Validation loss after each epoch (empty without validation data). */
  valLoss: number[];
  /** Validation accuracy after each epoch, in [0, 1] (classification losses with validation data; else empty). */
  valAccuracy: number[];
  /** Validation mean absolute error after each epoch (mse with validation data; else empty). */
  valMae: number[];
  /** Learning rate of each epoch's last step. */
  lr: number[];
  /** Epochs run. */
  epochs: number;
  /**
   * 1-based epoch with the best monitored value: early stopping's monitor
   * when it is on, else the validation loss if given, else the training loss.
   */
  bestEpoch: number;
  /** Whether the weights were set back to bestEpoch's. */
  restoredBest: boolean;
  /** Why training stopped. */
  stopReason: StopReason;
}
