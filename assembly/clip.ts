// Gradient clipping by global norm (PyTorch's clip_grad_norm_): the whole
// gradient, every layer's dW and db, is scaled by maxNorm / (‖g‖ + 1e-6)
// when that is below 1.
//
// Summation order, the same in every build and in the JS backend: squares in
// float64 (the square of a float32 is exact there), four lane sums s_q over
// i ≡ q (mod 4), i < n&~3, combined as (s0 + s1) + (s2 + s3), then the last
// n mod 4 squares in order; the layers' sums are added dW then db, layer 0
// first. The scale factor is rounded to float32 once and every gradient value
// multiplied by it, so all builds clip bit for bit alike.

import { F_DB, F_DW, F_INPUTS, F_OUTPUTS, LAYER_BYTES } from './abi';

export function sum_squares(n: i32, P: usize): f64 {
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

/** P[i] *= c for n values. */
function scale(n: i32, P: usize, c: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const cv = f32x4.splat(c);
    for (; i + 4 <= n; i += 4) {
      const p = P + (<usize>i << 2);
      v128.store(p, f32x4.mul(v128.load(p), cv));
    }
  }
  for (; i < n; i++) {
    const p = P + (<usize>i << 2);
    store<f32>(p, load<f32>(p) * c);
  }
}

/**
 * Scales every layer's gradient so its global L2 norm is at most maxNorm;
 * returns the norm before clipping. The gradients must be finite.
 */
export function clip_grad_norm(table: usize, layers: i32, maxNorm: f64): f64 {
  let total: f64 = 0;
  for (let l = 0; l < layers; l++) {
    const L = table + <usize>l * LAYER_BYTES;
    const outputs = load<i32>(L + F_OUTPUTS);
    total += sum_squares(load<i32>(L + F_INPUTS) * outputs, <usize>load<u32>(L + F_DW));
    total += sum_squares(outputs, <usize>load<u32>(L + F_DB));
  }
  const norm = Math.sqrt(total);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) {
    const c = <f32>coef;
    for (let l = 0; l < layers; l++) {
      const L = table + <usize>l * LAYER_BYTES;
      const outputs = load<i32>(L + F_OUTPUTS);
      scale(load<i32>(L + F_INPUTS) * outputs, <usize>load<u32>(L + F_DW), c);
      scale(outputs, <usize>load<u32>(L + F_DB), c);
    }
  }
  return norm;
}
