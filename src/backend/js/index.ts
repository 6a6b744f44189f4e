import { PAGE_BYTES } from '../abi.js';
import type { KernelExports } from '../abi.js';
import type { Backend } from '../backend.js';
import { actBackward, actForward } from './activations.js';
import { biasAdd, biasGrad } from './bias.js';
import { gemm, gemmScratchBytes } from './gemm.js';
import { lossGrad } from './losses.js';
import { JsMemory, MAX_PAGES } from './memory.js';
import { adamUpdate, momentumUpdate, sgdUpdate } from './optimizers.js';
import { clipGradNorm, sumSquares } from './clip.js';
import { allFinite, computeGradients, forward, lossOnly, maxAbsFinite, trainStepFromTail } from './step.js';

export { JsMemory } from './memory.js';

/**
 * The JS backend has no static data; the heap starts past a small reserved
 * prefix so that pointer 0 stays free to mean "none" (as in loss_grad's dZ).
 */
export const JS_HEAP_BASE = 1024;

export interface JsBackendOptions {
  /** Initial memory size in 64 KiB pages (default 1). */
  initialPages?: number;
  /** Largest memory size in pages (default 65536, the wasm32 limit of 4 GiB). */
  maximumPages?: number;
}

/** The pure-JS backend: the ABI of src/backend/abi.ts with plain loops over a JsMemory. */
export function createJsBackend(options: JsBackendOptions = {}): Backend {
  const m = new JsMemory(options.initialPages ?? 1, options.maximumPages ?? MAX_PAGES);
  const kernels: KernelExports = {
    heap_base: () => JS_HEAP_BASE,
    gemm_scratch_bytes: gemmScratchBytes,
    gemm: (transA, transB, M, N, K, A, B, C, accumulate, scratch) =>
      gemm(m, transA, transB, M, N, K, A, B, C, accumulate, scratch),
    gemm__scalar: (transA, transB, M, N, K, A, B, C, accumulate, scratch) =>
      gemm(m, transA, transB, M, N, K, A, B, C, accumulate, scratch),
    bias_add: (rows, cols, Z, b) => biasAdd(m, rows, cols, Z, b),
    bias_grad: (rows, cols, dZ, db) => biasGrad(m, rows, cols, dZ, db),
    act_forward: (act, rows, cols, alpha, Z, A) => actForward(m, act, rows, cols, alpha, Z, A),
    act_backward: (act, rows, cols, alpha, Z, A, dA, dZ) => actBackward(m, act, rows, cols, alpha, Z, A, dA, dZ),
    loss_grad: (loss, act, rows, cols, alpha, Z, A, Y, dZ) => lossGrad(m, loss, act, rows, cols, alpha, Z, A, Y, dZ),
    sgd_update: (n, P, G, lr, wd) => sgdUpdate(m, n, P, G, lr, wd),
    momentum_update: (n, P, G, V, lr, mu, wd) => momentumUpdate(m, n, P, G, V, lr, mu, wd),
    adam_update: (n, P, G, M, V, lr, beta1, beta2, eps, t, wd) =>
      adamUpdate(m, n, P, G, M, V, lr, beta1, beta2, eps, t, wd),
    tanh64: Math.tanh,
    all_finite: (n, P) => (allFinite(m.f32, P, n) ? 1 : 0),
    max_abs_finite: (n, P) => maxAbsFinite(m.f32, P, n),
    sum_squares: (n, P) => sumSquares(m.f32, P, n),
    clip_grad_norm: (table, layers, maxNorm) => clipGradNorm(m, table, layers, maxNorm),
    forward: (table, layers, X, rows, scratch) => forward(m, table, layers, X, rows, scratch),
    compute_gradients: (table, layers, X, Y, rows, loss, scratch) =>
      computeGradients(m, table, layers, X, Y, rows, loss, scratch),
    train_step: (table, layers, X, Y, rows, loss, opt, scratch, undo) => trainStepFromTail(m, table, layers, X, Y, rows, loss, opt, scratch, undo),
    loss_only: (table, layers, X, Y, rows, loss, scratch) => lossOnly(m, table, layers, X, Y, rows, loss, scratch),
  };
  return { kind: 'js', kernels, memory: m, maxBytes: m.maximumPages * PAGE_BYTES };
}
