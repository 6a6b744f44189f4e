// f32 GEMM for narrow outputs (f32_gemm_narrow: N not a multiple of 8 and
// below 24, e.g. a 10-class output layer) with A not transposed (the forward
// pass, input gradients), SIMD build only. Vectors run along k instead of
// along N, where padding would waste lanes: dot products of rows of A with
// columns of op(B) (packed so that k runs along the lanes), summed in the dot
// order of f32-gemm-order.ts. 2×4 tiles of C, whose row of four sums reduces
// into one f32x4 (one store); the last N mod 4 columns in 4×2 and 4×1 tiles.
// Packing and computing are apart: f32_gemm_prepacked (f32-gemm-prepacked.ts)
// keeps a layer's packed B (its f32_gemm_pack_b layout) and skips the packing.

import { madd, transpose4 } from './simd-ops';

// Scratch of the dot route: op(B)'s columns in groups of four, k-chunks of four
// interleaved (see packQuads), then, when B is not transposed, the last N mod 4
// columns as rows of Bᵀ (f32_gemm_dot_2x4_pack_b).
export function f32_gemm_dot_2x4_scratch_bytes(transB: i32, N: i32, K: i32): usize {
  const N4 = <usize>(N & ~3);
  let floats = N4 * <usize>(K & ~3);
  if (transB == 0) floats += <usize>(N & 3) * <usize>K;
  return ((floats << 2) + 15) & ~15;
}

// [Σa, Σb, Σc, Σd], each lane sum as (x0 + x2) + (x1 + x3).
// @ts-ignore: decorator
@inline
function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const u = f32x4.add(f32x4.shuffle(a, b, 0, 4, 1, 5), f32x4.shuffle(a, b, 2, 6, 3, 7));
  const w = f32x4.add(f32x4.shuffle(c, d, 0, 4, 1, 5), f32x4.shuffle(c, d, 2, 6, 3, 7));
  return f32x4.add(f32x4.shuffle(u, w, 0, 1, 4, 5), f32x4.shuffle(u, w, 2, 3, 6, 7));
}

// (x0 + x2) + (x1 + x3)
// @ts-ignore: decorator
@inline
function hsum1(x: v128): f32 {
  const w = f32x4.add(x, f32x4.shuffle(x, x, 2, 3, 0, 1));
  return f32x4.extract_lane(w, 0) + f32x4.extract_lane(w, 1);
}

// Adds the last K mod 4 products (k ascending; b(k) at b + k·bk) and stores,
// adding C when accumulating.
// @ts-ignore: decorator
@inline
function finish(s: f32, a: usize, b: usize, bk: usize, K4: i32, K: i32, c: usize, accumulate: i32): void {
  for (let k = K4; k < K; k++) s += load<f32>(a + (<usize>k << 2)) * load<f32>(b + <usize>k * bk);
  store<f32>(c, accumulate != 0 ? load<f32>(c) + s : s);
}

// Adds the last K mod 4 products of four outputs in a row (columns bj apart) and stores them.
// @ts-ignore: decorator
@inline
function finishRow4(s: v128, a: usize, b: usize, bj: usize, bk: usize, K4: i32, K: i32, c: usize, accumulate: i32): void {
  if (K4 == K) {
    v128.store(c, accumulate != 0 ? f32x4.add(v128.load(c), s) : s);
  } else {
    finish(f32x4.extract_lane(s, 0), a, b, bk, K4, K, c, accumulate);
    finish(f32x4.extract_lane(s, 1), a, b + bj, bk, K4, K, c + 4, accumulate);
    finish(f32x4.extract_lane(s, 2), a, b + 2 * bj, bk, K4, K, c + 8, accumulate);
    finish(f32x4.extract_lane(s, 3), a, b + 3 * bj, bk, K4, K, c + 12, accumulate);
  }
}

// Bq[j/4][k/4][c] = [op(B)(k, j+c), op(B)(k+1, j+c), op(B)(k+2, j+c), op(B)(k+3, j+c)]
// for j < N&~3, k < K&~3: the four B vectors one step of a 2×4 tile reads sit
// in 64 consecutive bytes, addressed by immediate offsets from one pointer.
function packQuads(transB: i32, N: i32, K: i32, B: usize, Bq: usize): void {
  const N4 = N & ~3;
  const K4 = K & ~3;
  if (transB == 0) {
    const ldb: usize = <usize>N << 2;
    for (let j = 0; j < N4; j += 4) {
      const dst = Bq + (<usize>j * <usize>K4 << 2);
      for (let k = 0; k < K4; k += 4) {
        const s = B + <usize>k * ldb + (<usize>j << 2);
        transpose4(v128.load(s), v128.load(s + ldb), v128.load(s + 2 * ldb), v128.load(s + 3 * ldb), dst + (<usize>k << 4), 16);
      }
    }
  } else {
    const ldb: usize = <usize>K << 2;
    for (let j = 0; j < N4; j += 4) {
      const dst = Bq + (<usize>j * <usize>K4 << 2);
      const s = B + <usize>j * ldb;
      for (let k = 0; k < K4; k += 4) {
        const o = <usize>k << 2;
        const d = dst + (<usize>k << 4);
        v128.store(d, v128.load(s + o));
        v128.store(d, v128.load(s + ldb + o), 16);
        v128.store(d, v128.load(s + 2 * ldb + o), 32);
        v128.store(d, v128.load(s + 3 * ldb + o), 48);
      }
    }
  }
}

