// f32 GEMM for a few rows (1 to MV_MAX_ROWS: one-sample and small-batch
// inference) over B already packed in panels by f32_gemm_pack_b (SIMD build
// only; every sum k ascending, f32-gemm-order.ts). A is read where it lies, one
// broadcast per row and k, and nothing is packed per call: the weights stream
// once per pair of rows, where the packed GEMM's 2×16 or 4×8 tile would pack
// them first and then compute one useful row of two or four.
//
// A lone row runs 1×16 tiles with the k loop unrolled twice (the same order
// per output): the loop's bookkeeping (pointer steps, V8's interrupt check)
// costs as much as its arithmetic otherwise; measured 15% faster than 1×24
// tiles, which need three pointers. Pairs of rows run 2×16 tiles (eight
// accumulators, four B loads shared by both rows; unrolling them runs out of
// x64's sixteen xmm registers). The sixteen columns are one panel (N a
// multiple of 16: one pointer, immediate offsets) or two 8-column panels; an
// odd last 8-column panel takes 1×8 or 2×8 tiles, storing only the columns
// before N.

import { madd } from './simd-ops';

/** The most rows this kernel is used for; more go to the packed GEMM. */
export const MV_MAX_ROWS: i32 = 8;

// The first n lanes of v (all four when n ≥ 4, none when n ≤ 0) to p.
// @ts-ignore: decorator
@inline
function storeLanes(p: usize, v: v128, n: i32): void {
  if (n >= 4) {
    v128.store(p, v);
    return;
  }
  if (n > 0) store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

// One row a (K floats) against one 16-column panel at b (64 bytes per k),
// into c: the whole tile.
function row1x16(K: i32, a: usize, b: usize, c: usize): void {
  let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
  const end = a + (<usize>(K & ~1) << 2);
  while (a < end) {
    let v = v128.load32_splat(a);
    x0 = madd(v, v128.load(b), x0); x1 = madd(v, v128.load(b, 16), x1);
    x2 = madd(v, v128.load(b, 32), x2); x3 = madd(v, v128.load(b, 48), x3);
    v = v128.load32_splat(a, 4);
    x0 = madd(v, v128.load(b, 64), x0); x1 = madd(v, v128.load(b, 80), x1);
    x2 = madd(v, v128.load(b, 96), x2); x3 = madd(v, v128.load(b, 112), x3);
    a += 8;
    b += 128;
  }
  if (K & 1) {
    const v = v128.load32_splat(a);
    x0 = madd(v, v128.load(b), x0); x1 = madd(v, v128.load(b, 16), x1);
    x2 = madd(v, v128.load(b, 32), x2); x3 = madd(v, v128.load(b, 48), x3);
  }
  v128.store(c, x0); v128.store(c, x1, 16); v128.store(c, x2, 32); v128.store(c, x3, 48);
}

// One row against two 8-column panels at b0 and b1 (32 bytes per k each), n valid columns.
function row1x8x2(K: i32, a: usize, b0: usize, b1: usize, c: usize, n: i32): void {
  let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
  const end = a + (<usize>(K & ~1) << 2);
  while (a < end) {
    let v = v128.load32_splat(a);
    x0 = madd(v, v128.load(b0), x0); x1 = madd(v, v128.load(b0, 16), x1);
    x2 = madd(v, v128.load(b1), x2); x3 = madd(v, v128.load(b1, 16), x3);
    v = v128.load32_splat(a, 4);
    x0 = madd(v, v128.load(b0, 32), x0); x1 = madd(v, v128.load(b0, 48), x1);
    x2 = madd(v, v128.load(b1, 32), x2); x3 = madd(v, v128.load(b1, 48), x3);
    a += 8;
    b0 += 64;
    b1 += 64;
  }
  if (K & 1) {
    const v = v128.load32_splat(a);
    x0 = madd(v, v128.load(b0), x0); x1 = madd(v, v128.load(b0, 16), x1);
    x2 = madd(v, v128.load(b1), x2); x3 = madd(v, v128.load(b1, 16), x3);
  }
  storeLanes(c, x0, n);
  storeLanes(c + 16, x1, n - 4);
  storeLanes(c + 32, x2, n - 8);
  storeLanes(c + 48, x3, n - 12);
}

// One row against one 8-column panel, n valid columns.
function row1x8(K: i32, a: usize, b: usize, c: usize, n: i32): void {
  let x0 = f32x4.splat(0), x1 = f32x4.splat(0);
  const end = a + (<usize>K << 2);
  while (a < end) {
    const v = v128.load32_splat(a);
    x0 = madd(v, v128.load(b), x0); x1 = madd(v, v128.load(b, 16), x1);
    a += 4;
    b += 32;
  }
  storeLanes(c, x0, n);
  storeLanes(c + 16, x1, n - 4);
}

// Rows a and a + lda against one 16-column panel at b, into c and c + ldc.
function rows2x16(K: i32, a: usize, lda: usize, b: usize, c: usize, ldc: usize): void {
  let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
  let y0 = f32x4.splat(0), y1 = f32x4.splat(0), y2 = f32x4.splat(0), y3 = f32x4.splat(0);
  const end = a + (<usize>K << 2);
  while (a < end) {
    const w0 = v128.load(b), w1 = v128.load(b, 16), w2 = v128.load(b, 32), w3 = v128.load(b, 48);
    let v = v128.load32_splat(a);
    x0 = madd(v, w0, x0); x1 = madd(v, w1, x1); x2 = madd(v, w2, x2); x3 = madd(v, w3, x3);
    v = v128.load32_splat(a + lda);
    y0 = madd(v, w0, y0); y1 = madd(v, w1, y1); y2 = madd(v, w2, y2); y3 = madd(v, w3, y3);
    a += 4;
    b += 64;
  }
  v128.store(c, x0); v128.store(c, x1, 16); v128.store(c, x2, 32); v128.store(c, x3, 48);
  const d = c + ldc;
  v128.store(d, y0); v128.store(d, y1, 16); v128.store(d, y2, 32); v128.store(d, y3, 48);
}

// Rows a and a + lda against two 8-column panels at b0 and b1, n valid columns.
function rows2x8x2(K: i32, a: usize, lda: usize, b0: usize, b1: usize, c: usize, ldc: usize, n: i32): void {
  let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
  let y0 = f32x4.splat(0), y1 = f32x4.splat(0), y2 = f32x4.splat(0), y3 = f32x4.splat(0);
  const end = a + (<usize>K << 2);
  while (a < end) {
    const w0 = v128.load(b0), w1 = v128.load(b0, 16), w2 = v128.load(b1), w3 = v128.load(b1, 16);
    let v = v128.load32_splat(a);
    x0 = madd(v, w0, x0); x1 = madd(v, w1, x1); x2 = madd(v, w2, x2); x3 = madd(v, w3, x3);
    v = v128.load32_splat(a + lda);
    y0 = madd(v, w0, y0); y1 = madd(v, w1, y1); y2 = madd(v, w2, y2); y3 = madd(v, w3, y3);
    a += 4;
    b0 += 32;
    b1 += 32;
  }
  storeLanes(c, x0, n);
  storeLanes(c + 16, x1, n - 4);
  storeLanes(c + 32, x2, n - 8);
  storeLanes(c + 48, x3, n - 12);
  const d = c + ldc;
  storeLanes(d, y0, n);
  storeLanes(d + 16, y1, n - 4);
  storeLanes(d + 32, y2, n - 8);
  storeLanes(d + 48, y3, n - 12);
}

// Rows a and a + lda against one 8-column panel, n valid columns.
function rows2x8(K: i32, a: usize, lda: usize, b: usize, c: usize, ldc: usize, n: i32): void {
  let x0 = f32x4.splat(0), x1 = f32x4.splat(0);
  let y0 = f32x4.splat(0), y1 = f32x4.splat(0);
  const end = a + (<usize>K << 2);
  while (a < end) {
    const w0 = v128.load(b), w1 = v128.load(b, 16);
    let v = v128.load32_splat(a);
    x0 = madd(v, w0, x0); x1 = madd(v, w1, x1);
    v = v128.load32_splat(a + lda);
    y0 = madd(v, w0, y0); y1 = madd(v, w1, y1);
    a += 4;
    b += 32;
  }
  storeLanes(c, x0, n);
  storeLanes(c + 16, x1, n - 4);
  storeLanes(c + ldc, y0, n);
  storeLanes(c + ldc + 16, y1, n - 4);
}

// Every row over 16-column panels (N a multiple of 16, every store whole).
function panels16(M: i32, N: i32, K: i32, A: usize, Bp: usize, C: usize): void {
  const lda: usize = <usize>K << 2;
  const ldc: usize = <usize>N << 2;
  const panel: usize = <usize>K << 6;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a = A + <usize>i * lda;
    const c = C + <usize>i * ldc;
    for (let j = 0; j < N; j += 16) {
      rows2x16(K, a, lda, Bp + <usize>(j >> 4) * panel, c + (<usize>j << 2), ldc);
    }
  }
  if (i < M) {
    const a = A + <usize>i * lda;
    const c = C + <usize>i * ldc;
    for (let j = 0; j < N; j += 16) {
      row1x16(K, a, Bp + <usize>(j >> 4) * panel, c + (<usize>j << 2));
    }
  }
}

