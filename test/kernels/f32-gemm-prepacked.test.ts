import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { beforeAll, describe, expect, it } from 'vitest';
import { instantiateKernels } from '../../src/backend/wasm/index.js';
import { BACKENDS, createBackend } from '../support/backends.js';
import { expectBitsEqual, KernelHeap } from '../support/kernel-heap.js';
import { gemmF64 } from '../support/kernel-reference.js';
import { values } from '../support/random-values.js';

// f32_gemm_pack_b, f32_gemm_pack_b_bytes, f32_gemm_prepacked and
// f32_gemm_prepacked__scalar (assembly/f32-gemm-pack-b.ts,
// f32-gemm-prepacked*.ts, f32-gemm-mv-1x24.ts; src/backend/js/f32-gemm-pack-b.ts,
// f32-gemm-prepacked.ts).
//
// The packed layout is checked float for float against the layout the ABI
// describes (src/backend/abi.ts), written out again below. The product over
// it must give the same bits as f32_gemm(0, 0, …) on the same backend (the
// SIMD kernels and their scalar twin agree bit for bit, the JS backend with
// itself), and lie within the float32 bound of float64. The sweep covers each
// tile and its remainders, sizes 1..2·tile+3:
// - the matrix-vector kernel for 1..8 rows: 1×16 tiles of a lone row (k
//   unrolled twice: odd and even K), 2×16 tiles of pairs, 1×8 and 2×8 for an
//   odd last 8-column panel, partial panels; N up to 51 (≥ 2·16 + 3);
// - more than 8 rows: the packed GEMM's 2×16 and 4×8 tiles over the prepacked panels;
// - narrow N: the dot kernel's 2×4, 4×2, 4×1 tiles over the prepacked quads;
// - tiny products (M·N·K ≤ 64): the scalar loops on B.
// Panels of 8 (N not a multiple of 16) and of 16 columns, and the cache
// blocks of the packed GEMM (K 256, N 1024), on each side of every boundary.

const narrow = (N: number): boolean => (N & 7) !== 0 && N < 24;

/** The packed layout as src/backend/abi.ts describes it (f32_gemm_pack_b). */
function packedLayout(N: number, K: number, B: Float32Array): Float32Array {
  const out: number[] = [];
  if (narrow(N)) {
    const N4 = N & ~3;
    const K4 = K & ~3;
    for (let j = 0; j < N4; j += 4) {
      for (let k = 0; k < K4; k += 4) {
        for (let c = 0; c < 4; c++) for (let q = 0; q < 4; q++) out.push(B[(k + q) * N + j + c]!);
      }
    }
    for (let j = N4; j < N; j++) for (let k = 0; k < K; k++) out.push(B[k * N + j]!);
  } else {
    const nr = N % 16 === 0 ? 16 : 8;
    for (let p = 0; p * nr < N; p++) {
      for (let k = 0; k < K; k++) for (let c = 0; c < nr; c++) out.push(p * nr + c < N ? B[k * N + p * nr + c]! : 0);
    }
  }
  return Float32Array.from(out);
}

const CANARY = 0x7fa5a5a5; // a NaN pattern no kernel produces

interface Product {
  C: Float32Array;
  /** f32_gemm(0, 0, …) on the same backend */
  plain: Float32Array;
  /** f32_gemm_prepacked__scalar on the same backend */
  twin: Float32Array;
  guard: boolean;
  untouched: boolean;
}

/** Packs B on `mem`, then C = A·B through f32_gemm_prepacked, its scalar twin and f32_gemm. */
function product(mem: KernelHeap, M: number, N: number, K: number, A: Float32Array, B: Float32Array): Product {
  mem.reset();
  const k = mem.k;
  const pA = mem.put(A);
  const pB = mem.put(B);
  const pBp = mem.alloc(k.f32_gemm_pack_b_bytes(N, K) / 4);
  k.f32_gemm_pack_b(N, K, pB, pBp);
  const packed = mem.readU32(pBp, k.f32_gemm_pack_b_bytes(N, K) / 4);
  const scratch = mem.alloc(k.f32_gemm_scratch_bytes(0, 0, M, N, K) / 4 + 4);
  const outs: Float32Array[] = [];
  let guard = true;
  for (const run of [
    (c: number) => k.f32_gemm_prepacked(M, N, K, pA, pB, pBp, c, scratch),
    (c: number) => k.f32_gemm(0, 0, M, N, K, pA, pB, c, 0, scratch),
    (c: number) => k.f32_gemm_prepacked__scalar(M, N, K, pA, pB, pBp, c, scratch),
  ]) {
    // C with canary words before and after it
    const pC = mem.alloc(M * N + 8);
    mem.u32().fill(CANARY, pC >>> 2, (pC >>> 2) + M * N + 8);
    run(pC + 16);
    outs.push(mem.readF32(pC + 16, M * N));
    guard &&= [...mem.readU32(pC, 4), ...mem.readU32(pC + 16 + M * N * 4, 4)].every((w) => w === CANARY);
  }
  const untouched =
    mem.readF32(pA, A.length).every((v, i) => Object.is(v, A[i])) &&
    mem.readF32(pB, B.length).every((v, i) => Object.is(v, B[i])) &&
    mem.readU32(pBp, packed.length).every((w, i) => w === packed[i]);
  return { C: outs[0]!, plain: outs[1]!, twin: outs[2]!, guard, untouched };
}

