import { Field, LAYER_FIELDS, Opt, StepStatus, TailF64 } from '../abi.js';
import { actBackward, actForward } from './activations.js';
import { biasAdd, biasGrad } from './bias.js';
import { clipGradNorm } from './clip.js';
import { gemm } from './gemm.js';
import { lossGrad } from './losses.js';
import type { JsMemory } from './memory.js';
import { adamUpdate, momentumUpdate, sgdUpdate } from './optimizers.js';
import { word } from './table.js';

// Whole passes over the layer table (LAYER_FIELDS i32 words per layer, laid
// out by the facade). alpha and weightDecay are f32 bit patterns, read through
// the f32 view of the same words.

/** Pointer to layer l's input: X for layer 0, else layer l−1's A. */
function inputOf(mem: JsMemory, table: number, l: number, X: number): number {
  return l === 0 ? X : mem.i32[word(table, l - 1, Field.A)];
}

/** Each layer's Z = input·W + b and A = act(Z). */
export function forward(mem: JsMemory, table: number, layers: number, X: number, rows: number, scratch: number): void {
  for (let l = 0; l < layers; l++) {
    const t = mem.i32;
    const inputs = t[word(table, l, Field.inputs)];
    const outputs = t[word(table, l, Field.outputs)];
    const Z = t[word(table, l, Field.Z)];
    gemm(mem, 0, 0, rows, outputs, inputs, inputOf(mem, table, l, X), t[word(table, l, Field.W)], Z, 0, scratch);
    biasAdd(mem, rows, outputs, Z, t[word(table, l, Field.b)]);
    actForward(mem, t[word(table, l, Field.act)], rows, outputs, mem.f32[word(table, l, Field.alpha)], Z, t[word(table, l, Field.A)]);
  }
}

function lastLayerLoss(
  mem: JsMemory, table: number, layers: number, Y: number, rows: number, loss: number, withGrad: boolean,
): number {
  const t = mem.i32;
  const l = layers - 1;
  return lossGrad(
    mem, loss, t[word(table, l, Field.act)], rows, t[word(table, l, Field.outputs)],
    mem.f32[word(table, l, Field.alpha)], t[word(table, l, Field.Z)], t[word(table, l, Field.A)], Y,
    withGrad ? t[word(table, l, Field.dZ)] : 0,
  );
}

/** forward, loss and backprop into every layer's dZ, dW, db (not dX). Returns the loss. */
export function computeGradients(
  mem: JsMemory, table: number, layers: number, X: number, Y: number, rows: number, loss: number, scratch: number,
): number {
  forward(mem, table, layers, X, rows, scratch);
  const value = lastLayerLoss(mem, table, layers, Y, rows, loss, true);
  for (let l = layers - 1; l >= 0; l--) {
    const t = mem.i32;
    const inputs = t[word(table, l, Field.inputs)];
    const outputs = t[word(table, l, Field.outputs)];
    const dZ = t[word(table, l, Field.dZ)];
    gemm(mem, 1, 0, inputs, outputs, rows, inputOf(mem, table, l, X), dZ, t[word(table, l, Field.dW)], 0, scratch);
    biasGrad(mem, rows, outputs, dZ, t[word(table, l, Field.db)]);
    if (l > 0) {
      // dA of the layer below is written straight into its dZ, then act_backward runs in place.
      const below = t[word(table, l - 1, Field.dZ)];
      gemm(mem, 0, 1, rows, inputs, outputs, dZ, t[word(table, l, Field.W)], below, 0, scratch);
      actBackward(
        mem, t[word(table, l - 1, Field.act)], rows, inputs, mem.f32[word(table, l - 1, Field.alpha)],
        t[word(table, l - 1, Field.Z)], t[word(table, l - 1, Field.A)], below, below,
      );
    }
  }
  return value;
}

/** max |x| over n values at byte offset p, or NaN when any is not finite. */
export function maxAbsFinite(f: Float32Array, p: number, n: number): number {
  const p0 = p >>> 2;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const x = Math.abs(f[p0 + i]!);
    if (!(x <= 3.4028234663852886e38)) return NaN;
    if (x > m) m = x;
  }
  return m;
}

export function allFinite(f: Float32Array, p: number, n: number): boolean {
  const p0 = p >>> 2;
  for (let i = 0; i < n; i++) {
    const x = f[p0 + i];
    // x − x is 0 for every finite x and NaN for ±Inf and NaN.
    if (x - x !== 0) return false;
  }
  return true;
}

/** Whether every layer's `weights` (inputs × outputs) and `bias` (outputs) buffers are finite. */
function layersFinite(mem: JsMemory, table: number, layers: number, weights: number, bias: number): boolean {
  const t = mem.i32;
  const f = mem.f32;
  for (let l = 0; l < layers; l++) {
    const inputs = t[word(table, l, Field.inputs)];
    const outputs = t[word(table, l, Field.outputs)];
    if (!allFinite(f, t[word(table, l, weights)], inputs * outputs)) return false;
    if (!allFinite(f, t[word(table, l, bias)], outputs)) return false;
  }
  return true;
}

function gradientsFinite(mem: JsMemory, table: number, layers: number): boolean {
  return layersFinite(mem, table, layers, Field.dW, Field.db);
}

function parametersFinite(mem: JsMemory, table: number, layers: number): boolean {
  return layersFinite(mem, table, layers, Field.W, Field.b);
}

