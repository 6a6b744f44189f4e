/**
 * Edge runtimes (the `workerd` and `edge-light` export conditions, and
 * `simdnet/edge`): Cloudflare Workers and Vercel Edge refuse to compile Wasm
 * from bytes ("Wasm code generation disallowed by embedder"), so the kernels
 * come only as a `WebAssembly.Module` the platform compiled from an imported
 * `.wasm`. Nothing here fetches, compiles or names `import.meta.url`.
 */
import { InitError } from '../../errors.js';

const HOW = "import the .wasm as a module and pass it: import wasm from 'simdnet/simd.wasm'; await init({ module: wasm })";

export function compileBundled(): Promise<WebAssembly.Module> {
  return Promise.reject(new InitError(`init: edge runtimes cannot compile Wasm from bytes; ${HOW}`));
}

export function compileBytes(): Promise<WebAssembly.Module> {
  return Promise.reject(new InitError(`init: bytes: edge runtimes cannot compile Wasm from bytes; ${HOW}`));
}

export function compileUrl(): Promise<WebAssembly.Module> {
  return Promise.reject(new InitError(`init: url: edge runtimes cannot compile Wasm from bytes; ${HOW}`));
}
