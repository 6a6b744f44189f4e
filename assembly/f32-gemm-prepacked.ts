// f32 GEMM C = A·B over B packed once by f32_gemm_pack_b (a layer's W, kept
// packed by the mlp_* kernels): the forward pass without per-call packing.
// The same routes and summation orders as f32_gemm(0, 0, …) (f32-gemm.ts,
// f32-gemm-order.ts), so the same bits: tiny products take the scalar loops on
// B itself; narrow N the dot kernel over the packed quads; otherwise 1 to
// MV_MAX_ROWS rows the matrix-vector kernel (f32-gemm-mv-1x16.ts) and more
// rows the packed, cache-blocked kernel, both over the packed panels. The
// scalar build runs the scalar twin (f32-gemm-prepacked-scalar.ts).

import { f32_gemm_small } from './f32-gemm';
import { f32_gemm_dot_2x4_packed__simd } from './f32-gemm-dot-2x4';
import { MV_MAX_ROWS, f32_gemm_mv_1x16__simd } from './f32-gemm-mv-1x16';
import { f32_gemm_narrow } from './f32-gemm-order';
import { f32_gemm_packed_prepacked__simd } from './f32-gemm-packed';
import { f32_gemm_prepacked__scalar } from './f32-gemm-prepacked-scalar';
import { f32_gemm__scalar } from './f32-gemm-scalar';

export function f32_gemm_prepacked(M: i32, N: i32, K: i32, A: usize, B: usize, Bp: usize, C: usize, scratch: usize): void {
  if (ASC_FEATURE_SIMD) {
    if (M <= 0 || N <= 0 || K <= 0 || f32_gemm_small(M, N, K)) f32_gemm__scalar(0, 0, M, N, K, A, B, C, 0, scratch);
    else if (f32_gemm_narrow(N)) f32_gemm_dot_2x4_packed__simd(0, M, N, K, A, B, Bp, C, 0);
    else if (M <= MV_MAX_ROWS) f32_gemm_mv_1x16__simd(M, N, K, A, Bp, C);
    else f32_gemm_packed_prepacked__simd(M, N, K, A, Bp, C, scratch);
    return;
  }
  f32_gemm_prepacked__scalar(M, N, K, A, B, Bp, C, scratch);
}
