// Whole passes over a layer table (layout in abi.ts / src/backend/abi.ts):
// the forward pass, backpropagation, and one optimizer step, so a training
// step crosses the JS/Wasm boundary once.

import {
  F_A, F_ACT, F_ALPHA, F_B, F_DB, F_DW, F_DZ, F_INPUTS, F_MB, F_MW, F_OUTPUTS, F_VB, F_VW, F_W,
  F_WEIGHT_DECAY, F_Z, LAYER_BYTES, OPT_ADAM, OPT_MOMENTUM,
} from './abi';
import { act_backward, bias_act_forward } from './activations';
import { bias_grad } from './bias';
import { clip_grad_norm } from './clip';
import { all_finite } from './finite';
import { f32_gemm } from './gemm';
import { loss_grad } from './losses';
import { adamStep, momentumStep, sgdStep } from './optimizers';

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

export function train_step(
  table: usize, layers: i32, X: usize, Y: usize, rows: i32, loss: i32,
  opt: i32, lr: f32, beta1: f32, beta2: f32, eps: f32, clipNorm: f64, t: f64, scratch: usize,
): f64 {
  const value = compute_gradients(table, layers, X, Y, rows, loss, scratch);
  if (!isFinite(value)) return NaN;
  for (let l = 0; l < layers; l++) {
    const L = table + <usize>l * LAYER_BYTES;
    const nW = field(L, F_INPUTS) * field(L, F_OUTPUTS);
    if (!all_finite(nW, ptr(L, F_DW)) || !all_finite(field(L, F_OUTPUTS), ptr(L, F_DB))) return NaN;
  }
  if (clipNorm > 0) clip_grad_norm(table, layers, clipNorm);
  // An update can overflow even from finite gradients (a huge learning rate):
  // each update reports whether what it wrote is finite, and a non-finite
  // result is reported so the facade restores its snapshot.
  let finite = true;
  for (let l = 0; l < layers; l++) {
    const L = table + <usize>l * LAYER_BYTES;
    const nW = field(L, F_INPUTS) * field(L, F_OUTPUTS);
    const nb = field(L, F_OUTPUTS);
    const wd = fieldF32(L, F_WEIGHT_DECAY);
    if (opt == OPT_ADAM) {
      finite = adamStep(nW, ptr(L, F_W), ptr(L, F_DW), ptr(L, F_MW), ptr(L, F_VW), lr, beta1, beta2, eps, t, wd) && finite;
      finite = adamStep(nb, ptr(L, F_B), ptr(L, F_DB), ptr(L, F_MB), ptr(L, F_VB), lr, beta1, beta2, eps, t, 0) && finite;
    } else if (opt == OPT_MOMENTUM) {
      finite = momentumStep(nW, ptr(L, F_W), ptr(L, F_DW), ptr(L, F_MW), lr, beta1, wd) && finite;
      finite = momentumStep(nb, ptr(L, F_B), ptr(L, F_DB), ptr(L, F_MB), lr, beta1, 0) && finite;
    } else {
      finite = sgdStep(nW, ptr(L, F_W), ptr(L, F_DW), lr, wd) && finite;
      finite = sgdStep(nb, ptr(L, F_B), ptr(L, F_DB), lr, 0) && finite;
    }
  }
  return finite ? value : -Infinity;
}
