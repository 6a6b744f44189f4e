/**
 * Starting a worker thread outside browsers (the universal build: Node, and
 * Deno or Bun through their Node compatibility): a worker_threads Worker,
 * unreferenced once it is ready, so that a process whose work is done exits whether or not
 * the runtime's threads were disposed. The browser build swaps in
 * spawn.browser.ts.
 */
import type { SpawnWorker } from './pool.js';
import { workerUrl } from './worker-url.js';

type WorkerThreads = typeof import('node:worker_threads');

/**
 * node:worker_threads, loaded before the first worker is needed (a pool may
 * start one in the middle of a synchronous fit). `referenced`: each worker
 * keeps the process alive until it has answered (init awaits that answer);
 * otherwise never (a lazy start: a process whose work is done exits without
 * waiting for workers it no longer needs).
 */
export async function loadSpawner(referenced: boolean): Promise<SpawnWorker> {
  return spawner((await import(/* @vite-ignore */ 'node:worker_threads' as string)) as WorkerThreads, referenced);
}

/**
 * loadSpawner without waiting, where process.getBuiltinModule hands
 * node:worker_threads over (Node >= 20.16, Deno, Bun): a pool can then start
 * its workers in the middle of a synchronous fit. Null elsewhere.
 */
export function spawnerNow(referenced: boolean): SpawnWorker | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const threads = typeof proc?.getBuiltinModule === 'function' ? (proc.getBuiltinModule('node:worker_threads') as WorkerThreads | undefined) : undefined;
  return threads ? spawner(threads, referenced) : null;
}

function spawner({ Worker }: WorkerThreads, referenced: boolean): SpawnWorker {
  return (start, onMessage, onError) => {
    const worker = new Worker(workerUrl());
    if (!referenced) worker.unref();
    worker.on('message', (m: { ready?: boolean; error?: string }) => {
      worker.unref();
      onMessage(m);
    });
    worker.on('error', (e) => {
      worker.unref();
      onError(e);
    });
    worker.postMessage(start);
    return { terminate: () => void worker.terminate() };
  };
}
