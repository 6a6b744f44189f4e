/**
 * Starting the threads of a runtime (src/threads/open.ts calls it; both are
 * loaded on demand). The runtime's backend is a threads build over a shared
 * memory; this makes the pool, starts its workers, waits until each is ready
 * or has failed to start, and replaces the kernels that share their work
 * (src/threads/threaded-kernels.ts).
 */
import type { Heap } from '../memory/heap.js';
import { ThreadPool } from './pool.js';
import { loadSpawner } from './spawn.js';
import { installThreadedKernels } from './threaded-kernels.js';

/** A pool of `count` threads (the caller's included) over the heap's shared memory, its workers started. */
export async function startThreads(heap: Heap, module: WebAssembly.Module, count: number): Promise<ThreadPool> {
  const pool = new ThreadPool(heap, count);
  let spawn;
  try {
    spawn = await loadSpawner();
  } catch (e) {
    pool.close(`workers cannot be started here (${e instanceof Error ? e.message : String(e)})`);
    return pool;
  }
  await pool.start(module, spawn);
  installThreadedKernels(heap, pool);
  return pool;
}
