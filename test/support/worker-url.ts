/** Test stand-in for src/threads/worker-url.ts: the built worker script (npm run build makes dist/thread-worker.js). */
export function workerUrl(): URL {
  return new URL('../../dist/thread-worker.js', import.meta.url);
}
