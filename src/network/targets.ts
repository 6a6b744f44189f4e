import type { LossName } from '../backend/abi.js';
import { ShapeError, ValueError } from '../errors.js';
import type { LayerShape } from './plan.js';
import { describe, toMatrix } from '../validate.js';

/**
 * Targets: nested rows (rows × outputs), row-major values, or — for 'cce' —
 * one class index per row (turned into one-hot rows).
 */
export type TargetInput = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

/** The output layer a loss is defined for: bce ⇒ sigmoid, cce ⇒ softmax, mse ⇒ any. */
export function checkLossFits(loss: LossName, output: LayerShape): void {
  if (loss === 'bce' && output.activation !== 'sigmoid') {
    throw new ValueError(`loss: 'bce' (binary cross-entropy) needs a sigmoid output layer, got '${output.activation}'`);
  }
  if (loss === 'cce' && output.activation !== 'softmax') {
    throw new ValueError(`loss: 'cce' (categorical cross-entropy) needs a softmax output layer, got '${output.activation}'`);
  }
  if (loss === 'cce' && output.outputs < 2) {
    throw new ShapeError(`loss: 'cce' needs a softmax output layer of at least 2 units, got ${output.outputs}`);
  }
}

/**
 * Validated targets as a row-major Float32Array of rows × outputs: a fresh
 * one, or with `copy = false` possibly the caller's own Float32Array (for a
 * caller that copies it elsewhere before returning).
 */
export function toTargets(y: TargetInput, rows: number, outputs: number, loss: LossName, copy = true, name = 'y'): Float32Array {
  if (y === null || typeof y !== 'object' || typeof (y as ArrayLike<unknown>).length !== 'number') {
    throw new ShapeError(`${name}: expected an array of targets, got ${describe(y)}`);
  }
  const nested = Array.isArray(y) && y.length > 0 && typeof y[0] === 'object';
  let t: Float32Array;
  if (nested) {
    if (y.length !== rows) throw new ShapeError(`${name}: expected ${rows} rows (one per row of x), got ${y.length}`);
    const what = loss === 'cce' ? `one-hot over the output layer's ${outputs} classes` : `one per output unit`;
    t = toMatrix(y, outputs, name, what).data;
  } else {
    const flat = y as ArrayLike<number>;
    if (flat.length === rows * outputs) {
      t = toMatrix(flat, outputs, name, 'one per output unit', copy).data;
    } else if (loss === 'cce' && flat.length === rows) {
      t = oneHotFromIndices(flat, rows, outputs, name);
    } else {
      const expect = loss === 'cce'
        ? `${rows} class indices or ${rows} × ${outputs} one-hot values`
        : `${rows} × ${outputs} values (rows of x × output units)`;
      throw new ShapeError(`${name}: expected ${expect}, got ${flat.length} values`);
    }
  }
  // toMatrix has checked finiteness; one-hot rows built from indices are finite
  if (loss === 'bce') checkRange(t, outputs, 0, 1, name, 'binary targets (probabilities of class 1)');
  if (loss === 'cce') checkDistributions(t, outputs, name);
  return t;
}

function oneHotFromIndices(labels: ArrayLike<number>, rows: number, classes: number, name: string): Float32Array {
  const t = new Float32Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    const c = labels[r];
    if (typeof c !== 'number' || !Number.isInteger(c) || c < 0 || c >= classes) {
      throw new ValueError(`${name}: expected class indices, integers from 0 to ${classes - 1}, got ${describe(c)} at row ${r}`);
    }
    t[r * classes + c] = 1;
  }
  return t;
}

function checkRange(t: Float32Array, cols: number, lo: number, hi: number, name: string, what: string): void {
  for (let i = 0; i < t.length; i++) {
    const v = t[i]!;
    if (v < lo || v > hi) {
      throw new ValueError(`${name}: expected ${what} in [${lo}, ${hi}], got ${v} at row ${Math.floor(i / cols)}, column ${i % cols}`);
    }
  }
}

function checkDistributions(t: Float32Array, cols: number, name: string): void {
  // one pass: every value in [0, 1] and every row summing to 1
  for (let r = 0, i = 0; i < t.length; r++) {
    let s = 0;
    for (const end = i + cols; i < end; i++) {
      const v = t[i]!;
      if (v < 0 || v > 1) {
        throw new ValueError(`${name}: expected one-hot (or probability) rows in [0, 1], got ${v} at row ${r}, column ${i - r * cols}`);
      }
      s += v;
    }
    if (Math.abs(s - 1) > 1e-4) {
      throw new ValueError(`${name}: expected each row to sum to 1 (one-hot over ${cols} classes), got a sum of ${s} at row ${r}`);
    }
  }
}
