/**
 * Where the built `.wasm` files are, relative to this module once bundled
 * (dist/index.js sits beside dist/simd.wasm). Tests alias this module to the
 * build directory.
 *
 * Each URL is written out whole, `new URL('./simd.wasm', import.meta.url)`:
 * that exact form is what bundlers (Vite, Rollup, webpack, Parcel) recognise
 * and emit as an asset; a template literal would make Vite glob the folder.
 */
export function wasmUrl(file: 'simd.wasm' | 'scalar.wasm'): URL {
  return file === 'simd.wasm' ? new URL('./simd.wasm', import.meta.url) : new URL('./scalar.wasm', import.meta.url);
}
