// One thread's share of each part of a forward pass or a training step over
// the layer table (threads build only; mlp-thread-run.ts calls them between
// barriers). A share is a block of output rows: rows of the batch for the
// forward pass and the input gradients, rows of W (inputs) and columns of b
// for the weight gradients, the update and the packing. Every value is
// computed by one thread, summed in the order one thread sums it
// (f32-gemm-order.ts: the order depends on the product's N, never on M), so
// the bits do not depend on the number of threads. Shares are cut by
// shareStart (thread-sync.ts), the same cut in every part that reads what
// another part of the same thread wrote.

import { LAYER_BYTES, LayerField, Opt } from './abi';
import { f32_bias_act_forward, f32_act_backward } from './f32-act';
import { f32_bias_grad_cols } from './f32-bias';
import { f32_max_abs_finite } from './f32-finite';
import { f32_gemm, f32_gemm_small } from './f32-gemm';
import { f32_gemm_mvec_8x4_rows__simd } from './f32-gemm-mvec-8x4';
import { f32_gemm_narrow } from './f32-gemm-order';
import { f32_gemm_pack_b_rows } from './f32-gemm-pack-b-rows';
import { f32_gemm_packed_rows__simd } from './f32-gemm-packed';
import { f32_gemm_prepacked } from './f32-gemm-prepacked';
import { f32_gemm_rows__scalar } from './f32-gemm-scalar';
import { adamUpdateChecked, lastMaxParam, lastMaxState, momentumUpdateChecked, sgdUpdateChecked } from './f32-update';
import { fieldF32, fieldI32, fieldPtr, layerAt } from './layer-table';
import { scale } from './mlp-clip-grad-norm';
import { shareStart } from './thread-sync';

// Rows of the batch and of W go in blocks of 4: whole register tiles, and
// whole quads of a narrow layer's packed W (f32_gemm_pack_b_rows).
const ALIGN: i32 = 4;

/** Thread t's rows [r0, r1) of n among T, as a pair in an i64 (no allocation). */
// @ts-ignore: decorator
@inline
export function share(n: i32, t: i32, T: i32): i64 {
  return (<i64>shareStart(n, t, T, ALIGN) << 32) | <i64><u32>shareStart(n, t + 1, T, ALIGN);
}
// @ts-ignore: decorator
@inline
function lo(s: i64): i32 {
  return <i32>(s >> 32);
}
// @ts-ignore: decorator
@inline
function hi(s: i64): i32 {
  return <i32>s;
}

/** Packs this thread's rows of every layer's W into its Wp (Tail.packed is the caller's). */
export function packShare(table: usize, layerCount: i32, t: i32, T: i32): void {
  for (let l = 0; l < layerCount; l++) {
    const L = layerAt(table, l);
    const inputs = fieldI32(L, LayerField.inputs);
    const s = share(inputs, t, T);
    f32_gemm_pack_b_rows(fieldI32(L, LayerField.outputs), inputs, fieldPtr(L, LayerField.W), fieldPtr(L, LayerField.Wp), lo(s), hi(s));
  }
}

/** mlp_forward for rows [r0, r1) of X: those rows of every layer's Z and A (the packed W must be current). */
export function forwardRows(table: usize, layerCount: i32, X: usize, r0: i32, r1: i32, scratch: usize): void {
  if (r1 <= r0) return;
  const n = r1 - r0;
  let input = X;
  for (let l = 0; l < layerCount; l++) {
    const L = layerAt(table, l);
    const inputs = fieldI32(L, LayerField.inputs);
    const outputs = fieldI32(L, LayerField.outputs);
    const off = <usize>r0 * <usize>outputs << 2;
    const Z = fieldPtr(L, LayerField.Z) + off;
    const A = fieldPtr(L, LayerField.A) + off;
    f32_gemm_prepacked(n, outputs, inputs, input + (<usize>r0 * <usize>inputs << 2), fieldPtr(L, LayerField.W), fieldPtr(L, LayerField.Wp), Z, scratch);
    f32_bias_act_forward(fieldI32(L, LayerField.act), n, outputs, fieldF32(L, LayerField.alpha), Z, fieldPtr(L, LayerField.b), A);
    input = fieldPtr(L, LayerField.A);
  }
}

/**
 * mlp_gradients' input gradients for rows [r0, r1): every hidden layer's dZ
 * from the output layer's (whole, already written), through dZ·Wᵀ and the
 * activation's derivative. A row needs only its own rows above it.
 */
