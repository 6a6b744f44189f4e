// f32 GEMM, 4×8 f32x4 register tiles over packed, cache-blocked panels
// (SIMD build only; the order of every sum is k ascending, see gemm.ts).
//
// Loops, outermost first (Goto/BLIS): NC columns of C; KC steps of k (op(B)'s
// KC×NC block packed once into 8-column panels, k-major); MC rows (op(A)'s
// MC×KC block packed into 4-row panels, k-major); then each 8-column B panel
// (8 KiB at KC = 256, stays in L1) against every 4-row A panel (the A block,
// 128 KiB, stays in L2). Packing makes every transpose form the same inner
// loop over sequential memory, and avoids the cache-set and TLB conflicts of
// walking a 4 KiB-strided column of a 1024-wide matrix.

const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 1024;
// bytes of the 4×8 edge tile at the end of the scratch
const TILE_BYTES: usize = 128;

// c + a·b. The relaxed-SIMD build (asconfig target "relaxed", not loaded by
// default) fuses it into f32x4.relaxed_madd: one rounding instead of two, and
// on hardware without FMA the runtime may still round twice, so that build
// agrees with the others only within the float32 error bound, not bit for bit.
// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// @ts-ignore: decorator
@inline
function min(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

export function f32_gemm_4x8_scratch_bytes(M: i32, N: i32, K: i32): usize {
  const kc = <usize>min(K, KC);
  const nc = <usize>((min(N, NC) + 7) & ~7);
  const mc = <usize>((min(M, MC) + 3) & ~3);
  return ((kc * nc + mc * kc) << 2) + TILE_BYTES;
}

// The micro-kernel: C[4×8] = (fromC ? C : 0) + Ap[kc×4]ᵀ·Bp[kc×8], Ap and Bp k-major.
// @ts-ignore: decorator
@inline
function ukernel(kc: i32, Ap: usize, Bp: usize, C: usize, ldc: usize, fromC: bool): void {
  let x00 = f32x4.splat(0), x01 = f32x4.splat(0);
  let x10 = f32x4.splat(0), x11 = f32x4.splat(0);
  let x20 = f32x4.splat(0), x21 = f32x4.splat(0);
  let x30 = f32x4.splat(0), x31 = f32x4.splat(0);
  if (fromC) {
    x00 = v128.load(C); x01 = v128.load(C, 16);
    x10 = v128.load(C + ldc); x11 = v128.load(C + ldc, 16);
    x20 = v128.load(C + 2 * ldc); x21 = v128.load(C + 2 * ldc, 16);
    x30 = v128.load(C + 3 * ldc); x31 = v128.load(C + 3 * ldc, 16);
  }
  let a = Ap;
  let b = Bp;
  const end = Ap + (<usize>kc << 4);
  while (a < end) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let s = v128.load32_splat(a);
    x00 = madd(s, b0, x00); x01 = madd(s, b1, x01);
    s = v128.load32_splat(a, 4);
    x10 = madd(s, b0, x10); x11 = madd(s, b1, x11);
    s = v128.load32_splat(a, 8);
    x20 = madd(s, b0, x20); x21 = madd(s, b1, x21);
    s = v128.load32_splat(a, 12);
    x30 = madd(s, b0, x30); x31 = madd(s, b1, x31);
    a += 16;
    b += 32;
  }
  v128.store(C, x00); v128.store(C, x01, 16);
  v128.store(C + ldc, x10); v128.store(C + ldc, x11, 16);
  v128.store(C + 2 * ldc, x20); v128.store(C + 2 * ldc, x21, 16);
  v128.store(C + 3 * ldc, x30); v128.store(C + 3 * ldc, x31, 16);
}

