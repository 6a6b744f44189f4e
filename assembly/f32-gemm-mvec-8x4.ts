// f32 GEMM for narrow outputs (f32_gemm_narrow: N not a multiple of 8 and
// below 24) in the form Aᵀ·B (weight gradients), SIMD build only. Vectors run
// along M instead of along N, where padding would waste lanes: 8×4 tiles of C
// whose columns are two f32x4 each, summed k ascending (f32-gemm-order.ts) and
// stored through 4×4 transposes; the last N mod 4 columns in 8×2 and 8×1
// tiles, the last M mod 8 rows in scalar loops.

import { madd, transpose4 } from './simd-ops';

// [p[0], p[s], p[2s], p[3s]]
// @ts-ignore: decorator
@inline
function gather4(p: usize, s: usize): v128 {
  let v = f32x4.splat(load<f32>(p));
  v = f32x4.replace_lane(v, 1, load<f32>(p + s));
  v = f32x4.replace_lane(v, 2, load<f32>(p + 2 * s));
  return f32x4.replace_lane(v, 3, load<f32>(p + 3 * s));
}

// @ts-ignore: decorator
@inline
function scatter4(v: v128, p: usize, s: usize): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  store<f32>(p + s, f32x4.extract_lane(v, 1));
  store<f32>(p + 2 * s, f32x4.extract_lane(v, 2));
  store<f32>(p + 3 * s, f32x4.extract_lane(v, 3));
}

// C (=|+=) Aᵀ·B with A stored K×M, B stored K×N: op(A)(i, k) = A[k][i], so eight
// rows of C at one k are two f32x4 loads.
export function f32_gemm_mvec_8x4__simd(
  M: i32, N: i32, K: i32,
  A: usize, B: usize, C: usize, accumulate: i32,
): void {
  mvec(M, N, K, A, B, C, accumulate, 0, M);
}

/** Rows [i0, i1) of f32_gemm_mvec_8x4__simd's C (a thread's share), each summed as in the whole product. */
export function f32_gemm_mvec_8x4_rows__simd(
  M: i32, N: i32, K: i32,
  A: usize, B: usize, C: usize, accumulate: i32, i0: i32, i1: i32,
): void {
  mvec(M, N, K, A, B, C, accumulate, i0, i1);
}

// @ts-ignore: decorator
@inline
function mvec(
  M: i32, N: i32, K: i32,
  A: usize, B: usize, C: usize, accumulate: i32, i0: i32, i1: i32,
): void {
  const lda: usize = <usize>M << 2;
  const ldb: usize = <usize>N << 2;
  const ldc: usize = <usize>N << 2;
  const aEnd: usize = <usize>K * lda;
  let i = i0;
  for (; i + 8 <= i1; i += 8) {
    const a0 = A + (<usize>i << 2);
    const c0 = C + <usize>i * ldc;
    const c4 = c0 + 4 * ldc;
    let j = 0;
    for (; j + 4 <= N; j += 4) {
      const c = c0 + (<usize>j << 2);
      const d = c4 + (<usize>j << 2);
      let x00 = f32x4.splat(0), x01 = f32x4.splat(0);
      let x10 = f32x4.splat(0), x11 = f32x4.splat(0);
      let x20 = f32x4.splat(0), x21 = f32x4.splat(0);
      let x30 = f32x4.splat(0), x31 = f32x4.splat(0);
      if (accumulate != 0) {
        x00 = gather4(c, ldc); x01 = gather4(d, ldc);
        x10 = gather4(c + 4, ldc); x11 = gather4(d + 4, ldc);
        x20 = gather4(c + 8, ldc); x21 = gather4(d + 8, ldc);
        x30 = gather4(c + 12, ldc); x31 = gather4(d + 12, ldc);
      }
      let a = a0;
      let b = B + (<usize>j << 2);
      const end = a0 + aEnd;
      while (a < end) {
        const v0 = v128.load(a);
        const v1 = v128.load(a, 16);
        let s = v128.load32_splat(b);
        x00 = madd(v0, s, x00); x01 = madd(v1, s, x01);
        s = v128.load32_splat(b, 4);
        x10 = madd(v0, s, x10); x11 = madd(v1, s, x11);
        s = v128.load32_splat(b, 8);
        x20 = madd(v0, s, x20); x21 = madd(v1, s, x21);
        s = v128.load32_splat(b, 12);
        x30 = madd(v0, s, x30); x31 = madd(v1, s, x31);
        a += lda;
        b += ldb;
      }
      transpose4(x00, x10, x20, x30, c, ldc);
      transpose4(x01, x11, x21, x31, d, ldc);
    }
    for (; j + 2 <= N; j += 2) {
      const c = c0 + (<usize>j << 2);
      const d = c4 + (<usize>j << 2);
      let x00 = f32x4.splat(0), x01 = f32x4.splat(0);
      let x10 = f32x4.splat(0), x11 = f32x4.splat(0);
      if (accumulate != 0) {
        x00 = gather4(c, ldc); x01 = gather4(d, ldc);
        x10 = gather4(c + 4, ldc); x11 = gather4(d + 4, ldc);
      }
      let a = a0;
      let b = B + (<usize>j << 2);
      const end = a0 + aEnd;
      while (a < end) {
        const v0 = v128.load(a);
        const v1 = v128.load(a, 16);
        let s = v128.load32_splat(b);
        x00 = madd(v0, s, x00); x01 = madd(v1, s, x01);
        s = v128.load32_splat(b, 4);
        x10 = madd(v0, s, x10); x11 = madd(v1, s, x11);
        a += lda;
        b += ldb;
      }
      scatter4(x00, c, ldc); scatter4(x01, d, ldc);
      scatter4(x10, c + 4, ldc); scatter4(x11, d + 4, ldc);
    }
    for (; j < N; j++) {
      const c = c0 + (<usize>j << 2);
      const d = c4 + (<usize>j << 2);
      let x0 = f32x4.splat(0), x1 = f32x4.splat(0);
      if (accumulate != 0) {
        x0 = gather4(c, ldc); x1 = gather4(d, ldc);
      }
      let a = a0;
      let b = B + (<usize>j << 2);
      const end = a0 + aEnd;
      while (a < end) {
        const s = v128.load32_splat(b);
        x0 = madd(v128.load(a), s, x0);
        x1 = madd(v128.load(a, 16), s, x1);
        a += lda;
        b += ldb;
      }
      scatter4(x0, c, ldc); scatter4(x1, d, ldc);
    }
  }
  // the last (i1 − i0) mod 8 rows, k ascending
  for (; i < i1; i++) {
    const c0 = C + <usize>i * ldc;
    for (let j = 0; j < N; j++) {
      const c = c0 + (<usize>j << 2);
      let s: f32 = accumulate != 0 ? load<f32>(c) : 0;
      let a = A + (<usize>i << 2);
      let b = B + (<usize>j << 2);
      for (let k = 0; k < K; k++) {
        s += load<f32>(a) * load<f32>(b);
        a += lda;
        b += ldb;
      }
      store<f32>(c, s);
    }
  }
}