/**
 * Every layer's W, b and (per optimizer) state arrays copied to (save) or from
 * the undo buffer, in layer order, as train_step in assembly/step.ts does.
 */
function copyParamsAndState(mem: JsMemory, table: number, layers: number, opt: number, undo: number, save: boolean): void {
  const w = mem.i32;
  const f = mem.f32;
  const fields = opt === Opt.adam ? [Field.W, Field.b, Field.mW, Field.mb, Field.vW, Field.vb] : opt === Opt.momentum ? [Field.W, Field.b, Field.mW, Field.mb] : [Field.W, Field.b];
  let u = undo >>> 2;
  for (let l = 0; l < layers; l++) {
    const nb = w[word(table, l, Field.outputs)]!;
    const nW = w[word(table, l, Field.inputs)]! * nb;
    for (const field of fields) {
      const n = field === Field.W || field === Field.mW || field === Field.vW ? nW : nb;
      const p = w[word(table, l, field)]! >>> 2;
      if (save) f.copyWithin(u, p, p + n);
      else f.copyWithin(p, u, u + n);
      u += n;
    }
  }
}

/** train_step as the ABI has it: hyperparameters from the table's tail, the value left in its result word, a StepStatus back. */
export function trainStepFromTail(
  mem: JsMemory, table: number, layers: number, X: number, Y: number, rows: number, loss: number, opt: number, scratch: number, undo: number,
): number {
  const w = (table >>> 2) + layers * LAYER_FIELDS;
  const d = w >>> 1;
  const f64 = mem.f64;
  // lr, β1, β2, eps rounded to f32, as the Wasm kernel does
  const value = trainStep(
    mem, table, layers, X, Y, rows, loss, opt,
    Math.fround(f64[d + TailF64.lr]!), Math.fround(f64[d + TailF64.beta1]!), Math.fround(f64[d + TailF64.beta2]!),
    Math.fround(f64[d + TailF64.eps]!), f64[d + TailF64.clipNorm]!, f64[d + TailF64.t]!, scratch, undo,
  );
  f64[d + TailF64.result] = value;
  if (value !== value) return StepStatus.skipped;
  if (value === -Infinity) return StepStatus.undone;
  if (value === Infinity) return StepStatus.notUndone;
  f64[d + TailF64.lossSum] = f64[d + TailF64.lossSum]! + value * rows;
  return StepStatus.applied;
}

/**
 * compute_gradients, then, only if the loss and every gradient are finite (else
 * nothing changes and NaN is returned), clipping of the gradient's norm when
 * clipNorm > 0 and one optimizer update of every layer. An update that makes
 * a parameter non-finite is undone from `undo` (−Infinity), or, without one,
 * left for the caller to restore (+Infinity). This reference saves before
 * every update when given `undo`; the Wasm kernels only when their bounds say
 * the update could overflow.
 */
export function trainStep(
  mem: JsMemory, table: number, layers: number, X: number, Y: number, rows: number, loss: number,
  opt: number, lr: number, beta1: number, beta2: number, eps: number, clipNorm: number, t: number, scratch: number, undo: number,
): number {
  const value = computeGradients(mem, table, layers, X, Y, rows, loss, scratch);
  if (!Number.isFinite(value) || !gradientsFinite(mem, table, layers)) return NaN;
  if (clipNorm > 0) clipGradNorm(mem, table, layers, clipNorm);
  if (undo) copyParamsAndState(mem, table, layers, opt, undo, true);
  const w = mem.i32;
  for (let l = 0; l < layers; l++) {
    const nW = w[word(table, l, Field.inputs)] * w[word(table, l, Field.outputs)];
    const nb = w[word(table, l, Field.outputs)];
    const W = w[word(table, l, Field.W)];
    const b = w[word(table, l, Field.b)];
    const dW = w[word(table, l, Field.dW)];
    const db = w[word(table, l, Field.db)];
    const wd = mem.f32[word(table, l, Field.weightDecay)];
    if (opt === Opt.adam) {
      adamUpdate(mem, nW, W, dW, w[word(table, l, Field.mW)], w[word(table, l, Field.vW)], lr, beta1, beta2, eps, t, wd);
      adamUpdate(mem, nb, b, db, w[word(table, l, Field.mb)], w[word(table, l, Field.vb)], lr, beta1, beta2, eps, t, 0);
    } else if (opt === Opt.momentum) {
      momentumUpdate(mem, nW, W, dW, w[word(table, l, Field.mW)], lr, beta1, wd);
      momentumUpdate(mem, nb, b, db, w[word(table, l, Field.mb)], lr, beta1, 0);
    } else {
      sgdUpdate(mem, nW, W, dW, lr, wd);
      sgdUpdate(mem, nb, b, db, lr, 0);
    }
  }
  // Finite gradients can still overflow a parameter (a huge learning rate).
  if (!parametersFinite(mem, table, layers)) {
    if (!undo) return Infinity;
    copyParamsAndState(mem, table, layers, opt, undo, false);
    return -Infinity;
  }
  return value;
}

/** forward, then the loss value only. */
export function lossOnly(
  mem: JsMemory, table: number, layers: number, X: number, Y: number, rows: number, loss: number, scratch: number,
): number {
  forward(mem, table, layers, X, rows, scratch);
  return lastLayerLoss(mem, table, layers, Y, rows, loss, false);
}
