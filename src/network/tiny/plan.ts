import { Act } from '../../backend/abi.js';
import type { LayerShape } from '../plan.js';

/** Networks with at most this many parameters predict one sample on the tiny path (forward-js.ts, codegen.ts). */
export const TINY_MAX_PARAMS = 1024;

/**
 * The network flattened for the tiny path (forward-js.ts, codegen.ts), built once per set of weights:
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
  return { layers: shapes.length, desc, weights, alpha: Float64Array.from(shapes, (s) => Math.fround(s.alpha)), work: new Float64Array(2 * width), width, params };
}
