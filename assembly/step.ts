// Whole passes over a layer table (layout in abi.ts / src/backend/abi.ts):
// the forward pass, backpropagation, and one optimizer step, so a training
// step crosses the JS/Wasm boundary once.

import {
  F_A, F_ACT, F_ALPHA, F_B, F_DB, F_DW, F_DZ, F_INPUTS, F_MB, F_MW, F_OUTPUTS, F_VB, F_VW, F_W,
  F_WEIGHT_DECAY, F_Z, LAYER_BYTES, OPT_ADAM, OPT_MOMENTUM,
} from './abi';
import { act_backward, bias_act_forward } from './activations';
import { bias_grad } from './bias';
import { f32_gemm } from './gemm';
import { loss_grad } from './losses';
import { adam_update, momentum_update, sgd_update } from './optimizers';

// @ts-ignore: decorator
@inline function field(layer: usize, f: usize): i32 { return load<i32>(layer + f); }
// @ts-ignore: decorator
@inline function ptr(layer: usize, f: usize): usize { return <usize>load<u32>(layer + f); }
// @ts-ignore: decorator
@inline function fieldF32(layer: usize, f: usize): f32 { return load<f32>(layer + f); }

export function forward(table: usize, layers: i32, X: usize, rows: i32, scratch: usize): void {
  let input = X;
  for (let l = 0; l < layers; l++) {
    const L = table + <usize>l * LAYER_BYTES;
    const inputs = field(L, F_INPUTS);
    const outputs = field(L, F_OUTPUTS);
    const Z = ptr(L, F_Z);
    const A = ptr(L, F_A);
    f32_gemm(0, 0, rows, outputs, inputs, input, ptr(L, F_W), Z, 0, scratch);
    bias_act_forward(field(L, F_ACT), rows, outputs, fieldF32(L, F_ALPHA), Z, ptr(L, F_B), A);
    input = A;
  }
}

function outputLoss(table: usize, layers: i32, Y: usize, rows: i32, loss: i32, withGrad: bool): f64 {
  const L = table + <usize>(layers - 1) * LAYER_BYTES;
  return loss_grad(
    loss, field(L, F_ACT), rows, field(L, F_OUTPUTS), fieldF32(L, F_ALPHA),
    ptr(L, F_Z), ptr(L, F_A), Y, withGrad ? ptr(L, F_DZ) : 0,
  );
}

export function loss_only(table: usize, layers: i32, X: usize, Y: usize, rows: i32, loss: i32, scratch: usize): f64 {
  forward(table, layers, X, rows, scratch);
  return outputLoss(table, layers, Y, rows, loss, false);
}

export function compute_gradients(table: usize, layers: i32, X: usize, Y: usize, rows: i32, loss: i32, scratch: usize): f64 {
  forward(table, layers, X, rows, scratch);
  const value = outputLoss(table, layers, Y, rows, loss, true);
  for (let l = layers - 1; l >= 0; l--) {
    const L = table + <usize>l * LAYER_BYTES;
    const inputs = field(L, F_INPUTS);
    const outputs = field(L, F_OUTPUTS);
    const dZ = ptr(L, F_DZ);
    const input = l == 0 ? X : ptr(L - LAYER_BYTES, F_A);
    // dW = inputᵀ·dZ, db = Σ_rows dZ
    f32_gemm(1, 0, inputs, outputs, rows, input, dZ, ptr(L, F_DW), 0, scratch);
    bias_grad(rows, outputs, dZ, ptr(L, F_DB));
    if (l > 0) {
      // dA_{l−1} = dZ·Wᵀ, then through act_{l−1}'s derivative in place
      const P = L - LAYER_BYTES;
      const dZprev = ptr(P, F_DZ);
      f32_gemm(0, 1, rows, inputs, outputs, dZ, ptr(L, F_W), dZprev, 0, scratch);
      act_backward(field(P, F_ACT), rows, inputs, fieldF32(P, F_ALPHA), ptr(P, F_Z), ptr(P, F_A), dZprev, dZprev);
    }
  }
  return value;
}

// A non-finite element turns x·0 into NaN; the sum of those stays 0 otherwise.
function allFinite(n: usize, P: usize): bool {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(0);
    const zero = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(P + (i << 2)), zero));
    if (!i32x4.all_true(f32x4.eq(acc, acc))) return false;
  }
  let s: f32 = 0;
  for (; i < n; i++) s += load<f32>(P + (i << 2)) * 0;
  return s == s;
}

export function train_step(
  table: usize, layers: i32, X: usize, Y: usize, rows: i32, loss: i32,
  opt: i32, lr: f32, beta1: f32, beta2: f32, eps: f32, t: f64, scratch: usize,
): f64 {
  const value = compute_gradients(table, layers, X, Y, rows, loss, scratch);
  if (!isFinite(value)) return NaN;
  for (let l = 0; l < layers; l++) {
    const L = table + <usize>l * LAYER_BYTES;
    const nW = <usize>field(L, F_INPUTS) * <usize>field(L, F_OUTPUTS);
    const nb = <usize>field(L, F_OUTPUTS);
    if (!allFinite(nW, ptr(L, F_DW)) || !allFinite(nb, ptr(L, F_DB))) return NaN;
  }
  for (let l = 0; l < layers; l++) {
    const L = table + <usize>l * LAYER_BYTES;
    const nW = field(L, F_INPUTS) * field(L, F_OUTPUTS);
    const nb = field(L, F_OUTPUTS);
    const wd = fieldF32(L, F_WEIGHT_DECAY);
    if (opt == OPT_ADAM) {
      adam_update(nW, ptr(L, F_W), ptr(L, F_DW), ptr(L, F_MW), ptr(L, F_VW), lr, beta1, beta2, eps, t, wd);
      adam_update(nb, ptr(L, F_B), ptr(L, F_DB), ptr(L, F_MB), ptr(L, F_VB), lr, beta1, beta2, eps, t, 0);
    } else if (opt == OPT_MOMENTUM) {
      momentum_update(nW, ptr(L, F_W), ptr(L, F_DW), ptr(L, F_MW), lr, beta1, wd);
      momentum_update(nb, ptr(L, F_B), ptr(L, F_DB), ptr(L, F_MB), lr, beta1, 0);
    } else {
      sgd_update(nW, ptr(L, F_W), ptr(L, F_DW), lr, wd);
      sgd_update(nb, ptr(L, F_B), ptr(L, F_DB), lr, 0);
    }
  }
  // An update can overflow even from finite gradients (a huge learning rate):
  // report it so the facade restores its snapshot.
  for (let l = 0; l < layers; l++) {
    const L = table + <usize>l * LAYER_BYTES;
    const nW = <usize>field(L, F_INPUTS) * <usize>field(L, F_OUTPUTS);
    if (!allFinite(nW, ptr(L, F_W)) || !allFinite(<usize>field(L, F_OUTPUTS), ptr(L, F_B))) return -Infinity;
  }
  return value;
}
