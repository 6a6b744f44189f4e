import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { beforeAll, describe, expect, it } from 'vitest';
import { instantiateKernels } from '../../src/backend/wasm/index.js';
import { BACKENDS, createBackend } from '../support/backends.js';
import { CANARY as CANARY_F32, expectBitsEqual, KernelHeap } from '../support/kernel-heap.js';
import { gemmF64 } from '../support/kernel-reference.js';
import { randomF32, uniform, values } from '../support/random-values.js';

// f32_gemm and f32_gemm__scalar (assembly/f32-gemm*.ts).
//
// The sweep: the SIMD kernels and their tiles, each swept over every remainder
// up to 2·tile + 3 in each dimension:
// - packed 2×16 (rows × columns of C) for N a multiple of 16;
// - packed 4×8 for the other N ≥ 24 or multiples of 8, and Aᵀ·Bᵀ;
// - dot 2×4 (then 4×2, 4×1 for the last N mod 4 columns) for narrow N (N mod 8 ≠ 0,
//   N < 24) with A not transposed, k in f32x4 steps;
// - M-vectorised 8×4 (then 8×2, 8×1 columns) for narrow N in Aᵀ·B;
// - tiny products (M·N·K ≤ 64) take the scalar loops in both builds.
// The packed kernel blocks K by 256, M by 128 and N by 1024: sizes on each side
// of every boundary are checked too.
const MAX_M = 2 * 4 + 3;
const MAX_N = 2 * 8 + 3;
const MAX_K = 2 * 8 + 3;
const MVEC_M = 2 * 8 + 3;
// K values; 31 and 67 push every M×N of the sweeps past the tiny-product cut-off
const KS = [0, 1, 2, 3, 4, 5, 7, 8, 9, 16, MAX_K, 31, 67];
const FORMS = [
  [0, 0],
  [1, 0],
  [0, 1],
  [1, 1],
] as const;

/** float64 reference of op(A)·op(B), with the per-element f32 error bound K·2^−23·Σ|a||b|. */
function reference(tA: number, tB: number, M: number, N: number, K: number, A: Float32Array, B: Float32Array) {
  const C = new Float64Array(M * N);
  const bound = new Float64Array(M * N);
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let mag = 0;
      for (let k = 0; k < K; k++) {
        const a = tA ? A[k * M + i]! : A[i * K + k]!;
        const b = tB ? B[j * K + k]! : B[k * N + j]!;
        s += a * b;
        mag += Math.abs(a * b);
      }
      C[i * N + j] = s;
      bound[i * N + j] = (K + 2) * 2 ** -23 * mag + 1e-30;
    }
  }
  return { C, bound };
}

const CANARY = 0x7fa5a5a5; // a NaN pattern no kernel produces

