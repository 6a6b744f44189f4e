/**
 * A network's parameters as users hold them — per layer `{ W, b }`, W inputs
 * × outputs (W[i][j] from input i to unit j), nested or row-major — and as
 * the plan stores them: one flat array, W then b, layer after layer.
 */

import { ShapeError } from '../errors.js';
import { describe, toMatrix } from '../validate.js';
import { guardRead, readOptions } from '../options.js';
import type { LayerShape } from './plan.js';

/** A layer's parameters: W is inputs × outputs (W[i][j] from input i to unit j), b one per unit. */
export interface LayerWeights {
  /** inputs rows of units weights: W[i][j] from input i to unit j. */
  W: number[][];
  /** One bias per unit. */
  b: number[];
}

/** The same, row-major: W holds inputs × outputs values (W[i·outputs + j]). */
export interface FlatLayerWeights {
  /** inputs × units weights, row-major: W[i·units + j] from input i to unit j. */
  W: Float32Array;
  /** One bias per unit. */
  b: Float32Array;
}

/** What `setWeights` takes per layer: W nested (inputs rows of outputs) or row-major, b one per unit. */
export type WeightsInput = {
  /** inputs × units weights: nested (W[i][j]) or row-major (W[i·units + j]). */
  W: ArrayLike<number> | ArrayLike<ArrayLike<number>>;
  /** One bias per unit. */
  b: ArrayLike<number>;
};

/** Every layer's weights, checked against the shapes, as one flat array (W then b per layer). */
export function flattenWeights(shapes: readonly LayerShape[], weights: readonly WeightsInput[]): Float32Array {
  guardRead('weights', () => {
    if (!Array.isArray(weights) || weights.length !== shapes.length) {
      throw new ShapeError(`weights: expected an array of ${shapes.length} layers ({ W, b }), got ${describe(weights)}`);
    }
  });
  const parts: Float32Array[] = [];
  shapes.forEach((s, i) => {
    // own keys only, read once; { weight, bias } is named as unknown keys, not taken for missing ones
    const w = readOptions(guardRead('weights', () => weights[i]), `weights[${i}]`, ['W', 'b'], '{ W, b }') as Partial<WeightsInput>;
    const W = toMatrix(w.W!, s.outputs, `weights[${i}].W`, `layer ${i}'s ${s.outputs} units`);
    if (W.rows !== s.inputs) {
      throw new ShapeError(`weights[${i}].W: expected ${s.inputs} × ${s.outputs} (inputs × units), got ${W.rows} × ${s.outputs}`);
    }
    const b = toMatrix(w.b!, s.outputs, `weights[${i}].b`, `layer ${i}'s ${s.outputs} units`);
    if (b.rows !== 1) throw new ShapeError(`weights[${i}].b: expected ${s.outputs} values, got ${b.rows * s.outputs}`);
    parts.push(W.data, b.data);
  });
  return concat(parts);
}

/** The flat parameters split back into layers (fresh arrays). */
export function splitWeights(shapes: readonly LayerShape[], flat: Float32Array): FlatLayerWeights[] {
  const out: FlatLayerWeights[] = [];
  let o = 0;
  for (const s of shapes) {
    const w = s.inputs * s.outputs;
    out.push({ W: flat.slice(o, o + w), b: flat.slice(o + w, o + w + s.outputs) });
    o += w + s.outputs;
  }
  return out;
}

/** Rows of `cols` values as nested arrays. */
export function nest(flat: Float32Array, cols: number): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < flat.length; r += cols) out.push(Array.from(flat.subarray(r, r + cols)));
  return out;
}

export function concat(parts: readonly Float32Array[]): Float32Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float32Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
