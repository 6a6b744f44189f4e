import { beforeAll, describe, expect, it } from 'vitest';
import { heapsByBuild, KernelHeap, NAN_NEGATIVE } from '../support/kernel-heap.js';
import { values } from '../support/random-values.js';

// f32_all_finite and f32_max_abs_finite (assembly/f32-finite.ts).

describe('finiteness scans: SIMD vs scalar vs JS', () => {
  let mems: Record<'simd' | 'scalar' | 'js', KernelHeap>;
  beforeAll(() => {
    mems = heapsByBuild();
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

  it('f32_all_finite: every length 0..70, one NaN (either sign) or ±Infinity at every position', () => {
    for (const b of ['simd', 'scalar', 'js'] as const) {
      const mem = mems[b];
      for (let n = 0; n <= 70; n++) {
        const P = mem.alloc(n + 1);
        const v = values(n, n).map((e, i) => (i % 7 === 0 ? 3.4e38 : e));
        mem.write(P, v);
        expect(mem.k.f32_all_finite(n, P), `${b} n=${n} all finite`).toBe(1);
        for (const [w, what] of withOneNonFinite(v)) {
          mem.write(P, w);
          expect(mem.k.f32_all_finite(n, P), `${b} n=${n} ${what}`).toBe(0);
        }
        // the value after the n counted ones is not looked at
        mem.write(P + n * 4, [NaN]);
        mem.write(P, v);
        expect(mem.k.f32_all_finite(n, P)).toBe(1);
      }
    }
  });

  it('f32_max_abs_finite: every length 0..70, the largest |x| exactly; NaN (either sign) or ±Infinity at any position gives NaN', () => {
    for (const b of ['simd', 'scalar', 'js'] as const) {
      const mem = mems[b];
      for (let n = 0; n <= 70; n++) {
        const P = mem.alloc(n + 1);
        const v = values(n, n + 900).map((e, i) => (i % 9 === 4 ? -e * 1e30 : e));
        mem.write(P, v);
        const expected = v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
        expect(mem.k.f32_max_abs_finite(n, P), `${b} n=${n}`).toBe(expected);
        for (const [w, what] of withOneNonFinite(v)) {
          mem.write(P, w);
          expect(mem.k.f32_max_abs_finite(n, P), `${b} n=${n} ${what}`).toBeNaN();
        }
        // the value after the n counted ones is not looked at
        mem.write(P + n * 4, [Infinity]);
        mem.write(P, v);
        expect(mem.k.f32_max_abs_finite(n, P)).toBe(expected);
      }
    }
  });
});
