/**
 * The checked paths of Network's predict and predictInto: everything but one
 * already-checked sample of a tiny network (whose short path stays inline in
 * Network, where the call is the cost). Inputs are read and checked here,
 * then go through the tiny path for one sample, straight into linear memory
 * for a Float32Array of whole rows, or through prepareInputs otherwise.
 */

import { ShapeError } from '../errors.js';
import { describe, type MatrixInput } from '../validate.js';
import { directRows, forwardDirect } from './forward.js';
import { isFloat32Array, isNestedInput, isOneSample, outLengthError } from './input-forms.js';
import type { Network } from './network.js';
import type { TinyPath } from './tiny/path.js';
import { nest } from './weights.js';

/** predict's result for x: plain arrays in, plain arrays out; typed arrays in, a Float32Array out. */
export function predictChecked(net: Network, x: MatrixInput): Float32Array | number[] | number[][] {
  const rows = directRows(net, x);
  if (rows > 0) {
    const result = forwardDirect(net, x as Float32Array, rows, new Float32Array(rows * net.outputs));
    if (result !== null) return result;
  }
  const m = net.prepareInputs(x, 'x');
  const result = net.forwardRows(m, new Float32Array(m.rows * net.outputs));
  if (isNestedInput(x)) return nest(result, net.outputs);
  return Array.isArray(x) ? Array.from(result) : result;
}

/** predictInto's result: x's outputs written into out (checked to be a Float32Array of rows × outputs). */
export function predictIntoChecked(net: Network, tiny: TinyPath | null, x: MatrixInput, out: Float32Array): Float32Array {
  net.plan; // throws once disposed
  if (!isFloat32Array(out)) throw new ShapeError(`out: expected a Float32Array, got ${describe(out)}`);
  if (tiny !== null && isOneSample(x, net.inputs)) {
    if (out.length !== net.outputs) throw outLengthError(out, 1, net.outputs);
    const y = tiny.predict(x as ArrayLike<number>) ?? (predictChecked(net, x) as Float32Array);
    for (let j = 0; j < y.length; j++) out[j] = y[j]!;
    return out;
  }
  const rows = directRows(net, x);
  if (rows > 0) {
    if (out.length !== rows * net.outputs) throw outLengthError(out, rows, net.outputs);
    const result = forwardDirect(net, x as Float32Array, rows, out);
    if (result !== null) {
      if (result !== out) out.set(result);
      return out;
    }
  }
  const m = net.prepareInputs(x, 'x');
  if (out.length !== m.rows * net.outputs) throw outLengthError(out, m.rows, net.outputs);
  const result = net.forwardRows(m, out);
  if (result !== out) out.set(result);
  return out;
}
