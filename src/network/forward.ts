/**
 * The batch forward pass of a Network over its plan: rows in, outputs out,
 * one mlp_forward call per chunk of at most MAX_PREDICT_CHUNK rows (the
 * kernels read the weights packed once, see Tail.packed in
 * src/backend/abi.ts). Network's predict and predictInto come here for
 * everything but one sample of a tiny network.
 */

import { assertFinite, type Matrix, type MatrixInput } from '../validate.js';
import type { Network } from './network.js';

/** Rows per mlp_forward call: the batch block a prediction lays out grows to at most this many rows. */
export const MAX_PREDICT_CHUNK = 1024;

/** The outputs of m's rows (checked and scaled) into out (rows × outputs), or a new array with the target scaler's inverse. */
export function forwardRows(net: Network, m: Matrix, out: Float32Array): Float32Array {
  const plan = net.plan;
  const chunk = Math.max(plan.capacity, Math.min(m.rows, MAX_PREDICT_CHUNK));
  plan.ensureCapacity(chunk);
  const k = net.runtime.backend.kernels;
  const layers = net.shapes.length;
  for (let r = 0; r < m.rows; r += chunk) {
    const n = Math.min(chunk, m.rows - r);
    net.runtime.heap.f32().set(m.data.subarray(r * net.inputs, (r + n) * net.inputs), plan.X >>> 2);
    k.mlp_forward(plan.table, layers, plan.X, n, plan.scratch);
    const A = plan.activations(layers - 1).A >>> 2;
    out.set(net.runtime.heap.f32().subarray(A, A + n * net.outputs), r * net.outputs);
  }
  return net.targetScaler ? net.targetScaler.inverseTransform(out, m.rows) : out;
}

/**
 * The rows of x when forwardDirect can take it (a Float32Array of whole
 * rows and a network without an input scaler), else 0.
 */
export function directRows(net: Network, x: MatrixInput): number {
  if (!(x instanceof Float32Array) || net.scaler !== null) return 0;
  const rows = x.length / net.inputs;
  return rows >= 1 && Number.isInteger(rows) ? rows : 0;
}

/**
 * forwardRows for a Float32Array of `rows` rows (see directRows), copied
 * straight into linear memory a chunk at a time and checked for finite
 * values there: prepareInputs' copy into a new array and its scan in JS take
 * longer than the forward pass of one 784-input sample, and for a large
 * batch that copy is a new allocation as large as x, every call. Rows of
 * more than one chunk are all checked before any output is written (a pass
 * that copies each chunk once more). Null, with nothing written to out, when
 * a value is not finite (the checked path then names it).
 */
export function forwardDirect(net: Network, x: Float32Array, rows: number, out: Float32Array): Float32Array | null {
  const plan = net.plan;
  const chunk = Math.max(plan.capacity, Math.min(rows, MAX_PREDICT_CHUNK));
  // no batch block grows for bad input: a batch larger than any before is checked first
  if (Math.min(rows, chunk) > plan.capacity) assertFinite(x, net.inputs, 'x');
  plan.ensureCapacity(Math.min(rows, chunk));
  const heap = net.runtime.heap;
  const k = net.runtime.backend.kernels;
  const inputs = net.inputs;
  const single = rows <= chunk;
  if (!single) {
    for (let r = 0; r < rows; r += chunk) {
      const n = Math.min(chunk, rows - r);
      heap.f32().set(x.subarray(r * inputs, (r + n) * inputs), plan.X >>> 2);
      if (!k.f32_all_finite(n * inputs, plan.X)) return null;
    }
  }
  const layers = net.shapes.length;
  for (let r = 0; r < rows; r += chunk) {
    const n = Math.min(chunk, rows - r);
    heap.f32().set(x.subarray(r * inputs, (r + n) * inputs), plan.X >>> 2);
    if (single && !k.f32_all_finite(n * inputs, plan.X)) return null;
    k.mlp_forward(plan.table, layers, plan.X, n, plan.scratch);
    const A = plan.activations(layers - 1).A >>> 2;
    out.set(heap.f32().subarray(A, A + n * net.outputs), r * net.outputs);
  }
  return net.targetScaler ? net.targetScaler.inverseTransform(out, rows) : out;
}