describe('f32_gemm_pack_b: the layout of src/backend/abi.ts, in every build', () => {
  it.each(BACKENDS.map((b) => b.name))('%s: every N 1..51 (narrow, 8- and 16-column panels), K from 1 to 67', (kind) => {
    const mem = new KernelHeap(createBackend(kind));
    for (let N = 1; N <= 51; N++) {
      for (const K of [1, 2, 3, 4, 5, 7, 8, 9, 17, 67]) {
        mem.reset();
        const B = values(K * N, N * 31 + K);
        const expected = packedLayout(N, K, B);
        const bytes = mem.k.f32_gemm_pack_b_bytes(N, K);
        expect(bytes, `bytes N=${N} K=${K}`).toBe(Math.ceil((expected.length * 4) / 16) * 16);
        const pB = mem.put(B);
        const pBp = mem.alloc(bytes / 4);
        mem.k.f32_gemm_pack_b(N, K, pB, pBp);
        expectBitsEqual(mem.readF32(pBp, expected.length), expected, `layout N=${N} K=${K}`);
        mem.expectCanaries(pBp, bytes / 4);
        expectBitsEqual(mem.readF32(pB, B.length), B, `B untouched N=${N} K=${K}`);
      }
    }
  });

  it.each(BACKENDS.map((b) => b.name))('%s: nothing to pack for K = 0 or N = 0', (kind) => {
    const k = createBackend(kind).kernels;
    expect([k.f32_gemm_pack_b_bytes(0, 5), k.f32_gemm_pack_b_bytes(5, 0), k.f32_gemm_pack_b_bytes(0, 0)]).toEqual([0, 0, 0]);
  });
});

