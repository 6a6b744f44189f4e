/**
 * Starting a worker thread outside browsers (the universal build: Node, and
 * Deno or Bun through their Node compatibility): a worker_threads Worker,
 * unreferenced, so that a process whose work is done exits whether or not
 * the runtime's threads were disposed. The browser build swaps in
 * spawn.browser.ts.
 */
import type { SpawnWorker } from './pool.js';
import { workerUrl } from './worker-url.js';

type WorkerThreads = typeof import('node:worker_threads');

/** node:worker_threads, loaded before the first worker is needed (a pool may start one in the middle of a synchronous fit). */
export async function loadSpawner(): Promise<SpawnWorker> {
  const { Worker } = (await import(/* @vite-ignore */ 'node:worker_threads' as string)) as WorkerThreads;
  return (start, onMessage, onError) => {
    const worker = new Worker(workerUrl());
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage(start);
    worker.unref();
    return { terminate: () => void worker.terminate() };
  };
}