describe('f32 GEMM sweep: SIMD vs scalar vs JS vs float64', () => {
  let simd: KernelHeap;
  let scalar: KernelHeap;
  let js: KernelHeap;
  beforeAll(() => {
    simd = new KernelHeap(createBackend('wasm-simd'));
    scalar = new KernelHeap(createBackend('wasm-scalar'));
    js = new KernelHeap(createBackend('js'));
  });

  function run(mem: KernelHeap, fn: 'f32_gemm' | 'f32_gemm__scalar', tA: number, tB: number, M: number, N: number, K: number, A: Float32Array, B: Float32Array, C0: Float32Array | null) {
    mem.reset();
    const pA = mem.alloc(A.length + 4);
    const pB = mem.alloc(B.length + 4);
    // C with canary words before and after it
    const pC = mem.alloc(M * N + 8);
    const pS = mem.alloc(mem.k.f32_gemm_scratch_bytes(tA, tB, M, N, K) / 4 + 4);
    const u32 = mem.u32();
    u32.fill(CANARY, pC >>> 2, (pC >>> 2) + M * N + 8);
    mem.write(pA, A);
    mem.write(pB, B);
    const c = pC + 16;
    if (C0) mem.write(c, C0);
    mem.k[fn](tA, tB, M, N, K, pA, pB, c, C0 ? 1 : 0, pS);
    const out = mem.readF32(c, M * N);
    const guard = [...mem.readU32(pC, 4), ...mem.readU32(c + M * N * 4, 4)];
    return { out, guard };
  }

  /** One product on every build, checked bit for bit between the builds and against float64. */
  function check(tA: number, tB: number, M: number, N: number, K: number, accumulate: boolean): void {
    const A = values(M * K, M * 131 + K);
    const B = values(K * N, N * 17 + K + 7);
    const C0 = accumulate ? values(M * N, M + N) : null;
    const { C, bound } = reference(tA, tB, M, N, K, A, B);
    const a = run(simd, 'f32_gemm', tA, tB, M, N, K, A, B, C0);
    const s = run(scalar, 'f32_gemm', tA, tB, M, N, K, A, B, C0);
    const s2 = run(simd, 'f32_gemm__scalar', tA, tB, M, N, K, A, B, C0);
    const j = run(js, 'f32_gemm', tA, tB, M, N, K, A, B, C0);
    for (const r of [a, s, s2, j]) expect(r.guard.every((w) => w === CANARY), `canary ${M}×${N}×${K}`).toBe(true);
    // same summation order: the SIMD kernels and their scalar twin agree bit for bit
    expect(a.out, `simd vs scalar build ${tA}${tB} ${M}×${N}×${K}`).toEqual(s.out);
    expect(s2.out, `simd vs its scalar twin ${tA}${tB} ${M}×${N}×${K}`).toEqual(s.out);
    for (let i = 0; i < M * N; i++) {
      const e = C[i]! + (C0 ? C0[i]! : 0);
      // when accumulating, the k-ascending order starts the sum from C, so each of
      // its K + 1 roundings may also carry |C0|: the bound grows by (K+2)·2^−23·|C0|
      const tol = bound[i]! + (C0 ? (K + 2) * 2 ** -23 * Math.abs(C0[i]!) + 2 ** -23 * Math.abs(e) : 0) + 1e-7;
      if (Math.abs(a.out[i]! - e) > tol || Math.abs(j.out[i]! - e) > tol) {
        expect.fail(`${tA}${tB} ${M}×${N}×${K} [${i}]: simd ${a.out[i]}, js ${j.out[i]}, float64 ${e}, bound ${tol}`);
      }
    }
  }

  it.each(FORMS)('transA=%i transB=%i: every size 1..2·tile+3, accumulate off and on', (tA, tB) => {
    let checked = 0;
    for (let M = 1; M <= MAX_M; M++) {
      for (let N = 1; N <= MAX_N; N++) {
        for (const K of KS) {
          check(tA, tB, M, N, K, (M + N + K) % 3 === 0);
          checked++;
        }
      }
    }
    expect(checked).toBe(MAX_M * MAX_N * KS.length);
  });

  it('Aᵀ·B, narrow N (the 8×4 M-vectorised tiles): M 1..19, N 1..19', () => {
    for (let M = 1; M <= MVEC_M; M++) {
      for (let N = 1; N <= MAX_N; N++) {
        for (const K of [1, 5, 67]) check(1, 0, M, N, K, (M + N + K) % 3 === 0);
      }
    }
  });

  it.each(FORMS)('transA=%i transB=%i: wide N (packed 4×8 tiles, 2×16 at 32): M 1..11, N 24..43', (tA, tB) => {
    for (let M = 1; M <= MAX_M; M++) {
      for (let N = 24; N <= 24 + MAX_N; N++) {
        for (const K of [1, 5, 67]) check(tA, tB, M, N, K, (M + N + K) % 3 === 0);
      }
    }
  });

  it.each(FORMS)('transA=%i transB=%i: N a multiple of 16 (packed 2×16 tiles): M 1..7, N 16..64', (tA, tB) => {
    for (let M = 1; M <= 2 * 2 + 3; M++) {
      for (const N of [16, 32, 48, 64]) {
        for (const K of [1, 3, 4, 5, 9, 67]) check(tA, tB, M, N, K, (M + N + K) % 3 === 0);
      }
    }
  });

  it.each(FORMS)('transA=%i transB=%i: sizes on each side of every cache block (K 256, M 128, N 1024)', (tA, tB) => {
    for (const K of [255, 256, 257, 513]) {
      check(tA, tB, 5, 27, K, false);
      check(tA, tB, 9, 10, K, true);
      check(tA, tB, 3, 8, K, K % 2 === 1);
    }
    for (const K of [255, 256, 257]) check(tA, tB, 3, 32, K, K % 2 === 0);
    for (const M of [127, 128, 129, 130, 257]) {
      check(tA, tB, M, 24, 5, M % 2 === 1);
      check(tA, tB, M, 10, 3, M % 2 === 0);
      check(tA, tB, M, 16, 6, M % 2 === 0);
    }
    for (const N of [1023, 1024, 1025, 1040, 2049]) check(tA, tB, 5, N, 3, N % 2 === 1);
    check(tA, tB, 129, 1025, 257, true);
  });

  it('the optional relaxed-SIMD build (FMA) matches float64 within the same bound, every kernel and remainder', async () => {
    // Node 20 runs relaxed SIMD behind a V8 flag; later versions ship it
    const bytes = readFileSync(new URL('../../build/relaxed.wasm', import.meta.url));
    if (!WebAssembly.validate(bytes)) setFlagsFromString('--experimental-wasm-relaxed-simd');
    expect(WebAssembly.validate(bytes), 'this runtime validates build/relaxed.wasm').toBe(true);
    const relaxed = new KernelHeap(instantiateKernels(new WebAssembly.Module(bytes)));
    const cases: Array<[number, number, number, number, number]> = [];
    for (const [tA, tB] of FORMS) {
      for (let M = 1; M <= MVEC_M; M += 2) {
        for (const N of [1, 2, 3, 5, 8, 10, 13, 19, 24, 27, 43]) for (const K of [5, 31, 67]) cases.push([tA, tB, M, N, K]);
      }
      cases.push([tA, tB, 129, 27, 257], [tA, tB, 9, 1025, 3]);
    }
    for (const [tA, tB, M, N, K] of cases) {
      const accumulate = (M + N + K) % 3 === 0;
      const A = values(M * K, M * 131 + K);
      const B = values(K * N, N * 17 + K + 7);
      const C0 = accumulate ? values(M * N, M + N) : null;
      const { C, bound } = reference(tA, tB, M, N, K, A, B);
      const r = run(relaxed, 'f32_gemm', tA, tB, M, N, K, A, B, C0);
      expect(r.guard.every((w) => w === CANARY), `canary ${M}×${N}×${K}`).toBe(true);
      for (let i = 0; i < M * N; i++) {
        const e = C[i]! + (C0 ? C0[i]! : 0);
        const tol = bound[i]! + (C0 ? (K + 2) * 2 ** -23 * Math.abs(C0[i]!) + 2 ** -23 * Math.abs(e) : 0) + 1e-7;
        if (!(Math.abs(r.out[i]! - e) <= tol)) expect.fail(`relaxed ${tA}${tB} ${M}×${N}×${K} [${i}]: ${r.out[i]}, float64 ${e}, bound ${tol}`);
      }
    }
  });

  it('K = 0 gives zeros (or leaves C when accumulating)', () => {
    for (const mem of [simd, scalar, js]) {
      const C0 = values(6, 3);
      expect(Array.from(run(mem, 'f32_gemm', 0, 0, 2, 3, 0, new Float32Array(0), new Float32Array(0), null).out)).toEqual([0, 0, 0, 0, 0, 0]);
      expect(run(mem, 'f32_gemm', 0, 0, 2, 3, 0, new Float32Array(0), new Float32Array(0), C0).out).toEqual(C0);
    }
  });

  it('buffers flush against the end of linear memory do not trap', () => {
    for (const mem of [simd, scalar]) {
      mem.reset();
      const bytes = mem.backend.memory.buffer.byteLength;
      const M = 5, N = 11, K = 7;
      // B ends exactly at the last byte of memory; A and C just before it
      const pB = bytes - K * N * 4;
      const pA = pB - M * K * 4 - 4;
      const pC = pA - M * N * 4 - 4;
      const f32 = mem.f32();
      const A = values(M * K, 1);
      const B = values(K * N, 2);
      f32.set(A, pA >>> 2);
      f32.set(B, pB >>> 2);
      const pS = mem.alloc(mem.k.f32_gemm_scratch_bytes(0, 0, M, N, K) / 4 + 4);
      // NN and TN read B up to its end; the result is still right
      mem.k.f32_gemm(0, 0, M, N, K, pA, pB, pC, 0, pS);
      const { C } = reference(0, 0, M, N, K, A, B);
      const out = mem.readF32(pC, M * N);
      for (let i = 0; i < M * N; i++) expect(Math.abs(out[i]! - C[i]!)).toBeLessThan(1e-5);
    }
  });

  it('a large product matches float64 on every backend', () => {
    const M = 37, N = 70, K = 129;
    for (const [tA, tB] of FORMS) {
      const A = values(M * K, 5);
      const B = values(K * N, 6);
      const { C, bound } = reference(tA, tB, M, N, K, A, B);
      for (const mem of [simd, scalar, js]) {
        const { out } = run(mem, 'f32_gemm', tA, tB, M, N, K, A, B, null);
        for (let i = 0; i < M * N; i++) expect(Math.abs(out[i]! - C[i]!)).toBeLessThanOrEqual(bound[i]! + 1e-7);
      }
    }
  });
});

