/**
 * The worker threads of a threaded runtime as the runtime reaches them: the
 * pool once its workers were started, the threads it shares among, and, for
 * a pool that starts lazily (the default init), how to start it. It holds no
 * reference to the Runtime (nor does anything it reaches: the pool, the heap,
 * the kernels), so that a runtime nobody references any more can be
 * collected and a FinalizationRegistry holding this can end its workers
 * (src/runtime.ts).
 */
import type { ThreadPool } from './pool.js';

export class PoolHolder {
  /** The pool, once its workers were started (null before, and if it never was). */
  pool: ThreadPool | null = null;
  /** Why the runtime went back to one thread before it had a pool (disposed, the threads code could not be loaded…). */
  private failure: string | null = null;

  /**
   * `size`: threads in all, the caller's included. `begin`: starts the pool
   * (it sets `pool`), or null when the pool is started at once by init.
   */
  constructor(
    readonly size: number,
    private begin: ((holder: PoolHolder) => void) | null,
  ) {}

  /** Starts a lazy pool's workers (default-threads.ts calls it once its large calls did START_WORK); once; nothing after close(). */
  start(): void {
    const begin = this.begin;
    this.begin = null;
    begin?.(this);
  }

  /** The threads large calls are shared among: `size`, or 1 once the pool ended (a worker failed, dispose(), collected). */
  get threads(): number {
    return this.note === null ? this.size : 1;
  }

  /** Why the runtime runs on one thread although it had more, or null. */
  get note(): string | null {
    return this.pool ? this.pool.failure : this.failure;
  }

  /** Ends the workers (or that they ever start); the runtime goes on on the calling thread. Idempotent; keeps the first reason. */
  close(reason: string): void {
    this.begin = null;
    if (this.pool) this.pool.close(reason);
    else if (this.failure === null) this.failure = reason;
  }
}
