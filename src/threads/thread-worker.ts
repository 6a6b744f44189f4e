/**
 * A worker thread of a threaded runtime: dist/thread-worker.js, a Node
 * worker_threads Worker (src/threads/spawn.ts), and dist/thread-worker.browser.js,
 * a module Web Worker (spawn.browser.ts); they differ only in how they talk
 * to the thread that started them (worker-port*.ts). It gets the
 * kernels' module, the shared memory, the control block and its index in one
 * message, makes an instance of its own over that memory, says it is ready
 * (SyncSlot.ready, and a message), and then runs every job it is given
 * (SyncSlot.gen bumped) until a Job.exit. Protocol: Sync in src/backend/abi.ts.
 *
 * A failure is never left to the host: an exception or trap in a job is
 * written into the control block (Sync.abort, Sync.faultText) so that the
 * threads waiting for this one stop, and the job still counts as done; then
 * the worker ends. In Node, process.exit() in a job is caught the same way
 * by the 'exit' handler.
 */
import { FAULT_TEXT_BYTES, Job, SLOT_BYTES, Sync, SyncSlot, type ThreadKernelExports } from '../backend/abi.js';
import { port, type WorkerStart } from './worker-port.js';

export type { WorkerStart } from './worker-port.js';

// Spins this long (ms) after a job before blocking: the next step of a fit comes within microseconds.
const SPIN_MS = 0.3;

/** Writes what went wrong into the control block and releases every thread waiting for this one. */
function fail(i32: Int32Array, sync: number, index: number, what: string): void {
  const bytes = new TextEncoder().encode(what.length > 200 ? `${what.slice(0, 200)}…` : what).subarray(0, FAULT_TEXT_BYTES);
  const u8 = new Uint8Array(i32.buffer);
  // the first failure is the one reported
  if (Atomics.compareExchange(i32, (sync + Sync.abort) >> 2, 0, index + 1) === 0) {
    u8.set(bytes, sync + Sync.faultText);
    Atomics.store(i32, (sync + Sync.faultLength) >> 2, bytes.length);
  }
  Atomics.notify(i32, (sync + Sync.sense) >> 2);
  Atomics.notify(i32, (sync + Sync.done) >> 2);
}

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

async function main(): Promise<void> {
  const p = await port();
  const start = await new Promise<WorkerStart>((resolve) => p.once(resolve));
  const { module, memory, sync, index } = start;
  const i32 = new Int32Array(memory.buffer);
  const slot = sync + Sync.slots + index * SLOT_BYTES;
  const gen = (slot + SyncSlot.gen) >> 2;
  const sleeping = (slot + SyncSlot.sleeping) >> 2;
  let inJob = false;
  p.onExit((code) => {
    if (!inJob) return;
    fail(i32, sync, index, `the thread exited (code ${code}) during the job`);
    Atomics.add(i32, (sync + Sync.done) >> 2, 1);
    Atomics.notify(i32, (sync + Sync.done) >> 2);
  });
  let k: ThreadKernelExports;
  try {
    k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as ThreadKernelExports;
  } catch (e) {
    p.post({ error: describeError(e) });
    return;
  }
  // read before saying ready: a job may be given the moment it is said
  let seen = Atomics.load(i32, gen);
  Atomics.store(i32, (slot + SyncSlot.ready) >> 2, 1);
  p.post({ ready: true });
  for (;;) {
    const until = performance.now() + SPIN_MS;
    while (Atomics.load(i32, gen) === seen && performance.now() < until) {
      /* spin: the next job is usually microseconds away */
    }
    if (Atomics.load(i32, gen) === seen) {
      // counted before the wait looks at gen: the pool bumps gen, then notifies if it sees this
      Atomics.store(i32, sleeping, 1);
      Atomics.wait(i32, gen, seen);
      Atomics.store(i32, sleeping, 0);
      continue;
    }
    seen = Atomics.load(i32, gen);
    const job = Atomics.load(i32, (sync + Sync.job) >> 2);
    if (job === Job.exit) return;
    inJob = true;
    try {
      k.mlp_thread_run(injectFault(i32, sync, index), index, 1);
      if (failAfterJob) {
        failAfterJob = false;
        throw new Error('injected fault after its share of the update');
      }
    } catch (e) {
      fail(i32, sync, index, describeError(e));
      Atomics.add(i32, (sync + Sync.done) >> 2, 1);
      Atomics.notify(i32, (sync + Sync.done) >> 2);
      return;
    }
    inJob = false;
    Atomics.add(i32, (sync + Sync.done) >> 2, 1);
    if (Atomics.load(i32, (sync + Sync.sleepers) >> 2) > 0) Atomics.notify(i32, (sync + Sync.done) >> 2);
  }
}

// Tests only: set by injectFault's mode 4, thrown once the job's own share has run.
let failAfterJob = false;

/**
 * Tests only (Sync.inject = 1 + this worker's index, plus 256 × the mode):
 * fail in the job about to run. Mode 1 throws; 2 exits the thread (Node);
 * 3 traps inside Wasm (the control block's address given past the end of
 * memory); 4 runs its share of the job, the update of a training step
 * included, and throws before it counts as done: to the calling thread, a
 * worker that failed while the parameters were being updated. Returns the
 * control block's address to run the job with.
 */
function injectFault(i32: Int32Array, sync: number, index: number): number {
  const at = (sync + Sync.inject) >> 2;
  const v = Atomics.load(i32, at);
  if (v === 0 || (v & 255) !== index + 1) return sync;
  Atomics.store(i32, at, 0);
  const mode = v >> 8;
  if (mode === 1) throw new Error('injected fault');
  if (mode === 4) failAfterJob = true;
  if (mode === 2) (globalThis as { process?: { exit(code: number): never } }).process?.exit(3);
  return mode === 3 ? 0xffffff00 : sync;
}

void main();
