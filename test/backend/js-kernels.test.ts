// The pure-JS kernels against naive float64 formulas written out here, and
// against central finite differences of those formulas: nothing below calls
// back into src/backend/js to compute an expected value.

import { describe, expect, it } from 'vitest';
import { Act, Field, LAYER_FIELDS, Loss, Opt, PAGE_BYTES, TAIL_FIELDS } from '../../src/backend/abi.js';
import type { KernelExports } from '../../src/backend/abi.js';
import type { Backend } from '../../src/backend/backend.js';
import { JsMemory, createJsBackend } from '../../src/backend/js/index.js';
import { trainStepWith } from '../support/train-step.js';

// ---------------------------------------------------------------- helpers

function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n f32-representable values uniform in [lo, hi), away from 0 by at least `gap`. */
function randomF32(rand: () => number, n: number, lo = -1, hi = 1, gap = 0): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const v = Math.fround(lo + (hi - lo) * rand());
    if (Math.abs(v) >= gap) out.push(v);
  }
  return out;
}

function sameNumber(a: number, e: number): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return false;
}

/** |a − e| ≤ atol + rtol·|e| elementwise; NaN matches only NaN, ±Inf only itself. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, atol: number, rtol: number, what = ''): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const ok = Number.isFinite(e) ? Number.isFinite(a) && Math.abs(a - e) <= atol + rtol * Math.abs(e) : sameNumber(a, e);
    if (!ok && bad.length < 5) bad.push(`[${i}] got ${a}, expected ${e}`);
  }
  expect(bad, what).toEqual([]);
}

function expectBitsEqual(actual: ArrayLike<number>, expected: ArrayLike<number>, what = ''): void {
  const a = new Uint32Array(new Float32Array(Array.from(actual)).buffer);
  const e = new Uint32Array(new Float32Array(Array.from(expected)).buffer);
  expect(Array.from(a), what).toEqual(Array.from(e));
}

const CANARY = -12345.5;

/** A bump allocator over a backend's memory; every buffer is followed by 16 bytes of canaries. */
class Heap {
  top: number;
  readonly base: number;
  constructor(readonly backend: Backend) {
    this.base = backend.kernels.heap_base();
    this.top = this.base;
  }
  get k(): KernelExports {
    return this.backend.kernels;
  }
  f32(): Float32Array {
    return new Float32Array(this.backend.memory.buffer);
  }
  i32(): Int32Array {
    return new Int32Array(this.backend.memory.buffer);
  }
  reset(): void {
    this.top = this.base;
  }
  alloc(n: number): number {
    const p = this.top;
    this.top += Math.ceil((n * 4) / 16) * 16 + 16;
    const need = this.top - this.backend.memory.buffer.byteLength;
    if (need > 0) this.backend.memory.grow(Math.ceil(need / PAGE_BYTES));
    const f = this.f32();
    f.fill(0, p >>> 2, (p >>> 2) + n);
    f.fill(CANARY, (p >>> 2) + n, this.top >>> 2);
    return p;
  }
  put(values: ArrayLike<number>): number {
    const p = this.alloc(values.length);
    this.f32().set(values, p >>> 2);
    return p;
  }
  read(p: number, n: number): number[] {
    return Array.from(this.f32().subarray(p >>> 2, (p >>> 2) + n));
  }
  write(p: number, values: ArrayLike<number>): void {
    this.f32().set(values, p >>> 2);
  }
  expectCanaries(p: number, n: number): void {
    const f = this.f32();
    const end = Math.ceil((n * 4) / 16) * 4 + 4;
    for (let i = n; i < end; i++) expect(f[(p >>> 2) + i], `canary after ${n} floats`).toBe(CANARY);
  }
}

// ---------------------------------------------------------------- float64 references

const ALPHA = Math.fround(0.2);

function actF64(act: number, z: number, alpha: number): number {
  switch (act) {
    case Act.relu:
      return z > 0 ? z : 0;
    case Act.leaky_relu:
      return z > 0 ? z : alpha * z;
    case Act.sigmoid:
      return 1 / (1 + Math.exp(-z));
    case Act.tanh: {
      const e = Math.exp(2 * z);
      return (e - 1) / (e + 1);
    }
    default:
      return z;
  }
}

/** Derivative of actF64, written from the formulas (not the kernels' use of A). */
function actDerivF64(act: number, z: number, alpha: number): number {
  switch (act) {
    case Act.relu:
      return z > 0 ? 1 : 0;
    case Act.leaky_relu:
      return z > 0 ? 1 : alpha;
    case Act.sigmoid: {
      const e = Math.exp(-z);
      return e / ((1 + e) * (1 + e));
    }
    case Act.tanh: {
      const c = Math.cosh(z);
      return 1 / (c * c);
    }
    default:
      return 1;
  }
}

function softmaxF64(z: number[]): number[] {
  const e = z.map((v) => Math.exp(v));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/** act applied to a rows×cols matrix (softmax per row). */
function applyAct(act: number, rows: number, cols: number, z: number[], alpha: number): number[] {
  if (act !== Act.softmax) return z.map((v) => actF64(act, v, alpha));
  const out: number[] = [];
  for (let r = 0; r < rows; r++) out.push(...softmaxF64(z.slice(r * cols, (r + 1) * cols)));
  return out;
}

/** dA pulled back through act at z, with the full softmax Jacobian. */
function actBackwardF64(act: number, rows: number, cols: number, z: number[], dA: number[], alpha: number): number[] {
  if (act !== Act.softmax) return z.map((v, i) => (dA[i] as number) * actDerivF64(act, v, alpha));
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const s = softmaxF64(z.slice(r * cols, (r + 1) * cols));
    for (let j = 0; j < cols; j++) {
      let g = 0;
      for (let c = 0; c < cols; c++) g += (dA[r * cols + c] as number) * (s[c] as number) * ((c === j ? 1 : 0) - (s[j] as number));
      out.push(g);
    }
  }
  return out;
}

/** The losses from their textbook definitions (moderate logits only). */
function lossF64(loss: number, act: number, rows: number, cols: number, z: number[], y: number[], alpha: number): number {
  const a = applyAct(act, rows, cols, z, alpha);
  let s = 0;
  if (loss === Loss.bce) {
    for (let i = 0; i < a.length; i++) {
      const p = a[i] as number;
      const t = y[i] as number;
      s -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
    }
    return s / (rows * cols);
  }
  if (loss === Loss.cce) {
    for (let i = 0; i < a.length; i++) s -= (y[i] as number) * Math.log(a[i] as number);
    return s / rows;
  }
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (y[i] as number)) ** 2;
  return s / (rows * cols);
}

