/**
 * The threaded runtime's kernels: mlp_train_step, mlp_forward and mlp_loss
 * replaced by functions of the same contract that share each call among
 * threads when it is large enough, and call the single-thread kernel
 * otherwise. Every other kernel, and everything above the kernels (Trainer,
 * Network), is the same as on one thread: the bits are the same for any
 * number of threads, so nothing else needs to know.
 *
 * How many threads a call gets: one per MIN_WORK (src/threads/work.ts)
 * multiply-adds of its forward pass (rows × Σ inputs·outputs), at most what
 * the pool has ready; below 2 × MIN_WORK a call stays on the calling thread
 * and pays only this count (a field read for a small network, else a loop
 * over the layer table: work.ts largeWork).
 */
import { Job, LAYER_BYTES, LayerField, StepStatus, Sync, type KernelExports } from '../backend/abi.js';
import type { Heap } from '../memory/heap.js';
import type { ThreadPool } from './pool.js';
import { largeWork } from './work.js';

/** Replaces the three kernels in `heap.backend.kernels` (the threads build's copy of its exports) by their threaded forms. */
export function installThreadedKernels(heap: Heap, pool: ThreadPool): void {
  const k = heap.backend.kernels as { -readonly [K in keyof KernelExports]: KernelExports[K] };
  const trainStep = k.mlp_train_step;
  const forward = k.mlp_forward;
  const loss = k.mlp_loss;

  /** Threads for a call on `rows` rows of this table: 1, or 2 … what is ready, with the scratch in place. */
  const threadsFor = (table: number, layerCount: number, rows: number): number => {
    const work = largeWork(2 * pool.minWork, heap, table, layerCount, rows);
    if (work === 0) return 1;
    const wanted = Math.min(pool.size, Math.floor(work / pool.minWork));
    if (wanted < 2) return 1;
    const threads = Math.min(wanted, pool.available());
    const outputs = heap.i32()[(table + (layerCount - 1) * LAYER_BYTES + LayerField.outputs) >> 2]!;
    // the loss terms: 8 bytes per output value of the batch (assembly/mlp-thread-loss.ts)
    if (threads < 2 || !pool.ensureScratch(scratchBytes(k, heap, table, layerCount, rows), rows * outputs * 8)) return 1;
    return threads;
  };

  k.mlp_train_step = (table, layerCount, X, Y, rows, lossCode, opt, scratch, undo) => {
    const threads = threadsFor(table, layerCount, rows);
    if (threads < 2) return trainStep(table, layerCount, X, Y, rows, lossCode, opt, scratch, undo);
    return pool.run(Job.trainStep, threads, table, layerCount, X, Y, rows, lossCode, opt, scratch, undo);
  };

  k.mlp_forward = (table, layerCount, X, rows, scratch) => {
    const threads = threadsFor(table, layerCount, rows);
    // a failed worker closes the pool: the pass again on this thread alone (nothing but activations was written)
    if (threads < 2 || pool.run(Job.forward, threads, table, layerCount, X, 0, rows, 0, 0, scratch, 0) !== 0) forward(table, layerCount, X, rows, scratch);
  };

  k.mlp_loss = (table, layerCount, X, Y, rows, lossCode, scratch) => {
    const threads = threadsFor(table, layerCount, rows);
    if (threads < 2 || pool.run(Job.loss, threads, table, layerCount, X, Y, rows, lossCode, 0, scratch, 0) !== 0) {
      return loss(table, layerCount, X, Y, rows, lossCode, scratch);
    }
    return heap.f64()[(pool.sync + Sync.value) >>> 3]!;
  };
}

/** A thread's GEMM scratch for a step of `rows` rows: the largest any share of backprop's three products needs (at most the whole product's). */
function scratchBytes(k: KernelExports, heap: Heap, table: number, layerCount: number, rows: number): number {
  const i32 = heap.i32();
  let bytes = 0;
  for (let l = 0; l < layerCount; l++) {
    const L = (table + l * LAYER_BYTES) >> 2;
    const inputs = i32[L + (LayerField.inputs >> 2)]!;
    const outputs = i32[L + (LayerField.outputs >> 2)]!;
    bytes = Math.max(
      bytes,
      k.f32_gemm_scratch_bytes(0, 0, rows, outputs, inputs),
      k.f32_gemm_scratch_bytes(1, 0, inputs, outputs, rows),
      k.f32_gemm_scratch_bytes(0, 1, rows, inputs, outputs),
    );
  }
  return bytes;
}

/** Whether a step's status says a worker failed (the pool is closed then). */
export function workerFailed(status: number): boolean {
  return status === StepStatus.workerFailed || status === StepStatus.workerFailedMidUpdate;
}
