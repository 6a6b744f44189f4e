import { rowAccumulator } from './f32-gemm.js';
import { gemmNarrow, packedPanelWidth } from './f32-gemm-pack-b.js';
import type { JsMemory } from './memory.js';

/**
 * C[M×N] = A·B with B read through its packed copy Bp (f32_gemm_pack_b's
 * layout; B itself for the last K mod 4 rows of a narrow N's quads): every
 * output summed in float64 over k ascending and rounded once, the same bits
 * as f32_gemm(0, 0, …) on B. `scratch` is unused.
 */
export function f32_gemm_prepacked(
  mem: JsMemory, M: number, N: number, K: number, A: number, B: number, Bp: number, C: number, _scratch: number,
): void {
  if (M <= 0 || N <= 0) return;
  const f = mem.f32;
  const a0 = A >>> 2;
  const b0 = B >>> 2;
  const p0 = Bp >>> 2;
  const c0 = C >>> 2;
  const sum = rowAccumulator(N);
  if (gemmNarrow(N)) {
    const N4 = N & ~3;
    const K4 = K & ~3;
    for (let i = 0; i < M; i++) {
      sum.fill(0, 0, N);
      for (let k = 0; k < K; k++) {
        const a = f[a0 + i * K + k]!;
        for (let j = 0; j < N; j++) {
          const b = j >= N4 ? f[p0 + N4 * K4 + (j - N4) * K + k]!
            : k < K4 ? f[p0 + (j & ~3) * K4 + 4 * (k & ~3) + 4 * (j & 3) + (k & 3)]!
            : f[b0 + k * N + j]!;
          sum[j] += a * b;
        }
      }
      for (let j = 0; j < N; j++) f[c0 + i * N + j] = sum[j]!;
    }
    return;
  }
  const nr = packedPanelWidth(N);
  for (let i = 0; i < M; i++) {
    sum.fill(0, 0, N);
    for (let j = 0; j < N; j += nr) {
      const cols = Math.min(nr, N - j);
      let pb = p0 + j * K;
      for (let k = 0; k < K; k++) {
        const a = f[a0 + i * K + k]!;
        for (let c = 0; c < cols; c++) sum[j + c] += a * f[pb + c]!;
        pb += nr;
      }
    }
    for (let j = 0; j < N; j++) f[c0 + i * N + j] = sum[j]!;
  }
}
