import { Act } from '../../backend/abi.js';
import { F32_MAX } from '../../validate.js';
import type { TinyPlan } from './plan.js';

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
