// The scalar twin of f32_gemm_prepacked: the whole of the scalar build's
// forward pass and the reference for the SIMD kernels, reading B through its
// packed copy (f32_gemm_pack_b's layout) in the order f32_gemm__scalar sums
// op(B) = B in (f32-gemm-order.ts): the dot order's four lane sums for narrow
// N, k ascending from 0 otherwise, with 1×4 blocks of a panel's adjacent columns.

import { f32_gemm_small } from './f32-gemm';
import { f32_gemm_narrow } from './f32-gemm-order';
import { packedPanelWidth } from './f32-gemm-pack-b';
import { f32_gemm__scalar } from './f32-gemm-scalar';

export function f32_gemm_prepacked__scalar(M: i32, N: i32, K: i32, A: usize, B: usize, Bp: usize, C: usize, scratch: usize): void {
  if (M <= 0 || N <= 0 || K <= 0 || f32_gemm_small(M, N, K)) {
    f32_gemm__scalar(0, 0, M, N, K, A, B, C, 0, scratch);
    return;
  }
  const lda: usize = <usize>K << 2;
  const ldc: usize = <usize>N << 2;
  if (f32_gemm_narrow(N)) {
    const N4 = N & ~3;
    const K4 = K & ~3;
    const ldb: usize = <usize>N << 2;
    for (let i = 0; i < M; i++) {
      const a0 = A + <usize>i * lda;
      for (let j = 0; j < N; j++) {
        // op(B)(k, j) for k < K4 at b + (k/4)·bq + (k mod 4)·4: a quad's lane,
        // or a row of Bᵀ after the quads; the last K mod 4 at t + k·tk
        let b: usize, bq: usize, t: usize, tk: usize;
        if (j < N4) {
          b = Bp + ((<usize>(j & ~3) * <usize>K4 + (<usize>(j & 3) << 2)) << 2);
          bq = 64;
          t = B + (<usize>j << 2);
          tk = ldb;
        } else {
          b = Bp + ((<usize>N4 * <usize>K4 + <usize>(j - N4) * <usize>K) << 2);
          bq = 16;
          t = b;
          tk = 4;
        }
        let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
        for (let k = 0; k < K4; k += 4) {
          const ak = a0 + (<usize>k << 2);
          s0 += load<f32>(ak) * load<f32>(b);
          s1 += load<f32>(ak, 4) * load<f32>(b, 4);
          s2 += load<f32>(ak, 8) * load<f32>(b, 8);
          s3 += load<f32>(ak, 12) * load<f32>(b, 12);
          b += bq;
        }
        let s = (s0 + s2) + (s1 + s3);
        for (let k = K4; k < K; k++) s += load<f32>(a0 + (<usize>k << 2)) * load<f32>(t + <usize>k * tk);
        store<f32>(C + <usize>i * ldc + (<usize>j << 2), s);
      }
    }
    return;
  }
  const nr = packedPanelWidth(N);
  const rk: usize = <usize>nr << 2;
  for (let i = 0; i < M; i++) {
    const a0 = A + <usize>i * lda;
    const c0 = C + <usize>i * ldc;
    for (let j = 0; j < N; j += 4) {
      // four adjacent columns of one panel (nr is a multiple of 4)
      const p = j / nr;
      let b = Bp + ((<usize>p * <usize>K * <usize>nr + <usize>(j - p * nr)) << 2);
      let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
      for (let k = 0; k < K; k++) {
        const a = load<f32>(a0 + (<usize>k << 2));
        s0 += a * load<f32>(b);
        s1 += a * load<f32>(b, 4);
        s2 += a * load<f32>(b, 8);
        s3 += a * load<f32>(b, 12);
        b += rk;
      }
      // the panel is zero-padded past column N − 1: the sums are computed, not stored
      const c = c0 + (<usize>j << 2);
      const n = N - j;
      store<f32>(c, s0);
      if (n > 1) store<f32>(c, s1, 4);
      if (n > 2) store<f32>(c, s2, 8);
      if (n > 3) store<f32>(c, s3, 12);
    }
  }
}
