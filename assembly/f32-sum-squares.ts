// Σ x² over n f32 values, in float64 (the square of a float32 is exact there),
// in one order in every build and in the JS backend, so gradient clipping
// (mlp-clip-grad-norm.ts) scales by the same factor everywhere: four lane sums
// s_q over i ≡ q (mod 4), i < n&~3, combined as (s0 + s1) + (s2 + s3), then
// the last n mod 4 squares in order.

export function f32_sum_squares(n: i32, P: usize): f64 {
  let i = 0;
  let s: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let lo = f64x2.splat(0), hi = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(P + (<usize>i << 2));
      const a = f64x2.promote_low_f32x4(v);
      const b = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3));
      lo = f64x2.add(lo, f64x2.mul(a, a));
      hi = f64x2.add(hi, f64x2.mul(b, b));
    }
    s = (f64x2.extract_lane(lo, 0) + f64x2.extract_lane(lo, 1)) + (f64x2.extract_lane(hi, 0) + f64x2.extract_lane(hi, 1));
  } else {
    let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
    for (; i + 4 <= n; i += 4) {
      const p = P + (<usize>i << 2);
      const a = <f64>load<f32>(p), b = <f64>load<f32>(p, 4), c = <f64>load<f32>(p, 8), d = <f64>load<f32>(p, 12);
      s0 += a * a;
      s1 += b * b;
      s2 += c * c;
      s3 += d * d;
    }
    s = (s0 + s1) + (s2 + s3);
  }
  for (; i < n; i++) {
    const x = <f64>load<f32>(P + (<usize>i << 2));
    s += x * x;
  }
  return s;
}
