import { LAYER_FIELDS, TailF64, type KernelExports } from '../../src/backend/abi.js';

/**
 * train_step with its hyperparameters as arguments and its value returned, as
 * tests read best: writes them into the table's tail, calls the kernel, reads
 * the tail's result word. `buffer` gives the memory's current ArrayBuffer.
 */
export function trainStepWith(
  k: KernelExports, buffer: () => ArrayBufferLike,
  table: number, layers: number, X: number, Y: number, rows: number, loss: number,
  opt: number, lr: number, beta1: number, beta2: number, eps: number, clipNorm: number, t: number, scratch: number, undo: number,
): number {
  const d = ((table >>> 2) + layers * LAYER_FIELDS) >>> 1;
  const f64 = new Float64Array(buffer());
  f64[d + TailF64.lr] = lr;
  f64[d + TailF64.beta1] = beta1;
  f64[d + TailF64.beta2] = beta2;
  f64[d + TailF64.eps] = eps;
  f64[d + TailF64.clipNorm] = clipNorm;
  f64[d + TailF64.t] = t;
  k.train_step(table, layers, X, Y, rows, loss, opt, scratch, undo);
  return new Float64Array(buffer())[d + TailF64.result]!;
}
