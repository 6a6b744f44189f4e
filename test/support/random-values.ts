import { Random } from '../../src/random.js';

// Test data drawn from the library's own generator (src/random.ts): one PRNG
// in the repository, and the same values for the same seed on every engine.

/** A uniform source in [0, 1) from the library's generator. */
export function uniform(seed: number): () => number {
  const rng = new Random(seed);
  return () => rng.nextFloat();
}

/** n float32 values uniform in [−1, 1), the same for the same seed. */
export function values(n: number, seed: number): Float32Array {
  const rand = uniform(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rand() * 2 - 1;
  return out;
}

/** n f32-representable values uniform in [lo, hi), away from 0 by at least `gap`. */
export function randomF32(rand: () => number, n: number, lo = -1, hi = 1, gap = 0): number[] {
  const out: number[] = [];
  while (out.length < n) {
    const v = Math.fround(lo + (hi - lo) * rand());
    if (Math.abs(v) >= gap) out.push(v);
  }
  return out;
}
