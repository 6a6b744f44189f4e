import { beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createBackend } from '../support/backends.js';
import { heapsByBuild, KernelHeap } from '../support/kernel-heap.js';
import { expectClose } from '../support/close.js';
import { randomF32, uniform, values } from '../support/random-values.js';

// f32_sgd_update, f32_momentum_update and f32_adam_update (assembly/f32-update.ts).

describe('optimizer updates: SIMD vs scalar vs JS', () => {
  let mems: Record<'simd' | 'scalar' | 'js', KernelHeap>;
  beforeAll(() => {
    mems = heapsByBuild();
  });

  // with and without weight decay: the SIMD build runs a separate loop for each
  it.each([0.01, 0])('optimizers, weight decay %s: SIMD = scalar bit for bit, JS within float32 rounding, every length 1..19', (wd) => {
    for (let n = 1; n <= 19; n++) {
      const p0 = values(n, n), g = values(n, n + 100);
      const results = (['simd', 'scalar', 'js'] as const).map((b) => {
        const mem = mems[b];
        const P = mem.alloc(n), G = mem.alloc(n), M = mem.alloc(n), V = mem.alloc(n);
        const out: Float32Array[] = [];
        mem.write(P, p0); mem.write(G, g);
        mem.k.f32_sgd_update(n, P, G, 0.1, wd);
        out.push(mem.readF32(P, n));
        mem.write(P, p0);
        for (let t = 0; t < 3; t++) mem.k.f32_momentum_update(n, P, G, M, 0.1, 0.9, wd);
        out.push(mem.readF32(P, n), mem.readF32(M, n));
        mem.write(P, p0); mem.write(M, new Float32Array(n)); mem.write(V, new Float32Array(n));
        for (let t = 1; t <= 3; t++) mem.k.f32_adam_update(n, P, G, M, V, 0.01, 0.9, 0.999, 1e-8, t, wd);
        out.push(mem.readF32(P, n), mem.readF32(M, n), mem.readF32(V, n));
        return out;
      });
      expect(results[0]).toEqual(results[1]);
      results[2]!.forEach((arr, k) => {
        for (let i = 0; i < n; i++) expect(Math.abs(arr[i]! - results[0]![k]![i]!)).toBeLessThan(1e-6 * (1 + Math.abs(arr[i]!)));
      });
    }
  });

  it('optimizer state never holds a subnormal: a moment decaying past 2^-126 is stored as +0, on every build', () => {
    const MIN_NORMAL = 1.1754943508222875e-38;
    const isSubnormal = (x: number) => x !== 0 && Math.abs(x) < MIN_NORMAL;
    for (let n = 1; n <= 19; n++) {
      // moments just above the smallest normal (either sign), zero gradients: the next decay crosses it;
      // every third lane an ordinary moment and gradient
      const state = Float32Array.from({ length: n }, (_, i) => (i % 3 === 2 ? 0.25 : (i % 2 ? -1 : 1) * MIN_NORMAL * 1.05));
      const g = Float32Array.from({ length: n }, (_, i) => (i % 3 === 2 ? 0.5 : 0));
      const p0 = values(n, n + 7);
      const results = (['simd', 'scalar', 'js'] as const).map((b) => {
        const mem = mems[b];
        const P = mem.alloc(n), G = mem.alloc(n), M = mem.alloc(n), V = mem.alloc(n);
        mem.write(G, g);
        mem.write(P, p0); mem.write(M, state);
        mem.k.f32_momentum_update(n, P, G, M, 0.1, 0.9, 0);
        const momentum = mem.readF32(M, n);
        const vState = state.map(Math.abs);
        mem.write(P, p0); mem.write(M, state); mem.write(V, vState);
        // beta2 0.9 so that V crosses the threshold in one step too
        mem.k.f32_adam_update(n, P, G, M, V, 0.01, 0.9, 0.9, 1e-8, 5, 0);
        const out = { momentum, m: mem.readF32(M, n), v: mem.readF32(V, n), p: mem.readF32(P, n) };
        return out;
      });
      for (const [b, r] of [['simd', results[0]!], ['scalar', results[1]!], ['js', results[2]!]] as const) {
        for (const [name, arr] of [['momentum', r.momentum], ['m', r.m], ['v', r.v]] as const) {
          arr.forEach((x, i) => {
            expect(isSubnormal(x), `${b} ${name}[${i}] = ${x}`).toBe(false);
            if (i % 3 !== 2) expect(Object.is(x, 0), `${b} ${name}[${i}] = ${x} is +0`).toBe(true);
            else expect(Math.abs(x)).toBeGreaterThan(1e-3);
          });
        }
      }
      expect(results[0]).toEqual(results[1]);
    }
  });
});

