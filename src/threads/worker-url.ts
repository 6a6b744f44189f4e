/**
 * Where the worker script is, relative to this module once bundled
 * (dist/thread-worker.js beside the code that starts it, as the .wasm files
 * are; see src/backend/wasm/wasm-url.ts). Tests alias this module to dist/.
 * Written out whole, `new Worker(new URL('./thread-worker.js',
 * import.meta.url))` in the callers' reach, the form bundlers recognise.
 */
export function workerUrl(): URL {
  return new URL('./thread-worker.js', import.meta.url);
}
