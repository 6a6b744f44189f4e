import { PAGE_BYTES } from '../abi.js';
import type { KernelExports } from '../abi.js';
import type { Backend } from '../backend.js';
import { f32_act_backward, f32_act_forward } from './f32-act.js';
import { f32_bias_add, f32_bias_grad } from './f32-bias.js';
import { f32_all_finite, f32_max_abs_finite } from './f32-finite.js';
import { f32_gemm, f32_gemm_scratch_bytes } from './f32-gemm.js';
import { f32_gemm_pack_b, f32_gemm_pack_b_bytes } from './f32-gemm-pack-b.js';
import { f32_gemm_prepacked } from './f32-gemm-prepacked.js';
import { f32_loss_grad } from './f32-loss.js';
import { f32_sum_squares } from './f32-sum-squares.js';
import { f32_adam_update, f32_momentum_update, f32_sgd_update } from './f32-update.js';
import { JsMemory, MAX_PAGES } from './memory.js';
import { mlp_clip_grad_norm } from './mlp-clip-grad-norm.js';
import { mlp_forward, mlp_loss } from './mlp-forward.js';
import { mlp_gradients } from './mlp-gradients.js';
import { mlp_train_step } from './mlp-train-step.js';

export { JsMemory } from './memory.js';

/**
 * The JS backend has no static data; the heap starts past a small reserved
 * prefix so that pointer 0 stays free to mean "none" (as in f32_loss_grad's dZ).
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
  // every kernel is the function of the same name, given the memory first (f32_gemm_scratch_bytes needs none)
  const kernels: KernelExports = {
    heap_base: () => JS_HEAP_BASE,
    f32_gemm_scratch_bytes,
    f32_gemm: (transA, transB, M, N, K, A, B, C, accumulate, scratch) =>
      f32_gemm(m, transA, transB, M, N, K, A, B, C, accumulate, scratch),
    // the JS GEMM is its own scalar twin
    f32_gemm__scalar: (transA, transB, M, N, K, A, B, C, accumulate, scratch) =>
      f32_gemm(m, transA, transB, M, N, K, A, B, C, accumulate, scratch),
    f32_gemm_pack_b_bytes,
    f32_gemm_pack_b: (N, K, B, Bp) => f32_gemm_pack_b(m, N, K, B, Bp),
    f32_gemm_prepacked: (M, N, K, A, B, Bp, C, scratch) => f32_gemm_prepacked(m, M, N, K, A, B, Bp, C, scratch),
    // the JS prepacked GEMM is its own scalar twin
    f32_gemm_prepacked__scalar: (M, N, K, A, B, Bp, C, scratch) => f32_gemm_prepacked(m, M, N, K, A, B, Bp, C, scratch),
    f32_bias_add: (rows, cols, Z, b) => f32_bias_add(m, rows, cols, Z, b),
    f32_bias_grad: (rows, cols, dZ, db) => f32_bias_grad(m, rows, cols, dZ, db),
    f32_act_forward: (act, rows, cols, alpha, Z, A) => f32_act_forward(m, act, rows, cols, alpha, Z, A),
    f32_act_backward: (act, rows, cols, alpha, Z, A, dA, dZ) => f32_act_backward(m, act, rows, cols, alpha, Z, A, dA, dZ),
    f32_loss_grad: (loss, act, rows, cols, alpha, Z, A, Y, dZ, classWeights) => f32_loss_grad(m, loss, act, rows, cols, alpha, Z, A, Y, dZ, classWeights),
    f32_sgd_update: (n, P, G, lr, wd) => f32_sgd_update(m, n, P, G, lr, wd),
    f32_momentum_update: (n, P, G, V, lr, mu, wd) => f32_momentum_update(m, n, P, G, V, lr, mu, wd),
    f32_adam_update: (n, P, G, M, V, lr, beta1, beta2, eps, t, wd) =>
      f32_adam_update(m, n, P, G, M, V, lr, beta1, beta2, eps, t, wd),
    f64_tanh: Math.tanh,
    f32_all_finite: (n, P) => f32_all_finite(m, n, P),
    f32_max_abs_finite: (n, P) => f32_max_abs_finite(m, n, P),
    f32_sum_squares: (n, P) => f32_sum_squares(m, n, P),
    mlp_clip_grad_norm: (table, layerCount, maxNorm) => mlp_clip_grad_norm(m, table, layerCount, maxNorm),
    mlp_forward: (table, layerCount, X, rows, scratch) => mlp_forward(m, table, layerCount, X, rows, scratch),
    mlp_loss: (table, layerCount, X, Y, rows, loss, scratch) => mlp_loss(m, table, layerCount, X, Y, rows, loss, scratch),
    mlp_gradients: (table, layerCount, X, Y, rows, loss, scratch) =>
      mlp_gradients(m, table, layerCount, X, Y, rows, loss, scratch),
    mlp_train_step: (table, layerCount, X, Y, rows, loss, opt, scratch, undo) =>
      mlp_train_step(m, table, layerCount, X, Y, rows, loss, opt, scratch, undo),
  };
  return { kind: 'js', kernels, memory: m, maxBytes: m.maximumPages * PAGE_BYTES };
}
