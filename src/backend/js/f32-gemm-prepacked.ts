import { gemmNarrow, packedPanelWidth } from './f32-gemm-pack-b.js';
import type { JsMemory } from './memory.js';

/**
 * C[M×N] = A·B with B read through its packed copy Bp (f32_gemm_pack_b's
 * layout; B itself for the last K mod 4 rows of a narrow N's quads): every
 * output summed in float64 over k ascending and rounded once, the same bits
 * as f32_gemm(0, 0, …) on B. Eight outputs at a time in locals (the packed
 * panels hold eight adjacent columns per k): faster than f32_gemm's row of
 * partial sums in memory. `scratch` is unused.
 */
export function f32_gemm_prepacked(
  mem: JsMemory, M: number, N: number, K: number, A: number, B: number, Bp: number, C: number, _scratch: number,
): void {
  if (M <= 0 || N <= 0) return;
  if (gemmNarrow(N)) {
    narrow(mem, M, N, K, A, B, Bp, C);
    return;
  }
  const f = mem.f32;
  const p0 = Bp >>> 2;
  const nr = packedPanelWidth(N);
  for (let i = 0; i < M; i++) {
    const a0 = (A >>> 2) + i * K;
    const c0 = (C >>> 2) + i * N;
    for (let j = 0; j < N; j += 8) {
      // columns j..j+7 of panel p (zero past N), nr floats per k
      const p = Math.floor(j / nr);
      let b = p0 + p * nr * K + (j - p * nr);
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
      for (let k = 0; k < K; k++) {
        const a = f[a0 + k]!;
        s0 += a * f[b]!;
        s1 += a * f[b + 1]!;
        s2 += a * f[b + 2]!;
        s3 += a * f[b + 3]!;
        s4 += a * f[b + 4]!;
        s5 += a * f[b + 5]!;
        s6 += a * f[b + 6]!;
        s7 += a * f[b + 7]!;
        b += nr;
      }
      const n = N - j;
      f[c0 + j] = s0;
      if (n > 1) f[c0 + j + 1] = s1;
      if (n > 2) f[c0 + j + 2] = s2;
      if (n > 3) f[c0 + j + 3] = s3;
      if (n > 4) f[c0 + j + 4] = s4;
      if (n > 5) f[c0 + j + 5] = s5;
      if (n > 6) f[c0 + j + 6] = s6;
      if (n > 7) f[c0 + j + 7] = s7;
    }
  }
}

/** Narrow N: quads for the first N&~3 columns (k < K&~3), rows of Bᵀ for the rest. */
function narrow(mem: JsMemory, M: number, N: number, K: number, A: number, B: number, Bp: number, C: number): void {
  const f = mem.f32;
  const p0 = Bp >>> 2;
  const N4 = N & ~3;
  const K4 = K & ~3;
  for (let i = 0; i < M; i++) {
    const a0 = (A >>> 2) + i * K;
    const c0 = (C >>> 2) + i * N;
    for (let j = 0; j < N; j++) {
      let s = 0;
      if (j < N4) {
        // op(B)(k..k+3, j): four consecutive floats of the quad of columns j&~3
        let q = p0 + (j & ~3) * K4 + 4 * (j & 3);
        for (let k = 0; k < K4; k += 4) {
          s += f[a0 + k]! * f[q]!;
          s += f[a0 + k + 1]! * f[q + 1]!;
          s += f[a0 + k + 2]! * f[q + 2]!;
          s += f[a0 + k + 3]! * f[q + 3]!;
          q += 16;
        }
        for (let k = K4; k < K; k++) s += f[a0 + k]! * f[(B >>> 2) + k * N + j]!;
      } else {
        const r = p0 + N4 * K4 + (j - N4) * K;
        for (let k = 0; k < K; k++) s += f[a0 + k]! * f[r + k]!;
      }
      f[c0 + j] = s;
    }
  }
}