/** Central differences of f at x, every coordinate. */
function numericGrad(f: (x: number[]) => number, x: number[], h: number): number[] {
  return x.map((_, i) => {
    const xp = x.slice();
    const xm = x.slice();
    xp[i] = (x[i] as number) + h;
    xm[i] = (x[i] as number) - h;
    return (f(xp) - f(xm)) / (2 * h);
  });
}

function gemmF64(
  tA: number, tB: number, M: number, N: number, K: number, a: number[], b: number[],
): { c: number[]; abs: number[] } {
  const c: number[] = [];
  const abs: number[] = [];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let m = 0;
      for (let k = 0; k < K; k++) {
        const x = (tA ? a[k * M + i] : a[i * K + k]) as number;
        const w = (tB ? b[j * K + k] : b[k * N + j]) as number;
        s += x * w;
        m += Math.abs(x * w);
      }
      c.push(s);
      abs.push(m);
    }
  }
  return { c, abs };
}

// ---------------------------------------------------------------- memory and backend

describe('JsMemory', () => {
  it('grows like WebAssembly.Memory: previous size returned, contents kept, old buffer detached', () => {
    const mem = new JsMemory(1, 4);
    expect(mem.buffer.byteLength).toBe(PAGE_BYTES);
    const before = mem.buffer;
    const view = new Float32Array(before);
    view[0] = 1.5;
    view[PAGE_BYTES / 4 - 1] = -2.5;
    expect(mem.grow(2)).toBe(1);
    expect(mem.buffer.byteLength).toBe(3 * PAGE_BYTES);
    expect(mem.buffer).not.toBe(before);
    expect(before.byteLength).toBe(0);
    expect(view.length).toBe(0);
    const after = new Float32Array(mem.buffer);
    expect(after[0]).toBe(1.5);
    expect(after[PAGE_BYTES / 4 - 1]).toBe(-2.5);
    expect(after[PAGE_BYTES / 4]).toBe(0);
    expect(mem.f32.length).toBe((3 * PAGE_BYTES) / 4);
    expect(mem.grow(0)).toBe(3);
    expect(mem.grow(1)).toBe(3);
  });

  it('throws RangeError past the maximum and leaves the memory as it was', () => {
    const mem = new JsMemory(2, 3);
    const buf = mem.buffer;
    expect(() => mem.grow(2)).toThrow(RangeError);
    expect(() => mem.grow(2)).toThrow(/exceed the maximum of 3 pages/);
    expect(mem.buffer).toBe(buf);
    expect(mem.buffer.byteLength).toBe(2 * PAGE_BYTES);
    expect(mem.grow(1)).toBe(2);
  });

  it('rejects bad sizes with the argument named', () => {
    expect(() => new JsMemory(3, 2)).toThrow(RangeError);
    expect(() => new JsMemory(3, 2)).toThrow(/initialPages \(3\) exceeds maximumPages \(2\)/);
    expect(() => new JsMemory(1, 65537)).toThrow(/maximumPages must be at most 65536/);
    expect(() => new JsMemory(1, 2).grow(-1)).toThrow(TypeError);
    expect(() => new JsMemory(1, 2).grow(0.5)).toThrow(/pages must be a non-negative integer/);
  });
});

const KERNEL_NAMES: (keyof KernelExports)[] = [
  'heap_base', 'gemm_scratch_bytes', 'gemm', 'gemm__scalar', 'bias_add', 'bias_grad', 'act_forward',
  'act_backward', 'loss_grad', 'sgd_update', 'momentum_update', 'adam_update', 'forward',
  'compute_gradients', 'train_step', 'loss_only',
];

