import type { JsMemory } from './memory.js';

/** 1 when the n f32 values at byte offset P are all finite, else 0. */
export function f32_all_finite(mem: JsMemory, n: number, P: number): number {
  const f = mem.f32;
  const p0 = P >>> 2;
  for (let i = 0; i < n; i++) {
    const x = f[p0 + i];
    // x − x is 0 for every finite x and NaN for ±Inf and NaN.
    if (x - x !== 0) return 0;
  }
  return 1;
}

/** max |x| over the n f32 values at byte offset P (0 when n is 0), or NaN when any is not finite. */
export function f32_max_abs_finite(mem: JsMemory, n: number, P: number): number {
  const f = mem.f32;
  const p0 = P >>> 2;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = Math.abs(f[p0 + i]!);
    if (!(x <= 3.4028234663852886e38)) return NaN;
    if (x > m) m = x;
  }
  return m;
}
