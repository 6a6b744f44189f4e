import type { LayerShape } from './plan.js';

/**
 * One sample through the network in plain JS, with the arithmetic of the
 * pure-JS reference backend (float64 sums and activations, rounded to f32
 * wherever that backend stores a value), so it returns exactly the JS
 * backend's bits and agrees with the Wasm kernels within float32 rounding.
 *
 * For tiny networks the JS→Wasm call, the buffer copies and a Float32Array
 * allocation cost more than the arithmetic; `predict` takes this path for
 * one sample when the network has at most TINY_MAX_PARAMS parameters.
 */

const f = Math.fround;

export const TINY_MAX_PARAMS = 1024;

const enum Code {
  linear,
  relu,
  leaky,
  sigmoid,
  tanh,
  softmax,
}

/**
 * The network flattened for the loop below, built once per set of weights:
 * per layer and unit, its weights then its bias (float64 copies of the f32
 * values), and per layer [inputs, units, activation code].
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

const CODES: Record<string, Code> = {
  linear: Code.linear, relu: Code.relu, leaky_relu: Code.leaky, sigmoid: Code.sigmoid, tanh: Code.tanh, softmax: Code.softmax,
};

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
    desc[3 * l + 2] = CODES[s.activation]!;
  });
  return { layers: shapes.length, desc, weights, alpha: Float64Array.from(shapes, (s) => f(s.alpha)), work: new Float64Array(2 * width), width, params };
}

/** x: one finite, already scaled sample. Writes the outputs to `out`. */
export function tinyForward(p: TinyPlan, x: ArrayLike<number>, out: { length: number; [i: number]: number }): void {
  const v = p.work;
  const w = p.weights;
  const desc = p.desc;
  const n0 = desc[0]!;
  // the JS backend reads inputs from f32 memory
  for (let k = 0; k < n0; k++) v[k] = f(x[k]!);
  let src = 0;
  let dst = p.width;
  let o = 0;
  for (let l = 0, d = 0; l < p.layers; l++, d += 3) {
    const nIn = desc[d]!;
    const n = desc[d + 1]!;
    const code = desc[d + 2]!;
    for (let j = 0; j < n; j++) {
      let acc = 0;
      const end = o + nIn;
      for (let k = src; o < end; o++, k++) acc += v[k]! * w[o]!;
      let z = f(f(acc) + w[o++]!);
      if (code === Code.relu) z = z < 0 ? 0 : z;
      else if (code === Code.sigmoid) {
        if (z >= 0) z = f(1 / (1 + Math.exp(-z)));
        else {
          const e = Math.exp(z);
          z = f(e / (1 + e));
        }
      } else if (code === Code.tanh) z = f(Math.tanh(z));
      else if (code === Code.leaky) z = z < 0 ? f(p.alpha[l]! * z) : z;
      v[dst + j] = z;
    }
    if (code === Code.softmax) softmax(v, dst, n);
    const t = src;
    src = dst;
    dst = t;
  }
  for (let j = 0; j < out.length; j++) out[j] = v[src + j]!;
}

function softmax(v: Float64Array, base: number, n: number): void {
  const end = base + n;
  let max = -Infinity;
  for (let j = base; j < end; j++) if (v[j]! > max) max = v[j]!;
  let sum = 0;
  for (let j = base; j < end; j++) {
    const e = Math.exp(v[j]! - max);
    v[j] = f(e);
    sum += e;
  }
  for (let j = base; j < end; j++) v[j] = f(v[j]! / sum);
}
