/**
 * The checks that turn a Trainer's and a fit's options into the values the
 * kernels use: own keys only, a typo named with the nearest key, a value
 * another optimizer takes named as such.
 */

import { Opt, type LossName, type OptimizerName } from '../backend/abi.js';
import { ValueError } from '../errors.js';
import { resolveMonitor, type Monitor } from './monitor.js';
import { guardRead, lookupName, optionalBoolean, readOptions } from '../options.js';
import { checkNumberIn, checkPositiveInt, describe, F32_MAX } from '../validate.js';

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