describe('createJsBackend', () => {
  it('exposes every kernel, an aligned heap base and its limits', () => {
    const b = createJsBackend();
    expect(b.kind).toBe('js');
    for (const name of KERNEL_NAMES) expect(typeof b.kernels[name], name).toBe('function');
    expect(b.kernels.heap_base() % 16).toBe(0);
    expect(b.kernels.heap_base()).toBeGreaterThanOrEqual(16);
    expect(b.memory.buffer.byteLength).toBe(PAGE_BYTES);
    expect(b.maxBytes).toBe(65536 * PAGE_BYTES);
    const small = createJsBackend({ initialPages: 2, maximumPages: 5 });
    expect(small.memory.buffer.byteLength).toBe(2 * PAGE_BYTES);
    expect(small.maxBytes).toBe(5 * PAGE_BYTES);
    expect(() => small.memory.grow(4)).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------- gemm

describe('gemm', () => {
  const heap = new Heap(createJsBackend());
  const rand = mulberry32(1);

  function check(tA: number, tB: number, M: number, N: number, K: number, accumulate: number): void {
    heap.reset();
    const a = randomF32(rand, M * K);
    const b = randomF32(rand, K * N);
    const c0 = randomF32(rand, M * N);
    const pa = heap.put(a);
    const pb = heap.put(b);
    const pc = heap.put(c0);
    const scratch = heap.alloc(heap.k.gemm_scratch_bytes(tA, tB, M, N, K) / 4);
    heap.k.gemm(tA, tB, M, N, K, pa, pb, pc, accumulate, scratch);
    const { c, abs } = gemmF64(tA, tB, M, N, K, a, b);
    const got = heap.read(pc, M * N);
    const what = `tA=${tA} tB=${tB} M=${M} N=${N} K=${K} acc=${accumulate}`;
    const bad: string[] = [];
    for (let i = 0; i < M * N; i++) {
      const e = (c[i] as number) + (accumulate ? (c0[i] as number) : 0);
      const scale = (abs[i] as number) + (accumulate ? Math.abs(c0[i] as number) : 0);
      // One f32 rounding of a float64 sum: well inside 1e-6 of the sum of magnitudes.
      if (!(Math.abs((got[i] as number) - e) <= 1e-6 * scale + 1e-30)) bad.push(`[${i}] ${got[i]} vs ${e}`);
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
          const pa = heap.put([CANARY]);
          heap.k.gemm(tA, tB, M, N, 0, pa, pa, pc, 0, 0);
          expect(heap.read(pc, M * N)).toEqual(new Array<number>(M * N).fill(0));
          heap.write(pc, c0);
          heap.k.gemm(tA, tB, M, N, 0, pa, pa, pc, 1, 0);
          expectBitsEqual(heap.read(pc, M * N), c0);
          heap.expectCanaries(pc, M * N);
        }
      }
    }
  });

  it('gemm__scalar is the same function', () => {
    heap.reset();
    const [M, N, K] = [9, 13, 11];
    const pa = heap.put(randomF32(rand, M * K));
    const pb = heap.put(randomF32(rand, K * N));
    const p1 = heap.alloc(M * N);
    const p2 = heap.alloc(M * N);
    for (const tA of [0, 1]) {
      for (const tB of [0, 1]) {
        heap.k.gemm(tA, tB, M, N, K, pa, pb, p1, 0, 0);
        heap.k.gemm__scalar(tA, tB, M, N, K, pa, pb, p2, 0, 0);
        expectBitsEqual(heap.read(p2, M * N), heap.read(p1, M * N));
      }
    }
  });
});

// ---------------------------------------------------------------- bias

describe('bias_add / bias_grad', () => {
  it('adds b to every row and sums dZ over rows', () => {
    const heap = new Heap(createJsBackend());
    const rand = mulberry32(2);
    for (const [rows, cols] of [[1, 1], [5, 7], [33, 3]] as const) {
      heap.reset();
      const z = randomF32(rand, rows * cols);
      const b = randomF32(rand, cols);
      const pz = heap.put(z);
      const pb = heap.put(b);
      heap.k.bias_add(rows, cols, pz, pb);
      expectClose(heap.read(pz, rows * cols), z.map((v, i) => v + (b[i % cols] as number)), 0, 1e-7, 'bias_add');
      heap.expectCanaries(pz, rows * cols);

      const pdb = heap.put(randomF32(rand, cols));
      heap.k.bias_grad(rows, cols, pz, pdb);
      const zz = heap.read(pz, rows * cols);
      const expected = b.map((_, c) => {
        let s = 0;
        for (let r = 0; r < rows; r++) s += zz[r * cols + c] as number;
        return s;
      });
      expectClose(heap.read(pdb, cols), expected, 1e-6, 1e-6, 'bias_grad');
      heap.expectCanaries(pdb, cols);
    }
  });
});

// ---------------------------------------------------------------- activations

const ACTS = [Act.linear, Act.relu, Act.leaky_relu, Act.sigmoid, Act.tanh, Act.softmax] as const;
const ACT_NAME: Record<number, string> = Object.fromEntries(Object.entries(Act).map(([k, v]) => [v, k]));

describe('activations', () => {
  const heap = new Heap(createJsBackend());
  const rand = mulberry32(3);
  const rows = 6;
  const cols = 7;

  for (const act of ACTS) {
    it(`${ACT_NAME[act]}: forward matches the formula, backward matches finite differences`, () => {
      heap.reset();
      // Away from relu's kink by much more than the difference step.
      const z = randomF32(rand, rows * cols, -4, 4, 0.01);
      const dA = randomF32(rand, rows * cols);
      const pz = heap.put(z);
      const pa = heap.alloc(rows * cols);
      heap.k.act_forward(act, rows, cols, ALPHA, pz, pa);
      const a = heap.read(pa, rows * cols);
      expectClose(a, applyAct(act, rows, cols, z, ALPHA), 1e-7, 1e-6, 'forward');
      heap.expectCanaries(pa, rows * cols);

      const pg = heap.put(dA);
      const pd = heap.alloc(rows * cols);
      heap.k.act_backward(act, rows, cols, ALPHA, pz, pa, pg, pd);
      // d/dz of Σ dA ⊙ act(z), row by row, by central differences.
      const expected: number[] = [];
      for (let r = 0; r < rows; r++) {
        const zr = z.slice(r * cols, (r + 1) * cols);
        const gr = dA.slice(r * cols, (r + 1) * cols);
        const f = (x: number[]): number => applyAct(act, 1, cols, x, ALPHA).reduce((s, v, c) => s + v * (gr[c] as number), 0);
        expected.push(...numericGrad(f, zr, 1e-5));
      }
      expectClose(heap.read(pd, rows * cols), expected, 1e-6, 1e-5, 'backward');
      heap.expectCanaries(pd, rows * cols);

      // In place: A over Z, dZ over dA, with the same bits as out of place.
      const pz2 = heap.put(z);
      heap.k.act_forward(act, rows, cols, ALPHA, pz2, pz2);
      expectBitsEqual(heap.read(pz2, rows * cols), a, 'forward in place');
      const pg2 = heap.put(dA);
      heap.k.act_backward(act, rows, cols, ALPHA, pz, pa, pg2, pg2);
      expectBitsEqual(heap.read(pg2, rows * cols), heap.read(pd, rows * cols), 'backward in place');
    });
  }

  it('relu\'(0) = 0 and leaky_relu\'(0) = alpha', () => {
    heap.reset();
    const pz = heap.put([0, -0]);
    const pa = heap.alloc(2);
    const pg = heap.put([3, 3]);
    const pd = heap.alloc(2);
    heap.k.act_forward(Act.relu, 1, 2, 0, pz, pa);
    heap.k.act_backward(Act.relu, 1, 2, 0, pz, pa, pg, pd);
    expect(heap.read(pd, 2)).toEqual([0, 0]);
    heap.k.act_forward(Act.leaky_relu, 1, 2, ALPHA, pz, pa);
    heap.k.act_backward(Act.leaky_relu, 1, 2, ALPHA, pz, pa, pg, pd);
    expect(heap.read(pd, 2)).toEqual([Math.fround(3 * ALPHA), Math.fround(3 * ALPHA)]);
  });

  it('softmax rows sum to 1 and stay finite for logits of ±100; sigmoid too', () => {
    heap.reset();
    const z = [100, -100, 100, 0, -100, -100, -100, -100, 100, 99, -100, 50];
    const pz = heap.put(z);
    const pa = heap.alloc(z.length);
    heap.k.act_forward(Act.softmax, 3, 4, 0, pz, pa);
    const a = heap.read(pa, z.length);
    for (const v of a) expect(Number.isFinite(v) && v >= 0 && v <= 1).toBe(true);
    for (let r = 0; r < 3; r++) expect(Math.abs(a.slice(r * 4, r * 4 + 4).reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-6);
    expectClose(a, [0.5, 0, 0.5, 0, 0.25, 0.25, 0.25, 0.25, 1 / (1 + Math.exp(-1)), 1 / (1 + Math.exp(1)), 0, 0], 1e-7, 1e-6);

    // Far beyond where e^z overflows even float64: only max subtraction keeps these finite.
    const pbig = heap.put([1e4, -1e4, 1e4, 0]);
    heap.k.act_forward(Act.softmax, 1, 4, 0, pbig, pbig);
    expect(heap.read(pbig, 4)).toEqual([0.5, 0, 0.5, 0]);

    heap.k.act_forward(Act.sigmoid, 3, 4, 0, pz, pa);
    for (const [i, v] of heap.read(pa, z.length).entries()) {
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(v - 1 / (1 + Math.exp(-(z[i] as number))))).toBeLessThan(1e-7);
    }
    heap.k.act_forward(Act.tanh, 3, 4, 0, pz, pa);
    expect(heap.read(pa, 4)).toEqual([1, -1, 1, 0]);
  });

  for (const bits of [0x7fc00000, 0xffc00000]) {
    it(`NaN 0x${bits.toString(16)} in gives NaN out, neighbours untouched`, () => {
      for (const act of ACTS) {
        heap.reset();
        const pz = heap.put([1, -2, 0, 3, 0.5, -0.5]);
        new Uint32Array(heap.backend.memory.buffer)[(pz >>> 2) + 1] = bits;
        const pa = heap.alloc(6);
        heap.k.act_forward(act, 2, 3, ALPHA, pz, pa);
        const a = heap.read(pa, 6);
        expect(Number.isNaN(a[1]), ACT_NAME[act]).toBe(true);
        if (act === Act.softmax) {
          expect(a.slice(0, 3).every(Number.isNaN), 'softmax: the whole row').toBe(true);
          expectClose(a.slice(3), softmaxF64([3, 0.5, -0.5]), 1e-7, 1e-6);
        } else {
          expectClose([a[0] as number, ...a.slice(2)], [1, 0, 3, 0.5, -0.5].map((v) => actF64(act, v, ALPHA)), 1e-7, 1e-6);
        }
      }
    });
  }
});

// ---------------------------------------------------------------- losses

describe('loss_grad', () => {
  const heap = new Heap(createJsBackend());
  const rand = mulberry32(4);
  const rows = 5;

  function run(loss: number, act: number, cols: number, z: number[], y: number[]): { value: number; dZ: number[]; valueOnly: number } {
    heap.reset();
    const pz = heap.put(z);
    const pa = heap.alloc(z.length);
    const py = heap.put(y);
    const pd = heap.alloc(z.length);
    heap.k.act_forward(act, z.length / cols, cols, ALPHA, pz, pa);
    const value = heap.k.loss_grad(loss, act, z.length / cols, cols, ALPHA, pz, pa, py, pd);
    heap.expectCanaries(pd, z.length);
    const dZ = heap.read(pd, z.length);
    // Value only: dZ = 0 must write nothing, not even at address 0.
    const low = heap.read(0, heap.base / 4);
    const valueOnly = heap.k.loss_grad(loss, act, z.length / cols, cols, ALPHA, pz, pa, py, 0);
    expectBitsEqual(heap.read(0, heap.base / 4), low, 'low memory untouched');
    expectBitsEqual(heap.read(pd, z.length), dZ, 'dZ untouched by a value-only call');
    return { value, dZ, valueOnly };
  }

  function checkAgainstFormula(loss: number, act: number, cols: number, z: number[], y: number[]): void {
    const n = rows;
    const { value, dZ, valueOnly } = run(loss, act, cols, z, y);
    const f = (x: number[]): number => lossF64(loss, act, n, cols, x, y, ALPHA);
    expect(Math.abs(value - f(z))).toBeLessThanOrEqual(1e-6 * Math.abs(f(z)) + 1e-9);
    expect(valueOnly).toBe(value);
    expectClose(dZ, numericGrad(f, z, 1e-5), 1e-6, 1e-4, 'dZ vs finite differences');
  }

  it('bce from the logits: hard and soft labels', () => {
    const cols = 3;
    const z = randomF32(rand, rows * cols, -3, 3);
    checkAgainstFormula(Loss.bce, Act.sigmoid, cols, z, z.map(() => (rand() < 0.5 ? 0 : 1)));
    checkAgainstFormula(Loss.bce, Act.sigmoid, cols, z, randomF32(rand, rows * cols, 0, 1));
    // The gradient is exactly (σ(z) − y)/count.
    const y = randomF32(rand, rows * cols, 0, 1);
    const { dZ } = run(Loss.bce, Act.sigmoid, cols, z, y);
    expectClose(dZ, z.map((v, i) => (1 / (1 + Math.exp(-v)) - (y[i] as number)) / (rows * cols)), 1e-8, 1e-6);
  });

  it('cce from the logits: one-hot and soft labels', () => {
    const cols = 4;
    const z = randomF32(rand, rows * cols, -3, 3);
    const oneHot = z.map((_, i) => (i % cols === (Math.floor(i / cols) * 7) % cols ? 1 : 0));
    checkAgainstFormula(Loss.cce, Act.softmax, cols, z, oneHot);
    const soft: number[] = [];
    for (let r = 0; r < rows; r++) {
      const w = randomF32(rand, cols, 0.1, 1);
      const s = w.reduce((a, b) => a + b, 0);
      soft.push(...w.map((v) => Math.fround(v / s)));
    }
    checkAgainstFormula(Loss.cce, Act.softmax, cols, z, soft);
  });

  for (const act of ACTS) {
    it(`mse through ${ACT_NAME[act]}`, () => {
      const cols = 3;
      checkAgainstFormula(Loss.mse, act, cols, randomF32(rand, rows * cols, -2, 2, 0.01), randomF32(rand, rows * cols));
    });
  }

  it('bce and cce are finite and exact for logits of ±100', () => {
    const b = run(Loss.bce, Act.sigmoid, 2, [100, -100, 100, -100], [0, 1, 1, 0]);
    expect(b.value).toBeCloseTo(50, 12);
    expectClose(b.dZ, [0.25, -0.25, 0, 0], 1e-12, 0);
    const c = run(Loss.cce, Act.softmax, 3, [100, -100, 0, 100, -100, 0], [0, 1, 0, 1, 0, 0]);
    expect(c.value).toBeCloseTo(100, 10);
    expectClose(c.dZ, [0.5, -0.5, 0, 0, 0, 0], 1e-12, 0);
    const huge = run(Loss.cce, Act.softmax, 3, [1e4, -1e4, 0], [0, 1, 0]);
    expect(huge.value).toBe(2e4);
    expect(run(Loss.bce, Act.sigmoid, 2, [1e4, -1e4], [0, 0]).value).toBe(5e3);
  });
});

// ---------------------------------------------------------------- optimizers

describe('optimizers (PyTorch formulas, several steps)', () => {
  const n = 37;
  const steps = 5;
  const lr = 0.05;

  for (const wd of [0, 0.01]) {
    it(`sgd, momentum and adam, weight decay ${wd}`, () => {
      const heap = new Heap(createJsBackend());
      const rand = mulberry32(5);
      const p0 = randomF32(rand, n);
      const grads = Array.from({ length: steps }, () => randomF32(rand, n));
      const pP = heap.put(p0);
      const pG = heap.alloc(n);
      const pM = heap.alloc(n);
      const pV = heap.alloc(n);

      const sgd = p0.slice();
      for (const g of grads) {
        heap.write(pG, g);
        heap.k.sgd_update(n, pP, pG, lr, wd);
        for (let i = 0; i < n; i++) sgd[i] = (sgd[i] as number) - lr * ((g[i] as number) + wd * (sgd[i] as number));
      }
      expectClose(heap.read(pP, n), sgd, 1e-6, 1e-5, 'sgd');
      heap.expectCanaries(pP, n);

      const mu = 0.9;
      heap.write(pP, p0);
      const mom = p0.slice();
      const buf = new Array<number>(n).fill(0);
      for (const g of grads) {
        heap.write(pG, g);
        heap.k.momentum_update(n, pP, pG, pM, lr, mu, wd);
        for (let i = 0; i < n; i++) {
          buf[i] = mu * (buf[i] as number) + (g[i] as number) + wd * (mom[i] as number);
          mom[i] = (mom[i] as number) - lr * (buf[i] as number);
        }
      }
      expectClose(heap.read(pP, n), mom, 1e-6, 1e-5, 'momentum P');
      expectClose(heap.read(pM, n), buf, 1e-6, 1e-5, 'momentum V');

      const [b1, b2, eps] = [0.9, 0.999, 1e-8];
      heap.write(pP, p0);
      heap.write(pM, new Array<number>(n).fill(0));
      const adam = p0.slice();
      const m = new Array<number>(n).fill(0);
      const v = new Array<number>(n).fill(0);
      grads.forEach((g, s) => {
        const t = s + 1;
        heap.write(pG, g);
        heap.k.adam_update(n, pP, pG, pM, pV, lr, b1, b2, eps, t, wd);
        for (let i = 0; i < n; i++) {
          const gi = (g[i] as number) + wd * (adam[i] as number);
          m[i] = b1 * (m[i] as number) + (1 - b1) * gi;
          v[i] = b2 * (v[i] as number) + (1 - b2) * gi * gi;
          const mHat = (m[i] as number) / (1 - b1 ** t);
          const vHat = (v[i] as number) / (1 - b2 ** t);
          adam[i] = (adam[i] as number) - (lr * mHat) / (Math.sqrt(vHat) + eps);
        }
      });
      expectClose(heap.read(pP, n), adam, 1e-6, 1e-5, 'adam P');
      expectClose(heap.read(pM, n), m, 1e-7, 1e-5, 'adam M');
      expectClose(heap.read(pV, n), v, 1e-8, 1e-5, 'adam V');
      heap.expectCanaries(pV, n);
    });
  }
});

// ---------------------------------------------------------------- whole steps over a layer table

interface LayerSpec {
  outputs: number;
  act: number;
  alpha?: number;
  weightDecay?: number;
}

interface LayerPtrs {
  inputs: number;
  outputs: number;
  act: number;
  alpha: number;
  W: number; b: number; dW: number; db: number; Z: number; A: number; dZ: number;
  mW: number; mb: number; vW: number; vb: number;
}

interface Net {
  table: number;
  layers: LayerPtrs[];
  X: number;
  Y: number;
  rows: number;
}

const WORDS = ['W', 'b', 'dW', 'db', 'Z', 'A', 'dZ', 'mW', 'mb', 'vW', 'vb'] as const;
type BufferField = (typeof WORDS)[number];

/** Lays out a table and its buffers the way the facade would, with random parameters. */
function layoutNet(heap: Heap, inputs: number, specs: LayerSpec[], rows: number, x: number[], y: number[], seed: number): Net {
  const rand = mulberry32(seed);
  // the layer fields, then the tail train_step reads its hyperparameters from
  const table = heap.alloc(specs.length * LAYER_FIELDS + TAIL_FIELDS);
  const layers: LayerPtrs[] = [];
  let fanIn = inputs;
  for (const s of specs) {
    const nW = fanIn * s.outputs;
    const sizes: Record<BufferField, number> = { W: nW, b: s.outputs, dW: nW, db: s.outputs, Z: rows * s.outputs, A: rows * s.outputs, dZ: rows * s.outputs, mW: nW, mb: s.outputs, vW: nW, vb: s.outputs };
    const p = {} as Record<BufferField, number>;
    for (const w of WORDS) p[w] = heap.alloc(sizes[w]);
    heap.write(p.W, randomF32(rand, nW, -1, 1));
    heap.write(p.b, randomF32(rand, s.outputs, -0.5, 0.5));
    const base = (table >>> 2) + layers.length * LAYER_FIELDS;
    const i32 = heap.i32();
    i32[base + Field.inputs] = fanIn;
    i32[base + Field.outputs] = s.outputs;
    i32[base + Field.act] = s.act;
    for (const w of WORDS) i32[base + Field[w]] = p[w];
    const f32 = heap.f32();
    f32[base + Field.alpha] = s.alpha ?? 0;
    f32[base + Field.weightDecay] = s.weightDecay ?? 0;
    layers.push({ inputs: fanIn, outputs: s.outputs, act: s.act, alpha: Math.fround(s.alpha ?? 0), ...p });
    fanIn = s.outputs;
  }
  return { table, layers, X: heap.put(x), Y: heap.put(y), rows };
}

interface RefLayer {
  inputs: number;
  outputs: number;
  act: number;
  alpha: number;
  W: number[];
  b: number[];
}

/** The naive float64 network: forward, loss, backprop, written out in full. */
function refForward(layers: RefLayer[], x: number[], rows: number): { Z: number[][]; A: number[][] } {
  const Z: number[][] = [];
  const A: number[][] = [];
  let input = x;
  for (const L of layers) {
    const z: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < L.outputs; j++) {
        let s = L.b[j] as number;
        for (let i = 0; i < L.inputs; i++) s += (input[r * L.inputs + i] as number) * (L.W[i * L.outputs + j] as number);
        z.push(s);
      }
    }
    Z.push(z);
    input = applyAct(L.act, rows, L.outputs, z, L.alpha);
    A.push(input);
  }
  return { Z, A };
}

