// f32 GEMM over packed, cache-blocked panels (SIMD build only; the order of
// every sum is k ascending, see f32-gemm-order.ts), with an MR×NR register
// tile: 2×16 (f32-gemm-2x16.ts) where N is a multiple of 16, else 4×8
// (f32-gemm-4x8.ts).
//
// Loops, outermost first (Goto/BLIS): NC columns of C; KC steps of k (op(B)'s
// KC×NC block packed once into NR-column panels, k-major); MC rows (op(A)'s
// MC×KC block packed into MR-row panels, k-major); then each B panel (8 or
// 16 KiB at KC = 256, stays in L1) against every A panel (the A block,
// 128 KiB, stays in L2). Packing makes every transpose form the same inner
// loop over sequential memory, and avoids the cache-set and TLB conflicts of
// walking a 4 KiB-strided column of a 1024-wide matrix. f32_gemm_prepacked
// (f32-gemm-prepacked.ts) passes B already in panels of the whole K
// (f32_gemm_pack_b's layout), and the B packing step is skipped.

import { f32_gemm_2x16__simd, f32_gemm_2x16_pack_a, f32_gemm_2x16_pack_b } from './f32-gemm-2x16';
import { f32_gemm_4x8__simd, f32_gemm_4x8_pack_a, f32_gemm_4x8_pack_b } from './f32-gemm-4x8';
import { min } from './simd-ops';

const KC: i32 = 256;
const MC: i32 = 128;
const NC: i32 = 1024;
// bytes of one edge tile (4×8 or 2×16 floats) at the end of the scratch
const TILE_BYTES: usize = 128;

/** The 2×16 tile's shapes. */
// @ts-ignore: decorator
@inline
function wideTile(N: i32): bool {
  return (N & 15) == 0;
}

export function f32_gemm_packed_scratch_bytes(M: i32, N: i32, K: i32): usize {
  const wide = wideTile(N);
  const mr = wide ? 2 : 4, nr = wide ? 16 : 8;
  const kc = <usize>min(K, KC);
  const nc = <usize>((min(N, NC) + nr - 1) & -nr);
  const mc = <usize>((min(M, MC) + mr - 1) & -mr);
  return ((kc * nc + mc * kc) << 2) + TILE_BYTES;
}

export function f32_gemm_packed__simd(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  A: usize, B: usize, C: usize, accumulate: i32, scratch: usize,
): void {
  if (wideTile(N)) gemm2x16(transA, transB, M, N, K, A, B, C, accumulate, scratch, 0);
  else gemm4x8(transA, transB, M, N, K, A, B, C, accumulate, scratch, 0);
}

/**
 * Rows [i0, i1) of f32_gemm_packed__simd's C, the rest of C untouched: a
 * thread's share of a product whose op(A) rows are not contiguous (Aᵀ, the
 * weight gradient). Each element is summed as in the whole product.
 */
export function f32_gemm_packed_rows__simd(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  A: usize, B: usize, C: usize, accumulate: i32, scratch: usize, i0: i32, i1: i32,
): void {
  if (wideTile(N)) blocked(transA, transB, M, N, K, A, B, C, accumulate, scratch, true, 0, i0, i1);
  else blocked(transA, transB, M, N, K, A, B, C, accumulate, scratch, false, 0, i0, i1);
}

/** C = A·B over Bp, B packed whole by f32_gemm_pack_b (panels of 16 columns when N is a multiple of 16, else 8). */
export function f32_gemm_packed_prepacked__simd(M: i32, N: i32, K: i32, A: usize, Bp: usize, C: usize, scratch: usize): void {
  if (wideTile(N)) gemm2x16(0, 0, M, N, K, A, 0, C, 0, scratch, Bp);
  else gemm4x8(0, 0, M, N, K, A, 0, C, 0, scratch, Bp);
}

