// Rows [k0, k1) of B (K×N, row-major: a layer's W, k an input) written into
// their places of f32_gemm_pack_b's layout of the whole B (src/backend/abi.ts),
// the same floats f32_gemm_pack_b writes there: a thread of the threads build
// packs the rows of W it has just updated, while they are in its cache. k0 is
// a multiple of 4 and k1 one too or K (narrow N keeps rows in quads).

import { f32_gemm_2x16_pack_b } from './f32-gemm-2x16';
import { f32_gemm_4x8_pack_b } from './f32-gemm-4x8';
import { f32_gemm_narrow } from './f32-gemm-order';
import { packedPanelWidth } from './f32-gemm-pack-b';
import { min } from './simd-ops';

export function f32_gemm_pack_b_rows(N: i32, K: i32, B: usize, Bp: usize, k0: i32, k1: i32): void {
  if (N <= 0 || k1 <= k0) return;
  const ldb: usize = <usize>N << 2;
  if (f32_gemm_narrow(N)) {
    // the quads of the first N&~3 columns: Bp[j·K4 + 4k + 4c + q] = B[k+q][j+c], k < K4
    const N4 = N & ~3;
    const K4 = K & ~3;
    const q1 = min(k1, K4);
    for (let j = 0; j < N4; j += 4) {
      for (let k = k0; k < q1; k += 4) {
        const d = Bp + (<usize>(j * K4 + 4 * k) << 2);
        for (let c = 0; c < 4; c++) {
          for (let q = 0; q < 4; q++) {
            store<f32>(d + (<usize>(4 * c + q) << 2), load<f32>(B + <usize>(k + q) * ldb + (<usize>(j + c) << 2)));
          }
        }
      }
    }
    // the last N mod 4 columns as rows of Bᵀ: Bp[N4·K4 + (j − N4)·K + k] = B[k][j]
    const tail = Bp + (<usize>N4 * <usize>K4 << 2);
    for (let j = N4; j < N; j++) {
      const d = tail + (<usize>(j - N4) * <usize>K << 2);
      for (let k = k0; k < k1; k++) store<f32>(d + (<usize>k << 2), load<f32>(B + <usize>k * ldb + (<usize>j << 2)));
    }
    return;
  }
  // panels of nr columns over the whole K: Bp[(p·K + k)·nr + c] = B[k][p·nr + c], 0 past column N − 1
  const nr = packedPanelWidth(N);
  for (let j = 0; j < N; j += nr) {
    const d = Bp + ((<usize>j * <usize>K + <usize>k0 * <usize>nr) << 2);
    if (ASC_FEATURE_SIMD) {
      // one panel (nc ≤ nr) of rows k0 … k1 − 1, packed as a block of kc = k1 − k0 rows: the same floats in the same places
      if (nr == 16) f32_gemm_2x16_pack_b(0, N, K, B, k0, k1 - k0, j, min(nr, N - j), d);
      else f32_gemm_4x8_pack_b(0, N, K, B, k0, k1 - k0, j, min(nr, N - j), d);
      continue;
    }
    for (let k = k0; k < k1; k++) {
      const src = B + <usize>k * ldb;
      const row = d + (<usize>((k - k0) * nr) << 2);
      for (let c = 0; c < nr; c++) store<f32>(row + (<usize>c << 2), j + c < N ? load<f32>(src + (<usize>(j + c) << 2)) : 0);
    }
  }
}
