import { LAYER_BYTES, Tail, type KernelExports } from '../../src/backend/abi.js';

/**
 * mlp_train_step with its hyperparameters as arguments and its value
 * returned, as tests read best: writes them into the table's tail, calls the
 * kernel, reads Tail.result. `buffer` gives the memory's current ArrayBuffer.
 */
export function trainStepWith(
  k: KernelExports, buffer: () => ArrayBufferLike,
  table: number, layerCount: number, X: number, Y: number, rows: number, loss: number,
  opt: number, lr: number, beta1: number, beta2: number, eps: number, clipNorm: number, t: number, scratch: number, undo: number,
): number {
  const tail = table + layerCount * LAYER_BYTES;
  const f64 = new Float64Array(buffer());
  f64[(tail + Tail.lr) >>> 3] = lr;
  f64[(tail + Tail.beta1) >>> 3] = beta1;
  f64[(tail + Tail.beta2) >>> 3] = beta2;
  f64[(tail + Tail.eps) >>> 3] = eps;
  f64[(tail + Tail.clipNorm) >>> 3] = clipNorm;
  f64[(tail + Tail.t) >>> 3] = t;
  k.mlp_train_step(table, layerCount, X, Y, rows, loss, opt, scratch, undo);
  return new Float64Array(buffer())[(tail + Tail.result) >>> 3]!;
}
