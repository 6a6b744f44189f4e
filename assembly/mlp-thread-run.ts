// mlp_thread_run: every thread's entry into a job of the threads build (Sync
// and ThreadKernelExports in src/backend/abi.ts). A training step is
// mlp_train_step cut into parts with a barrier between each and the next:
//   pack W (only when stale) │ own rows of a shuffled batch gathered, forward, the output layer's dZ and the loss
//   terms (mlp-thread-loss.ts), input gradients, own rows of the batch │
//   the loss value from the terms on thread 0; weight gradients, own rows of
//   W and columns of b │ [clipping factor, thread 0 │] [parameter bounds │]
//   update and repack, own rows │ thread 0 waits for the workers, combines
// Each decision (skip, clip, save for undo) is taken by every thread alike
// from the same values in memory. The sum of the loss, the norm for clipping
// and the restore of an undone update run on thread 0 over all rows, as
// mlp_train_step sums them: the same bits whatever the number of threads.

import { Job, LayerField, Opt, StepStatus, Sync, SyncSlot, Tail } from './abi';
import { gatherBatch } from './f32-gather';
import { gradientNorm } from './mlp-clip-grad-norm';
import { outputLayerLoss } from './mlp-forward';
import { backwardRows, copyShare, forwardRows, gradientShare, maxShare, packShare, scaleShare, share, shareFinite, shareMaxParam, shareMaxState, updateShare } from './mlp-thread-shares';
import { copyParamsAndState, updateCouldOverflow } from './mlp-train-step';
import { fieldF32, fieldI32, fieldPtr, layerAt, tailOf } from './layer-table';
import { lossRows, lossValue } from './mlp-thread-loss';
import { aborted, barrier, slotOf, waitForWorkers } from './thread-sync';

// Thread 0's state between the parts of a step (globals are per instance: per thread).
let updating = false;
let savedForUndo = false;

export function mlp_thread_run(sync: usize, thread: i32, canWait: i32): i32 {
  const job = load<i32>(sync, Sync.job);
  const T = load<i32>(sync, Sync.threads);
  const wait = canWait != 0;
  const table = <usize>load<u32>(sync, Sync.table);
  const layerCount = load<i32>(sync, Sync.layerCount);
  const tail = tailOf(table, layerCount);
  if (job == Job.trainStep) {
    updating = false;
    savedForUndo = false;
    const value = stepShare(sync, thread, T, wait, table, layerCount, tail);
    if (thread != 0) return 0;
    waitForWorkers(sync, T - 1, wait);
    if (aborted(sync)) return updating ? StepStatus.workerFailedMidUpdate : StepStatus.workerFailed;
    return finishStep(sync, T, table, layerCount, tail, value);
  }
  // Job.forward, Job.loss: each thread its rows through every layer
  const stale = load<i32>(tail, Tail.packed) == 0;
  let ok = true;
  if (stale) {
    packShare(table, layerCount, thread, T);
    ok = barrier(sync, T, wait);
  }
  const rows = load<i32>(sync, Sync.rows);
  const s = share(rows, thread, T);
  if (ok) forwardRows(table, layerCount, <usize>load<u32>(sync, Sync.X), <i32>(s >> 32), <i32>s, <usize>load<u32>(slotOf(sync, thread), SyncSlot.scratch));
  if (thread != 0) return 0;
  waitForWorkers(sync, T - 1, wait);
  if (aborted(sync)) return StepStatus.workerFailed;
  if (stale) store<i32>(tail, 1, Tail.packed);
  if (job == Job.loss) {
    store<f64>(sync, outputLayerLoss(table, layerCount, <usize>load<u32>(sync, Sync.Y), rows, load<i32>(sync, Sync.loss), false), Sync.value);
  }
  return 0;
}

