/**
 * What a Trainer and a fit take, and the checks that turn the options into
 * the values the kernels use: own keys only, a typo named with the nearest
 * key, a value another optimizer takes named as such.
 */

import { Opt, type LossName, type OptimizerName } from '../backend/abi.js';
import { ValueError } from '../errors.js';
import { resolveMonitor, type Monitor, type MonitorMode, type MonitorName } from './monitor.js';
import type { ScheduleOptions } from './schedules.js';
import { guardRead, lookupName, optionalBoolean, readOptions } from '../options.js';
import { checkNumberIn, checkPositiveInt, describe, F32_MAX, type MatrixInput } from '../validate.js';
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

export interface ResolvedOptimizer {
  code: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 0: no clipping. */
  clipNorm: number;
}

export const FIT_KEYS = [
  'epochs', 'validation', 'validationSplit', 'labels', 'earlyStopping', 'onTrainBegin', 'onEpochBegin', 'onEpochEnd', 'onBatchEnd', 'onTrainEnd', 'signal',
] as const;

export function isAbortSignal(v: unknown): v is AbortSignal {
  if (typeof AbortSignal === 'function' && v instanceof AbortSignal) return true;
  // a signal from another realm (a worker, a polyfill) has the same shape
  return v !== null && typeof v === 'object' && typeof (v as AbortSignal).aborted === 'boolean' && typeof (v as AbortSignal).addEventListener === 'function';
}

/** Early stopping, checked: the monitor against the loss and the validation data. */
export interface ResolvedEarlyStopping {
  monitor: Monitor;
  patience: number;
  minDelta: number;
  restoreBest: boolean;
}

export function resolveEarlyStopping(e: unknown, loss: LossName, hasValidation: boolean): ResolvedEarlyStopping | null {
  if (e === undefined || e === false) return null;
  const o = e === true ? {} : readOptions(e, 'earlyStopping', ['monitor', 'mode', 'patience', 'minDelta', 'restoreBest'], 'true or { monitor, mode, patience, minDelta, restoreBest }');
  return {
    monitor: resolveMonitor(o.monitor, o.mode, 'earlyStopping', loss, hasValidation),
    patience: o.patience === undefined ? 10 : checkPositiveInt(o.patience, 'earlyStopping.patience'),
    minDelta: checkNumberIn(o.minDelta === undefined ? 0 : o.minDelta, 'earlyStopping.minDelta', 0, Infinity),
    restoreBest: optionalBoolean(o.restoreBest, 'earlyStopping.restoreBest') ?? true,
  };
}

/** The keys each optimizer takes: a key another optimizer takes is named as such, not silently ignored. */
const OPTIMIZER_KEYS: Record<OptimizerName, readonly string[]> = {
  sgd: ['type', 'lr', 'weightDecay', 'clipNorm'],
  momentum: ['type', 'lr', 'momentum', 'weightDecay', 'clipNorm'],
  adam: ['type', 'lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'clipNorm'],
};

/** A Trainer's class weights, checked: 'balanced', fixed weights (one per class, finite, ≥ 0), or null. */
export function resolveClassWeight(v: unknown, loss: LossName, classes: number): 'balanced' | Float32Array | null {
  if (v === undefined) return null;
  if (loss === 'mse') throw new ValueError(`classWeight: weights classes of a classification loss (bce, cce), got it with loss 'mse'`);
  if (loss === 'bce' && classes !== 2) throw new ValueError(`classWeight: weights the two classes of one sigmoid unit; this output layer has ${classes} sigmoid units (each its own yes/no)`);
  if (v === 'balanced') return 'balanced';
  if (!Array.isArray(v) || v.length !== classes) {
    throw new ValueError(`classWeight: expected 'balanced' or ${classes} weights (one per class of the output layer), got ${describe(v)}`);
  }
  return Float32Array.from(v as unknown[], (w, i) => {
    if (typeof w !== 'number' || !(w >= 0 && Math.fround(w) <= F32_MAX)) throw new ValueError(`classWeight[${i}]: expected a finite number ≥ 0, got ${describe(w)}`);
    return w;
  });
}

/**
 * The balanced weights of some targets (rows × outputs): n / (k · count_c),
 * a class counted by its one-hot position (cce) or by y > 0.5 (one sigmoid
 * unit); a class without rows gets 0 (it has no loss to weight).
 */
export function balancedClassWeights(y: Float32Array, rows: number, outputs: number): Float32Array {
  const k = Math.max(outputs, 2);
  const counts = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    if (outputs === 1) counts[y[r]! > 0.5 ? 1 : 0]!++;
    else {
      let best = 0;
      for (let c = 1; c < outputs; c++) if (y[r * outputs + c]! > y[r * outputs + best]!) best = c;
      counts[best]!++;
    }
  }
  return Float32Array.from(counts, (n) => (n === 0 ? 0 : rows / (k * n)));
}

export function resolveOptimizer(opt: unknown): ResolvedOptimizer {
  const named = typeof opt === 'string';
  const type = named ? lookupName(Opt, opt, 'optimizer.type') : lookupName(Opt, readOptions(opt, 'optimizer', ['type'], '{ type, lr, … }', 'skip').type, 'optimizer.type');
  const known = OPTIMIZER_KEYS[type];
  if (!named) {
    for (const key of Object.keys(opt as object)) {
      if (guardRead(`optimizer.${key}`, () => (opt as Record<string, unknown>)[key]) === undefined) continue; // not given, as readOptions sees it
      const owner = (Object.keys(OPTIMIZER_KEYS) as OptimizerName[]).find((t) => OPTIMIZER_KEYS[t].includes(key));
      if (!known.includes(key) && owner !== undefined) {
        throw new ValueError(`optimizer.${key}: the '${type}' optimizer does not take ${key} (the '${owner}' optimizer does); remove it or change optimizer.type`);
      }
    }
  }
  const o: Partial<Record<string, unknown>> = named ? {} : readOptions(opt, 'optimizer', known);
  // undefined is the default; null is a value given, refused like any other non-number
  const or = (v: unknown, fallback: number): unknown => (v === undefined ? fallback : v);
  const lr = checkNumberIn(or(o.lr, type === 'adam' ? 0.001 : 0.01), 'optimizer.lr', 0, Infinity, true);
  const weightDecay = checkNumberIn(or(o.weightDecay, 0), 'optimizer.weightDecay', 0, Infinity);
  const clipNorm = o.clipNorm === undefined ? 0 : checkNumberIn(o.clipNorm, 'optimizer.clipNorm', 0, Infinity, true);
  if (type === 'momentum') {
    const m = checkNumberIn(or(o.momentum, 0.9), 'optimizer.momentum', 0, 1, false, true);
    return { code: Opt.momentum, lr, beta1: m, beta2: 0, eps: 0, weightDecay, clipNorm };
  }
  if (type === 'adam') {
    return {
      code: Opt.adam,
      lr,
      beta1: checkNumberIn(or(o.beta1, 0.9), 'optimizer.beta1', 0, 1, false, true),
      beta2: checkNumberIn(or(o.beta2, 0.999), 'optimizer.beta2', 0, 1, false, true),
      eps: checkNumberIn(or(o.eps, 1e-8), 'optimizer.eps', 0, Infinity, true),
      weightDecay,
      clipNorm,
    };
  }
  return { code: Opt.sgd, lr, beta1: 0, beta2: 0, eps: 0, weightDecay, clipNorm };
}
