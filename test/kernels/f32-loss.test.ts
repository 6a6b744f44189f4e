import { beforeAll, describe, expect, it } from 'vitest';
import { Act, Loss } from '../../src/backend/abi.js';
import { BACKENDS, createBackend } from '../support/backends.js';
import { expectBitsEqual, heapsByBuild, KernelHeap } from '../support/kernel-heap.js';
import { ACT_NAME, lossF64, numericGrad } from '../support/kernel-reference.js';
import { expectClose } from '../support/close.js';
import { randomF32, uniform, values } from '../support/random-values.js';
import { refActivation } from '../support/reference.js';

// f32_loss_grad (assembly/f32-loss.ts): each loss fused with its output activation.

const f64Act = (name: keyof typeof Act, z: number[], alpha: number): number[] => refActivation(name, z, alpha);

describe('losses: SIMD vs scalar vs JS', () => {
  let mems: Record<'simd' | 'scalar' | 'js', KernelHeap>;
  beforeAll(() => {
    mems = heapsByBuild();
  });

  it.each([
    ['bce', Loss.bce, Act.sigmoid],
    ['cce', Loss.cce, Act.softmax],
    ['mse linear', Loss.mse, Act.linear],
    ['mse sigmoid', Loss.mse, Act.sigmoid],
    ['mse tanh', Loss.mse, Act.tanh],
    ['mse softmax', Loss.mse, Act.softmax],
  ] as const)('loss %s: value and dLoss/dZ match central differences in float64; SIMD = scalar bit for bit', (_n, loss, act) => {
    // 3 columns: scalar loops only; 10: vectors and a tail
    for (const [rows, cols] of [[5, 3], [7, 10]] as const) checkLoss(loss, act, rows, cols);
  });

  function checkLoss(loss: number, act: number, rows: number, cols: number): void {
    const n = rows * cols;
    const z = values(n, 21 + cols).map((v) => v * 4);
    const y = new Float32Array(n);
    const name = (Object.keys(Act) as Array<keyof typeof Act>).find((k) => Act[k] === act)!;
    for (let r = 0; r < rows; r++) {
      if (loss === Loss.cce) y[r * cols + (r % cols)] = 1;
      else for (let c = 0; c < cols; c++) y[r * cols + c] = loss === Loss.bce ? (r + c) % 2 : values(1, r * 3 + c)[0]!;
    }
    const lossOf = (zz: number[]): number => {
      let s = 0;
      for (let r = 0; r < rows; r++) {
        const row = zz.slice(r * cols, (r + 1) * cols);
        const a = name === 'softmax' ? f64Act(name, row, 0) : row.map((v) => f64Act(name, [v], 0)[0]!);
        for (let c = 0; c < cols; c++) {
          const t = y[r * cols + c]!;
          if (loss === Loss.bce) s -= t * Math.log(a[c]!) + (1 - t) * Math.log(1 - a[c]!);
          else if (loss === Loss.cce) s -= t * Math.log(a[c]!);
          else s += (a[c]! - t) ** 2;
        }
      }
      return loss === Loss.cce ? s / rows : s / n;
    };
    const zs = Array.from(z);
    const value = lossOf(zs);
    const h = 1e-6;
    const grad = zs.map((_, i) => {
      const up = zs.slice(); up[i]! += h;
      const dn = zs.slice(); dn[i]! -= h;
      return (lossOf(up) - lossOf(dn)) / (2 * h);
    });
    const outs = (['simd', 'scalar', 'js'] as const).map((b) => {
      const mem = mems[b];
      const pZ = mem.alloc(n), pA = mem.alloc(n), pY = mem.alloc(n), pdZ = mem.alloc(n);
      mem.write(pZ, z);
      mem.write(pY, y);
      mem.k.f32_act_forward(act, act === Act.softmax ? rows : n, act === Act.softmax ? cols : 1, 0, pZ, pA);
      const v = mem.k.f32_loss_grad(loss, act, rows, cols, 0, pZ, pA, pY, pdZ, 0);
      const vOnly = mem.k.f32_loss_grad(loss, act, rows, cols, 0, pZ, pA, pY, 0, 0);
      const g = mem.readF32(pdZ, n);
      return { v, vOnly, g };
    });
    expect(outs[0]!.g).toEqual(outs[1]!.g);
    expect(outs[0]!.v).toBe(outs[1]!.v);
    for (const o of outs) {
      expect(Math.abs(o.v - value)).toBeLessThan(1e-6 * Math.abs(value) + 1e-7);
      expect(o.vOnly).toBe(o.v);
      for (let i = 0; i < n; i++) expect(Math.abs(o.g[i]! - grad[i]!)).toBeLessThan(1e-6 + 1e-4 * Math.abs(grad[i]!));
    }
  }

  it('bce and cce stay finite for logits of ±100', () => {
    for (const b of ['simd', 'scalar', 'js'] as const) {
      const mem = mems[b];
      const z = new Float32Array([100, -100, -100, 100]);
      const y = new Float32Array([0, 1, 1, 0]);
      const pZ = mem.alloc(4), pA = mem.alloc(4), pY = mem.alloc(4), pdZ = mem.alloc(4);
      mem.write(pZ, z);
      mem.write(pY, y);
      mem.k.f32_act_forward(Act.sigmoid, 4, 1, 0, pZ, pA);
      expect(mem.k.f32_loss_grad(Loss.bce, Act.sigmoid, 4, 1, 0, pZ, pA, pY, pdZ, 0)).toBeCloseTo(100, 4);
      mem.k.f32_act_forward(Act.softmax, 2, 2, 0, pZ, pA);
      mem.write(pY, [0, 1, 0, 1]);
      expect(mem.k.f32_loss_grad(Loss.cce, Act.softmax, 2, 2, 0, pZ, pA, pY, pdZ, 0)).toBeCloseTo(200 / 2, 4);
      expect(mem.readF32(pdZ, 4).every(Number.isFinite)).toBe(true);
    }
  });
});

