import { describe, expect, it } from 'vitest';
import { ValueError } from '../src/errors.js';
import { Random } from '../src/random.js';
import { expectError } from './support/expect-error.js';

describe('Random', () => {
  it('matches an independent (Python) implementation of splitmix32-seeded xoshiro128**', () => {
    // Computed with arbitrary-precision integers masked to 32 bits, so a
    // JavaScript int32/uint32 coercion slip here would show.
    const expected: Record<number, number[]> = {
      0: [3809008728, 1133695204, 53579671, 2891528803, 139681546],
      1: [2442144158, 3238099751, 3819917871, 2104621829, 2021136066],
      42: [2837322924, 544945897, 479756282, 3500138142, 339756180],
      [-1]: [835879718, 1921286648, 2356205009, 1885780724, 980451116],
    };
    for (const [seed, values] of Object.entries(expected)) {
      const rng = new Random(Number(seed));
      expect(values.map(() => rng.nextU32())).toEqual(values);
    }
  });

  it('reduces seeds modulo 2^32', () => {
    const a = new Random(-1);
    const b = new Random(2 ** 32 - 1);
    expect([a.nextU32(), a.nextU32()]).toEqual([b.nextU32(), b.nextU32()]);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const draw = (seed: number): number[] => {
      const rng = new Random(seed);
      return Array.from({ length: 20 }, () => rng.nextFloat());
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('nextFloat stays in [0, 1) and nextInt in [0, n) with every value reachable', () => {
    const rng = new Random(3);
    let outside = 0;
    for (let i = 0; i < 10000; i++) {
      const u = rng.nextFloat();
      if (!(u >= 0 && u < 1)) outside++;
    }
    expect(outside).toBe(0);
    const counts = new Array<number>(7).fill(0);
    for (let i = 0; i < 70000; i++) {
      const k = rng.nextInt(7);
      counts[k] = (counts[k] ?? Number.NaN) + 1;
    }
    expect(counts.every((c) => Number.isFinite(c))).toBe(true);
    // Chi-square with 6 degrees of freedom; 22.46 is the 0.999 quantile.
    const chi2 = counts.reduce((a, c) => a + (c - 10000) ** 2 / 10000, 0);
    expect(chi2).toBeLessThan(22.46);
    expect(rng.nextInt(1)).toBe(0);
    expect(rng.nextInt(2 ** 32)).toBeLessThan(2 ** 32);
  });

  it('normal() has mean 0 and standard deviation 1', () => {
    const rng = new Random(11);
    const n = 200000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      sum += z;
      squares += z * z;
    }
    const mean = sum / n;
    expect(Number.isFinite(squares)).toBe(true);
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(Math.sqrt(squares / n - mean * mean) - 1)).toBeLessThan(0.01);
    const shifted = new Random(11);
    const plain = new Random(11);
    expect(shifted.normal(5, 2)).toBe(5 + 2 * plain.normal());
  });

  it('shuffle() permutes plain and typed arrays in place', () => {
    const rng = new Random(5);
    const a = Array.from({ length: 50 }, (_, i) => i);
    expect(rng.shuffle(a)).toBe(a);
    expect([...a].sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
    const t = Uint32Array.from({ length: 50 }, (_, i) => i);
    rng.shuffle(t);
    expect(Array.from(t).sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(rng.shuffle([])).toEqual([]);
  });

  it('rejects bad seeds and bounds with ValueError', () => {
    expectError(() => new Random(1.5), ValueError, 'seed: expected an integer, got 1.5');
    expectError(() => new Random(Number.NaN), ValueError, 'seed', 'NaN');
    const rng = new Random(0);
    expectError(() => rng.nextInt(0), ValueError, 'n: expected an integer in [1, 2^32], got 0');
    expectError(() => rng.nextInt(2.5), ValueError, 'got 2.5');
  });
});