// This thread's part of a training step, up to its update; the loss value, or
// NaN when the step is skipped (or the job aborted: the caller looks at Sync.abort).
function stepShare(sync: usize, t: i32, T: i32, wait: bool, table: usize, layerCount: i32, tail: usize): f64 {
  const X = <usize>load<u32>(sync, Sync.X);
  const rows = load<i32>(sync, Sync.rows);
  const opt = load<i32>(sync, Sync.opt);
  const undo = <usize>load<u32>(sync, Sync.undo);
  const slot = slotOf(sync, t);
  const scratch = <usize>load<u32>(slot, SyncSlot.scratch);
  if (load<i32>(tail, Tail.packed) == 0) {
    packShare(table, layerCount, t, T);
    if (!barrier(sync, T, wait)) return NaN;
    // every thread has read the flag (before the barrier)
    if (t == 0) store<i32>(tail, 1, Tail.packed);
  }
  // a row's forward pass, loss gradient and input gradients need no other row: no barrier between them
  const s = share(rows, t, T);
  const r0 = <i32>(s >> 32), r1 = <i32>s;
  // a shuffled batch: this thread's rows of it (every row is in place by the barrier after the input gradients)
  gatherBatch(table, layerCount, tail, X, <usize>load<u32>(sync, Sync.Y), r0, r1);
  forwardRows(table, layerCount, X, r0, r1, scratch);
  const lossCode = load<i32>(sync, Sync.loss);
  const classWeights = <usize>load<u32>(tail, Tail.classWeights);
  const terms = <usize>load<u32>(sync, Sync.terms);
  const out = layerAt(table, layerCount - 1);
  const outputs = fieldI32(out, LayerField.outputs);
  lossRows(
    lossCode, fieldI32(out, LayerField.act), rows, r0, r1, outputs, fieldF32(out, LayerField.alpha),
    fieldPtr(out, LayerField.Z), fieldPtr(out, LayerField.A), <usize>load<u32>(sync, Sync.Y), fieldPtr(out, LayerField.dZ), classWeights, terms,
  );
  backwardRows(table, layerCount, r0, r1, scratch);
  if (!barrier(sync, T, wait)) return NaN;
  // the value from every row's terms, in row order (read by every thread after the next barrier)
  if (t == 0) store<f64>(sync, lossValue(lossCode, rows, outputs, classWeights, terms), Sync.value);
  store<f32>(slot, gradientShare(table, layerCount, X, rows, t, T, scratch), SyncSlot.maxGrad);
  if (!barrier(sync, T, wait)) return NaN;

  // from here on every thread decides alike, from the same memory
  const value = load<f64>(sync, Sync.value);
  if (!isFinite(value)) return NaN;
  let G: f32 = 0;
  for (let i = 0; i < T; i++) G = max(G, load<f32>(slotOf(sync, i), SyncSlot.maxGrad));
  if (G != G) return NaN;
  const clipNorm = load<f64>(tail, Tail.clipNorm);
  if (clipNorm > 0) {
    // mlp_clip_grad_norm: the norm in its order, on thread 0; the scaling by shares
    if (t == 0) store<f64>(sync, clipNorm / (gradientNorm(table, layerCount) + 1e-6), Sync.coef);
    if (!barrier(sync, T, wait)) return NaN;
    const coef = load<f64>(sync, Sync.coef);
    if (coef < 1) scaleShare(table, layerCount, <f32>coef, t, T);
  }
  let P = load<f32>(tail, Tail.maxParam);
  let S: f32 = 0;
  const stateBound = opt == Opt.momentum;
  if (stateBound) S = load<f32>(tail, Tail.maxState);
  if (P != P || S != S) {
    store<f32>(slot, maxShare(table, layerCount, LayerField.W, LayerField.b, t, T), SyncSlot.maxParam);
    if (stateBound) store<f32>(slot, maxShare(table, layerCount, LayerField.mW, LayerField.mb, t, T), SyncSlot.maxState);
    if (!barrier(sync, T, wait)) return NaN;
    if (P != P) P = maxOverSlots(sync, T, SyncSlot.maxParam);
    if (S != S) S = maxOverSlots(sync, T, SyncSlot.maxState);
  }
  let wd: f32 = 0;
  for (let l = 0; l < layerCount; l++) wd = max(wd, fieldF32(layerAt(table, l), LayerField.weightDecay));
  const lr = <f32>load<f64>(tail, Tail.lr), beta1 = <f32>load<f64>(tail, Tail.beta1);
  const beta2 = <f32>load<f64>(tail, Tail.beta2), eps = <f32>load<f64>(tail, Tail.eps);
  const step = load<f64>(tail, Tail.t);
  const saved = undo != 0 && updateCouldOverflow(opt, P, S, G, wd, lr, beta1, beta2, eps, step);
  if (saved) copyShare(table, layerCount, opt, undo, true, t, T);
  if (t == 0) {
    updating = true;
    savedForUndo = saved;
    // the packed copies are stale until every thread has repacked its rows
    store<i32>(tail, 0, Tail.packed);
  }
  updateShare(table, layerCount, opt, lr, beta1, beta2, eps, step, t, T, <usize>load<u32>(slot, SyncSlot.vectors));
  store<f32>(slot, shareMaxParam, SyncSlot.newParam);
  store<f32>(slot, shareMaxState, SyncSlot.newState);
  store<i32>(slot, shareFinite ? 1 : 0, SyncSlot.finite);
  return value;
}

// f32.max over every thread's slot field (NaN wins)
function maxOverSlots(sync: usize, T: i32, field: usize): f32 {
  let m: f32 = 0;
  for (let i = 0; i < T; i++) m = max(m, load<f32>(slotOf(sync, i) + field));
  return m;
}

// Thread 0, every worker done: what mlp_train_step does after its update,
// over the threads' reports; the StepStatus, the value in Tail.result.
function finishStep(sync: usize, T: i32, table: usize, layerCount: i32, tail: usize, value: f64): i32 {
  if (value != value) {
    store<f64>(tail, NaN, Tail.result);
    return StepStatus.skipped;
  }
  let finite = true;
  for (let i = 0; i < T; i++) finite = finite && load<i32>(slotOf(sync, i), SyncSlot.finite) != 0;
  if (!finite) {
    store<f32>(tail, NaN, Tail.maxParam);
    store<f32>(tail, NaN, Tail.maxState);
    if (!savedForUndo) {
      store<f64>(tail, Infinity, Tail.result);
      return StepStatus.notUndone;
    }
    copyParamsAndState(table, layerCount, load<i32>(sync, Sync.opt), <usize>load<u32>(sync, Sync.undo), false);
    store<f64>(tail, -Infinity, Tail.result);
    return StepStatus.undone;
  }
  store<f32>(tail, maxOverSlots(sync, T, SyncSlot.newParam), Tail.maxParam);
  store<f32>(tail, maxOverSlots(sync, T, SyncSlot.newState), Tail.maxState);
  // every thread packed the rows it updated
  store<i32>(tail, 1, Tail.packed);
  store<f64>(tail, value, Tail.result);
  store<f64>(tail, load<f64>(tail, Tail.lossSum) + value * <f64>load<i32>(sync, Sync.rows), Tail.lossSum);
  return StepStatus.applied;
}