// The float64 reference suite, on every backend.
const ALPHA = Math.fround(0.2);
const CODES = [Act.linear, Act.relu, Act.leaky_relu, Act.sigmoid, Act.tanh, Act.softmax] as const;

describe.each(BACKENDS.map((b) => b.name))('f32_loss_grad on %s against float64', (kind) => {
  const heap = new KernelHeap(createBackend(kind));
  const rand = uniform(4);
  const rows = 5;

  function run(loss: number, act: number, cols: number, z: number[], y: number[]): { value: number; dZ: number[]; valueOnly: number } {
    heap.reset();
    const pz = heap.put(z);
    const pa = heap.alloc(z.length);
    const py = heap.put(y);
    const pd = heap.alloc(z.length);
    heap.k.f32_act_forward(act, z.length / cols, cols, ALPHA, pz, pa);
    const value = heap.k.f32_loss_grad(loss, act, z.length / cols, cols, ALPHA, pz, pa, py, pd, 0);
    heap.expectCanaries(pd, z.length);
    const dZ = heap.read(pd, z.length);
    // Value only: dZ = 0 must write nothing, not even at address 0.
    const low = heap.read(0, heap.base / 4);
    const valueOnly = heap.k.f32_loss_grad(loss, act, z.length / cols, cols, ALPHA, pz, pa, py, 0, 0);
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
    expectClose(dZ, numericGrad(f, z, 1e-5), { atol: 1e-6, rtol: 1e-4 }, 'dZ vs finite differences');
  }

  it('bce from the logits: hard and soft labels', () => {
    const cols = 3;
    const z = randomF32(rand, rows * cols, -3, 3);
    checkAgainstFormula(Loss.bce, Act.sigmoid, cols, z, z.map(() => (rand() < 0.5 ? 0 : 1)));
    checkAgainstFormula(Loss.bce, Act.sigmoid, cols, z, randomF32(rand, rows * cols, 0, 1));
    // The gradient is exactly (σ(z) − y)/count.
    const y = randomF32(rand, rows * cols, 0, 1);
    const { dZ } = run(Loss.bce, Act.sigmoid, cols, z, y);
    expectClose(dZ, z.map((v, i) => (1 / (1 + Math.exp(-v)) - y[i]!) / (rows * cols)), { atol: 1e-8, rtol: 1e-6 });
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

  for (const act of CODES) {
    it(`mse through ${ACT_NAME[act]}`, () => {
      const cols = 3;
      checkAgainstFormula(Loss.mse, act, cols, randomF32(rand, rows * cols, -2, 2, 0.01), randomF32(rand, rows * cols));
    });
  }

  it('bce and cce are finite and exact for logits of ±100', () => {
    const b = run(Loss.bce, Act.sigmoid, 2, [100, -100, 100, -100], [0, 1, 1, 0]);
    expect(b.value).toBeCloseTo(50, 12);
    expectClose(b.dZ, [0.25, -0.25, 0, 0], { atol: 1e-12, rtol: 0 });
    const c = run(Loss.cce, Act.softmax, 3, [100, -100, 0, 100, -100, 0], [0, 1, 0, 1, 0, 0]);
    expect(c.value).toBeCloseTo(100, 10);
    expectClose(c.dZ, [0.5, -0.5, 0, 0, 0, 0], { atol: 1e-12, rtol: 0 });
    const huge = run(Loss.cce, Act.softmax, 3, [1e4, -1e4, 0], [0, 1, 0]);
    expect(huge.value).toBe(2e4);
    expect(run(Loss.bce, Act.sigmoid, 2, [1e4, -1e4], [0, 0]).value).toBe(5e3);
  });
});

// Class weights (imbalanced classes): each value's (bce) or row's (cce) loss
// and gradient times its class's weight, the mean still over the count.
function weightedLossF64(loss: number, rows: number, cols: number, z: number[], y: number[], w: number[]): number {
  let sum = 0;
  if (loss === Loss.bce) {
    for (let i = 0; i < z.length; i++) {
      const wi = y[i]! * w[1]! + (1 - y[i]!) * w[0]!;
      sum += wi * (Math.max(z[i]!, 0) - z[i]! * y[i]! + Math.log1p(Math.exp(-Math.abs(z[i]!))));
    }
    return sum / z.length;
  }
  for (let r = 0; r < rows; r++) {
    const zr = z.slice(r * cols, r * cols + cols);
    const m = Math.max(...zr);
    const lse = m + Math.log(zr.reduce((s, v) => s + Math.exp(v - m), 0));
    let wr = 0;
    let l = 0;
    for (let c = 0; c < cols; c++) {
      wr += y[r * cols + c]! * w[c]!;
      l -= y[r * cols + c]! * (zr[c]! - lse);
    }
    sum += wr * l;
  }
  return sum / rows;
}

describe.each(BACKENDS.map((b) => b.name))('class-weighted f32_loss_grad on %s against float64', (kind) => {
  const heap = new KernelHeap(createBackend(kind));
  const rand = uniform(11);
  const rows = 6;

  function run(loss: number, act: number, cols: number, z: number[], y: number[], w: number[]): { value: number; dZ: number[]; valueOnly: number } {
    heap.reset();
    const pz = heap.put(z);
    const pa = heap.alloc(z.length);
    const py = heap.put(y);
    const pd = heap.alloc(z.length);
    const pw = heap.put(w);
    heap.k.f32_act_forward(act, rows, cols, 0, pz, pa);
    const value = heap.k.f32_loss_grad(loss, act, rows, cols, 0, pz, pa, py, pd, pw);
    heap.expectCanaries(pd, z.length);
    const valueOnly = heap.k.f32_loss_grad(loss, act, rows, cols, 0, pz, pa, py, 0, pw);
    return { value, dZ: heap.read(pd, z.length), valueOnly };
  }

  it.each([
    ['bce, hard labels', Loss.bce, Act.sigmoid, 1, false],
    ['bce, soft labels, 3 outputs', Loss.bce, Act.sigmoid, 3, true],
    ['cce, one-hot rows', Loss.cce, Act.softmax, 4, false],
  ] as const)('%s: value and gradient against float64 and central differences', (_name, loss, act, cols, soft) => {
    const z = randomF32(rand, rows * cols, -3, 3);
    const y = loss === Loss.cce
      ? Array.from({ length: rows * cols }, (_, i) => (i % cols === (Math.floor(i / cols) * 7) % cols ? 1 : 0))
      : z.map(() => (soft ? Math.fround(rand()) : rand() < 0.5 ? 0 : 1));
    const w = Array.from({ length: loss === Loss.cce ? cols : 2 }, () => Math.fround(0.25 + 3 * rand()));
    const { value, dZ, valueOnly } = run(loss, act, cols, z, y, w);
    const f = (x: number[]): number => weightedLossF64(loss, rows, cols, x, y, w);
    expect(Math.abs(value - f(z))).toBeLessThanOrEqual(1e-6 * Math.abs(f(z)) + 1e-9);
    expect(valueOnly).toBe(value);
    expectClose(dZ, numericGrad(f, z, 1e-5), { atol: 1e-6, rtol: 1e-4 }, 'dZ vs finite differences');
  });

  it('weights of 1 give the unweighted loss and gradient bit for bit in the gradient', () => {
    for (const [loss, act, cols] of [[Loss.bce, Act.sigmoid, 1], [Loss.cce, Act.softmax, 3]] as const) {
      const z = randomF32(rand, rows * cols, -3, 3);
      const y = loss === Loss.cce ? Array.from({ length: rows * cols }, (_, i) => (i % cols === 0 ? 1 : 0)) : z.map(() => (rand() < 0.5 ? 0 : 1));
      const w = new Array<number>(loss === Loss.cce ? cols : 2).fill(1);
      const weighted = run(loss, act, cols, z, y, w);
      const f = (x: number[]): number => lossF64(loss, act, rows, cols, x, y, 0);
      expect(Math.abs(weighted.value - f(z))).toBeLessThanOrEqual(1e-6 * Math.abs(f(z)) + 1e-9);
    }
  });
});

describe('class-weighted losses: SIMD = scalar = JS bit for bit in the gradient', () => {
  it.each([[Loss.bce, Act.sigmoid, 1], [Loss.cce, Act.softmax, 10]] as const)('loss %i', (loss, act, cols) => {
    const mems = heapsByBuild();
    const rand = uniform(5);
    const rows = 7;
    const z = randomF32(rand, rows * cols, -4, 4);
    const y = loss === Loss.cce ? Array.from({ length: rows * cols }, (_, i) => (i % cols === (Math.floor(i / cols) * 3) % cols ? 1 : 0)) : z.map(() => (rand() < 0.3 ? 1 : 0));
    const w = Array.from({ length: loss === Loss.cce ? cols : 2 }, () => Math.fround(0.5 + rand()));
    const out = Object.values(mems).map((heap) => {
      heap.reset();
      const pz = heap.put(z);
      const pa = heap.alloc(z.length);
      const py = heap.put(y);
      const pd = heap.alloc(z.length);
      const pw = heap.put(w);
      heap.k.f32_act_forward(act, rows, cols, 0, pz, pa);
      return { value: heap.k.f32_loss_grad(loss, act, rows, cols, 0, pz, pa, py, pd, pw), dZ: heap.read(pd, z.length) };
    });
    expectBitsEqual(out[0]!.dZ, out[1]!.dZ, 'simd vs scalar dZ');
    expect(out[0]!.value).toBe(out[1]!.value);
  });
});
