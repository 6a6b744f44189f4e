import { beforeAll, describe, expect, it } from 'vitest';
import { Act } from '../../src/backend/abi.js';
import { BACKENDS, createBackend, WASM_EXP_FLOOR } from '../support/backends.js';
import { expectBitsEqual, heapsByBuild, KernelHeap, NAN_NEGATIVE, NAN_POSITIVE } from '../support/kernel-heap.js';
import { ACT_NAME, actF64, applyAct, numericGrad, softmaxF64 } from '../support/kernel-reference.js';
import { expectClose } from '../support/close.js';
import { randomF32, uniform, values } from '../support/random-values.js';
import { refActivation } from '../support/reference.js';

// f32_act_forward and f32_act_backward (assembly/f32-act.ts).

const ACTS = Object.entries(Act) as Array<[keyof typeof Act, number]>;

const f64Act = (name: keyof typeof Act, z: number[], alpha: number): number[] => refActivation(name, z, alpha);

describe('activations: SIMD vs scalar vs JS', () => {
  let mems: Record<'simd' | 'scalar' | 'js', KernelHeap>;
  beforeAll(() => {
    mems = heapsByBuild();
  });

  function forward(mem: KernelHeap, act: number, rows: number, cols: number, alpha: number, z: Float32Array): Float32Array {
    const pZ = mem.alloc(z.length);
    const pA = mem.alloc(z.length);
    mem.write(pZ, z);
    mem.k.f32_act_forward(act, rows, cols, alpha, pZ, pA);
    const out = mem.readF32(pA, z.length);
    return out;
  }

  it.each(ACTS)('%s forward: every length 1..19, wide range, vs float64', (name, code) => {
    for (let n = 1; n <= 19; n++) {
      const z = values(n, n).map((v) => v * 12);
      const rows = name === 'softmax' ? 1 : n;
      const cols = name === 'softmax' ? n : 1;
      const outs = (['simd', 'scalar', 'js'] as const).map((b) => forward(mems[b], code, rows, cols, 0.01, z));
      expect(outs[0], `${name} n=${n}: SIMD build = scalar build`).toEqual(outs[1]);
      const e = f64Act(name, Array.from(z), 0.01);
      for (const out of outs) {
        for (let i = 0; i < n; i++) expect(Math.abs(out[i]! - e[i]!)).toBeLessThanOrEqual(3e-7 * Math.abs(e[i]!) + 1e-7);
      }
    }
  });

  it('tanh and sigmoid keep relative accuracy near 0 and saturate cleanly', () => {
    const z = new Float32Array([1e-6, -3e-5, 0.001, 0.6249, 0.6251, -9, 9, 20, -20, 88, -88, 100, -100]);
    for (const b of ['simd', 'scalar'] as const) {
      const t = forward(mems[b], Act.tanh, z.length, 1, 0, z);
      const s = forward(mems[b], Act.sigmoid, z.length, 1, 0, z);
      for (let i = 0; i < z.length; i++) {
        const et = Math.tanh(z[i]!);
        const es = 1 / (1 + Math.exp(-z[i]!));
        expect(Math.abs(t[i]! - et)).toBeLessThanOrEqual(4e-7 * Math.abs(et) + 1e-30);
        expect(Math.abs(s[i]! - es)).toBeLessThanOrEqual(4e-7 * Math.abs(es) + 1e-37);
      }
    }
  });

  it('softmax is stable for logits of ±100 and rows sum to 1', () => {
    const z = new Float32Array([100, -100, 0, 99.5, -100, 100, 100, 100]);
    for (const b of ['simd', 'scalar', 'js'] as const) {
      const a = forward(mems[b], Act.softmax, 2, 4, 0, z);
      expect(a.every(Number.isFinite)).toBe(true);
      expect(Math.abs(a[0]! + a[1]! + a[2]! + a[3]! - 1)).toBeLessThan(1e-6);
      expect(Math.abs(a[4]! + a[5]! + a[6]! + a[7]! - 1)).toBeLessThan(1e-6);
      expect(a[0]).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 6);
    }
  });

  it.each(ACTS)('%s: NaN in gives NaN out, for both NaN sign bits', (name, code) => {
    for (const bits of [NAN_POSITIVE, NAN_NEGATIVE]) {
      const z = new Float32Array(9).fill(0.5);
      new Uint32Array(z.buffer)[5] = bits;
      for (const b of ['simd', 'scalar', 'js'] as const) {
        const a = forward(mems[b], code, name === 'softmax' ? 1 : 9, name === 'softmax' ? 9 : 1, 0.01, z);
        expect(Number.isNaN(a[5]), `${name} ${b} 0x${bits.toString(16)}`).toBe(true);
        if (name !== 'softmax') expect(a[4]).toBe(forward(mems[b], code, 1, 1, 0.01, new Float32Array([0.5]))[0]);
      }
    }
  });

  it.each(ACTS)('%s backward matches central differences of the float64 forward', (name, code) => {
    const rows = 3, cols = 7;
    const z = values(rows * cols, 11).map((v) => v * 3);
    // keep relu-family kinks away from the difference step
    for (let i = 0; i < z.length; i++) if (Math.abs(z[i]!) < 0.05) z[i] = 0.3;
    const dA = values(rows * cols, 12);
    const h = 1e-6;
    const fwdRow = (r: number[]): number[] => f64Act(name, r, 0.02);
    const expected = new Float64Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = Array.from(z.subarray(r * cols, (r + 1) * cols));
      for (let c = 0; c < cols; c++) {
        const up = row.slice(); up[c]! += h;
        const dn = row.slice(); dn[c]! -= h;
        // elementwise activations: the row function is applied per element
        const fu = name === 'softmax' ? fwdRow(up) : up.map((v) => fwdRow([v])[0]!);
        const fd = name === 'softmax' ? fwdRow(dn) : dn.map((v) => fwdRow([v])[0]!);
        let g = 0;
        for (let k = 0; k < cols; k++) g += dA[r * cols + k]! * (fu[k]! - fd[k]!) / (2 * h);
        expected[r * cols + c] = g;
      }
    }
    const results = (['simd', 'scalar', 'js'] as const).map((b) => {
      const mem = mems[b];
      const n = rows * cols;
      const pZ = mem.alloc(n), pA = mem.alloc(n), pdA = mem.alloc(n), pdZ = mem.alloc(n);
      mem.write(pZ, z);
      mem.write(pdA, dA);
      const ar = name === 'softmax' ? rows : n;
      const ac = name === 'softmax' ? cols : 1;
      mem.k.f32_act_forward(code, ar, ac, 0.02, pZ, pA);
      mem.k.f32_act_backward(code, ar, ac, 0.02, pZ, pA, pdA, pdZ);
      const out = mem.readF32(pdZ, n);
      // in place (dZ aliasing dA) gives the same
      mem.k.f32_act_backward(code, ar, ac, 0.02, pZ, pA, pdA, pdA);
      expect(mem.readF32(pdA, n)).toEqual(out);
      return out;
    });
    expect(results[0]).toEqual(results[1]);
    for (const out of results) {
      for (let i = 0; i < rows * cols; i++) expect(Math.abs(out[i]! - expected[i]!)).toBeLessThan(2e-5 + 1e-4 * Math.abs(expected[i]!));
    }
  });
});