// The float64 reference suite (PyTorch's formulas, several steps), on every backend.
describe.each(BACKENDS.map((b) => b.name))('optimizer updates on %s against float64', (kind) => {
  const n = 37;
  const steps = 5;
  const lr = 0.05;

  for (const wd of [0, 0.01]) {
    it(`sgd, momentum and adam, weight decay ${wd}`, () => {
      const heap = new KernelHeap(createBackend(kind));
      const rand = uniform(5);
      const p0 = randomF32(rand, n);
      const grads = Array.from({ length: steps }, () => randomF32(rand, n));
      const pP = heap.put(p0);
      const pG = heap.alloc(n);
      const pM = heap.alloc(n);
      const pV = heap.alloc(n);

      const sgd = p0.slice();
      for (const g of grads) {
        heap.write(pG, g);
        heap.k.f32_sgd_update(n, pP, pG, lr, wd);
        for (let i = 0; i < n; i++) sgd[i] = sgd[i]! - lr * (g[i]! + wd * sgd[i]!);
      }
      expectClose(heap.read(pP, n), sgd, { atol: 1e-6, rtol: 1e-5 }, 'sgd');
      heap.expectCanaries(pP, n);

      const mu = 0.9;
      heap.write(pP, p0);
      const mom = p0.slice();
      const buf = new Array<number>(n).fill(0);
      for (const g of grads) {
        heap.write(pG, g);
        heap.k.f32_momentum_update(n, pP, pG, pM, lr, mu, wd);
        for (let i = 0; i < n; i++) {
          buf[i] = mu * buf[i]! + g[i]! + wd * mom[i]!;
          mom[i] = mom[i]! - lr * buf[i]!;
        }
      }
      expectClose(heap.read(pP, n), mom, { atol: 1e-6, rtol: 1e-5 }, 'momentum P');
      expectClose(heap.read(pM, n), buf, { atol: 1e-6, rtol: 1e-5 }, 'momentum V');

      const [b1, b2, eps] = [0.9, 0.999, 1e-8];
      heap.write(pP, p0);
      heap.write(pM, new Array<number>(n).fill(0));
      const adam = p0.slice();
      const m = new Array<number>(n).fill(0);
      const v = new Array<number>(n).fill(0);
      grads.forEach((g, s) => {
        const t = s + 1;
        heap.write(pG, g);
        heap.k.f32_adam_update(n, pP, pG, pM, pV, lr, b1, b2, eps, t, wd);
        for (let i = 0; i < n; i++) {
          const gi = g[i]! + wd * adam[i]!;
          m[i] = b1 * m[i]! + (1 - b1) * gi;
          v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
          const mHat = m[i]! / (1 - b1 ** t);
          const vHat = v[i]! / (1 - b2 ** t);
          adam[i] = adam[i]! - (lr * mHat) / (Math.sqrt(vHat) + eps);
        }
      });
      expectClose(heap.read(pP, n), adam, { atol: 1e-6, rtol: 1e-5 }, 'adam P');
      expectClose(heap.read(pM, n), m, { atol: 1e-7, rtol: 1e-5 }, 'adam M');
      expectClose(heap.read(pV, n), v, { atol: 1e-8, rtol: 1e-5 }, 'adam V');
      heap.expectCanaries(pV, n);
    });
  }
});