describe('f32_gemm_prepacked: the bits of f32_gemm(0, 0, …) without packing, SIMD = scalar, float64 within the bound', () => {
  let simd: KernelHeap;
  let scalar: KernelHeap;
  let js: KernelHeap;
  beforeAll(() => {
    simd = new KernelHeap(createBackend('wasm-simd'));
    scalar = new KernelHeap(createBackend('wasm-scalar'));
    js = new KernelHeap(createBackend('js'));
  });

  function check(M: number, N: number, K: number): void {
    const what = `${M}×${N}×${K}`;
    const A = values(M * K, M * 131 + K);
    const B = values(K * N, N * 17 + K + 7);
    const { c, abs } = gemmF64(0, 0, M, N, K, A, B);
    const s = product(simd, M, N, K, A, B);
    const t = product(scalar, M, N, K, A, B);
    const j = product(js, M, N, K, A, B);
    for (const [name, r] of [['simd', s], ['scalar', t], ['js', j]] as const) {
      expect(r.guard, `${name} canaries ${what}`).toBe(true);
      expect(r.untouched, `${name} A, B and the packed B untouched ${what}`).toBe(true);
      expectBitsEqual(r.C, r.plain, `${name} prepacked vs f32_gemm ${what}`);
      expectBitsEqual(r.twin, r.plain, `${name} scalar twin vs f32_gemm ${what}`);
    }
    expectBitsEqual(s.C, t.C, `simd vs scalar build ${what}`);
    for (let i = 0; i < M * N; i++) {
      const tol = (K + 2) * 2 ** -23 * abs[i]! + 1e-30;
      if (!(Math.abs(s.C[i]! - c[i]!) <= tol) || !(Math.abs(j.C[i]! - c[i]!) <= 1e-6 * abs[i]! + 1e-30)) {
        expect.fail(`${what} [${i}]: simd ${s.C[i]}, js ${j.C[i]}, float64 ${c[i]}, bound ${tol}`);
      }
    }
  }

  it('every M 1..11, N 1..51 (1×16 and 2×16 tiles), K from 1 to 67', () => {
    let checked = 0;
    for (let M = 1; M <= 11; M++) {
      for (let N = 1; N <= 51; N++) {
        for (const K of [1, 3, 4, 5, 8, 9, 19, 67]) {
          check(M, N, K);
          checked++;
        }
      }
    }
    expect(checked).toBe(11 * 51 * 8);
  });

  it('M 1..19 across the matrix-vector kernel (≤ 8 rows) and the packed GEMM, every kind of N', () => {
    for (let M = 1; M <= 19; M++) {
      for (const N of [1, 3, 10, 16, 24, 25, 32, 40, 48, 56, 64, 72, 100]) {
        for (const K of [5, 67]) check(M, N, K);
      }
    }
  });

  it('sizes on each side of the cache blocks (K 256, M 128, N 1024) and the sizes of the benchmark networks', () => {
    for (const K of [255, 256, 257, 513, 784]) {
      for (const M of [1, 2, 7, 8, 9, 33]) for (const N of [10, 27, 32, 128]) check(M, N, K);
    }
    for (const M of [127, 128, 129]) check(M, 24, 5);
    for (const N of [1023, 1024, 1025, 1040]) for (const M of [1, 3, 9]) check(M, N, 3);
    check(129, 1025, 257);
    for (const [M, N, K] of [[1, 64, 30], [1, 32, 64], [1, 1, 32], [64, 64, 30], [1, 64, 64], [1, 10, 64], [1, 128, 784], [32, 128, 784], [32, 64, 128]]) check(M!, N!, K!);
  });

  it('K = 0 gives C = 0 on every build', () => {
    for (const mem of [simd, scalar, js]) {
      for (const [M, N] of [[1, 1], [2, 10], [9, 32], [3, 25]] as const) {
        const r = product(mem, M, N, 0, new Float32Array(0), new Float32Array(0));
        expect(Array.from(r.C)).toEqual(new Array<number>(M * N).fill(0));
        expect(r.guard).toBe(true);
      }
    }
  });

  it('the optional relaxed-SIMD build (FMA) matches float64 within the same bound', () => {
    const bytes = readFileSync(new URL('../../build/relaxed.wasm', import.meta.url));
    if (!WebAssembly.validate(bytes)) setFlagsFromString('--experimental-wasm-relaxed-simd');
    const relaxed = new KernelHeap(instantiateKernels(new WebAssembly.Module(bytes)));
    for (const M of [1, 2, 3, 8, 9, 13]) {
      for (const N of [1, 5, 10, 16, 19, 24, 27, 43, 48, 64]) {
        for (const K of [5, 31, 67, 257]) {
          const A = values(M * K, M * 131 + K);
          const B = values(K * N, N * 17 + K + 7);
          const { c, abs } = gemmF64(0, 0, M, N, K, A, B);
          const r = product(relaxed, M, N, K, A, B);
          expect(r.guard, `canaries ${M}×${N}×${K}`).toBe(true);
          for (let i = 0; i < M * N; i++) {
            const tol = (K + 2) * 2 ** -23 * abs[i]! + 1e-30;
            if (!(Math.abs(r.C[i]! - c[i]!) <= tol)) expect.fail(`relaxed ${M}×${N}×${K} [${i}]: ${r.C[i]}, float64 ${c[i]}, bound ${tol}`);
          }
        }
      }
    }
  });

  it('a packed B flush against the end of linear memory does not trap (the last group is read whole)', () => {
    for (const mem of [simd, scalar]) {
      for (const [M, N, K] of [[1, 25, 9], [2, 40, 7], [1, 10, 9], [9, 48, 5]] as const) {
        mem.reset();
        const k = mem.k;
        const end = mem.backend.memory.buffer.byteLength;
        const bytes = k.f32_gemm_pack_b_bytes(N, K);
        const pBp = end - bytes;
        const A = values(M * K, 1);
        const B = values(K * N, 2);
        const pA = mem.put(A);
        const pB = mem.put(B);
        const pC = mem.alloc(M * N);
        const scratch = mem.alloc(k.f32_gemm_scratch_bytes(0, 0, M, N, K) / 4);
        k.f32_gemm_pack_b(N, K, pB, pBp);
        k.f32_gemm_prepacked(M, N, K, pA, pB, pBp, pC, scratch);
        const { c } = gemmF64(0, 0, M, N, K, A, B);
        const out = mem.readF32(pC, M * N);
        for (let i = 0; i < M * N; i++) expect(Math.abs(out[i]! - c[i]!)).toBeLessThan(1e-5);
      }
    }
  });
});
