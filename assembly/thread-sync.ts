// How the threads of the threads build meet (only that build imports this
// file): the control block's barrier, the wait for the workers to finish a
// job, and how a thread's share of a job is cut. Layout, protocol and who
// writes what: Sync and SyncSlot in src/backend/abi.ts.
//
// A waiting thread spins first (the threads of one training step meet every
// few tens of microseconds, and a wake-up from the kernel costs as much), then
// blocks in memory.atomic.wait where it may (not on a browser's main thread),
// counted in Sync.sleepers so that the thread that releases it notifies only
// when someone sleeps. A blocked wait times out now and then to look at
// Sync.abort again: a failed worker sets it and notifies, but a notify is
// only owed to those counted.

import { SLOT_BYTES, Sync } from './abi';

// about 20–60 µs of spinning before blocking
const SPINS: i32 = 1 << 14;
// a blocked thread looks at the control block again after this long
const WAIT_NS: i64 = 10_000_000;

/** Thread t's slot in the control block. */
// @ts-ignore: decorator
@inline
export function slotOf(sync: usize, t: i32): usize {
  return sync + <usize>Sync.slots + <usize>t * <usize>SLOT_BYTES;
}

/** Whether a thread has failed during this job (every thread then stops at its next barrier). */
// @ts-ignore: decorator
@inline
export function aborted(sync: usize): bool {
  return atomic.load<i32>(sync + <usize>Sync.abort) != 0;
}

/**
 * Waits until every one of `threads` threads has arrived; false when the job
 * was aborted (a thread failed), in which case the caller gives up its share.
 * Writes made before the barrier are seen by every thread after it.
 *
 * Whether a barrier opened is one decision that every thread sees alike:
 * the word at Sync.sense goes from `sense` to sense + 1 (open: the last to
 * arrive, when no thread has failed) or to sense + 2 (given up: a waiting
 * thread that saw a failure, or the last to arrive after one), by
 * compare-and-exchange, so exactly one of them wins. A thread that saw the
 * failure before it saw the barrier open therefore still learns that it
 * opened, and goes on as the others do: once one thread is past the barrier
 * before an update, every thread is, and thread 0 reports a failure from
 * then on as one during the update.
 */
export function barrier(sync: usize, threads: i32, canWait: bool): bool {
  const senseAt = sync + <usize>Sync.sense;
  const sense = atomic.load<i32>(senseAt);
  if (atomic.add<i32>(sync + <usize>Sync.arrived, 1) == threads - 1) {
    // the last to arrive resets the count before releasing the others, who may arrive at the next barrier at once
    atomic.store<i32>(sync + <usize>Sync.arrived, 0);
    const next = aborted(sync) ? sense + 2 : sense + 1;
    const seen = atomic.cmpxchg<i32>(senseAt, sense, next);
    if (atomic.load<i32>(sync + <usize>Sync.sleepers) > 0) atomic.notify(senseAt, -1);
    return opened(seen == sense ? next : seen, sense);
  }
  let spins = 0;
  let now = atomic.load<i32>(senseAt);
  while (now == sense) {
    if (aborted(sync)) {
      const seen = atomic.cmpxchg<i32>(senseAt, sense, sense + 2);
      if (seen != sense) return opened(seen, sense);
      if (atomic.load<i32>(sync + <usize>Sync.sleepers) > 0) atomic.notify(senseAt, -1);
      return false;
    }
    if (++spins >= SPINS && canWait) sleep(sync, senseAt, sense);
    now = atomic.load<i32>(senseAt);
  }
  return opened(now, sense);
}

// @ts-ignore: decorator
@inline
function opened(now: i32, sense: i32): bool {
  return now == sense + 1;
}

/** Thread 0: waits until `workers` workers have finished the job (normally or not). */
export function waitForWorkers(sync: usize, workers: i32, canWait: bool): void {
  const doneAt = sync + <usize>Sync.done;
  let spins = 0;
  for (;;) {
    const done = atomic.load<i32>(doneAt);
    if (done >= workers) return;
    if (++spins < SPINS || !canWait) continue;
    sleep(sync, doneAt, done);
  }
}

// Blocks while the word at `at` holds `value`, counted among the sleepers
// (counted before the wait looks at the word: a thread that changes it and
// then reads the count either sees this one or is seen by its wait).
function sleep(sync: usize, at: usize, value: i32): void {
  const sleepers = sync + <usize>Sync.sleepers;
  atomic.add<i32>(sleepers, 1);
  atomic.wait<i32>(at, value, WAIT_NS);
  atomic.sub<i32>(sleepers, 1);
}

/**
 * The start of thread t's share of n items among `threads` threads: shares of
 * ⌈n/threads⌉ rounded up to a multiple of `align`, so every share but the last
 * starts and ends on a multiple of `align` (whole SIMD tiles, whole 4-row
 * quads of a packed W); late threads get empty shares when n is small.
 * Thread t's share is [shareStart(t), shareStart(t + 1)).
 */
// @ts-ignore: decorator
@inline
export function shareStart(n: i32, t: i32, threads: i32, align: i32): i32 {
  const per = ((n + threads - 1) / threads + align - 1) / align * align;
  const s = t * per;
  return s < n ? s : n;
}
