import { beforeAll, describe, expect, it } from 'vitest';
import { Act, Loss } from '../../src/backend/abi.js';
import { runtimeFor } from '../support/backends.js';
import { KernelMemory, values } from '../support/kernel-memory.js';
import { refActivation } from '../support/reference.js';

const ACTS = Object.entries(Act) as Array<[keyof typeof Act, number]>;
const NAN_POSITIVE = 0x7fc00000;
const NAN_NEGATIVE = 0xffc00000; // what Wasm arithmetic can produce

const f64Act = (name: keyof typeof Act, z: number[], alpha: number): number[] => refActivation(name, z, alpha);

describe('activations, losses and optimizers: SIMD vs scalar vs JS', () => {
  let mems: Record<'simd' | 'scalar' | 'js', KernelMemory>;
  beforeAll(async () => {
    mems = {
      simd: new KernelMemory(await runtimeFor({ simd: true })),
      scalar: new KernelMemory(await runtimeFor({ simd: false })),
      js: new KernelMemory(await runtimeFor({ backend: 'js' })),
    };
  });

  function forward(mem: KernelMemory, act: number, rows: number, cols: number, alpha: number, z: Float32Array): Float32Array {
    const pZ = mem.alloc(z.length);
    const pA = mem.alloc(z.length);
    mem.write(pZ, z);
    mem.k.act_forward(act, rows, cols, alpha, pZ, pA);
    const out = mem.read(pA, z.length);
    mem.release(pZ, pA);
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
      mem.k.act_forward(code, ar, ac, 0.02, pZ, pA);
      mem.k.act_backward(code, ar, ac, 0.02, pZ, pA, pdA, pdZ);
      const out = mem.read(pdZ, n);
      // in place (dZ aliasing dA) gives the same
      mem.k.act_backward(code, ar, ac, 0.02, pZ, pA, pdA, pdA);
      expect(mem.read(pdA, n)).toEqual(out);
      mem.release(pZ, pA, pdA, pdZ);
      return out;
    });
    expect(results[0]).toEqual(results[1]);
    for (const out of results) {
      for (let i = 0; i < rows * cols; i++) expect(Math.abs(out[i]! - expected[i]!)).toBeLessThan(2e-5 + 1e-4 * Math.abs(expected[i]!));
    }
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
      mem.k.act_forward(act, act === Act.softmax ? rows : n, act === Act.softmax ? cols : 1, 0, pZ, pA);
      const v = mem.k.loss_grad(loss, act, rows, cols, 0, pZ, pA, pY, pdZ);
      const vOnly = mem.k.loss_grad(loss, act, rows, cols, 0, pZ, pA, pY, 0);
      const g = mem.read(pdZ, n);
      mem.release(pZ, pA, pY, pdZ);
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
      mem.k.act_forward(Act.sigmoid, 4, 1, 0, pZ, pA);
      expect(mem.k.loss_grad(Loss.bce, Act.sigmoid, 4, 1, 0, pZ, pA, pY, pdZ)).toBeCloseTo(100, 4);
      mem.k.act_forward(Act.softmax, 2, 2, 0, pZ, pA);
      mem.write(pY, [0, 1, 0, 1]);
      expect(mem.k.loss_grad(Loss.cce, Act.softmax, 2, 2, 0, pZ, pA, pY, pdZ)).toBeCloseTo(200 / 2, 4);
      expect(mem.read(pdZ, 4).every(Number.isFinite)).toBe(true);
      mem.release(pZ, pA, pY, pdZ);
    }
  });

  /** v with each of NaN, ±Infinity and a negative NaN in turn at position i, for every i < v.length. */
  function* withOneNonFinite(v: Float32Array): Generator<[Float32Array, string]> {
    for (let i = 0; i < v.length; i++) {
      for (const x of [NaN, Infinity, -Infinity]) {
        const w = v.slice();
        w[i] = x;
        yield [w, `${x} at ${i}`];
      }
      const w = v.slice();
      new Uint32Array(w.buffer)[i] = NAN_NEGATIVE;
      yield [w, `negative NaN at ${i}`];
    }
  }

  it('all_finite: every length 0..70, one NaN (either sign) or ±Infinity at every position', () => {
    for (const b of ['simd', 'scalar', 'js'] as const) {
      const mem = mems[b];
      for (let n = 0; n <= 70; n++) {
        const P = mem.alloc(n + 1);
        const v = values(n, n).map((e, i) => (i % 7 === 0 ? 3.4e38 : e));
        mem.write(P, v);
        expect(mem.k.all_finite(n, P), `${b} n=${n} all finite`).toBe(1);
        for (const [w, what] of withOneNonFinite(v)) {
          mem.write(P, w);
          expect(mem.k.all_finite(n, P), `${b} n=${n} ${what}`).toBe(0);
        }
        // the value after the n counted ones is not looked at
        mem.write(P + n * 4, [NaN]);
        mem.write(P, v);
        expect(mem.k.all_finite(n, P)).toBe(1);
        mem.release(P);
      }
    }
  });

  it('sum_squares: every length 0..70, the documented float64 order on all three builds, bit for bit', () => {
    for (let n = 0; n <= 70; n++) {
      const v = values(n, n + 500).map((e, i) => (i % 5 === 0 ? e * 1e18 : e));
      // lane sums over i ≡ q (mod 4), (s0 + s1) + (s2 + s3), then the tail in order
      const s = [0, 0, 0, 0];
      const n4 = n & ~3;
      for (let i = 0; i < n4; i++) s[i % 4] += v[i]! * v[i]!;
      let expected = (s[0]! + s[1]!) + (s[2]! + s[3]!);
      for (let i = n4; i < n; i++) expected += v[i]! * v[i]!;
      for (const b of ['simd', 'scalar', 'js'] as const) {
        const mem = mems[b];
        const P = mem.alloc(n + 1);
        mem.write(P, v);
        expect(mem.k.sum_squares(n, P), `${b} n=${n}`).toBe(expected);
        mem.release(P);
      }
    }
  });

  it('max_abs_finite: every length 0..70, the largest |x| exactly; NaN (either sign) or ±Infinity at any position gives NaN', () => {
    for (const b of ['simd', 'scalar', 'js'] as const) {
      const mem = mems[b];
      for (let n = 0; n <= 70; n++) {
        const P = mem.alloc(n + 1);
        const v = values(n, n + 900).map((e, i) => (i % 9 === 4 ? -e * 1e30 : e));
        mem.write(P, v);
        const expected = v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
        expect(mem.k.max_abs_finite(n, P), `${b} n=${n}`).toBe(expected);
        for (const [w, what] of withOneNonFinite(v)) {
          mem.write(P, w);
          expect(mem.k.max_abs_finite(n, P), `${b} n=${n} ${what}`).toBeNaN();
        }
        // the value after the n counted ones is not looked at
        mem.write(P + n * 4, [Infinity]);
        mem.write(P, v);
        expect(mem.k.max_abs_finite(n, P)).toBe(expected);
        mem.release(P);
      }
    }
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
        mem.k.sgd_update(n, P, G, 0.1, wd);
        out.push(mem.read(P, n));
        mem.write(P, p0);
        for (let t = 0; t < 3; t++) mem.k.momentum_update(n, P, G, M, 0.1, 0.9, wd);
        out.push(mem.read(P, n), mem.read(M, n));
        mem.write(P, p0); mem.write(M, new Float32Array(n)); mem.write(V, new Float32Array(n));
        for (let t = 1; t <= 3; t++) mem.k.adam_update(n, P, G, M, V, 0.01, 0.9, 0.999, 1e-8, t, wd);
        out.push(mem.read(P, n), mem.read(M, n), mem.read(V, n));
        mem.release(P, G, M, V);
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
        mem.k.momentum_update(n, P, G, M, 0.1, 0.9, 0);
        const momentum = mem.read(M, n);
        const vState = state.map(Math.abs);
        mem.write(P, p0); mem.write(M, state); mem.write(V, vState);
        // beta2 0.9 so that V crosses the threshold in one step too
        mem.k.adam_update(n, P, G, M, V, 0.01, 0.9, 0.9, 1e-8, 5, 0);
        const out = { momentum, m: mem.read(M, n), v: mem.read(V, n), p: mem.read(P, n) };
        mem.release(P, G, M, V);
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
