import type { JsMemory } from './memory.js';

// Plain-loop f32 GEMM, the oracle for assembly/f32-gemm.ts. Every output element
// is summed in float64 over k ascending from 0, then added to C when
// accumulating, then rounded once to f32: the same order as the Wasm kernels,
// with less rounding on the way.

/**
 * A float64 row of partial sums, shared by every kernel that needs one (none
 * nests inside another); it grows, never shrinks, so steady state allocates nothing.
 */
let rowAcc = new Float64Array(256);

export function rowAccumulator(n: number): Float64Array {
  if (rowAcc.length < n) rowAcc = new Float64Array(Math.max(n, 2 * rowAcc.length));
  return rowAcc;
}

/** The JS GEMM needs no scratch in linear memory: its accumulator lives in JS. */
export function f32_gemm_scratch_bytes(_transA: number, _transB: number, _M: number, _N: number, _K: number): number {
  return 0;
}

/** C[M×N] (=|+=) op(A)·op(B); see KernelExports.f32_gemm. `scratch` is unused. */
export function f32_gemm(
  mem: JsMemory,
  transA: number, transB: number, M: number, N: number, K: number,
  A: number, B: number, C: number, accumulate: number, _scratch: number,
): void {
  const f = mem.f32;
  const a0 = A >>> 2;
  const b0 = B >>> 2;
  const c0 = C >>> 2;
  const acc = accumulate !== 0;
  if (transB === 0) {
    // op(B) rows are contiguous: i-k-j, streaming B and C row by row.
    // op(A)(i, k) sits at i*K + k (A) or k*M + i (Aᵀ).
    const rsA = transA === 0 ? K : 1;
    const csA = transA === 0 ? 1 : M;
    const sum = rowAccumulator(N);
    for (let i = 0; i < M; i++) {
      sum.fill(0, 0, N);
      let pa = a0 + i * rsA;
      let pb = b0;
      for (let k = 0; k < K; k++) {
        const a = f[pa];
        for (let j = 0; j < N; j++) sum[j] += a * f[pb + j];
        pa += csA;
        pb += N;
      }
      const pc = c0 + i * N;
      if (acc) {
        for (let j = 0; j < N; j++) f[pc + j] += sum[j];
      } else {
        for (let j = 0; j < N; j++) f[pc + j] = sum[j];
      }
    }
    return;
  }
  // op(B)(k, j) = B[j*K + k]: each output is a dot product with a contiguous row of B.
  const rsA = transA === 0 ? K : 1;
  const csA = transA === 0 ? 1 : M;
  for (let i = 0; i < M; i++) {
    const pa0 = a0 + i * rsA;
    const pc = c0 + i * N;
    for (let j = 0; j < N; j++) {
      const pb = b0 + j * K;
      let s = 0;
      let pa = pa0;
      for (let k = 0; k < K; k++) {
        s += f[pa] * f[pb + k];
        pa += csA;
      }
      if (acc) f[pc + j] += s;
      else f[pc + j] = s;
    }
  }
}
