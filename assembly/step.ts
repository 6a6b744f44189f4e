// Whole passes over a layer table (layout in abi.ts / src/backend/abi.ts):
// the forward pass, backpropagation, and one optimizer step, so a training
// step crosses the JS/Wasm boundary once.

import {
  F_A, F_ACT, F_ALPHA, F_B, F_DB, F_DW, F_DZ, F_INPUTS, F_MB, F_MW, F_OUTPUTS, F_VB, F_VW, F_W,
  F_WEIGHT_DECAY, F_Z, LAYER_BYTES, OPT_ADAM, OPT_MOMENTUM, STATS_MAX_PARAM, STATS_MAX_STATE,
  STEP_APPLIED, STEP_BETA1, STEP_BETA2, STEP_CLIP_NORM, STEP_EPS, STEP_LOSS_SUM, STEP_LR, STEP_NOT_UNDONE, STEP_RESULT,
  STEP_SKIPPED, STEP_T, STEP_UNDONE,
} from './abi';
import { act_backward, bias_act_forward } from './activations';
import { bias_grad } from './bias';
import { clip_grad_norm } from './clip';
import { max_abs_finite } from './finite';
import { f32_gemm } from './gemm';
import { loss_grad } from './losses';
import { adamStep, lastMaxParam, lastMaxState, momentumStep, sgdStep } from './optimizers';

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

// max |x| over every layer's inputs×outputs values at field fW and outputs
// values at field fB (W and b, dW and db, …); NaN when any is not finite.
function maxAbsOverLayers(table: usize, layers: i32, fW: usize, fB: usize): f32 {
  let m: f32 = 0;
  for (let l = 0; l < layers; l++) {
    const L = table + <usize>l * LAYER_BYTES;
    const outputs = field(L, F_OUTPUTS);
    // f32.max propagates NaN
    m = max(m, max(max_abs_finite(field(L, F_INPUTS) * outputs, ptr(L, fW)), max_abs_finite(outputs, ptr(L, fB))));
  }
  return m;
}

// Whether one update could take a parameter (or a momentum buffer) out of the
// float32 range, from bounds that hold whatever the values: P ≥ every
// |parameter|, S ≥ every |momentum buffer value|, G ≥ every |gradient|, wd the
// largest weight decay. Adam's step is bounded whatever the gradients were:
// with moments that start at zero, m = (1−β1)Σβ1^k·g_k and v = (1−β2)Σβ2^k·g_k²,
// so Cauchy–Schwarz gives |m|/√v ≤ (1−β1)/√((1−β2)(1−β1²/β2)) when β1² < β2.
// Generous margins: a "could" costs one copy of the parameters and state, a
// miss only the exact undo (the facade then restores its epoch snapshot).
function updateCouldOverflow(opt: i32, P: f64, S: f64, G: f64, wd: f64, lr: f64, beta1: f64, beta2: f64, eps: f64, t: f64): bool {
  const LIMIT: f64 = 1e37;
  if (!(P <= LIMIT) || !(S <= LIMIT) || !(G <= LIMIT)) return true;
  const g = G + wd * P;
  if (opt == OPT_ADAM) {
    // g² must not overflow v either
    if (g > 1e18 || !(beta1 * beta1 < beta2)) return true;
    const ratio = (1 - beta1) / Math.sqrt((1 - beta2) * (1 - beta1 * beta1 / beta2));
    // a v flushed to zero from below 2^-126 leaves |m| ≤ ratio·1.1e-19, divided by eps
    const step = lr / (1 - Math.pow(beta1, t)) * Math.max(ratio * Math.sqrt(1 - Math.pow(beta2, t)), ratio * 1.1e-19 / eps);
    return !(P + 2 * step <= LIMIT);
  }
  const v = opt == OPT_MOMENTUM ? beta1 * S + g : g;
  return !(v <= LIMIT && P + lr * v <= LIMIT);
}

// Every layer's W, b and (per optimizer) state arrays, copied to or from the undo buffer in layer order.
function copyParamsAndState(table: usize, layers: i32, opt: i32, undo: usize, save: bool): void {
  let u = undo;
  const states = opt == OPT_ADAM ? 2 : opt == OPT_MOMENTUM ? 1 : 0;
  for (let l = 0; l < layers; l++) {
    const L = table + <usize>l * LAYER_BYTES;
    const wBytes = <usize>(field(L, F_INPUTS) * field(L, F_OUTPUTS)) << 2;
    const bBytes = <usize>field(L, F_OUTPUTS) << 2;
    for (let k = 0; k < 2 + 2 * states; k++) {
      const bytes = (k & 1) == 0 ? wBytes : bBytes;
      // F_W, F_B, F_MW, F_MB, F_VW, F_VB
      const p = ptr(L, k < 2 ? F_W + (<usize>k << 2) : F_MW + (<usize>(k - 2) << 2));
      if (save) memory.copy(u, p, bytes);
      else memory.copy(p, u, bytes);
      u += bytes;
    }
  }
}

