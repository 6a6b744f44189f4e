/**
 * Where the built `.wasm` files are, relative to this module once bundled
 * (dist/index.js sits beside dist/simd.wasm). Tests alias this module to the
 * build directory.
 *
 * Each URL is written out whole, `new URL('./simd.wasm', import.meta.url)`:
 * that exact form is what bundlers (Vite, Rollup, webpack, Parcel) recognise
 * and emit as an asset; a template literal would make Vite glob the folder.
 */
export function wasmUrl(file: WasmFile): URL {
  switch (file) {
    case 'simd.wasm':
      return new URL('./simd.wasm', import.meta.url);
    case 'scalar.wasm':
      return new URL('./scalar.wasm', import.meta.url);
    case 'simd-threads.wasm':
      return new URL('./simd-threads.wasm', import.meta.url);
    default:
      return new URL('./scalar-threads.wasm', import.meta.url);
  }
}

/** The bundled builds: one thread (SIMD, scalar) and their threads builds (shared memory: src/threads/). */
export type WasmFile = 'simd.wasm' | 'scalar.wasm' | 'simd-threads.wasm' | 'scalar-threads.wasm';
