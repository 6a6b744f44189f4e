/**
 * The library's one source of randomness: weight init, minibatch shuffling
 * and dataset splits all draw from a {@link Random}, so one seed reproduces a
 * whole run bit for bit, on any JavaScript engine (no Math.random anywhere).
 */

import { ValueError } from './errors.js';

const TWO_POW_32 = 4294967296;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A seeded pseudo-random generator: xoshiro128** (period 2^128 − 1, passes
 * BigCrush), its 128-bit state filled from the seed by splitmix32 so that
 * nearby seeds (0, 1, 2…) give unrelated streams.
 *
 * All arithmetic is 32-bit integer math (Math.imul, shifts), so every engine
 * produces the same sequence.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Box–Muller makes normals in pairs; the second waits here. It is part of the state. */
  private spare: number | null = null;

  /**
   * @param seed - any integer; it is taken modulo 2^32 (so −1 and 2^32 − 1 give the same stream).
   * @throws ValueError when the seed is not a finite integer.
   */
  constructor(seed: number) {
    if (typeof seed !== 'number' || !Number.isInteger(seed)) {
      throw new ValueError(`seed: expected an integer, got ${String(seed)}`);
    }
    // Modulo 2^32 done in doubles: `seed >>> 0` would be wrong past 2^53 and is
    // only defined by ToUint32, which is exactly this for safe integers.
    let sm = ((seed % TWO_POW_32) + TWO_POW_32) % TWO_POW_32;
    const splitmix32 = (): number => {
      sm = (sm + 0x9e3779b9) >>> 0;
      let z = sm;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitmix32();
    this.s1 = splitmix32();
    this.s2 = splitmix32();
    this.s3 = splitmix32();
    // xoshiro's only fixed point is the all-zero state; splitmix32 cannot
    // produce four zeros in a row, but the guard costs nothing.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32 random bits, as an integer in [0, 2^32). */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * A uniform float in [0, 1) with 32 random bits (a multiple of 2^−32).
   * Never returns 1: the largest value is 1 − 2^−32.
   */
  nextFloat(): number {
    return this.nextU32() / TWO_POW_32;
  }

  /**
   * A uniform integer in [0, n), exactly unbiased: draws that fall in the
   * incomplete last block of 2^32 mod n values are rejected and redrawn
   * (fewer than 2 draws on average for any n).
   *
   * @param n - an integer in [1, 2^32].
   * @throws ValueError when n is not an integer in that range.
   */
  nextInt(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new ValueError(`n: expected an integer in [1, 2^32], got ${String(n)}`);
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let u = this.nextU32();
    while (u >= limit) u = this.nextU32();
    return u % n;
  }

  /**
   * A normal deviate (Box–Muller), mean 0 and standard deviation 1 unless
   * given. Each pair of uniforms yields two normals; the second is returned by
   * the next call, so calls alternate between drawing and not drawing.
   *
   * @param mean - the mean (default 0).
   * @param std - the standard deviation (default 1).
   */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    // 1 − u lies in (0, 1], so the logarithm is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.nextFloat()));
    const theta = 2 * Math.PI * this.nextFloat();
    this.spare = r * Math.sin(theta);
    return mean + std * r * Math.cos(theta);
  }

  /**
   * Shuffles `array` in place (Fisher–Yates: every permutation equally
   * likely) and returns it. Works on plain arrays and typed arrays.
   */
  shuffle<A extends MutableArrayLike>(array: A): A {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }
}

/** Anything indexable and writable with a length: `T[]` and every typed array. */
export interface MutableArrayLike {
  length: number;
  [index: number]: unknown;
}
