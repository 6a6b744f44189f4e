import { LayerField, Opt, StepStatus, Tail } from '../abi.js';
import { f32_all_finite } from './f32-finite.js';
import { f32_adam_update, f32_momentum_update, f32_sgd_update } from './f32-update.js';
import { tailOf, word } from './layer-table.js';
import type { JsMemory } from './memory.js';
import { mlp_clip_grad_norm } from './mlp-clip-grad-norm.js';
import { mlp_gradients } from './mlp-gradients.js';

// One training step over the layer table, as assembly/mlp-train-step.ts has
// it. weightDecay is an f32 field, read through the f32 view of the same word.

/** Whether every layer's `weights` (inputs × outputs) and `bias` (outputs) buffers are finite. */
function layersFinite(mem: JsMemory, table: number, layerCount: number, weights: number, bias: number): boolean {
  const t = mem.i32;
  for (let l = 0; l < layerCount; l++) {
    const inputs = t[word(table, l, LayerField.inputs)]!;
    const outputs = t[word(table, l, LayerField.outputs)]!;
    if (!f32_all_finite(mem, inputs * outputs, t[word(table, l, weights)]!)) return false;
    if (!f32_all_finite(mem, outputs, t[word(table, l, bias)]!)) return false;
  }
  return true;
}

function gradientsFinite(mem: JsMemory, table: number, layerCount: number): boolean {
  return layersFinite(mem, table, layerCount, LayerField.dW, LayerField.db);
}

function parametersFinite(mem: JsMemory, table: number, layerCount: number): boolean {
  return layersFinite(mem, table, layerCount, LayerField.W, LayerField.b);
}

/**
 * Every layer's W, b and (per optimizer) state arrays copied to (save) or from
 * the undo block, in layer order, as assembly/mlp-train-step.ts does.
 */
function copyParamsAndState(mem: JsMemory, table: number, layerCount: number, opt: number, undo: number, save: boolean): void {
  const w = mem.i32;
  const f = mem.f32;
  const fields = opt === Opt.adam
    ? [LayerField.W, LayerField.b, LayerField.mW, LayerField.mb, LayerField.vW, LayerField.vb]
    : opt === Opt.momentum ? [LayerField.W, LayerField.b, LayerField.mW, LayerField.mb] : [LayerField.W, LayerField.b];
  let u = undo >>> 2;
  for (let l = 0; l < layerCount; l++) {
    const nb = w[word(table, l, LayerField.outputs)]!;
    const nW = w[word(table, l, LayerField.inputs)]! * nb;
    for (const field of fields) {
      const n = field === LayerField.W || field === LayerField.mW || field === LayerField.vW ? nW : nb;
      const p = w[word(table, l, field)]! >>> 2;
      if (save) f.copyWithin(u, p, p + n);
      else f.copyWithin(p, u, u + n);
      u += n;
    }
  }
}

/** Rows of a shuffled batch into X and Y when the tail asks for it (Tail.gatherOrder), as assembly/f32-gather.ts does. */
function gatherBatch(mem: JsMemory, table: number, layerCount: number, tail: number, X: number, Y: number, rows: number): void {
  const w = mem.i32;
  const order = w[(tail + Tail.gatherOrder) >>> 2]! >>> 0;
  if (order === 0) return;
  const start = w[(tail + Tail.gatherStart) >>> 2]!;
  gatherRows(mem, order, start, rows, w[(tail + Tail.gatherX) >>> 2]! >>> 0, w[word(table, 0, LayerField.inputs)]!, X);
  gatherRows(mem, order, start, rows, w[(tail + Tail.gatherY) >>> 2]! >>> 0, w[word(table, layerCount - 1, LayerField.outputs)]!, Y);
}

// rows order[start + i] (i < rows) of the matrix at byte `src`, `cols` floats wide, to rows i at byte `dst`
function gatherRows(mem: JsMemory, order: number, start: number, rows: number, src: number, cols: number, dst: number): void {
  const w = mem.i32;
  const f = mem.f32;
  for (let i = 0; i < rows; i++) {
    const s = (src >>> 2) + (w[(order >>> 2) + start + i]! >>> 0) * cols;
    f.copyWithin((dst >>> 2) + i * cols, s, s + cols);
  }
}

