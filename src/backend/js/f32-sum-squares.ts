import type { JsMemory } from './memory.js';

/**
 * Σ x² over the n f32 values at byte offset P, in float64, in the order of
 * assembly/f32-sum-squares.ts (four lane sums combined as (s0 + s1) + (s2 + s3),
 * the tail in order), so the JS backend clips bit for bit like the Wasm builds.
 */
export function f32_sum_squares(mem: JsMemory, n: number, P: number): number {
  const f = mem.f32;
  const p0 = P >>> 2;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = f[p0 + i]!, b = f[p0 + i + 1]!, c = f[p0 + i + 2]!, d = f[p0 + i + 3]!;
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += d * d;
  }
  let s = (s0 + s1) + (s2 + s3);
  for (; i < n; i++) {
    const x = f[p0 + i]!;
    s += x * x;
  }
  return s;
}