export function backwardRows(table: usize, layerCount: i32, r0: i32, r1: i32, scratch: usize): void {
  if (r1 <= r0) return;
  const n = r1 - r0;
  for (let l = layerCount - 1; l > 0; l--) {
    const L = layerAt(table, l);
    const P = L - LAYER_BYTES;
    const inputs = fieldI32(L, LayerField.inputs);
    const outputs = fieldI32(L, LayerField.outputs);
    const dZ = fieldPtr(L, LayerField.dZ) + (<usize>r0 * <usize>outputs << 2);
    const off = <usize>r0 * <usize>inputs << 2;
    const dZprev = fieldPtr(P, LayerField.dZ) + off;
    f32_gemm(0, 1, n, inputs, outputs, dZ, fieldPtr(L, LayerField.W), dZprev, 0, scratch);
    f32_act_backward(fieldI32(P, LayerField.act), n, inputs, fieldF32(P, LayerField.alpha), fieldPtr(P, LayerField.Z) + off, fieldPtr(P, LayerField.A) + off, dZprev, dZprev);
  }
}

// Rows [i0, i1) of C = Aᵀ·B (A stored K×M, B K×N), routed as f32_gemm(1, 0, …) routes the whole product.
function gemmTransARows(M: i32, N: i32, K: i32, A: usize, B: usize, C: usize, scratch: usize, i0: i32, i1: i32): void {
  if (i1 <= i0) return;
  if (ASC_FEATURE_SIMD) {
    if (f32_gemm_small(M, N, K)) f32_gemm_rows__scalar(1, 0, M, N, K, A, B, C, 0, i0, i1);
    else if (f32_gemm_narrow(N)) f32_gemm_mvec_8x4_rows__simd(M, N, K, A, B, C, 0, i0, i1);
    else f32_gemm_packed_rows__simd(1, 0, M, N, K, A, B, C, 0, scratch, i0, i1);
    return;
  }
  f32_gemm_rows__scalar(1, 0, M, N, K, A, B, C, 0, i0, i1);
}

/**
 * This thread's rows of every dW (= inputᵀ·dZ over all `rows` rows) and
 * columns of every db; returns max |value| over them (NaN if one is not finite).
 */
export function gradientShare(table: usize, layerCount: i32, X: usize, rows: i32, t: i32, T: i32, scratch: usize): f32 {
  let m: f32 = 0;
  for (let l = 0; l < layerCount; l++) {
    const L = layerAt(table, l);
    const inputs = fieldI32(L, LayerField.inputs);
    const outputs = fieldI32(L, LayerField.outputs);
    const dZ = fieldPtr(L, LayerField.dZ);
    const input = l == 0 ? X : fieldPtr(L - LAYER_BYTES, LayerField.A);
    const w = share(inputs, t, T);
    const dW = fieldPtr(L, LayerField.dW);
    gemmTransARows(inputs, outputs, rows, input, dZ, dW, scratch, lo(w), hi(w));
    const b = share(outputs, t, T);
    const db = fieldPtr(L, LayerField.db);
    if (hi(b) > lo(b)) f32_bias_grad_cols(rows, outputs, dZ, db, lo(b), hi(b));
    // f32.max propagates NaN
    m = max(m, max(maxOfRows(dW, outputs, lo(w), hi(w)), maxOfRows(db, 1, lo(b), hi(b))));
  }
  return m;
}

// max |x| over rows [r0, r1) of a matrix of `cols` columns (0 when empty)
// @ts-ignore: decorator
@inline
function maxOfRows(P: usize, cols: i32, r0: i32, r1: i32): f32 {
  return r1 > r0 ? f32_max_abs_finite((r1 - r0) * cols, P + (<usize>r0 * <usize>cols << 2)) : 0;
}

/** max |x| over this thread's share of every layer's arrays at fields fW (inputs × outputs) and fB (outputs). */
export function maxShare(table: usize, layerCount: i32, fW: usize, fB: usize, t: i32, T: i32): f32 {
  let m: f32 = 0;
  for (let l = 0; l < layerCount; l++) {
    const L = layerAt(table, l);
    const outputs = fieldI32(L, LayerField.outputs);
    const w = share(fieldI32(L, LayerField.inputs), t, T);
    const b = share(outputs, t, T);
    m = max(m, max(maxOfRows(fieldPtr(L, fW), outputs, lo(w), hi(w)), maxOfRows(fieldPtr(L, fB), 1, lo(b), hi(b))));
  }
  return m;
}

