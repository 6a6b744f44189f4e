/**
 * The worker threads of a threaded runtime and the jobs they share with the
 * calling thread (protocol: Sync in src/backend/abi.ts; the kernels' side:
 * assembly/mlp-thread-run.ts). The caller is thread 0: it writes a job into
 * the control block, wakes the workers it needs, runs its own share in
 * mlp_thread_run and returns when every worker is done, so a job is as
 * synchronous as a kernel call. A failed worker ends the pool: the runtime
 * goes on with the calling thread alone (the same bits) and `failure` says
 * what happened.
 */
import { FAULT_TEXT_BYTES, Job, SLOT_BYTES, StepStatus, Sync, SyncSlot, type ThreadKernelExports } from '../backend/abi.js';
import type { Heap } from '../memory/heap.js';
import type { WorkerStart } from './worker-port.js';
import { MIN_WORK } from './work.js';

/** A running worker, as src/threads/spawn*.ts makes it. */
export interface WorkerHandle {
  terminate(): void;
}

/** Starts the worker script with its first message; `onMessage` gets its replies, `onError` a failure to start. */
export type SpawnWorker = (start: WorkerStart, onMessage: (m: { ready?: boolean; error?: string }) => void, onError: (e: unknown) => void) => WorkerHandle;

export { MIN_WORK } from './work.js';

// bytes of a thread's optimizer vector area (assembly/f32-update.ts UPDATE_VECTORS_BYTES), 16-aligned
const VECTOR_BYTES = 160;

export class ThreadPool {
  /** Threads in all, the caller's included (workers: size − 1). */
  readonly size: number;
  /** Byte address of the control block. */
  readonly sync: number;
  /** Multiply-adds of a forward pass per thread below which a call gets fewer threads (tests set 0 to share every call). */
  minWork = MIN_WORK;
  /** Jobs run on more than one thread so far. */
  jobs = 0;
  /** Why the pool ended early (a worker failed, it could not start), or null. */
  failure: string | null = null;
  private readonly heap: Heap;
  private readonly k: ThreadKernelExports;
  private readonly i32: Int32Array;
  private readonly workers: (WorkerHandle | null)[] = [];
  /** 1 where the calling thread may block in Atomics.wait (not a browser's main thread). */
  private readonly canWait: number;
  private scratch = 0;
  private scratchBytes = 0;
  private termsBytes = 0;
  private closed = false;

  constructor(heap: Heap, size: number) {
    this.heap = heap;
    this.size = size;
    this.k = heap.backend.kernels as ThreadKernelExports;
    // the control block, then every thread's vector area; never moved or freed while the pool lives
    this.sync = heap.reserve(Sync.slots + size * SLOT_BYTES + size * VECTOR_BYTES, 'the threads\' control block');
    // a shared memory is never detached: this view stays valid (the block sits below any later growth)
    this.i32 = new Int32Array(heap.backend.memory.buffer);
    for (let t = 0; t < size; t++) this.i32[this.slotWord(t, SyncSlot.vectors)] = this.sync + Sync.slots + size * SLOT_BYTES + t * VECTOR_BYTES;
    this.canWait = mayBlock(this.i32) ? 1 : 0;
  }

  private slotWord(t: number, field: number): number {
    return (this.sync + Sync.slots + t * SLOT_BYTES + field) >> 2;
  }

