// f32 GEMM for a few rows (1 to MV_MAX_ROWS: one-sample and small-batch
// inference) over B already packed in panels by f32_gemm_pack_b (SIMD build
// only; every sum k ascending, f32-gemm-order.ts). A is read where it lies, one
// broadcast per row and k, and nothing is packed per call: the weights stream
// once per pair of rows, where the packed GEMM's 2×16 or 4×8 tile would pack
// them and then compute one useful row of two or four.
//
// Columns go in groups of eight, each group contiguous per k inside its panel
// (a 16-column panel holds two groups), so one tile code serves both panel
// widths. A lone row runs 1×24 tiles (three groups, six accumulators): a
// 1×16 tile keeps only four add chains in flight, too few to hide the add
// latency, and a 1×32 tile needs more than x64's sixteen xmm registers once V8
// has issued the loop's loads. Pairs of rows run 2×16 tiles (eight
// accumulators, four B loads shared by the two rows). The last groups of a row
// go through 1×16 or 1×8 tiles, of a pair through 2×8; a group past column N
// stores only its valid lanes.

import { madd } from './simd-ops';

/** The most rows this kernel is used for; more go to the packed GEMM. */
export const MV_MAX_ROWS: i32 = 8;

// Where group g (columns 8g .. 8g+7) starts in panels of nr columns, K deep.
// @ts-ignore: decorator
@inline
function groupAt(Bp: usize, g: i32, K: i32, nr: i32): usize {
  const c = g << 3;
  const p = nr == 16 ? c >> 4 : c >> 3;
  return Bp + ((<usize>p * <usize>K * <usize>nr + <usize>(c - p * nr)) << 2);
}

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

// A group's eight sums, of which n (1..8) are columns of C.
// @ts-ignore: decorator
@inline
function storeGroup(p: usize, lo: v128, hi: v128, n: i32): void {
  storeLanes(p, lo, n);
  storeLanes(p + 16, hi, n - 4);
}

// One row a (K floats) against groups b0, b1, b2 (s bytes per k), into c: n valid columns.
function row1x24(K: i32, a: usize, b0: usize, b1: usize, b2: usize, s: usize, c: usize, n: i32): void {
  let x0 = f32x4.splat(0), x1 = f32x4.splat(0);
  let y0 = f32x4.splat(0), y1 = f32x4.splat(0);
  let z0 = f32x4.splat(0), z1 = f32x4.splat(0);
  const end = a + (<usize>K << 2);
  while (a < end) {
    const v = v128.load32_splat(a);
    x0 = madd(v, v128.load(b0), x0); x1 = madd(v, v128.load(b0, 16), x1);
    y0 = madd(v, v128.load(b1), y0); y1 = madd(v, v128.load(b1, 16), y1);
    z0 = madd(v, v128.load(b2), z0); z1 = madd(v, v128.load(b2, 16), z1);
    a += 4;
    b0 += s;
    b1 += s;
    b2 += s;
  }
  storeGroup(c, x0, x1, n);
  storeGroup(c + 32, y0, y1, n - 8);
  storeGroup(c + 64, z0, z1, n - 16);
}

function row1x16(K: i32, a: usize, b0: usize, b1: usize, s: usize, c: usize, n: i32): void {
  let x0 = f32x4.splat(0), x1 = f32x4.splat(0);
  let y0 = f32x4.splat(0), y1 = f32x4.splat(0);
  const end = a + (<usize>K << 2);
  while (a < end) {
    const v = v128.load32_splat(a);
    x0 = madd(v, v128.load(b0), x0); x1 = madd(v, v128.load(b0, 16), x1);
    y0 = madd(v, v128.load(b1), y0); y1 = madd(v, v128.load(b1, 16), y1);
    a += 4;
    b0 += s;
    b1 += s;
  }
  storeGroup(c, x0, x1, n);
  storeGroup(c + 32, y0, y1, n - 8);
}

function row1x8(K: i32, a: usize, b0: usize, s: usize, c: usize, n: i32): void {
  let x0 = f32x4.splat(0), x1 = f32x4.splat(0);
  const end = a + (<usize>K << 2);
  while (a < end) {
    const v = v128.load32_splat(a);
    x0 = madd(v, v128.load(b0), x0); x1 = madd(v, v128.load(b0, 16), x1);
    a += 4;
    b0 += s;
  }
  storeGroup(c, x0, x1, n);
}

// Rows a and a + lda against groups b0, b1, into c and c + ldc: n valid columns.
function rows2x16(K: i32, a: usize, lda: usize, b0: usize, b1: usize, s: usize, c: usize, ldc: usize, n: i32): void {
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
    b0 += s;
    b1 += s;
  }
  storeGroup(c, x0, x1, n);
  storeGroup(c + 32, x2, x3, n - 8);
  storeGroup(c + ldc, y0, y1, n);
  storeGroup(c + ldc + 32, y2, y3, n - 8);
}

function rows2x8(K: i32, a: usize, lda: usize, b0: usize, s: usize, c: usize, ldc: usize, n: i32): void {
  let x0 = f32x4.splat(0), x1 = f32x4.splat(0);
  let y0 = f32x4.splat(0), y1 = f32x4.splat(0);
  const end = a + (<usize>K << 2);
  while (a < end) {
    const w0 = v128.load(b0), w1 = v128.load(b0, 16);
    let v = v128.load32_splat(a);
    x0 = madd(v, w0, x0); x1 = madd(v, w1, x1);
    v = v128.load32_splat(a + lda);
    y0 = madd(v, w0, y0); y1 = madd(v, w1, y1);
    a += 4;
    b0 += s;
  }
  storeGroup(c, x0, x1, n);
  storeGroup(c + ldc, y0, y1, n);
}

/** C[M×N] = A[M×K]·B, B packed by f32_gemm_pack_b (N not narrow), 1 ≤ M ≤ MV_MAX_ROWS, K ≥ 1. */
export function f32_gemm_mv_1x24__simd(M: i32, N: i32, K: i32, A: usize, Bp: usize, C: usize): void {
  const nr = (N & 15) == 0 ? 16 : 8;
  const s: usize = <usize>nr << 2;
  const lda: usize = <usize>K << 2;
  const ldc: usize = <usize>N << 2;
  const groups = (N + 7) >> 3;
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a = A + <usize>i * lda;
    const c = C + <usize>i * ldc;
    let g = 0;
    for (; g + 2 <= groups; g += 2) {
      rows2x16(K, a, lda, groupAt(Bp, g, K, nr), groupAt(Bp, g + 1, K, nr), s, c + (<usize>g << 5), ldc, N - (g << 3));
    }
    if (g < groups) rows2x8(K, a, lda, groupAt(Bp, g, K, nr), s, c + (<usize>g << 5), ldc, N - (g << 3));
  }
  if (i < M) {
    const a = A + <usize>i * lda;
    const c = C + <usize>i * ldc;
    let g = 0;
    for (; g + 3 <= groups; g += 3) {
      row1x24(K, a, groupAt(Bp, g, K, nr), groupAt(Bp, g + 1, K, nr), groupAt(Bp, g + 2, K, nr), s, c + (<usize>g << 5), N - (g << 3));
    }
    if (g + 2 == groups) row1x16(K, a, groupAt(Bp, g, K, nr), groupAt(Bp, g + 1, K, nr), s, c + (<usize>g << 5), N - (g << 3));
    else if (g + 1 == groups) row1x8(K, a, groupAt(Bp, g, K, nr), s, c + (<usize>g << 5), N - (g << 3));
  }
}
