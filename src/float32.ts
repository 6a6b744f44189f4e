/** Float32 facts the library's numbers are held to. */

/** The largest finite float32, the ceiling of every value the kernels hold. */
export const F32_MAX = 3.4028234663852886e38;

/**
 * The shortest decimal that rounds to the same float32 as `v`: a value
 * stored as float32 (a slope, an ONNX attribute, a category's number) comes
 * back as the 0.01 that was written, and the kernels, which use it as float32, compute the same bits.
 */
export function shortestF32(v: number): number {
  const f = Math.fround(v);
  for (let p = 1; p <= 9; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return d;
  }
  return f;
}