export function train_step(
  table: usize, layers: i32, X: usize, Y: usize, rows: i32, loss: i32, opt: i32, scratch: usize, undo: usize,
): i32 {
  const tail = table + <usize>layers * LAYER_BYTES;
  const value = trainStep(
    table, layers, X, Y, rows, loss, opt,
    <f32>load<f64>(tail, STEP_LR), <f32>load<f64>(tail, STEP_BETA1), <f32>load<f64>(tail, STEP_BETA2), <f32>load<f64>(tail, STEP_EPS),
    load<f64>(tail, STEP_CLIP_NORM), load<f64>(tail, STEP_T), scratch, undo,
  );
  store<f64>(tail, value, STEP_RESULT);
  if (value != value) return STEP_SKIPPED;
  if (value == -Infinity) return STEP_UNDONE;
  if (value == Infinity) return STEP_NOT_UNDONE;
  store<f64>(tail, load<f64>(tail, STEP_LOSS_SUM) + value * <f64>rows, STEP_LOSS_SUM);
  return STEP_APPLIED;
}

function trainStep(
  table: usize, layers: i32, X: usize, Y: usize, rows: i32, loss: i32,
  opt: i32, lr: f32, beta1: f32, beta2: f32, eps: f32, clipNorm: f64, t: f64, scratch: usize, undo: usize,
): f64 {
  const value = compute_gradients(table, layers, X, Y, rows, loss, scratch);
  if (!isFinite(value)) return NaN;
  // the finiteness check of every gradient also gives the largest |gradient|
  const G = maxAbsOverLayers(table, layers, F_DW, F_DB);
  if (G != G) return NaN;
  if (clipNorm > 0) clip_grad_norm(table, layers, clipNorm);
  // An update can overflow even from finite gradients (a huge learning rate).
  // When the bounds say it could, the parameters and state are saved first, so
  // an overflow is undone here and the caller keeps the last finite step.
  const stats = table + <usize>layers * LAYER_BYTES;
  let P = load<f32>(stats, STATS_MAX_PARAM);
  if (P != P) P = maxAbsOverLayers(table, layers, F_W, F_B);
  let S: f32 = 0;
  if (opt == OPT_MOMENTUM) {
    S = load<f32>(stats, STATS_MAX_STATE);
    if (S != S) S = maxAbsOverLayers(table, layers, F_MW, F_MB);
  }
  let wd: f32 = 0;
  for (let l = 0; l < layers; l++) wd = max(wd, fieldF32(table + <usize>l * LAYER_BYTES, F_WEIGHT_DECAY));
  const saved = undo != 0 && updateCouldOverflow(opt, P, S, G, wd, lr, beta1, beta2, eps, t);
  if (saved) copyParamsAndState(table, layers, opt, undo, true);
  let finite = true;
  let newP: f32 = 0, newS: f32 = 0;
  for (let l = 0; l < layers; l++) {
    const L = table + <usize>l * LAYER_BYTES;
    const nW = field(L, F_INPUTS) * field(L, F_OUTPUTS);
    const nb = field(L, F_OUTPUTS);
    const lwd = fieldF32(L, F_WEIGHT_DECAY);
    for (let k = 0; k < 2; k++) {
      const n = k == 0 ? nW : nb;
      const w = k == 0 ? lwd : <f32>0;
      const p = ptr(L, k == 0 ? F_W : F_B), g = ptr(L, k == 0 ? F_DW : F_DB);
      const m = ptr(L, k == 0 ? F_MW : F_MB), v = ptr(L, k == 0 ? F_VW : F_VB);
      if (opt == OPT_ADAM) finite = adamStep(n, p, g, m, v, lr, beta1, beta2, eps, t, w) && finite;
      else if (opt == OPT_MOMENTUM) finite = momentumStep(n, p, g, m, lr, beta1, w) && finite;
      else finite = sgdStep(n, p, g, lr, w) && finite;
      newP = max(newP, lastMaxParam);
      if (opt == OPT_MOMENTUM) newS = max(newS, lastMaxState);
    }
  }
  if (!finite) {
    store<f32>(stats, NaN, STATS_MAX_PARAM);
    store<f32>(stats, NaN, STATS_MAX_STATE);
    if (!saved) return Infinity;
    copyParamsAndState(table, layers, opt, undo, false);
    return -Infinity;
  }
  store<f32>(stats, newP, STATS_MAX_PARAM);
  store<f32>(stats, newS, STATS_MAX_STATE);
  return value;
}
