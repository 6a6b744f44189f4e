// The Wasm ABI: this export list is the whole contract with the TypeScript
// facade (mirrored by src/backend/abi.ts). Pointers are byte offsets into the
// imported memory; the facade lays out every buffer; kernels never allocate.

export {
  ACT_LINEAR, ACT_RELU, ACT_LEAKY_RELU, ACT_SIGMOID, ACT_TANH, ACT_SOFTMAX,
  LOSS_MSE, LOSS_BCE, LOSS_CCE, OPT_SGD, OPT_MOMENTUM, OPT_ADAM, LAYER_BYTES,
} from './abi';
export { f32_gemm as gemm, f32_gemm__scalar as gemm__scalar, f32_gemm_scratch_bytes as gemm_scratch_bytes } from './gemm';
export { bias_add, bias_grad } from './bias';
export { act_forward, act_backward } from './activations';
export { loss_grad } from './losses';
export { sgd_update, momentum_update, adam_update } from './optimizers';
export { forward, compute_gradients, train_step, loss_only } from './step';
export { all_finite, max_abs_finite } from './finite';
export { sum_squares, clip_grad_norm } from './clip';
export { tanh64 } from './math64';

export function heap_base(): usize {
  return (__heap_base + 15) & ~15;
}

/** 1 in the SIMD build, 0 in the scalar one. */
export const SIMD: i32 = ASC_FEATURE_SIMD ? 1 : 0;
/** Bumped whenever an export's contract changes; the facade refuses a module built for another ABI. */
export const ABI_VERSION: i32 = 4;
