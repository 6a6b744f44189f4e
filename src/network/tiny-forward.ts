import { Act } from '../backend/abi.js';
import type { LayerShape } from './plan.js';
import { F32_MAX } from '../validate.js';

/**
 * One sample through the network in plain JS: float64 sums and activations,
 * rounded to float32 once per output, so it agrees with every backend's batch
 * path within float32 rounding (those round each layer's values to f32).
 *
 * For tiny networks the JS→Wasm call, the buffer copies and a Float32Array
 * allocation cost more than the arithmetic; `predict` takes this path for
 * one sample when the network has at most TINY_MAX_PARAMS parameters. The
 * loop below is shaped by measurement (V8, Node 20): data-dependent trip
 * counts with the bias folded into the sum's start, no per-value rounding,
 * no second pass per layer.
 */

const f = Math.fround;

export const TINY_MAX_PARAMS = 1024;

/**
 * The network flattened for the loop below, built once per set of weights:
 * per layer and unit, its weights then its bias (float64 copies of the f32
 * values), and per layer [inputs, units, activation code (Act)].
 */
export interface TinyPlan {
  layers: number;
  desc: Int32Array;
  weights: Float64Array;
  alpha: Float64Array;
  /** Two rows of the widest layer. */
  work: Float64Array;
  width: number;
  /** Reused by readParams. */
  params: Float32Array;
}

export function tinyPlan(shapes: readonly LayerShape[], params: Float32Array): TinyPlan {
  const width = Math.max(shapes[0]!.inputs, ...shapes.map((s) => s.outputs));
  const weights = new Float64Array(params.length);
  let src = 0;
  let dst = 0;
  for (const s of shapes) {
    const b = src + s.inputs * s.outputs;
    for (let j = 0; j < s.outputs; j++) {
      for (let k = 0; k < s.inputs; k++) weights[dst++] = params[src + k * s.outputs + j]!;
      weights[dst++] = params[b + j]!;
    }
    src = b + s.outputs;
  }
  const desc = new Int32Array(3 * shapes.length);
  shapes.forEach((s, l) => {
    desc[3 * l] = s.inputs;
    desc[3 * l + 1] = s.outputs;
    desc[3 * l + 2] = Act[s.activation];
  });
  return { layers: shapes.length, desc, weights, alpha: Float64Array.from(shapes, (s) => f(s.alpha)), work: new Float64Array(2 * width), width, params };
}

/**
 * x: one already scaled sample. Writes the outputs to `out` and returns true,
 * or returns false (writing nothing) when an input is not a finite number.
 */
export function tinyForward(p: TinyPlan, x: ArrayLike<number>, out: { length: number; [i: number]: number }): boolean {
  const v = p.work;
  const w = p.weights;
  const desc = p.desc;
  const n0 = desc[0]!;
  for (let k = 0; k < n0; k++) {
    const e = x[k];
    // false for NaN, non-numbers and values beyond float32 (which the batch path names)
    if (typeof e !== 'number' || !(e <= F32_MAX && e >= -F32_MAX)) return false;
    v[k] = e;
  }
  let src = 0;
  let dst = p.width;
  let o = 0;
  const layers = p.layers;
  for (let l = 0, d = 0; l < layers; l++, d += 3) {
    const nIn = desc[d]!;
    const n = desc[d + 1]!;
    const code = desc[d + 2]!;
    for (let j = 0; j < n; j++) {
      // per unit: its weights, then its bias
      let z = w[o + nIn]!;
      for (let k = 0; k < nIn; k++) z += v[src + k]! * w[o + k]!;
      o += nIn + 1;
      if (code === Act.relu) z = z < 0 ? 0 : z;
      else if (code === Act.sigmoid) {
        const e = Math.exp(z < 0 ? z : -z);
        z = z < 0 ? e / (1 + e) : 1 / (1 + e);
      }
      else if (code === Act.tanh) z = Math.tanh(z);
      else if (code === Act.leaky_relu) z = z < 0 ? p.alpha[l]! * z : z;
      v[dst + j] = z;
    }
    if (code === Act.softmax) softmax(v, dst, n);
    const t = src;
    src = dst;
    dst = t;
  }
  for (let j = 0; j < out.length; j++) out[j] = f(v[src + j]!);
  return true;
}

function softmax(v: Float64Array, base: number, n: number): void {
  const end = base + n;
  let max = -Infinity;
  for (let j = base; j < end; j++) if (v[j]! > max) max = v[j]!;
  let sum = 0;
  for (let j = base; j < end; j++) {
    const e = Math.exp(v[j]! - max);
    v[j] = e;
    sum += e;
  }
  for (let j = base; j < end; j++) v[j] = v[j]! / sum;
}