// The float64 reference suite, on every backend: small shapes exhaustively,
// canaries after C, inputs untouched.
describe.each(BACKENDS.map((b) => b.name))('f32_gemm on %s against float64', (kind) => {
  const heap = new KernelHeap(createBackend(kind));
  const rand = uniform(1);
  // |error| ≤ bound·Σ|a·b|: the JS backend sums in float64 and rounds once;
  // the Wasm kernels round every one of the K steps to float32 (see BACKENDS).
  const bound = (K: number): number => (kind === 'js' ? 1e-6 : (K + 2) * 2 ** -23);

  function check(tA: number, tB: number, M: number, N: number, K: number, accumulate: number): void {
    heap.reset();
    const a = randomF32(rand, M * K);
    const b = randomF32(rand, K * N);
    const c0 = randomF32(rand, M * N);
    const pa = heap.put(a);
    const pb = heap.put(b);
    const pc = heap.put(c0);
    const scratch = heap.alloc(heap.k.f32_gemm_scratch_bytes(tA, tB, M, N, K) / 4);
    heap.k.f32_gemm(tA, tB, M, N, K, pa, pb, pc, accumulate, scratch);
    const { c, abs } = gemmF64(tA, tB, M, N, K, a, b);
    const got = heap.read(pc, M * N);
    const what = `tA=${tA} tB=${tB} M=${M} N=${N} K=${K} acc=${accumulate}`;
    const bad: string[] = [];
    for (let i = 0; i < M * N; i++) {
      const e = c[i]! + (accumulate ? c0[i]! : 0);
      const scale = abs[i]! + (accumulate ? Math.abs(c0[i]!) : 0);
      if (!(Math.abs(got[i]! - e) <= bound(K) * scale + 1e-30)) bad.push(`[${i}] ${got[i]} vs ${e}`);
    }
    expect(bad, what).toEqual([]);
    heap.expectCanaries(pc, M * N);
    expectBitsEqual(heap.read(pa, M * K), a, `${what}: A untouched`);
    expectBitsEqual(heap.read(pb, K * N), b, `${what}: B untouched`);
  }

  for (const tA of [0, 1]) {
    for (const tB of [0, 1]) {
      it(`transA=${tA} transB=${tB}: every M, N, K in 1..7, assigning and accumulating`, () => {
        for (let M = 1; M <= 7; M++) {
          for (let N = 1; N <= 7; N++) {
            for (let K = 1; K <= 7; K++) {
              check(tA, tB, M, N, K, 0);
              check(tA, tB, M, N, K, 1);
            }
          }
        }
      });

      it(`transA=${tA} transB=${tB}: larger sizes`, () => {
        for (const [M, N, K] of [[33, 64, 65], [64, 33, 17], [1, 64, 128], [65, 1, 33], [64, 64, 64]] as const) {
          check(tA, tB, M, N, K, 0);
          check(tA, tB, M, N, K, 1);
        }
      });
    }
  }

  it('K = 0 gives C = 0, or C unchanged when accumulating', () => {
    for (const tA of [0, 1]) {
      for (const tB of [0, 1]) {
        for (const [M, N] of [[1, 1], [3, 5], [7, 2]] as const) {
          heap.reset();
          const c0 = randomF32(rand, M * N);
          const pc = heap.put(c0);
          const pa = heap.put([CANARY_F32]);
          heap.k.f32_gemm(tA, tB, M, N, 0, pa, pa, pc, 0, 0);
          expect(heap.read(pc, M * N)).toEqual(new Array<number>(M * N).fill(0));
          heap.write(pc, c0);
          heap.k.f32_gemm(tA, tB, M, N, 0, pa, pa, pc, 1, 0);
          expectBitsEqual(heap.read(pc, M * N), c0);
          heap.expectCanaries(pc, M * N);
        }
      }
    }
  });

  it('f32_gemm__scalar gives the same bits', () => {
    heap.reset();
    const [M, N, K] = [9, 13, 11];
    const pa = heap.put(randomF32(rand, M * K));
    const pb = heap.put(randomF32(rand, K * N));
    const p1 = heap.alloc(M * N);
    const p2 = heap.alloc(M * N);
    for (const tA of [0, 1]) {
      for (const tB of [0, 1]) {
        const scratch = heap.alloc(heap.k.f32_gemm_scratch_bytes(tA, tB, M, N, K) / 4);
        heap.k.f32_gemm(tA, tB, M, N, K, pa, pb, p1, 0, scratch);
        heap.k.f32_gemm__scalar(tA, tB, M, N, K, pa, pb, p2, 0, scratch);
        expectBitsEqual(heap.read(p2, M * N), heap.read(p1, M * N));
      }
    }
  });
});
