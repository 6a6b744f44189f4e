/**
 * Starting a worker thread in browsers (the browser build): a module Web
 * Worker running dist/thread-worker.browser.js, written in the form bundlers
 * recognise and bundle (`new Worker(new URL(…, import.meta.url), { type: 'module' })`).
 */
import type { SpawnWorker } from './pool.js';

/** `referenced` is Node's concern: a page has no process to keep alive. */
export function loadSpawner(_referenced: boolean): Promise<SpawnWorker> {
  return Promise.resolve((start, onMessage, onError) => {
    const worker = new Worker(new URL('./thread-worker.browser.js', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent) => onMessage(e.data as { ready?: boolean; error?: string });
    worker.onerror = (e: ErrorEvent) => onError(new Error(e.message || 'the worker script could not be loaded'));
    worker.postMessage(start);
    return { terminate: () => worker.terminate() };
  });
}

/** A page's workers start asynchronously: the pool starts the asynchronous way (see spawn.ts). */
export function spawnerNow(_referenced: boolean): SpawnWorker | null {
  return null;
}