  /**
   * Starts every worker; resolves once each is ready or has failed to start
   * (then the pool is closed with the reason). The workers run their jobs
   * from the moment they are ready, whether or not anyone awaits this.
   */
  start(module: WebAssembly.Module, spawn: SpawnWorker): Promise<void> {
    const memory = this.heap.backend.memory as WebAssembly.Memory;
    const started: Promise<void>[] = [];
    for (let index = 1; index < this.size; index++) {
      started.push(new Promise<void>((resolve) => {
        const failed = (why: string): void => {
          this.close(`worker thread ${index} could not start (${why})`);
          resolve();
        };
        try {
          this.workers[index] = spawn(
            { module, memory, sync: this.sync, index },
            (m) => (m.error === undefined ? resolve() : failed(m.error)),
            (e) => failed(e instanceof Error ? `${e.name}: ${e.message}` : String(e)),
          );
        } catch (e) {
          failed(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
        }
      }));
    }
    return Promise.all(started).then(() => undefined);
  }

  /** Threads a job can have now: the caller and the workers from 1 on that are ready (0 workers once closed). */
  available(): number {
    if (this.closed) return 1;
    let n = 1;
    while (n < this.size && Atomics.load(this.i32, this.slotWord(n, SyncSlot.ready)) === 1) n++;
    return n;
  }

  /**
   * Gives every worker (and the caller) `bytes` of GEMM scratch, and the job
   * a loss terms area (Sync.terms) of `termsBytes`; false when memory has no
   * room for them (the job then runs on fewer threads: the same bits).
   */
  ensureScratch(bytes: number, termsBytes: number): boolean {
    if (bytes <= this.scratchBytes && termsBytes <= this.termsBytes) return true;
    const each = Math.ceil(Math.max(bytes, this.scratchBytes, 16) / 64) * 64;
    const terms = Math.ceil(Math.max(termsBytes, this.termsBytes, 8) / 64) * 64;
    let block: number;
    try {
      block = this.heap.reserve(each * (this.size - 1) + terms, 'scratch for the worker threads');
    } catch {
      return false;
    }
    if (this.scratch) this.heap.release(this.scratch);
    this.scratch = block;
    this.scratchBytes = each;
    this.termsBytes = terms;
    for (let t = 1; t < this.size; t++) this.i32[this.slotWord(t, SyncSlot.scratch)] = block + (t - 1) * each;
    this.i32[(this.sync + Sync.terms) >> 2] = block + (this.size - 1) * each;
    return true;
  }

  /**
   * Runs a job on `threads` threads (2 … available()): the arguments as
   * mlp_train_step takes them, `scratch` the caller's. Returns what thread 0's
   * mlp_thread_run returns; after StepStatus.workerFailed(MidUpdate) the pool
   * is closed and `failure` says why.
   */
  run(job: number, threads: number, table: number, layerCount: number, X: number, Y: number, rows: number, loss: number, opt: number, scratch: number, undo: number): number {
    const i32 = this.i32;
    const s = this.sync >> 2;
    i32[s + (Sync.job >> 2)] = job;
    i32[s + (Sync.threads >> 2)] = threads;
    i32[s + (Sync.table >> 2)] = table;
    i32[s + (Sync.layerCount >> 2)] = layerCount;
    i32[s + (Sync.X >> 2)] = X;
    i32[s + (Sync.Y >> 2)] = Y;
    i32[s + (Sync.rows >> 2)] = rows;
    i32[s + (Sync.loss >> 2)] = loss;
    i32[s + (Sync.opt >> 2)] = opt;
    i32[s + (Sync.undo >> 2)] = undo;
    i32[s + (Sync.abort >> 2)] = 0;
    i32[s + (Sync.done >> 2)] = 0;
    i32[s + (Sync.arrived >> 2)] = 0;
    i32[this.slotWord(0, SyncSlot.scratch)] = scratch;
    for (let t = 1; t < threads; t++) {
      const gen = this.slotWord(t, SyncSlot.gen);
      // a sequentially consistent store publishes the job's words written above
      Atomics.add(i32, gen, 1);
      if (Atomics.load(i32, this.slotWord(t, SyncSlot.sleeping)) === 1) Atomics.notify(i32, gen);
    }
    this.jobs++;
    const status = this.k.mlp_thread_run(this.sync, 0, this.canWait);
    if (status === StepStatus.workerFailed || status === StepStatus.workerFailedMidUpdate) this.fail(threads);
    return status;
  }

  private fail(threads: number): void {
    const i32 = this.i32;
    const who = Atomics.load(i32, (this.sync + Sync.abort) >> 2) - 1;
    const length = Math.min(FAULT_TEXT_BYTES, Atomics.load(i32, (this.sync + Sync.faultLength) >> 2));
    // TextDecoder refuses views of shared memory: a copy
    const bytes = new Uint8Array(i32.buffer, this.sync + Sync.faultText, length).slice();
    this.close(`worker thread ${who} of the ${threads} of a job failed: ${new TextDecoder().decode(bytes)}`);
  }

  /** Ends every worker; the runtime goes on with the calling thread alone. Idempotent; keeps the first reason. */
  close(reason: string): void {
    if (this.failure === null) this.failure = reason;
    if (this.closed) return;
    this.closed = true;
    const i32 = this.i32;
    // workers idle in their loop leave it on Job.exit; busy ones are not (no job runs now)
    i32[(this.sync + Sync.job) >> 2] = Job.exit;
    for (let t = 1; t < this.size; t++) {
      Atomics.add(i32, this.slotWord(t, SyncSlot.gen), 1);
      Atomics.notify(i32, this.slotWord(t, SyncSlot.gen));
      this.workers[t]?.terminate();
      this.workers[t] = null;
    }
    if (this.scratch) this.heap.release(this.scratch);
    this.scratch = 0;
    this.scratchBytes = 0;
  }
}

/** Whether this thread may block in Atomics.wait (a browser's main thread may not: it throws). */
function mayBlock(i32: Int32Array): boolean {
  try {
    // a value that is not there: returns at once where waiting is allowed
    Atomics.wait(i32, 0, i32[0]! + 1, 0);
    return true;
  } catch {
    return false;
  }
}