// One function per tile, so that each gets the blocked loops with its tile's
// constants folded in (f32_gemm_packed_rows__simd has copies of its own, only
// in the threads build, which alone calls it).
function gemm2x16(transA: i32, transB: i32, M: i32, N: i32, K: i32, A: usize, B: usize, C: usize, accumulate: i32, scratch: usize, Bpre: usize): void {
  blocked(transA, transB, M, N, K, A, B, C, accumulate, scratch, true, Bpre, 0, M);
}

function gemm4x8(transA: i32, transB: i32, M: i32, N: i32, K: i32, A: usize, B: usize, C: usize, accumulate: i32, scratch: usize, Bpre: usize): void {
  blocked(transA, transB, M, N, K, A, B, C, accumulate, scratch, false, Bpre, 0, M);
}

// Rows [i0, i1) of C (all of them: 0, M).
// @ts-ignore: decorator
@inline
function blocked(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  A: usize, B: usize, C: usize, accumulate: i32, scratch: usize, wide: bool, Bpre: usize, i0: i32, i1: i32,
): void {
  const mr = wide ? 2 : 4, nr = wide ? 16 : 8;
  const ldc: usize = <usize>N << 2;
  const kcMax = <usize>min(K, KC);
  const Bp = scratch;
  const Ap = Bp + ((kcMax * <usize>((min(N, NC) + nr - 1) & -nr)) << 2);
  const T = Ap + ((kcMax * <usize>((min(M, MC) + mr - 1) & -mr)) << 2);
  const ldt: usize = <usize>nr << 2;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      // the first K block starts from C only when accumulating; later ones continue the partial sums in C
      const fromC = accumulate != 0 || pc > 0;
      // Bpre: panels of the whole K, so block (pc, jc) of panel jr starts at
      // column jc + jr, row pc, with the same nr floats per k
      if (Bpre == 0) {
        if (wide) f32_gemm_2x16_pack_b(transB, N, K, B, pc, kc, jc, nc, Bp);
        else f32_gemm_4x8_pack_b(transB, N, K, B, pc, kc, jc, nc, Bp);
      }
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
        if (wide) f32_gemm_2x16_pack_a(transA, M, K, A, ic, mc, pc, kc, Ap);
        else f32_gemm_4x8_pack_a(transA, M, K, A, ic, mc, pc, kc, Ap);
        for (let jr = 0; jr < nc; jr += nr) {
          const cols = min(nr, nc - jr);
          const bp = Bpre != 0
            ? Bpre + ((<usize>(jc + jr) * <usize>K + <usize>pc * <usize>nr) << 2)
            : Bp + (<usize>jr * <usize>kc << 2);
          for (let ir = 0; ir < mc; ir += mr) {
            const rows = min(mr, mc - ir);
            const ap = Ap + (<usize>ir * <usize>kc << 2);
            const c = C + <usize>(ic + ir) * ldc + (<usize>(jc + jr) << 2);
            if (rows == mr && cols == nr) {
              if (wide) f32_gemm_2x16__simd(kc, ap, bp, c, ldc, fromC);
              else f32_gemm_4x8__simd(kc, ap, bp, c, ldc, fromC);
            } else {
              // edge tile: through a full tile in scratch; only the valid part touches C
              for (let r = 0; r < mr; r++) {
                for (let q = 0; q < nr; q++) {
                  const o = <usize>r * ldc + (<usize>q << 2);
                  store<f32>(T + (<usize>(r * nr + q) << 2), fromC && r < rows && q < cols ? load<f32>(c + o) : 0);
                }
              }
              if (wide) f32_gemm_2x16__simd(kc, ap, bp, T, ldt, true);
              else f32_gemm_4x8__simd(kc, ap, bp, T, ldt, true);
              for (let r = 0; r < rows; r++) {
                for (let q = 0; q < cols; q++) store<f32>(c + <usize>r * ldc + (<usize>q << 2), load<f32>(T + (<usize>(r * nr + q) << 2)));
              }
            }
          }
        }
      }
    }
  }
}
