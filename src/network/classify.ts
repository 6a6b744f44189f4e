/**
 * Labels out: a classifier's outputs as probabilities per class (both
 * columns for one sigmoid unit) and as class labels, with the same decision
 * rule as evaluate(): p > 0.5 for one sigmoid unit, the first largest
 * probability for softmax.
 */

import { StateError } from '../errors.js';
import { classCountOf } from '../io/model-rules.js';
import type { MatrixInput } from '../validate.js';
import type { Network } from './network.js';
import type { LayerShape } from './plan.js';
import { nest } from './weights.js';

/** `net.predictProba(x)`: probabilities per class, shaped as predict shapes outputs. */
export function predictProba(net: Network, x: MatrixInput): Float32Array | number[] | number[][] {
  const k = classCount(net.shapes, 'predictProba');
  const m = net.prepareInputs(x, 'x');
  const p = probabilities(net.forwardRows(m, new Float32Array(m.rows * net.outputs)), m.rows, k);
  if (Array.isArray(x) && x.length > 0 && typeof x[0] === 'object') return nest(p, k);
  return Array.isArray(x) ? Array.from(p) : p;
}

/** `net.predictLabels(x)`: one label per row. */
export function predictLabels(net: Network, x: MatrixInput): string[] {
  const k = classCount(net.shapes, 'predictLabels');
  const m = net.prepareInputs(x, 'x');
  return labelsOf(classIndices(net.forwardRows(m, new Float32Array(m.rows * net.outputs)), m.rows, k), net.classes);
}

/** The classes of a classifier's output layer; a StateError naming `method` for any other network. */
export function classCount(shapes: readonly LayerShape[], method: string): number {
  const k = classCountOf(shapes);
  if (k === null) {
    const last = shapes[shapes.length - 1]!;
    throw new StateError(
      `${method}: this network is not a classifier (its output layer is ${last.outputs} '${last.activation}' unit${last.outputs === 1 ? '' : 's'}; ` +
        `a classifier has a softmax output layer or one sigmoid unit); use predict for its outputs`,
    );
  }
  return k;
}

/** Row-major outputs (rows × outputs) as row-major probabilities (rows × k): one sigmoid unit p gives [1 − p, p]. */
export function probabilities(outputs: Float32Array, rows: number, k: number): Float32Array {
  if (outputs.length === rows * k) return outputs;
  const out = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    const p = outputs[r]!;
    out[2 * r] = 1 - p;
    out[2 * r + 1] = p;
  }
  return out;
}

/** The predicted class index of each row of row-major outputs (rows × outputs). */
export function classIndices(outputs: Float32Array, rows: number, k: number): Int32Array {
  const out = new Int32Array(rows);
  const width = outputs.length / rows;
  for (let r = 0; r < rows; r++) {
    if (width === 1) {
      out[r] = outputs[r]! > 0.5 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let c = 1; c < k; c++) if (outputs[r * k + c]! > outputs[r * k + best]!) best = c;
    out[r] = best;
  }
  return out;
}

/** The label of each class index: the network's classes, or '0', '1', … when it has none. */
export function labelsOf(indices: Int32Array, classes: readonly string[] | null): string[] {
  return Array.from(indices, (c) => (classes ? classes[c]! : String(c)));
}