function refLoss(layers: RefLayer[], x: number[], y: number[], rows: number, loss: number): number {
  const { Z } = refForward(layers, x, rows);
  const last = layers[layers.length - 1] as RefLayer;
  return lossF64(loss, last.act, rows, last.outputs, Z[Z.length - 1] as number[], y, last.alpha);
}

function refGradients(layers: RefLayer[], x: number[], y: number[], rows: number, loss: number): { dW: number[][]; db: number[][]; dZ: number[][] } {
  const { Z, A } = refForward(layers, x, rows);
  const last = layers.length - 1;
  const L = layers[last] as RefLayer;
  const a = A[last] as number[];
  const count = rows * L.outputs;
  let dZ: number[] =
    loss === Loss.bce ? a.map((v, i) => (v - (y[i] as number)) / count)
    : loss === Loss.cce ? a.map((v, i) => (v - (y[i] as number)) / rows)
    : actBackwardF64(L.act, rows, L.outputs, Z[last] as number[], a.map((v, i) => (2 * (v - (y[i] as number))) / count), L.alpha);
  const dWs: number[][] = [];
  const dbs: number[][] = [];
  const dZs: number[][] = [];
  for (let l = last; l >= 0; l--) {
    const cur = layers[l] as RefLayer;
    const input = l === 0 ? x : (A[l - 1] as number[]);
    const dW: number[] = [];
    for (let i = 0; i < cur.inputs; i++) {
      for (let j = 0; j < cur.outputs; j++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += (input[r * cur.inputs + i] as number) * (dZ[r * cur.outputs + j] as number);
        dW.push(s);
      }
    }
    const db: number[] = [];
    for (let j = 0; j < cur.outputs; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += dZ[r * cur.outputs + j] as number;
      db.push(s);
    }
    dWs[l] = dW;
    dbs[l] = db;
    dZs[l] = dZ;
    if (l > 0) {
      const dA: number[] = [];
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < cur.inputs; i++) {
          let s = 0;
          for (let j = 0; j < cur.outputs; j++) s += (dZ[r * cur.outputs + j] as number) * (cur.W[i * cur.outputs + j] as number);
          dA.push(s);
        }
      }
      const below = layers[l - 1] as RefLayer;
      dZ = actBackwardF64(below.act, rows, below.outputs, Z[l - 1] as number[], dA, below.alpha);
    }
  }
  return { dW: dWs, db: dbs, dZ: dZs };
}

