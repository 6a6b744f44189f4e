/** Test stand-in for src/backend/wasm/wasm-url.ts: the freshly built modules in build/. */
export function wasmUrl(file: 'simd.wasm' | 'scalar.wasm'): URL {
  return new URL(`../../build/${file}`, import.meta.url);
}