// Packs op(B) for the dot route into Bq (f32_gemm_dot_2x4_scratch_bytes): the
// quads, then, when B is not transposed, the last N mod 4 columns as rows of Bᵀ.
export function f32_gemm_dot_2x4_pack_b(transB: i32, N: i32, K: i32, B: usize, Bq: usize): void {
  packQuads(transB, N, K, B, Bq);
  if (transB != 0) return;
  const N4 = N & ~3;
  const Bt = Bq + (<usize>N4 * <usize>(K & ~3) << 2);
  const ldb: usize = <usize>N << 2;
  for (let j = N4; j < N; j++) {
    const d = Bt + (<usize>(j - N4) * <usize>K << 2);
    for (let k = 0; k < K; k++) store<f32>(d + (<usize>k << 2), load<f32>(B + <usize>k * ldb + (<usize>j << 2)));
  }
}

export function f32_gemm_dot_2x4__simd(
  transB: i32, M: i32, N: i32, K: i32,
  A: usize, B: usize, C: usize, accumulate: i32, scratch: usize,
): void {
  f32_gemm_dot_2x4_pack_b(transB, N, K, B, scratch);
  f32_gemm_dot_2x4_packed__simd(transB, M, N, K, A, B, scratch, C, accumulate);
}

// The dot route over op(B) already packed into Bq by f32_gemm_dot_2x4_pack_b;
// B itself is read for the last K mod 4 rows of the first N&~3 columns (and,
// when transposed, for the last N mod 4 columns).
export function f32_gemm_dot_2x4_packed__simd(
  transB: i32, M: i32, N: i32, K: i32,
  A: usize, B: usize, Bq: usize, C: usize, accumulate: i32,
): void {
  const N4 = N & ~3;
  const K4 = K & ~3;
  const lda: usize = <usize>K << 2;
  const ldc: usize = <usize>N << 2;
  const end: usize = <usize>K4 << 2;
  // op(B)(k, j) at B + k·bk + j·bj, for the K mod 4 tails
  const bk: usize = transB != 0 ? 4 : <usize>N << 2;
  const bj: usize = transB != 0 ? <usize>K << 2 : 4;
  // 2×4 tiles: the four sums of a row of C reduce into one f32x4, stored whole
  let i = 0;
  for (; i + 2 <= M; i += 2) {
    const a0 = A + <usize>i * lda;
    const a1 = a0 + lda;
    const c0 = C + <usize>i * ldc;
    for (let j = 0; j < N4; j += 4) {
      let x00 = f32x4.splat(0), x01 = f32x4.splat(0), x02 = f32x4.splat(0), x03 = f32x4.splat(0);
      let x10 = f32x4.splat(0), x11 = f32x4.splat(0), x12 = f32x4.splat(0), x13 = f32x4.splat(0);
      let p = a0;
      let q = a1;
      let b = Bq + (<usize>j * <usize>K4 << 2);
      const stop = a0 + end;
      while (p < stop) {
        const u = v128.load(p);
        const v = v128.load(q);
        let w = v128.load(b);
        x00 = madd(u, w, x00); x10 = madd(v, w, x10);
        w = v128.load(b, 16);
        x01 = madd(u, w, x01); x11 = madd(v, w, x11);
        w = v128.load(b, 32);
        x02 = madd(u, w, x02); x12 = madd(v, w, x12);
        w = v128.load(b, 48);
        x03 = madd(u, w, x03); x13 = madd(v, w, x13);
        p += 16;
        q += 16;
        b += 64;
      }
      const c = c0 + (<usize>j << 2);
      const bc = B + <usize>j * bj;
      finishRow4(hsum4(x00, x01, x02, x03), a0, bc, bj, bk, K4, K, c, accumulate);
      finishRow4(hsum4(x10, x11, x12, x13), a1, bc, bj, bk, K4, K, c + ldc, accumulate);
    }
  }
  if (i < M) {
    const a0 = A + <usize>i * lda;
    const c0 = C + <usize>i * ldc;
    for (let j = 0; j < N4; j += 4) {
      let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
      let p = a0;
      let b = Bq + (<usize>j * <usize>K4 << 2);
      const stop = a0 + end;
      while (p < stop) {
        const u = v128.load(p);
        x0 = madd(u, v128.load(b), x0);
        x1 = madd(u, v128.load(b, 16), x1);
        x2 = madd(u, v128.load(b, 32), x2);
        x3 = madd(u, v128.load(b, 48), x3);
        p += 16;
        b += 64;
      }
      finishRow4(hsum4(x0, x1, x2, x3), a0, B + <usize>j * bj, bj, bk, K4, K, c0 + (<usize>j << 2), accumulate);
    }
  }
  if (N4 == N) return;
  // The last N mod 4 columns, as rows of Bᵀ (B itself when transposed, else
  // the copy after the quads): 4×2 tiles (four rows of one column reduce
  // together), then 4×1, then single rows.
  const Bt = transB != 0 ? B : Bq + (<usize>N4 * <usize>K4 << 2);
  const t0 = transB != 0 ? 0 : N4; // the column of Bt's first row
  i = 0;
  for (; i + 4 <= M; i += 4) {
    const a0 = A + <usize>i * lda;
    const a1 = a0 + lda, a2 = a1 + lda, a3 = a2 + lda;
    const c0 = C + <usize>i * ldc;
    let j = N4;
    for (; j + 2 <= N; j += 2) {
      const b0 = Bt + <usize>(j - t0) * lda;
      const b1 = b0 + lda;
      let x00 = f32x4.splat(0), x01 = f32x4.splat(0);
      let x10 = f32x4.splat(0), x11 = f32x4.splat(0);
      let x20 = f32x4.splat(0), x21 = f32x4.splat(0);
      let x30 = f32x4.splat(0), x31 = f32x4.splat(0);
      for (let o: usize = 0; o < end; o += 16) {
        const v0 = v128.load(b0 + o);
        const v1 = v128.load(b1 + o);
        let a = v128.load(a0 + o);
        x00 = madd(a, v0, x00); x01 = madd(a, v1, x01);
        a = v128.load(a1 + o);
        x10 = madd(a, v0, x10); x11 = madd(a, v1, x11);
        a = v128.load(a2 + o);
        x20 = madd(a, v0, x20); x21 = madd(a, v1, x21);
        a = v128.load(a3 + o);
        x30 = madd(a, v0, x30); x31 = madd(a, v1, x31);
      }
      const s0 = hsum4(x00, x10, x20, x30);
      const s1 = hsum4(x01, x11, x21, x31);
      const c = c0 + (<usize>j << 2);
      finish(f32x4.extract_lane(s0, 0), a0, b0, 4, K4, K, c, accumulate);
      finish(f32x4.extract_lane(s1, 0), a0, b1, 4, K4, K, c + 4, accumulate);
      finish(f32x4.extract_lane(s0, 1), a1, b0, 4, K4, K, c + ldc, accumulate);
      finish(f32x4.extract_lane(s1, 1), a1, b1, 4, K4, K, c + ldc + 4, accumulate);
      finish(f32x4.extract_lane(s0, 2), a2, b0, 4, K4, K, c + 2 * ldc, accumulate);
      finish(f32x4.extract_lane(s1, 2), a2, b1, 4, K4, K, c + 2 * ldc + 4, accumulate);
      finish(f32x4.extract_lane(s0, 3), a3, b0, 4, K4, K, c + 3 * ldc, accumulate);
      finish(f32x4.extract_lane(s1, 3), a3, b1, 4, K4, K, c + 3 * ldc + 4, accumulate);
    }
    if (j < N) {
      const b0 = Bt + <usize>(j - t0) * lda;
      let x0 = f32x4.splat(0), x1 = f32x4.splat(0), x2 = f32x4.splat(0), x3 = f32x4.splat(0);
      for (let o: usize = 0; o < end; o += 16) {
        const v0 = v128.load(b0 + o);
        x0 = madd(v128.load(a0 + o), v0, x0);
        x1 = madd(v128.load(a1 + o), v0, x1);
        x2 = madd(v128.load(a2 + o), v0, x2);
        x3 = madd(v128.load(a3 + o), v0, x3);
      }
      const s = hsum4(x0, x1, x2, x3);
      const c = c0 + (<usize>j << 2);
      finish(f32x4.extract_lane(s, 0), a0, b0, 4, K4, K, c, accumulate);
      finish(f32x4.extract_lane(s, 1), a1, b0, 4, K4, K, c + ldc, accumulate);
      finish(f32x4.extract_lane(s, 2), a2, b0, 4, K4, K, c + 2 * ldc, accumulate);
      finish(f32x4.extract_lane(s, 3), a3, b0, 4, K4, K, c + 3 * ldc, accumulate);
    }
  }
  for (; i < M; i++) {
    const a0 = A + <usize>i * lda;
    const c0 = C + <usize>i * ldc;
    for (let j = N4; j < N; j++) {
      const b0 = Bt + <usize>(j - t0) * lda;
      let x = f32x4.splat(0);
      for (let o: usize = 0; o < end; o += 16) x = madd(v128.load(a0 + o), v128.load(b0 + o), x);
      finish(hsum1(x), a0, b0, 4, K4, K, c0 + (<usize>j << 2), accumulate);
    }
  }
}