// The float64 reference suite, on every backend.
const ALPHA = Math.fround(0.2);
const CODES = [Act.linear, Act.relu, Act.leaky_relu, Act.sigmoid, Act.tanh, Act.softmax] as const;

describe.each(BACKENDS.map((b) => b.name))('activations on %s against float64', (kind) => {
  const heap = new KernelHeap(createBackend(kind));
  const rand = uniform(3);
  const rows = 6;
  const cols = 7;

  for (const act of CODES) {
    it(`${ACT_NAME[act]}: forward matches the formula, backward matches finite differences`, () => {
      heap.reset();
      // Away from relu's kink by much more than the difference step.
      const z = randomF32(rand, rows * cols, -4, 4, 0.01);
      const dA = randomF32(rand, rows * cols);
      const pz = heap.put(z);
      const pa = heap.alloc(rows * cols);
      heap.k.f32_act_forward(act, rows, cols, ALPHA, pz, pa);
      const a = heap.read(pa, rows * cols);
      expectClose(a, applyAct(act, rows, cols, z, ALPHA), { atol: 1e-7, rtol: 1e-6 }, 'forward');
      heap.expectCanaries(pa, rows * cols);

      const pg = heap.put(dA);
      const pd = heap.alloc(rows * cols);
      heap.k.f32_act_backward(act, rows, cols, ALPHA, pz, pa, pg, pd);
      // d/dz of Σ dA ⊙ act(z), row by row, by central differences.
      const expected: number[] = [];
      for (let r = 0; r < rows; r++) {
        const zr = z.slice(r * cols, (r + 1) * cols);
        const gr = dA.slice(r * cols, (r + 1) * cols);
        const f = (x: number[]): number => applyAct(act, 1, cols, x, ALPHA).reduce((s, v, c) => s + v * gr[c]!, 0);
        expected.push(...numericGrad(f, zr, 1e-5));
      }
      expectClose(heap.read(pd, rows * cols), expected, { atol: 1e-6, rtol: 1e-5 }, 'backward');
      heap.expectCanaries(pd, rows * cols);

      // In place: A over Z, dZ over dA, with the same bits as out of place.
      const pz2 = heap.put(z);
      heap.k.f32_act_forward(act, rows, cols, ALPHA, pz2, pz2);
      expectBitsEqual(heap.read(pz2, rows * cols), a, 'forward in place');
      const pg2 = heap.put(dA);
      heap.k.f32_act_backward(act, rows, cols, ALPHA, pz, pa, pg2, pg2);
      expectBitsEqual(heap.read(pg2, rows * cols), heap.read(pd, rows * cols), 'backward in place');
    });
  }

  it("relu'(0) = 0 and leaky_relu'(0) = alpha", () => {
    heap.reset();
    const pz = heap.put([0, -0]);
    const pa = heap.alloc(2);
    const pg = heap.put([3, 3]);
    const pd = heap.alloc(2);
    heap.k.f32_act_forward(Act.relu, 1, 2, 0, pz, pa);
    heap.k.f32_act_backward(Act.relu, 1, 2, 0, pz, pa, pg, pd);
    expect(heap.read(pd, 2)).toEqual([0, 0]);
    heap.k.f32_act_forward(Act.leaky_relu, 1, 2, ALPHA, pz, pa);
    heap.k.f32_act_backward(Act.leaky_relu, 1, 2, ALPHA, pz, pa, pg, pd);
    expect(heap.read(pd, 2)).toEqual([Math.fround(3 * ALPHA), Math.fround(3 * ALPHA)]);
  });

  it('softmax rows sum to 1 and stay finite for logits of ±100; sigmoid too', () => {
    heap.reset();
    const z = [100, -100, 100, 0, -100, -100, -100, -100, 100, 99, -100, 50];
    const pz = heap.put(z);
    const pa = heap.alloc(z.length);
    heap.k.f32_act_forward(Act.softmax, 3, 4, 0, pz, pa);
    const a = heap.read(pa, z.length);
    for (const v of a) expect(Number.isFinite(v) && v >= 0 && v <= 1).toBe(true);
    for (let r = 0; r < 3; r++) expect(Math.abs(a.slice(r * 4, r * 4 + 4).reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-6);
    expectClose(a, [0.5, 0, 0.5, 0, 0.25, 0.25, 0.25, 0.25, 1 / (1 + Math.exp(-1)), 1 / (1 + Math.exp(1)), 0, 0], { atol: 1e-7, rtol: 1e-6 });

    // Far beyond where e^z overflows even float64: only max subtraction keeps these finite.
    const pbig = heap.put([1e4, -1e4, 1e4, 0]);
    heap.k.f32_act_forward(Act.softmax, 1, 4, 0, pbig, pbig);
    if (kind === 'js') expect(heap.read(pbig, 4)).toEqual([0.5, 0, 0.5, 0]);
    else expectClose(heap.read(pbig, 4), [0.5, 0, 0.5, 0], { atol: WASM_EXP_FLOOR, rtol: 0 });

    heap.k.f32_act_forward(Act.sigmoid, 3, 4, 0, pz, pa);
    for (const [i, v] of heap.read(pa, z.length).entries()) {
      expect(Number.isFinite(v)).toBe(true);
      expect(Math.abs(v - 1 / (1 + Math.exp(-z[i]!)))).toBeLessThan(1e-7);
    }
    heap.k.f32_act_forward(Act.tanh, 3, 4, 0, pz, pa);
    expect(heap.read(pa, 4)).toEqual([1, -1, 1, 0]);
  });

  for (const bits of [NAN_POSITIVE, NAN_NEGATIVE]) {
    it(`NaN 0x${bits.toString(16)} in gives NaN out, neighbours untouched`, () => {
      for (const act of CODES) {
        heap.reset();
        const pz = heap.put([1, -2, 0, 3, 0.5, -0.5]);
        heap.u32()[(pz >>> 2) + 1] = bits;
        const pa = heap.alloc(6);
        heap.k.f32_act_forward(act, 2, 3, ALPHA, pz, pa);
        const a = heap.read(pa, 6);
        expect(Number.isNaN(a[1]), ACT_NAME[act]).toBe(true);
        if (act === Act.softmax) {
          expect(a.slice(0, 3).every(Number.isNaN), 'softmax: the whole row').toBe(true);
          expectClose(a.slice(3), softmaxF64([3, 0.5, -0.5]), { atol: 1e-7, rtol: 1e-6 });
        } else {
          expectClose([a[0]!, ...a.slice(2)], [1, 0, 3, 0.5, -0.5].map((v) => actF64(act, v, ALPHA)), { atol: 1e-7, rtol: 1e-6 });
        }
      }
    });
  }
});
