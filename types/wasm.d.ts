// `import wasm from 'simdnet/simd.wasm'` where the platform compiles an
// imported .wasm (Cloudflare Workers, Vercel Edge): a WebAssembly.Module for
// init({ module }). Typed as `object`, as simdnet's `WasmModule` is, so that
// it compiles without the DOM lib. (Kept outside dist/: tsup's declaration
// build clears *.d.ts there.)
/** The compiled kernels, a `WebAssembly.Module`: pass it to `init({ module })`. */
declare const module: object;
export default module;
