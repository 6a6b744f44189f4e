// f32 GEMM, row-major, contiguous: C[M×N] (=|+=) op(A)[M×K] · op(B)[K×N].
//
// Summation order. Which order an output element is summed in depends only on
// (transA, transB, M, N, K) through f32_gemm_dot_route, never on the build, so
// the SIMD kernels and the scalar twin below agree bit for bit:
// - the k-ascending order (every shape but the dot route): the element starts
//   from C when accumulating, else from 0, and adds a(i,k)·b(k,j) for k = 0, 1,
//   …, K−1, one f32 rounding per step. Blocking over K (gemm-packed.ts) keeps it:
//   the next K block starts from the partial sum stored in C.
// - the dot route (narrow outputs with A not transposed, gemm-narrow.ts): four
//   lane sums s_q = Σ a(i,k)·b(k,j) over k ≡ q (mod 4), k < K&~3, combined as
//   (s0 + s2) + (s1 + s3), then the last K mod 4 products in k order, then C
//   added when accumulating.
//
// The SIMD build dispatches to: the scalar twin for tiny products (call and
// packing overheads dominate there); for narrow N (gemm-narrow.ts) the dot
// kernel when A is not transposed, the M-vectorised kernel for Aᵀ·B;
// otherwise the packed, cache-blocked kernel with 2×16 or 4×8 register tiles
// (gemm-packed.ts).

import { f32_gemm_packed_scratch_bytes, f32_gemm_packed__simd } from './gemm-packed';
import { f32_gemm_dot_2x4__simd, f32_gemm_dot_scratch_bytes, f32_gemm_mvec_8x4__simd } from './gemm-narrow';

// Below this many multiply-adds the scalar loops win (no packing, no tiles).
const SMALL_MACS: i32 = 64;

/** Narrow outputs: N not a multiple of the 8-wide tile, and small, so padding would waste lanes. */
// @ts-ignore: decorator
@inline
export function f32_gemm_narrow(N: i32): bool {
  return (N & 7) != 0 && N < 24;
}

/** The shapes summed in the dot order (see above). */
// @ts-ignore: decorator
@inline
export function f32_gemm_dot_route(transA: i32, N: i32): bool {
  return transA == 0 && f32_gemm_narrow(N);
}

// @ts-ignore: decorator
@inline
function small(M: i32, N: i32, K: i32): bool {
  return <i64>M * <i64>N * <i64>K <= <i64>SMALL_MACS;
}

// Bytes of scratch the SIMD build needs for these sizes (the scalar build none).
export function f32_gemm_scratch_bytes(transA: i32, transB: i32, M: i32, N: i32, K: i32): usize {
  if (ASC_FEATURE_SIMD) {
    if (M <= 0 || N <= 0 || K <= 0 || small(M, N, K)) return 0;
    if (f32_gemm_narrow(N)) {
      if (transA == 0) return f32_gemm_dot_scratch_bytes(transB, N, K);
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
    if (M <= 0 || N <= 0 || K <= 0 || small(M, N, K)) {
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

// @ts-ignore: decorator
@inline
function start(C: usize, accumulate: i32): f32 {
  return accumulate != 0 ? load<f32>(C) : 0;
}

// The scalar twin: the reference for the SIMD kernels and the fallback build,
// in the order described at the top. k-ascending shapes use 1×4 register
// blocks over contiguous columns of op(B) when B is not transposed, plain
// dot products when it is; the dot route keeps four lane sums.
export function f32_gemm__scalar(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  A: usize, B: usize, C: usize, accumulate: i32, scratch: usize,
): void {
  const rsA: usize = transA != 0 ? 4 : (<usize>K << 2);
  const csA: usize = transA != 0 ? (<usize>M << 2) : 4;
  const ldc: usize = <usize>N << 2;
  // op(B)(k, j) = B + k·rkB + j·cjB
  const rkB: usize = transB != 0 ? 4 : (<usize>N << 2);
  const cjB: usize = transB != 0 ? (<usize>K << 2) : 4;
  if (f32_gemm_dot_route(transA, N)) {
    const K4 = K & ~3;
    for (let i = 0; i < M; i++) {
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
    for (let i = 0; i < M; i++) {
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
  for (let i = 0; i < M; i++) {
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
