// One training step over the layer table: gradients, a finiteness check,
// optional clipping and one optimizer update of every layer, in one call, so
// a step crosses the JS/Wasm boundary once; an update that overflows is
// undone here (see mlp_train_step).

import { LayerField, Opt, StepStatus, Tail } from './abi';
import { f32_max_abs_finite } from './f32-finite';
import { gatherBatch } from './f32-gather';
import { adamUpdateChecked, lastMaxParam, lastMaxState, momentumUpdateChecked, sgdUpdateChecked, UPDATE_VECTORS } from './f32-update';
import { fieldF32, fieldI32, fieldPtr, layerAt, tailOf } from './layer-table';
import { mlp_clip_grad_norm } from './mlp-clip-grad-norm';
import { mlp_gradients } from './mlp-gradients';

// max |x| over every layer's inputs×outputs values at field fW and outputs
// values at field fB (W and b, dW and db, …); NaN when any is not finite.
export function maxAbsOverLayers(table: usize, layerCount: i32, fW: usize, fB: usize): f32 {
  let m: f32 = 0;
  for (let l = 0; l < layerCount; l++) {
    const L = layerAt(table, l);
    const outputs = fieldI32(L, LayerField.outputs);
    // f32.max propagates NaN
    m = max(m, max(f32_max_abs_finite(fieldI32(L, LayerField.inputs) * outputs, fieldPtr(L, fW)), f32_max_abs_finite(outputs, fieldPtr(L, fB))));
  }
  return m;
}

// Whether one update could take a parameter (or a momentum buffer) out of the
// float32 range, from bounds that hold whatever the values: P ≥ every
// |parameter|, S ≥ every |momentum buffer value|, G ≥ every |gradient|, wd the
// largest weight decay. Adam's step size is bounded whatever the gradients were:
// with moments that start at zero, m = (1−β1)Σβ1^k·g_k and v = (1−β2)Σβ2^k·g_k²,
// so Cauchy–Schwarz gives |m|/√v ≤ (1−β1)/√((1−β2)(1−β1²/β2)) when β1² < β2.
// Generous margins: a "could" costs one copy of the parameters and state, a
// miss only the exact undo (the facade then restores its epoch snapshot).
export function updateCouldOverflow(opt: i32, P: f64, S: f64, G: f64, wd: f64, lr: f64, beta1: f64, beta2: f64, eps: f64, t: f64): bool {
  const LIMIT: f64 = 1e37;
  if (!(P <= LIMIT) || !(S <= LIMIT) || !(G <= LIMIT)) return true;
  const g = G + wd * P;
  if (opt == Opt.adam) {
    // g² must not overflow v either
    if (g > 1e18 || !(beta1 * beta1 < beta2)) return true;
    const ratio = (1 - beta1) / Math.sqrt((1 - beta2) * (1 - beta1 * beta1 / beta2));
    // a v flushed to zero from below 2^-126 leaves |m| ≤ ratio·1.1e-19, divided by eps
    const stepBound = lr / (1 - Math.pow(beta1, t)) * Math.max(ratio * Math.sqrt(1 - Math.pow(beta2, t)), ratio * 1.1e-19 / eps);
    return !(P + 2 * stepBound <= LIMIT);
  }
  const v = opt == Opt.momentum ? beta1 * S + g : g;
  return !(v <= LIMIT && P + lr * v <= LIMIT);
}

// Every layer's W, b and (per optimizer) state arrays, copied to or from the
// undo block in layer order. Walks the fields W, b, then mW, mb, vW, vb as
// consecutive words of the record (LayerField keeps them so; the ABI test checks).
export function copyParamsAndState(table: usize, layerCount: i32, opt: i32, undo: usize, save: bool): void {
  let u = undo;
  const states = opt == Opt.adam ? 2 : opt == Opt.momentum ? 1 : 0;
  for (let l = 0; l < layerCount; l++) {
    const L = layerAt(table, l);
    const wBytes = <usize>(fieldI32(L, LayerField.inputs) * fieldI32(L, LayerField.outputs)) << 2;
    const bBytes = <usize>fieldI32(L, LayerField.outputs) << 2;
    for (let k = 0; k < 2 + 2 * states; k++) {
      const bytes = (k & 1) == 0 ? wBytes : bBytes;
      const p = fieldPtr(L, k < 2 ? <usize>LayerField.W + (<usize>k << 2) : <usize>LayerField.mW + (<usize>(k - 2) << 2));
      if (save) memory.copy(u, p, bytes);
      else memory.copy(p, u, bytes);
      u += bytes;
    }
  }
}


