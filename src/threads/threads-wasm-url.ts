/**
 * Where the threads builds are, relative to the threads code once bundled
 * (dist/threads.js, or a chunk of the browser build, beside dist/*.wasm; see
 * src/backend/wasm/wasm-url.ts for why each URL is written out whole). Tests
 * alias this module to build/.
 */
export function threadsWasmUrl(file: 'simd-threads.wasm' | 'scalar-threads.wasm'): URL {
  return file === 'simd-threads.wasm' ? new URL('./simd-threads.wasm', import.meta.url) : new URL('./scalar-threads.wasm', import.meta.url);
}