function refLayersFrom(heap: Heap, net: Net): RefLayer[] {
  return net.layers.map((L) => ({
    inputs: L.inputs, outputs: L.outputs, act: L.act, alpha: L.alpha,
    W: heap.read(L.W, L.inputs * L.outputs), b: heap.read(L.b, L.outputs),
  }));
}

interface NetCase {
  name: string;
  inputs: number;
  specs: LayerSpec[];
  loss: number;
}

const NET_CASES: NetCase[] = [
  { name: 'relu → softmax, cce', inputs: 3, specs: [{ outputs: 4, act: Act.relu }, { outputs: 3, act: Act.softmax }], loss: Loss.cce },
  { name: 'tanh → sigmoid, bce, weight decay', inputs: 3, specs: [{ outputs: 4, act: Act.tanh, weightDecay: 0.01 }, { outputs: 2, act: Act.sigmoid, weightDecay: 0.02 }], loss: Loss.bce },
  { name: 'leaky_relu → linear, mse', inputs: 3, specs: [{ outputs: 5, act: Act.leaky_relu, alpha: 0.2 }, { outputs: 2, act: Act.linear }], loss: Loss.mse },
  { name: 'sigmoid → softmax, mse', inputs: 3, specs: [{ outputs: 4, act: Act.sigmoid }, { outputs: 3, act: Act.softmax }], loss: Loss.mse },
  { name: 'softmax (hidden) → tanh, mse', inputs: 2, specs: [{ outputs: 3, act: Act.softmax }, { outputs: 2, act: Act.tanh }], loss: Loss.mse },
];

