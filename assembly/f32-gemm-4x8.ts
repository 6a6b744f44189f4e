// The 4×8 tile of the packed GEMM (f32-gemm-packed.ts): per k step four
// broadcasts of A and two loads of B feed eight multiply-adds into eight
// accumulators. Used where N is not a multiple of 16. The benchmark's
// yardstick (bench/yardstick.ts) times this same micro-kernel on L1-resident
// panels.

import { madd, min, transpose4 } from './simd-ops';

// The micro-kernel: C[4×8] = (fromC ? C : 0) + Ap[kc×4]ᵀ·Bp[kc×8], Ap and Bp k-major.
// @ts-ignore: decorator
@inline
export function f32_gemm_4x8__simd(kc: i32, Ap: usize, Bp: usize, C: usize, ldc: usize, fromC: bool): void {
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

// Packs rows [i0, i0+mc) × k [p0, p0+kc) of op(A) into 4-row panels:
// Ap[panel][k][r] = op(A)(i0 + 4·panel + r, p0 + k), missing rows zero.
export function f32_gemm_4x8_pack_a(transA: i32, M: i32, K: i32, A: usize, i0: i32, mc: i32, p0: i32, kc: i32, Ap: usize): void {
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
export function f32_gemm_4x8_pack_b(transB: i32, N: i32, K: i32, B: usize, p0: i32, kc: i32, j0: i32, nc: i32, Bp: usize): void {
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
