/**
 * Starting the threads of a runtime: at once for init({ threads: n | 'auto' })
 * (src/threads/open.ts), or once the large calls have done START_WORK for
 * the default init (src/threads/default-threads.ts); both are loaded on
 * demand. The runtime's backend is a threads build over a shared memory;
 * this makes the pool, replaces the kernels that share their work
 * (src/threads/threaded-kernels.ts) and starts the workers. A call shares
 * only among workers that are ready, so calls before that run on the calling
 * thread: the same bits either way.
 */
import type { Heap } from '../memory/heap.js';
import { ThreadPool, type SpawnWorker } from './pool.js';
import type { PoolHolder } from './pool-holder.js';
import { loadSpawner, spawnerNow } from './spawn.js';
import { installThreadedKernels } from './threaded-kernels.js';

/**
 * Makes the holder's pool over the heap's shared memory and starts its
 * workers; resolves once each is ready or has failed to start (a failure
 * closes the holder with the reason). `awaited`: init waits for the workers,
 * so each keeps a Node process alive until it has answered; a lazy start
 * nobody waits for must not keep it alive at all.
 */
export async function startThreads(heap: Heap, module: WebAssembly.Module, holder: PoolHolder, awaited: boolean): Promise<void> {
  let spawn: SpawnWorker;
  try {
    spawn = await loadSpawner(awaited);
  } catch (e) {
    holder.close(`workers cannot be started here (${describeError(e)})`);
    return;
  }
  // disposed (or collected) while the spawner loaded
  if (holder.note !== null) return;
  let pool: ThreadPool;
  try {
    pool = new ThreadPool(heap, holder.size);
  } catch (e) {
    holder.close(`the threads' control block could not be allocated (${describeError(e)})`);
    return;
  }
  holder.pool = pool;
  installThreadedKernels(heap, pool);
  await pool.start(module, spawn);
}

/**
 * startThreads for a lazy pool, within the call where the workers can be
 * spawned without waiting (Node: spawnerNow): the pool made, the kernels
 * replaced and the workers spawned before it returns. A worker says it is
 * ready in the shared memory, not only by a message that a synchronous fit
 * holding the event loop would keep back, so the steps after it share once
 * the workers are up. False where it cannot (the caller then goes the
 * asynchronous way).
 */
export function startThreadsNow(heap: Heap, module: WebAssembly.Module, holder: PoolHolder): boolean {
  const spawn = spawnerNow(false);
  if (spawn === null) return false;
  if (holder.note !== null) return true;
  let pool: ThreadPool;
  try {
    pool = new ThreadPool(heap, holder.size);
  } catch (e) {
    holder.close(`the threads' control block could not be allocated (${describeError(e)})`);
    return true;
  }
  holder.pool = pool;
  installThreadedKernels(heap, pool);
  void pool.start(module, spawn);
  return true;
}

function describeError(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
