// The scalar twin of f32_gemm: the reference for the SIMD kernels and the
// whole of the scalar build, in the order of f32-gemm-order.ts. k-ascending
// shapes use 1×4 register blocks over contiguous columns of op(B) when B is not
// transposed, plain dot products when it is; the dot route keeps four lane sums.

import { f32_gemm_dot_route } from './f32-gemm-order';

// @ts-ignore: decorator
@inline
function start(C: usize, accumulate: i32): f32 {
  return accumulate != 0 ? load<f32>(C) : 0;
}

export function f32_gemm__scalar(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  A: usize, B: usize, C: usize, accumulate: i32, scratch: usize,
): void {
  gemmScalar(transA, transB, M, N, K, A, B, C, accumulate, 0, M);
}

/** Rows [i0, i1) of f32_gemm__scalar's C (a thread's share), each summed as in the whole product. */
export function f32_gemm_rows__scalar(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  A: usize, B: usize, C: usize, accumulate: i32, i0: i32, i1: i32,
): void {
  gemmScalar(transA, transB, M, N, K, A, B, C, accumulate, i0, i1);
}

// @ts-ignore: decorator
@inline
function gemmScalar(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  A: usize, B: usize, C: usize, accumulate: i32, i0: i32, i1: i32,
): void {
  const rsA: usize = transA != 0 ? 4 : (<usize>K << 2);
  const csA: usize = transA != 0 ? (<usize>M << 2) : 4;
  const ldc: usize = <usize>N << 2;
  // op(B)(k, j) = B + k·rkB + j·cjB
  const rkB: usize = transB != 0 ? 4 : (<usize>N << 2);
  const cjB: usize = transB != 0 ? (<usize>K << 2) : 4;
  if (f32_gemm_dot_route(transA, N)) {
    const K4 = K & ~3;
    for (let i = i0; i < i1; i++) {
      const a0 = A + <usize>i * rsA;
      for (let j = 0; j < N; j++) {
        const b0 = B + <usize>j * cjB;
        let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
        let k = 0;
        for (; k < K4; k += 4) {
          const ak = a0 + (<usize>k << 2);
          const bk = b0 + <usize>k * rkB;
          s0 += load<f32>(ak) * load<f32>(bk);
          s1 += load<f32>(ak, 4) * load<f32>(bk + rkB);
          s2 += load<f32>(ak, 8) * load<f32>(bk + 2 * rkB);
          s3 += load<f32>(ak, 12) * load<f32>(bk + 3 * rkB);
        }
        let s = (s0 + s2) + (s1 + s3);
        for (; k < K; k++) s += load<f32>(a0 + (<usize>k << 2)) * load<f32>(b0 + <usize>k * rkB);
        const c = C + <usize>i * ldc + (<usize>j << 2);
        store<f32>(c, accumulate != 0 ? load<f32>(c) + s : s);
      }
    }
    return;
  }
  if (transB != 0) {
    for (let i = i0; i < i1; i++) {
      const a0 = A + <usize>i * rsA;
      for (let j = 0; j < N; j++) {
        const b0 = B + <usize>j * cjB;
        const c = C + <usize>i * ldc + (<usize>j << 2);
        let s = start(c, accumulate);
        let ak: usize = 0, bk: usize = 0;
        for (let k = 0; k < K; k++) {
          s += load<f32>(a0 + ak) * load<f32>(b0 + bk);
          ak += csA;
          bk += 4;
        }
        store<f32>(c, s);
      }
    }
    return;
  }
  for (let i = i0; i < i1; i++) {
    const a0 = A + <usize>i * rsA;
    const c0 = C + <usize>i * ldc;
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const c = c0 + (<usize>j << 2);
      let s0 = start(c, accumulate), s1 = start(c + 4, accumulate);
      let s2 = start(c + 8, accumulate), s3 = start(c + 12, accumulate);
      let bp = B + (<usize>j << 2);
      let ak: usize = 0;
      for (let k = 0; k < K; k++) {
        const a = load<f32>(a0 + ak);
        s0 += a * load<f32>(bp);
        s1 += a * load<f32>(bp, 4);
        s2 += a * load<f32>(bp, 8);
        s3 += a * load<f32>(bp, 12);
        bp += rkB;
        ak += csA;
      }
      store<f32>(c, s0);
      store<f32>(c, s1, 4);
      store<f32>(c, s2, 8);
      store<f32>(c, s3, 12);
    }
    for (; j < N; j++) {
      const c = c0 + (<usize>j << 2);
      let s = start(c, accumulate);
      let bp = B + (<usize>j << 2);
      let ak: usize = 0;
      for (let k = 0; k < K; k++) {
        s += load<f32>(a0 + ak) * load<f32>(bp);
        bp += rkB;
        ak += csA;
      }
      store<f32>(c, s);
    }
  }
}