/** This thread's share of every dW and db multiplied by c (mlp_clip_grad_norm's scaling). */
export function scaleShare(table: usize, layerCount: i32, c: f32, t: i32, T: i32): void {
  for (let l = 0; l < layerCount; l++) {
    const L = layerAt(table, l);
    const outputs = fieldI32(L, LayerField.outputs);
    const w = share(fieldI32(L, LayerField.inputs), t, T);
    const b = share(outputs, t, T);
    scale((hi(w) - lo(w)) * outputs, fieldPtr(L, LayerField.dW) + (<usize>lo(w) * <usize>outputs << 2), c);
    scale(hi(b) - lo(b), fieldPtr(L, LayerField.db) + (<usize>lo(b) << 2), c);
  }
}

/**
 * This thread's share of copyParamsAndState (mlp-train-step.ts): its rows of
 * every W and columns of every b, then of each state array, at their places
 * in the undo block (save), or back from there.
 */
export function copyShare(table: usize, layerCount: i32, opt: i32, undo: usize, save: bool, t: i32, T: i32): void {
  let u = undo;
  const states = opt == Opt.adam ? 2 : opt == Opt.momentum ? 1 : 0;
  for (let l = 0; l < layerCount; l++) {
    const L = layerAt(table, l);
    const outputs = fieldI32(L, LayerField.outputs);
    const w = share(fieldI32(L, LayerField.inputs), t, T);
    const b = share(outputs, t, T);
    const wBytes = <usize>(fieldI32(L, LayerField.inputs) * outputs) << 2;
    const bBytes = <usize>outputs << 2;
    for (let k = 0; k < 2 + 2 * states; k++) {
      const isW = (k & 1) == 0;
      const from: usize = isW ? <usize>lo(w) * <usize>outputs << 2 : <usize>lo(b) << 2;
      const bytes: usize = isW ? <usize>(hi(w) - lo(w)) * <usize>outputs << 2 : <usize>(hi(b) - lo(b)) << 2;
      const p = fieldPtr(L, k < 2 ? <usize>LayerField.W + (<usize>k << 2) : <usize>LayerField.mW + (<usize>(k - 2) << 2)) + from;
      if (save) memory.copy(u + from, p, bytes);
      else memory.copy(p, u + from, bytes);
      u += isW ? wBytes : bBytes;
    }
  }
}

// What the last updateShare found: whether every parameter it wrote is
// finite, and the largest |parameter| and |momentum value| it wrote.
export let shareFinite = true;
export let shareMaxParam: f32 = 0;
export let shareMaxState: f32 = 0;

/**
 * mlp_train_step's update on this thread's share (rows of each W, columns of
 * each b, with their state), then its rows of each W packed into Wp. K: this
 * thread's vector area for the update (f32-update.ts).
 */
export function updateShare(
  table: usize, layerCount: i32, opt: i32, lr: f32, beta1: f32, beta2: f32, eps: f32, step: f64, t: i32, T: i32, K: usize,
): void {
  let finite = true;
  let newP: f32 = 0, newS: f32 = 0;
  for (let l = 0; l < layerCount; l++) {
    const L = layerAt(table, l);
    const inputs = fieldI32(L, LayerField.inputs);
    const outputs = fieldI32(L, LayerField.outputs);
    const lwd = fieldF32(L, LayerField.weightDecay);
    const w = share(inputs, t, T);
    const b = share(outputs, t, T);
    for (let k = 0; k < 2; k++) {
      const n = k == 0 ? (hi(w) - lo(w)) * outputs : hi(b) - lo(b);
      if (n <= 0) continue;
      const off: usize = k == 0 ? <usize>lo(w) * <usize>outputs << 2 : <usize>lo(b) << 2;
      const wd = k == 0 ? lwd : <f32>0;
      const p = fieldPtr(L, k == 0 ? LayerField.W : LayerField.b) + off, g = fieldPtr(L, k == 0 ? LayerField.dW : LayerField.db) + off;
      const m = fieldPtr(L, k == 0 ? LayerField.mW : LayerField.mb) + off, v = fieldPtr(L, k == 0 ? LayerField.vW : LayerField.vb) + off;
      if (opt == Opt.adam) finite = adamUpdateChecked(n, p, g, m, v, lr, beta1, beta2, eps, step, wd, K) && finite;
      else if (opt == Opt.momentum) finite = momentumUpdateChecked(n, p, g, m, lr, beta1, wd, K) && finite;
      else finite = sgdUpdateChecked(n, p, g, lr, wd, K) && finite;
      newP = max(newP, lastMaxParam);
      if (opt == Opt.momentum) newS = max(newS, lastMaxState);
    }
    f32_gemm_pack_b_rows(outputs, inputs, fieldPtr(L, LayerField.W), fieldPtr(L, LayerField.Wp), lo(w), hi(w));
  }
  shareFinite = finite;
  shareMaxParam = newP;
  shareMaxState = newS;
}