function labelsFor(c: NetCase, rows: number, rand: () => number): number[] {
  const out = (c.specs[c.specs.length - 1] as LayerSpec).outputs;
  if (c.loss === Loss.mse) return randomF32(rand, rows * out, -1, 1);
  if (c.loss === Loss.bce) return Array.from({ length: rows * out }, () => (rand() < 0.5 ? 0 : 1));
  return Array.from({ length: rows * out }, (_, i) => (i % out === Math.floor(i / out) % out ? 1 : 0));
}

describe('forward / compute_gradients / loss_only over a layer table', () => {
  const rows = 5;
  for (const [ci, c] of NET_CASES.entries()) {
    it(c.name, () => {
      const heap = new Heap(createJsBackend());
      const rand = mulberry32(100 + ci);
      const x = randomF32(rand, rows * c.inputs, -2, 2);
      const y = labelsFor(c, rows, rand);
      const net = layoutNet(heap, c.inputs, c.specs, rows, x, y, 200 + ci);
      const ref = refLayersFrom(heap, net);

      heap.k.forward(net.table, net.layers.length, net.X, rows, 0);
      const fwd = refForward(ref, x, rows);
      net.layers.forEach((L, l) => {
        expectClose(heap.read(L.Z, rows * L.outputs), fwd.Z[l] as number[], 1e-6, 1e-5, `Z${l}`);
        expectClose(heap.read(L.A, rows * L.outputs), fwd.A[l] as number[], 1e-6, 1e-5, `A${l}`);
        heap.expectCanaries(L.A, rows * L.outputs);
      });

      const lossValue = refLoss(ref, x, y, rows, c.loss);
      const value = heap.k.compute_gradients(net.table, net.layers.length, net.X, net.Y, rows, c.loss, 0);
      expect(Math.abs(value - lossValue)).toBeLessThan(1e-5 * Math.abs(lossValue) + 1e-7);
      expect(heap.k.loss_only(net.table, net.layers.length, net.X, net.Y, rows, c.loss, 0)).toBe(value);

      const g = refGradients(ref, x, y, rows, c.loss);
      net.layers.forEach((L, l) => {
        expectClose(heap.read(L.dZ, rows * L.outputs), g.dZ[l] as number[], 1e-6, 1e-4, `dZ${l}`);
        expectClose(heap.read(L.dW, L.inputs * L.outputs), g.dW[l] as number[], 1e-6, 1e-4, `dW${l}`);
        expectClose(heap.read(L.db, L.outputs), g.db[l] as number[], 1e-6, 1e-4, `db${l}`);
        heap.expectCanaries(L.dW, L.inputs * L.outputs);
        heap.expectCanaries(L.db, L.outputs);
      });

      // The naive backprop itself, against finite differences of the naive loss.
      ref.forEach((L, l) => {
        const fW = (w: number[]): number => refLoss(ref.map((o, k) => (k === l ? { ...o, W: w } : o)), x, y, rows, c.loss);
        const fb = (b: number[]): number => refLoss(ref.map((o, k) => (k === l ? { ...o, b } : o)), x, y, rows, c.loss);
        expectClose(g.dW[l] as number[], numericGrad(fW, L.W, 1e-6), 1e-7, 1e-5, `reference dW${l}`);
        expectClose(g.db[l] as number[], numericGrad(fb, L.b, 1e-6), 1e-7, 1e-5, `reference db${l}`);
      });
    });
  }
});

