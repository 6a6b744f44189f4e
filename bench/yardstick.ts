// The yardstick of the GEMM benchmark (AssemblyScript, compiled by
// bench/gemm.mjs with the library's flags plus --enable simd): the library's
// own 4×8 micro-kernel, f32_gemm_4x8__simd from assembly/f32-gemm-4x8.ts,
// timed alone on L1-resident packed panels (A k-major, 4 floats per k; B
// k-major, 8 floats per k). Each call loads the C tile, runs kc rank-1 updates
// and stores it back, which is what it does inside the packed GEMM, so its
// throughput is the in-L1 ceiling for that tile.

import { f32_gemm_4x8__simd } from '../assembly/f32-gemm-4x8';

/** `reps` calls of the micro-kernel on the same panels (one JS→Wasm call per sample); C is 4×8, 32 bytes a row. */
export function f32_gemm_4x8_repeat(reps: i32, kc: i32, A: usize, B: usize, C: usize): void {
  for (let r = 0; r < reps; r++) f32_gemm_4x8__simd(kc, A, B, C, 32, true);
}
