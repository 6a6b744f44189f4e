/**
 * Where the built `.wasm` files are, relative to this module once bundled
 * (dist/index.js sits beside dist/simd.wasm). Tests alias this module to the
 * build directory.
 */
export function wasmUrl(file: 'simd.wasm' | 'scalar.wasm'): URL {
  return new URL(`./${file}`, import.meta.url);
}
