// f32x4 helpers shared by the SIMD GEMM kernels (f32-gemm-*.ts).

// c + a·b. The relaxed-SIMD build (asconfig target "relaxed", not loaded by
// default) fuses it into f32x4.relaxed_madd: one rounding instead of two, and
// on hardware without FMA the runtime may still round twice, so that build
// agrees with the others only within the float32 error bound, not bit for bit.
// @ts-ignore: decorator
@inline
export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// @ts-ignore: decorator
@inline
export function min(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

// 4×4 transpose: rows r0..r3 in, columns out through the four stores.
// @ts-ignore: decorator
@inline
export function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(dst + stride, f32x4.shuffle(t0, t1, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, f32x4.shuffle(t2, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, f32x4.shuffle(t2, t3, 2, 3, 6, 7));
}
