// The forward pass's packed weights: B (K×N, row-major, a layer's W) laid out
// once, in every build alike, the way the SIMD kernels read op(B) (layout in
// src/backend/abi.ts, f32_gemm_pack_b), so that f32_gemm_prepacked never packs
// per call. Narrow N: the dot route's quads and the last N mod 4 columns as
// rows of Bᵀ (f32-gemm-dot-2x4.ts); other N: the packed GEMM's panels
// (f32-gemm-2x16.ts, f32-gemm-4x8.ts), here of the whole K. The SIMD build
// packs with those kernels' own packing functions; the scalar build writes the
// same floats with plain loops (the tests compare the bytes).

import { f32_gemm_2x16_pack_b } from './f32-gemm-2x16';
import { f32_gemm_4x8_pack_b } from './f32-gemm-4x8';
import { f32_gemm_dot_2x4_pack_b } from './f32-gemm-dot-2x4';
import { f32_gemm_narrow } from './f32-gemm-order';

/** Panel width of the packed layout for N not narrow: 16 where N is a multiple of 16, else 8. */
// @ts-ignore: decorator
@inline
export function packedPanelWidth(N: i32): i32 {
  return (N & 15) == 0 ? 16 : 8;
}

export function f32_gemm_pack_b_bytes(N: i32, K: i32): usize {
  if (N <= 0 || K <= 0) return 0;
  let floats: usize;
  if (f32_gemm_narrow(N)) {
    floats = <usize>(N & ~3) * <usize>(K & ~3) + <usize>(N & 3) * <usize>K;
  } else {
    const nr = packedPanelWidth(N);
    floats = <usize>((N + nr - 1) & -nr) * <usize>K;
  }
  return ((floats << 2) + 15) & ~15;
}

export function f32_gemm_pack_b(N: i32, K: i32, B: usize, Bp: usize): void {
  if (N <= 0 || K <= 0) return;
  const narrow = f32_gemm_narrow(N);
  if (ASC_FEATURE_SIMD) {
    if (narrow) f32_gemm_dot_2x4_pack_b(0, N, K, B, Bp);
    else if (packedPanelWidth(N) == 16) f32_gemm_2x16_pack_b(0, N, K, B, 0, K, 0, N, Bp);
    else f32_gemm_4x8_pack_b(0, N, K, B, 0, K, 0, N, Bp);
    return;
  }
  const ldb: usize = <usize>N << 2;
  if (narrow) {
    const N4 = N & ~3;
    const K4 = K & ~3;
    let d = Bp;
    for (let j = 0; j < N4; j += 4) {
      for (let k = 0; k < K4; k += 4) {
        for (let c = 0; c < 4; c++) {
          for (let q = 0; q < 4; q++) {
            store<f32>(d, load<f32>(B + <usize>(k + q) * ldb + (<usize>(j + c) << 2)));
            d += 4;
          }
        }
      }
    }
    for (let j = N4; j < N; j++) {
      for (let k = 0; k < K; k++) {
        store<f32>(d, load<f32>(B + <usize>k * ldb + (<usize>j << 2)));
        d += 4;
      }
    }
    return;
  }
  const nr = packedPanelWidth(N);
  let d = Bp;
  for (let j = 0; j < N; j += nr) {
    for (let k = 0; k < K; k++) {
      const src = B + <usize>k * ldb;
      for (let c = 0; c < nr; c++) {
        store<f32>(d, j + c < N ? load<f32>(src + (<usize>(j + c) << 2)) : 0);
        d += 4;
      }
    }
  }
}
