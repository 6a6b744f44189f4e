// `import wasm from 'simdnet/simd.wasm'` where the platform compiles an
// imported .wasm (Cloudflare Workers, Vercel Edge): a WebAssembly.Module for
// init({ module }). (Kept outside dist/: tsup's declaration build clears *.d.ts there.)
declare const module: WebAssembly.Module;
export default module;
