/** Test stand-in for src/threads/threads-wasm-url.ts: the freshly built threads builds in build/. */
export function threadsWasmUrl(file: 'simd-threads.wasm' | 'scalar-threads.wasm'): URL {
  return new URL(`../../build/${file}`, import.meta.url);
}
