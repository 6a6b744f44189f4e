// The Wasm module's export list: the kernel ABI declared in
// src/backend/abi.ts (KernelExports, and every code, offset and the version,
// generated into abi.ts). Pointers are byte offsets into the imported memory;
// the facade lays out every buffer; kernels never allocate.

export * from './abi';
export { f32_gemm, f32_gemm_scratch_bytes } from './f32-gemm';
export { f32_gemm__scalar } from './f32-gemm-scalar';
export { f32_gemm_pack_b, f32_gemm_pack_b_bytes } from './f32-gemm-pack-b';
export { f32_gemm_prepacked } from './f32-gemm-prepacked';
export { f32_gemm_prepacked__scalar } from './f32-gemm-prepacked-scalar';
export { f32_bias_add, f32_bias_grad } from './f32-bias';
export { f32_act_forward, f32_act_backward } from './f32-act';
export { f32_loss_grad } from './f32-loss';
export { f32_sgd_update, f32_momentum_update, f32_adam_update } from './f32-update';
export { f32_all_finite, f32_max_abs_finite } from './f32-finite';
export { f32_sum_squares } from './f32-sum-squares';
export { f64_tanh } from './f64-tanh';
export { mlp_clip_grad_norm } from './mlp-clip-grad-norm';
export { mlp_forward, mlp_loss } from './mlp-forward';
export { mlp_gradients } from './mlp-gradients';
export { mlp_train_step } from './mlp-train-step';

export function heap_base(): usize {
  return (__heap_base + 15) & ~15;
}

/** 1 in the SIMD build, 0 in the scalar one. */
export const SIMD: i32 = ASC_FEATURE_SIMD ? 1 : 0;
