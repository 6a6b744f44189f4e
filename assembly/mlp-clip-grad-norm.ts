// Gradient clipping by global norm (PyTorch's clip_grad_norm_): the whole
// gradient, every layer's dW and db, is scaled by maxNorm / (‖g‖ + 1e-6)
// when that is below 1. The layers' sums of squares (f32_sum_squares, in its
// documented order) are added dW then db, layer 0 first; the scale factor is
// rounded to float32 once and every gradient value multiplied by it, so every
// build, and the JS backend, clips bit for bit alike.

import { LayerField } from './abi';
import { f32_sum_squares } from './f32-sum-squares';
import { fieldI32, fieldPtr, layerAt } from './layer-table';

/** P[i] *= c for n values. */
export function scale(n: i32, P: usize, c: f32): void {
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
export function mlp_clip_grad_norm(table: usize, layerCount: i32, maxNorm: f64): f64 {
  const norm = gradientNorm(table, layerCount);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) {
    const c = <f32>coef;
    for (let l = 0; l < layerCount; l++) {
      const L = layerAt(table, l);
      const outputs = fieldI32(L, LayerField.outputs);
      scale(fieldI32(L, LayerField.inputs) * outputs, fieldPtr(L, LayerField.dW), c);
      scale(outputs, fieldPtr(L, LayerField.db), c);
    }
  }
  return norm;
}

/** ‖g‖ over every layer's dW and db, summed in the order above. */
// @ts-ignore: decorator
@inline
export function gradientNorm(table: usize, layerCount: i32): f64 {
  let total: f64 = 0;
  for (let l = 0; l < layerCount; l++) {
    const L = layerAt(table, l);
    const outputs = fieldI32(L, LayerField.outputs);
    total += f32_sum_squares(fieldI32(L, LayerField.inputs) * outputs, fieldPtr(L, LayerField.dW));
    total += f32_sum_squares(outputs, fieldPtr(L, LayerField.db));
  }
  return Math.sqrt(total);
}