describe('train_step', () => {
  const rows = 5;
  const steps = 3;
  const [lr, beta1, beta2, eps] = [0.05, 0.9, 0.999, 1e-8];
  const OPTS: [string, number][] = [['sgd', Opt.sgd], ['momentum', Opt.momentum], ['adam', Opt.adam]];

  for (const [oname, opt] of OPTS) {
    for (const [ci, c] of NET_CASES.entries()) for (const clip of [false, true]) {
      it(`${oname}${clip ? ', gradient norm clipped to half the first step\'s' : ''}: ${c.name}`, () => {
        const heap = new Heap(createJsBackend());
        const rand = mulberry32(300 + ci);
        const x = randomF32(rand, rows * c.inputs, -2, 2);
        const y = labelsFor(c, rows, rand);
        const net = layoutNet(heap, c.inputs, c.specs, rows, x, y, 400 + ci);
        const ref = refLayersFrom(heap, net);
        const wds = c.specs.map((s) => Math.fround(s.weightDecay ?? 0));
        const state = ref.map((L) => ({ mW: L.W.map(() => 0), mb: L.b.map(() => 0), vW: L.W.map(() => 0), vb: L.b.map(() => 0) }));

        let clipNorm = 0;
        for (let t = 1; t <= steps; t++) {
          const expectedLoss = refLoss(ref, x, y, rows, c.loss);
          const g = refGradients(ref, x, y, rows, c.loss);
          if (clip) {
            const norm = Math.hypot(...g.dW.flat(), ...g.db.flat());
            if (t === 1) clipNorm = Math.fround(norm / 2);
            const coef = clipNorm / (norm + 1e-6);
            if (coef < 1) for (const v of [...g.dW, ...g.db]) for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * coef;
          }
          const value = trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, net.layers.length, net.X, net.Y, rows, c.loss, opt, lr, beta1, beta2, eps, clipNorm, t, 0, 0);
          expect(Math.abs(value - expectedLoss), `loss at step ${t}`).toBeLessThan(1e-5 * Math.abs(expectedLoss) + 1e-6);
          ref.forEach((L, l) => {
            const st = state[l] as { mW: number[]; mb: number[]; vW: number[]; vb: number[] };
            const update = (P: number[], G: number[], M: number[], V: number[], wd: number): void => {
              for (let i = 0; i < P.length; i++) {
                const gi = (G[i] as number) + wd * (P[i] as number);
                if (opt === Opt.sgd) {
                  P[i] = (P[i] as number) - lr * gi;
                } else if (opt === Opt.momentum) {
                  M[i] = beta1 * (M[i] as number) + gi;
                  P[i] = (P[i] as number) - lr * (M[i] as number);
                } else {
                  M[i] = beta1 * (M[i] as number) + (1 - beta1) * gi;
                  V[i] = beta2 * (V[i] as number) + (1 - beta2) * gi * gi;
                  const mHat = (M[i] as number) / (1 - beta1 ** t);
                  const vHat = (V[i] as number) / (1 - beta2 ** t);
                  P[i] = (P[i] as number) - (lr * mHat) / (Math.sqrt(vHat) + eps);
                }
              }
            };
            update(L.W, g.dW[l] as number[], st.mW, st.vW, wds[l] as number);
            update(L.b, g.db[l] as number[], st.mb, st.vb, 0);
          });
        }
        net.layers.forEach((L, l) => {
          const r = ref[l] as RefLayer;
          expectClose(heap.read(L.W, L.inputs * L.outputs), r.W, 1e-5, 1e-4, `W${l}`);
          expectClose(heap.read(L.b, L.outputs), r.b, 1e-5, 1e-4, `b${l}`);
          heap.expectCanaries(L.W, L.inputs * L.outputs);
          heap.expectCanaries(L.b, L.outputs);
          if (opt !== Opt.sgd) expectClose(heap.read(L.mW, L.inputs * L.outputs), (state[l] as { mW: number[] }).mW, 1e-5, 1e-4, `mW${l}`);
        });
      });
    }
  }

  function snapshot(heap: Heap, net: Net): number[] {
    return net.layers.flatMap((L) => {
      const nW = L.inputs * L.outputs;
      return [...heap.read(L.W, nW), ...heap.read(L.b, L.outputs), ...heap.read(L.mW, nW), ...heap.read(L.mb, L.outputs), ...heap.read(L.vW, nW), ...heap.read(L.vb, L.outputs)];
    });
  }

  for (const bits of [0x7fc00000, 0xffc00000]) {
    it(`a NaN (0x${bits.toString(16)}) in X: returns NaN, parameters and optimizer state unchanged`, () => {
      const c = NET_CASES[0] as NetCase;
      const heap = new Heap(createJsBackend());
      const rand = mulberry32(7);
      const net = layoutNet(heap, c.inputs, c.specs, rows, randomF32(rand, rows * c.inputs), labelsFor(c, rows, rand), 8);
      for (const opt of [Opt.sgd, Opt.momentum, Opt.adam]) {
        // One good step first so the optimizer state is not all zeros.
        expect(Number.isFinite(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, 2, net.X, net.Y, rows, c.loss, opt, lr, beta1, beta2, eps, 0, 1, 0, 0))).toBe(true);
        const before = snapshot(heap, net);
        const u = new Uint32Array(heap.backend.memory.buffer);
        const saved = u[(net.X >>> 2) + 4] as number;
        u[(net.X >>> 2) + 4] = bits;
        expect(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, 2, net.X, net.Y, rows, c.loss, opt, lr, beta1, beta2, eps, 0, 2, 0, 0)).toBeNaN();
        expectBitsEqual(snapshot(heap, net), before, 'parameters and state');
        new Uint32Array(heap.backend.memory.buffer)[(net.X >>> 2) + 4] = saved;
      }
    });
  }

  it('a finite loss with an infinite gradient: returns NaN, parameters unchanged', () => {
    const heap = new Heap(createJsBackend());
    // Z = 3e38·0 + 1·0.5 = 0.5 is finite, so is the loss (0.5 − 100)², but dW₀ = 3e38·(−199) overflows f32.
    const net = layoutNet(heap, 2, [{ outputs: 1, act: Act.linear }], 1, [3e38, 1], [100], 9);
    heap.write(net.layers[0]!.W, [0, 0.5]);
    heap.write(net.layers[0]!.b, [0]);
    expect(heap.k.compute_gradients(net.table, 1, net.X, net.Y, 1, Loss.mse, 0)).toBe(99.5 * 99.5);
    expect(heap.read(net.layers[0]!.dW, 2)[0]).toBe(-Infinity);
    for (const opt of [Opt.sgd, Opt.momentum, Opt.adam]) {
      const before = snapshot(heap, net);
      expect(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, 1, net.X, net.Y, 1, Loss.mse, opt, lr, beta1, beta2, eps, 0, 1, 0, 0)).toBeNaN();
      expectBitsEqual(snapshot(heap, net), before, 'parameters and state');
    }
  });

  it('a non-finite loss with finite gradients: returns NaN, parameters unchanged', () => {
    const heap = new Heap(createJsBackend());
    // Z overflows f32 to +Inf: σ = 1 = y makes dZ, and so every gradient, exactly 0, but the loss is Inf − Inf.
    // Weight decay and non-zero optimizer state, so that an update with zero gradients would show.
    const net = layoutNet(heap, 2, [{ outputs: 1, act: Act.sigmoid, weightDecay: 0.1 }], 1, [3e38, 3e38], [1], 10);
    heap.write(net.layers[0]!.W, [2, 2]);
    heap.write(net.layers[0]!.mW, [0.1, 0.1]);
    heap.write(net.layers[0]!.vW, [0.01, 0.01]);
    expect(heap.k.compute_gradients(net.table, 1, net.X, net.Y, 1, Loss.bce, 0)).toBeNaN();
    expect(heap.read(net.layers[0]!.dW, 2)).toEqual([0, 0]);
    for (const opt of [Opt.sgd, Opt.momentum, Opt.adam]) {
      const before = snapshot(heap, net);
      expect(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, 1, net.X, net.Y, 1, Loss.bce, opt, lr, beta1, beta2, eps, 0, 1, 0, 0)).toBeNaN();
      expectBitsEqual(snapshot(heap, net), before, 'parameters and state');
    }
  });

  it('an update that overflows a parameter from finite gradients: +Infinity without an undo buffer', () => {
    const heap = new Heap(createJsBackend());
    const net = layoutNet(heap, 1, [{ outputs: 1, act: Act.linear }], 1, [1], [0], 13);
    heap.write(net.layers[0]!.W, [1]);
    heap.write(net.layers[0]!.b, [0]);
    // loss 1, dW = db = 2: a step of 1e38 takes W to −2e38 (finite) and then to −Inf at twice the rate.
    expect(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, 1, net.X, net.Y, 1, Loss.mse, Opt.sgd, 1e38, 0, 0, 0, 0, 1, 0, 0)).toBe(1);
    expect(heap.read(net.layers[0]!.W, 1)[0]).toBe(Math.fround(1 - 2e38));
    heap.write(net.layers[0]!.W, [1]);
    heap.write(net.layers[0]!.b, [0]);
    expect(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, 1, net.X, net.Y, 1, Loss.mse, Opt.sgd, 2e38, 0, 0, 0, 0, 1, 0, 0)).toBe(Infinity);
    expect(heap.read(net.layers[0]!.W, 1)[0]).toBe(-Infinity);
  });

  for (const [oname, opt] of OPTS) {
    it(`${oname}: an overflowing update with an undo buffer is undone: −Infinity, parameters and state as after the last finite step`, () => {
      const c = NET_CASES[0] as NetCase;
      const heap = new Heap(createJsBackend());
      const rand = mulberry32(21);
      const net = layoutNet(heap, c.inputs, c.specs, rows, randomF32(rand, rows * c.inputs), labelsFor(c, rows, rand), 22);
      const undo = heap.alloc(net.layers.reduce((s, L) => s + 3 * (L.inputs * L.outputs + L.outputs), 0));
      expect(Number.isFinite(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, net.layers.length, net.X, net.Y, rows, c.loss, opt, 0.05, 0.9, 0.999, 1e-8, 0, 1, 0, undo))).toBe(true);
      const before = snapshot(heap, net);
      // lr beyond float32: every update overflows
      expect(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, net.layers.length, net.X, net.Y, rows, c.loss, opt, 1e39, 0.9, 0.999, 1e-8, 0, 2, 0, undo)).toBe(-Infinity);
      expect(snapshot(heap, net)).toEqual(before);
    });
  }

  it('memory growing between steps changes nothing: bit-identical losses and parameters', () => {
    const c = NET_CASES[1] as NetCase;
    const run = (growEvery: number): { losses: number[]; params: number[] } => {
      const heap = new Heap(createJsBackend({ initialPages: 1, maximumPages: 64 }));
      const rand = mulberry32(11);
      const r = 16;
      const net = layoutNet(heap, c.inputs, c.specs, r, randomF32(rand, r * c.inputs, -2, 2), labelsFor(c, r, rand), 12);
      const losses: number[] = [];
      for (let t = 1; t <= 8; t++) {
        if (growEvery > 0 && t % growEvery === 0) {
          const old = heap.backend.memory.buffer;
          heap.backend.memory.grow(1);
          expect(old.byteLength, 'old buffer detached').toBe(0);
        }
        losses.push(trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, 2, net.X, net.Y, r, c.loss, Opt.adam, lr, beta1, beta2, eps, 0, t, 0, 0));
      }
      return { losses, params: snapshot(heap, net) };
    };
    const still = run(0);
    const growing = run(3);
    expect(growing.losses).toEqual(still.losses);
    expectBitsEqual(growing.params, still.params);
    for (const v of still.losses) expect(Number.isFinite(v)).toBe(true);
  });
});