// 4×4 transpose: rows r0..r3 in, columns out through the four stores.
// @ts-ignore: decorator
@inline
export function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(dst + stride, f32x4.shuffle(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, f32x4.shuffle(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, f32x4.shuffle(t2, t3, 2, 3, 6, 7));
}

// Packs rows [i0, i0+mc) × k [p0, p0+kc) of op(A) into 4-row panels:
// Ap[panel][k][r] = op(A)(i0 + 4·panel + r, p0 + k), missing rows zero.
function packA(transA: i32, M: i32, K: i32, A: usize, i0: i32, mc: i32, p0: i32, kc: i32, Ap: usize): void {
  for (let ir = 0; ir < mc; ir += 4) {
    const rows = min(4, mc - ir);
    const dst = Ap + (<usize>ir * <usize>kc << 2);
    const i = i0 + ir;
    if (transA != 0) {
      // op(A)(i, k) = A[k][i]: four rows of op(A) are four consecutive floats
      const ld: usize = <usize>M << 2;
      let src = A + ((<usize>p0 * <usize>M + <usize>i) << 2);
      if (rows == 4) {
        for (let k = 0; k < kc; k++) {
          v128.store(dst + (<usize>k << 4), v128.load(src));
          src += ld;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const d = dst + (<usize>k << 4);
          for (let r = 0; r < 4; r++) store<f32>(d + (<usize>r << 2), r < rows ? load<f32>(src + (<usize>r << 2)) : 0);
          src += ld;
        }
      }
    } else {
      // op(A)(i, k) = A[i][k]: transpose 4×4 blocks of four rows
      const ld: usize = <usize>K << 2;
      const src = A + ((<usize>i * <usize>K + <usize>p0) << 2);
      let k = 0;
      if (rows == 4) {
        for (; k + 4 <= kc; k += 4) {
          const s = src + (<usize>k << 2);
          transpose4(v128.load(s), v128.load(s + ld), v128.load(s + 2 * ld), v128.load(s + 3 * ld), dst + (<usize>k << 4), 16);
        }
      }
      for (; k < kc; k++) {
        const d = dst + (<usize>k << 4);
        const s = src + (<usize>k << 2);
        for (let r = 0; r < 4; r++) store<f32>(d + (<usize>r << 2), r < rows ? load<f32>(s + <usize>r * ld) : 0);
      }
    }
  }
}

// Packs k [p0, p0+kc) × columns [j0, j0+nc) of op(B) into 8-column panels:
// Bp[panel][k][c] = op(B)(p0 + k, j0 + 8·panel + c), missing columns zero.
function packB(transB: i32, N: i32, K: i32, B: usize, p0: i32, kc: i32, j0: i32, nc: i32, Bp: usize): void {
  for (let jr = 0; jr < nc; jr += 8) {
    const cols = min(8, nc - jr);
    const dst = Bp + (<usize>jr * <usize>kc << 2);
    const j = j0 + jr;
    if (transB == 0) {
      // op(B)(k, j) = B[k][j]: eight columns are eight consecutive floats
      const ld: usize = <usize>N << 2;
      let src = B + ((<usize>p0 * <usize>N + <usize>j) << 2);
      if (cols == 8) {
        for (let k = 0; k < kc; k++) {
          const d = dst + (<usize>k << 5);
          v128.store(d, v128.load(src));
          v128.store(d, v128.load(src, 16), 16);
          src += ld;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          const d = dst + (<usize>k << 5);
          for (let c = 0; c < 8; c++) store<f32>(d + (<usize>c << 2), c < cols ? load<f32>(src + (<usize>c << 2)) : 0);
          src += ld;
        }
      }
    } else {
      // op(B)(k, j) = B[j][k]: transpose 4×4 blocks of eight rows of B
      const ld: usize = <usize>K << 2;
      const src = B + ((<usize>j * <usize>K + <usize>p0) << 2);
      let k = 0;
      if (cols == 8) {
        const src4 = src + 4 * ld;
        for (; k + 4 <= kc; k += 4) {
          const s = src + (<usize>k << 2);
          const s4 = src4 + (<usize>k << 2);
          const d = dst + (<usize>k << 5);
          transpose4(v128.load(s), v128.load(s + ld), v128.load(s + 2 * ld), v128.load(s + 3 * ld), d, 32);
          transpose4(v128.load(s4), v128.load(s4 + ld), v128.load(s4 + 2 * ld), v128.load(s4 + 3 * ld), d + 16, 32);
        }
      }
      for (; k < kc; k++) {
        const d = dst + (<usize>k << 5);
        const s = src + (<usize>k << 2);
        for (let c = 0; c < 8; c++) store<f32>(d + (<usize>c << 2), c < cols ? load<f32>(s + <usize>c * ld) : 0);
      }
    }
  }
}

export function f32_gemm_4x8__simd(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  A: usize, B: usize, C: usize, accumulate: i32, scratch: usize,
): void {
  const ldc: usize = <usize>N << 2;
  const kcMax = <usize>min(K, KC);
  const Bp = scratch;
  const Ap = Bp + ((kcMax * <usize>((min(N, NC) + 7) & ~7)) << 2);
  const T = Ap + ((kcMax * <usize>((min(M, MC) + 3) & ~3)) << 2);
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      // the first K block starts from C only when accumulating; later ones continue the partial sums in C
      const fromC = accumulate != 0 || pc > 0;
      packB(transB, N, K, B, pc, kc, jc, nc, Bp);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packA(transA, M, K, A, ic, mc, pc, kc, Ap);
        for (let jr = 0; jr < nc; jr += 8) {
          const cols = min(8, nc - jr);
          const bp = Bp + (<usize>jr * <usize>kc << 2);
          for (let ir = 0; ir < mc; ir += 4) {
            const rows = min(4, mc - ir);
            const ap = Ap + (<usize>ir * <usize>kc << 2);
            const c = C + <usize>(ic + ir) * ldc + (<usize>(jc + jr) << 2);
            if (rows == 4 && cols == 8) {
              ukernel(kc, ap, bp, c, ldc, fromC);
            } else {
              // edge tile: through a full 4×8 tile in scratch; only the valid part touches C
              for (let r = 0; r < 4; r++) {
                for (let q = 0; q < 8; q++) {
                  const o = <usize>r * ldc + (<usize>q << 2);
                  store<f32>(T + (<usize>(r * 8 + q) << 2), fromC && r < rows && q < cols ? load<f32>(c + o) : 0);
                }
              }
              ukernel(kc, ap, bp, T, 32, true);
              for (let r = 0; r < rows; r++) {
                for (let q = 0; q < cols; q++) store<f32>(c + <usize>r * ldc + (<usize>q << 2), load<f32>(T + (<usize>(r * 8 + q) << 2)));
              }
            }
          }
        }
      }
    }
  }
}
