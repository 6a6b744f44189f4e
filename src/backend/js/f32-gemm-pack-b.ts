import type { JsMemory } from './memory.js';

// The forward pass's packed weights, as assembly/f32-gemm-pack-b.ts lays them
// out (layout in src/backend/abi.ts, f32_gemm_pack_b): the same floats in the
// same places, so the JS backend checks the layout the Wasm kernels read.

/** Narrow outputs (N mod 8 ≠ 0 and N < 24), as assembly/f32-gemm-order.ts has it. */
export function gemmNarrow(N: number): boolean {
  return (N & 7) !== 0 && N < 24;
}

/** Panel width of the packed layout for N not narrow. */
export function packedPanelWidth(N: number): number {
  return (N & 15) === 0 ? 16 : 8;
}

export function f32_gemm_pack_b_bytes(N: number, K: number): number {
  if (N <= 0 || K <= 0) return 0;
  let floats: number;
  if (gemmNarrow(N)) {
    floats = (N & ~3) * (K & ~3) + (N & 3) * K;
  } else {
    const nr = packedPanelWidth(N);
    floats = Math.ceil(N / nr) * nr * K;
  }
  return Math.ceil((floats * 4) / 16) * 16;
}

export function f32_gemm_pack_b(mem: JsMemory, N: number, K: number, B: number, Bp: number): void {
  if (N <= 0 || K <= 0) return;
  const f = mem.f32;
  const b0 = B >>> 2;
  let d = Bp >>> 2;
  if (gemmNarrow(N)) {
    const N4 = N & ~3;
    const K4 = K & ~3;
    for (let j = 0; j < N4; j += 4) {
      for (let k = 0; k < K4; k += 4) {
        for (let c = 0; c < 4; c++) {
          for (let q = 0; q < 4; q++) f[d++] = f[b0 + (k + q) * N + j + c]!;
        }
      }
    }
    for (let j = N4; j < N; j++) {
      for (let k = 0; k < K; k++) f[d++] = f[b0 + k * N + j]!;
    }
    return;
  }
  const nr = packedPanelWidth(N);
  for (let j = 0; j < N; j += nr) {
    for (let k = 0; k < K; k++) {
      const src = b0 + k * N;
      for (let c = 0; c < nr; c++) f[d++] = j + c < N ? f[src + j + c]! : 0;
    }
  }
}