// The hyperparameters come from the table's tail and the value goes back
// there (Tail in src/backend/abi.ts says why: no float crosses the call).
export function mlp_train_step(
  table: usize, layerCount: i32, X: usize, Y: usize, rows: i32, loss: i32, opt: i32, scratch: usize, undo: usize,
): i32 {
  const tail = tailOf(table, layerCount);
  gatherBatch(table, layerCount, tail, X, Y, 0, rows);
  const value = trainStep(
    table, layerCount, X, Y, rows, loss, opt,
    <f32>load<f64>(tail, Tail.lr), <f32>load<f64>(tail, Tail.beta1), <f32>load<f64>(tail, Tail.beta2), <f32>load<f64>(tail, Tail.eps),
    load<f64>(tail, Tail.clipNorm), load<f64>(tail, Tail.t), scratch, undo,
  );
  store<f64>(tail, value, Tail.result);
  if (value != value) return StepStatus.skipped;
  if (value == -Infinity) return StepStatus.undone;
  if (value == Infinity) return StepStatus.notUndone;
  store<f64>(tail, load<f64>(tail, Tail.lossSum) + value * <f64>rows, Tail.lossSum);
  return StepStatus.applied;
}

function trainStep(
  table: usize, layerCount: i32, X: usize, Y: usize, rows: i32, loss: i32,
  opt: i32, lr: f32, beta1: f32, beta2: f32, eps: f32, clipNorm: f64, t: f64, scratch: usize, undo: usize,
): f64 {
  const value = mlp_gradients(table, layerCount, X, Y, rows, loss, scratch);
  if (!isFinite(value)) return NaN;
  // the finiteness check of every gradient also gives the largest |gradient|
  const G = maxAbsOverLayers(table, layerCount, LayerField.dW, LayerField.db);
  if (G != G) return NaN;
  if (clipNorm > 0) mlp_clip_grad_norm(table, layerCount, clipNorm);
  // An update can overflow even from finite gradients (a huge learning rate).
  // When the bounds say it could, the parameters and state are saved first, so
  // an overflow is undone here and the caller keeps the last finite step.
  const tail = tailOf(table, layerCount);
  let P = load<f32>(tail, Tail.maxParam);
  if (P != P) P = maxAbsOverLayers(table, layerCount, LayerField.W, LayerField.b);
  let S: f32 = 0;
  if (opt == Opt.momentum) {
    S = load<f32>(tail, Tail.maxState);
    if (S != S) S = maxAbsOverLayers(table, layerCount, LayerField.mW, LayerField.mb);
  }
  let wd: f32 = 0;
  for (let l = 0; l < layerCount; l++) wd = max(wd, fieldF32(layerAt(table, l), LayerField.weightDecay));
  const saved = undo != 0 && updateCouldOverflow(opt, P, S, G, wd, lr, beta1, beta2, eps, t);
  if (saved) copyParamsAndState(table, layerCount, opt, undo, true);
  // the weights change from here on: the next forward pass repacks them
  store<i32>(tail, 0, Tail.packed);
  let finite = true;
  let newP: f32 = 0, newS: f32 = 0;
  for (let l = 0; l < layerCount; l++) {
    const L = layerAt(table, l);
    const nW = fieldI32(L, LayerField.inputs) * fieldI32(L, LayerField.outputs);
    const nb = fieldI32(L, LayerField.outputs);
    const lwd = fieldF32(L, LayerField.weightDecay);
    for (let k = 0; k < 2; k++) {
      const n = k == 0 ? nW : nb;
      const w = k == 0 ? lwd : <f32>0;
      const p = fieldPtr(L, k == 0 ? LayerField.W : LayerField.b), g = fieldPtr(L, k == 0 ? LayerField.dW : LayerField.db);
      const m = fieldPtr(L, k == 0 ? LayerField.mW : LayerField.mb), v = fieldPtr(L, k == 0 ? LayerField.vW : LayerField.vb);
      if (opt == Opt.adam) finite = adamUpdateChecked(n, p, g, m, v, lr, beta1, beta2, eps, t, w, UPDATE_VECTORS) && finite;
      else if (opt == Opt.momentum) finite = momentumUpdateChecked(n, p, g, m, lr, beta1, w, UPDATE_VECTORS) && finite;
      else finite = sgdUpdateChecked(n, p, g, lr, w, UPDATE_VECTORS) && finite;
      newP = max(newP, lastMaxParam);
      if (opt == Opt.momentum) newS = max(newS, lastMaxState);
    }
  }
  if (!finite) {
    store<f32>(tail, NaN, Tail.maxParam);
    store<f32>(tail, NaN, Tail.maxState);
    if (!saved) return Infinity;
    copyParamsAndState(table, layerCount, opt, undo, false);
    return -Infinity;
  }
  store<f32>(tail, newP, Tail.maxParam);
  store<f32>(tail, newS, Tail.maxState);
  return value;
}