/** mlp_train_step as the ABI has it: hyperparameters from the table's tail, the value left in Tail.result, a StepStatus back. */
export function mlp_train_step(
  mem: JsMemory, table: number, layerCount: number, X: number, Y: number, rows: number, loss: number, opt: number, scratch: number, undo: number,
): number {
  const tail = tailOf(table, layerCount);
  gatherBatch(mem, table, layerCount, tail, X, Y, rows);
  const f64 = mem.f64;
  // lr, β1, β2, eps rounded to f32, as the Wasm kernel does
  const value = trainStep(
    mem, table, layerCount, X, Y, rows, loss, opt,
    Math.fround(f64[(tail + Tail.lr) >>> 3]!), Math.fround(f64[(tail + Tail.beta1) >>> 3]!), Math.fround(f64[(tail + Tail.beta2) >>> 3]!),
    Math.fround(f64[(tail + Tail.eps) >>> 3]!), f64[(tail + Tail.clipNorm) >>> 3]!, f64[(tail + Tail.t) >>> 3]!, scratch, undo,
  );
  f64[(tail + Tail.result) >>> 3] = value;
  if (value !== value) return StepStatus.skipped;
  if (value === -Infinity) return StepStatus.undone;
  if (value === Infinity) return StepStatus.notUndone;
  f64[(tail + Tail.lossSum) >>> 3] = f64[(tail + Tail.lossSum) >>> 3]! + value * rows;
  return StepStatus.applied;
}

/**
 * mlp_gradients, then, only if the loss and every gradient are finite (else
 * nothing changes and NaN is returned), clipping of the gradient's norm when
 * clipNorm > 0 and one optimizer update of every layer. An update that makes
 * a parameter non-finite is undone from `undo` (−Infinity), or, without one,
 * left for the caller to restore (+Infinity). This reference saves before
 * every update when given `undo`; the Wasm kernels only when their bounds say
 * the update could overflow.
 */
function trainStep(
  mem: JsMemory, table: number, layerCount: number, X: number, Y: number, rows: number, loss: number,
  opt: number, lr: number, beta1: number, beta2: number, eps: number, clipNorm: number, t: number, scratch: number, undo: number,
): number {
  const value = mlp_gradients(mem, table, layerCount, X, Y, rows, loss, scratch);
  if (!Number.isFinite(value) || !gradientsFinite(mem, table, layerCount)) return NaN;
  if (clipNorm > 0) mlp_clip_grad_norm(mem, table, layerCount, clipNorm);
  if (undo) copyParamsAndState(mem, table, layerCount, opt, undo, true);
  const w = mem.i32;
  // the weights change from here on: the next forward pass repacks them
  w[(tailOf(table, layerCount) + Tail.packed) >>> 2] = 0;
  for (let l = 0; l < layerCount; l++) {
    const nW = w[word(table, l, LayerField.inputs)]! * w[word(table, l, LayerField.outputs)]!;
    const nb = w[word(table, l, LayerField.outputs)]!;
    const W = w[word(table, l, LayerField.W)]!;
    const b = w[word(table, l, LayerField.b)]!;
    const dW = w[word(table, l, LayerField.dW)]!;
    const db = w[word(table, l, LayerField.db)]!;
    const wd = mem.f32[word(table, l, LayerField.weightDecay)]!;
    if (opt === Opt.adam) {
      f32_adam_update(mem, nW, W, dW, w[word(table, l, LayerField.mW)]!, w[word(table, l, LayerField.vW)]!, lr, beta1, beta2, eps, t, wd);
      f32_adam_update(mem, nb, b, db, w[word(table, l, LayerField.mb)]!, w[word(table, l, LayerField.vb)]!, lr, beta1, beta2, eps, t, 0);
    } else if (opt === Opt.momentum) {
      f32_momentum_update(mem, nW, W, dW, w[word(table, l, LayerField.mW)]!, lr, beta1, wd);
      f32_momentum_update(mem, nb, b, db, w[word(table, l, LayerField.mb)]!, lr, beta1, 0);
    } else {
      f32_sgd_update(mem, nW, W, dW, lr, wd);
      f32_sgd_update(mem, nb, b, db, lr, 0);
    }
  }
  // Finite gradients can still overflow a parameter (a huge learning rate).
  if (!parametersFinite(mem, table, layerCount)) {
    if (!undo) return Infinity;
    copyParamsAndState(mem, table, layerCount, opt, undo, false);
    return -Infinity;
  }
  return value;
}
