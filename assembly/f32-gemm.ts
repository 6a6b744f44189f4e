// f32 GEMM, row-major, contiguous: C[M×N] (=|+=) op(A)[M×K] · op(B)[K×N], in
// the summation order of f32-gemm-order.ts whichever kernel runs.
//
// The SIMD build dispatches to: the scalar twin for tiny products (call and
// packing overheads dominate there); for narrow N the dot kernel when A is not
// transposed (f32-gemm-dot-2x4.ts), the M-vectorised kernel for Aᵀ·B
// (f32-gemm-mvec-8x4.ts); otherwise the packed, cache-blocked kernel with 2×16
// or 4×8 register tiles (f32-gemm-packed.ts). The scalar build runs the scalar
// twin (f32-gemm-scalar.ts) for every shape.

import { f32_gemm_dot_2x4__simd, f32_gemm_dot_2x4_scratch_bytes } from './f32-gemm-dot-2x4';
import { f32_gemm_mvec_8x4__simd } from './f32-gemm-mvec-8x4';
import { f32_gemm_narrow } from './f32-gemm-order';
import { f32_gemm_packed_scratch_bytes, f32_gemm_packed__simd } from './f32-gemm-packed';
import { f32_gemm__scalar } from './f32-gemm-scalar';

// Below this many multiply-adds the scalar loops win (no packing, no tiles).
const SMALL_MACS: i32 = 64;

/** Products small enough for the scalar loops in the SIMD build too (f32_gemm_prepacked routes them alike). */
// @ts-ignore: decorator
@inline
export function f32_gemm_small(M: i32, N: i32, K: i32): bool {
  return <i64>M * <i64>N * <i64>K <= <i64>SMALL_MACS;
}

// Bytes of scratch the SIMD build needs for these sizes (the scalar build none).
export function f32_gemm_scratch_bytes(transA: i32, transB: i32, M: i32, N: i32, K: i32): usize {
  if (ASC_FEATURE_SIMD) {
    if (M <= 0 || N <= 0 || K <= 0 || f32_gemm_small(M, N, K)) return 0;
    if (f32_gemm_narrow(N)) {
      if (transA == 0) return f32_gemm_dot_2x4_scratch_bytes(transB, N, K);
      if (transB == 0) return 0;
    }
    return f32_gemm_packed_scratch_bytes(M, N, K);
  }
  return 0;
}

export function f32_gemm(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  A: usize, B: usize, C: usize, accumulate: i32, scratch: usize,
): void {
  if (ASC_FEATURE_SIMD) {
    if (M <= 0 || N <= 0 || K <= 0 || f32_gemm_small(M, N, K)) {
      f32_gemm__scalar(transA, transB, M, N, K, A, B, C, accumulate, scratch);
    } else if (f32_gemm_narrow(N) && transA == 0) {
      f32_gemm_dot_2x4__simd(transB, M, N, K, A, B, C, accumulate, scratch);
    } else if (f32_gemm_narrow(N) && transB == 0) {
      f32_gemm_mvec_8x4__simd(M, N, K, A, B, C, accumulate);
    } else {
      f32_gemm_packed__simd(transA, transB, M, N, K, A, B, C, accumulate, scratch);
    }
    return;
  }
  f32_gemm__scalar(transA, transB, M, N, K, A, B, C, accumulate, scratch);
}
