/**
 * How much work a call is, and how much a thread needs to be worth waking:
 * what decides whether a call is shared among threads (threaded-kernels.ts)
 * and when a default runtime starts its workers (default-threads.ts).
 */
import { LAYER_BYTES, LayerField } from '../backend/abi.js';
import type { Heap } from '../memory/heap.js';

/**
 * Multiply-adds of a forward pass (rows × Σ inputs·outputs) per thread below
 * which a call gets fewer threads (4 Mi). A training step meets at two
 * barriers and at its end; each costs a few microseconds when every thread has a core, but
 * a whole time slice of the scheduler (milliseconds) when the cores are busy
 * with other work, so a share must be large enough to pay for that: the
 * 784-128-64-10 network (109 K multiply-adds a row) trains on one thread at
 * batch 32 (3.5 M) and on up to 3 at batch 128 (14 M); a prediction goes in
 * chunks of 1,024 rows, shared among every thread (see bench/threads.mjs).
 */
export const MIN_WORK = 1 << 22;

/**
 * Forward multiply-adds the calls large enough to share must have done on
 * the calling thread before a default runtime starts its workers (256 Mi:
 * about 25 ms of training on one core). A worker takes tens of milliseconds
 * of a core to start (a Node isolate, the kernels compiled again): a program
 * that makes a few large calls and ends (a CLI run whose evaluation is the
 * one large call, a script that predicts a batch once) would pay that for
 * nothing; one that keeps making them gets its workers within its first
 * tens of milliseconds of such work.
 */
export const START_WORK = 1 << 28;

/**
 * The multiply-adds of a call of `rows` rows through the layer table at
 * `table` (rows × Σ inputs·outputs) when they are `min` or more, else 0.
 * Every weight lies below the heap's end, so Σ inputs·outputs ≤ end / 4:
 * below that bound, a field read answers without the walk over the layer
 * table (the tiny path's steps take well under a microsecond, and the walk
 * would be a few percent of one).
 */
export function largeWork(min: number, heap: Heap, table: number, layerCount: number, rows: number): number {
  if (rows * (heap.end / 4) < min) return 0;
  const work = rows * forwardMacs(heap, table, layerCount);
  return work >= min ? work : 0;
}

/** Multiply-adds of one row's forward pass through the layer table at `table` (Σ inputs·outputs). */
export function forwardMacs(heap: Heap, table: number, layerCount: number): number {
  const i32 = heap.i32();
  let macs = 0;
  for (let l = 0; l < layerCount; l++) {
    const L = (table + l * LAYER_BYTES) >> 2;
    macs += i32[L + (LayerField.inputs >> 2)]! * i32[L + (LayerField.outputs >> 2)]!;
  }
  return macs;
}