// Every row over 8-column panels, in pairs of panels, then an odd last one.
function panels8(M: i32, N: i32, K: i32, A: usize, Bp: usize, C: usize): void {
  const lda: usize = <usize>K << 2;
  const ldc: usize = <usize>N << 2;
  const panel: usize = <usize>K << 5;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a = A + <usize>i * lda;
    const c = C + <usize>i * ldc;
    let j = 0;
    for (; j + 8 < N; j += 16) {
      const b = Bp + <usize>(j >> 3) * panel;
      rows2x8x2(K, a, lda, b, b + panel, c + (<usize>j << 2), ldc, N - j);
    }
    if (j < N) rows2x8(K, a, lda, Bp + <usize>(j >> 3) * panel, c + (<usize>j << 2), ldc, N - j);
  }
  if (i < M) {
    const a = A + <usize>i * lda;
    const c = C + <usize>i * ldc;
    let j = 0;
    for (; j + 8 < N; j += 16) {
      const b = Bp + <usize>(j >> 3) * panel;
      row1x8x2(K, a, b, b + panel, c + (<usize>j << 2), N - j);
    }
    if (j < N) row1x8(K, a, Bp + <usize>(j >> 3) * panel, c + (<usize>j << 2), N - j);
  }
}

/** C[M×N] = A[M×K]·B, B packed by f32_gemm_pack_b (N not narrow), 1 ≤ M ≤ MV_MAX_ROWS, K ≥ 1. */
export function f32_gemm_mv_1x16__simd(M: i32, N: i32, K: i32, A: usize, Bp: usize, C: usize): void {
  if ((N & 15) == 0) panels16(M, N, K, A, Bp, C);
  else panels8(M, N, K, A, Bp, C);
}
