/**
 * Getting a compiled kernel module: the universal variant (Node, Deno, Bun and
 * anything else that is not a browser or edge bundle). The package's export
 * conditions swap in load.browser.ts for browsers and bundlers and
 * load.edge.ts for edge runtimes; the three share this module's exports.
 */
// everything but file: URLs is the browser variant's fetch path
import { compileBytes, compileUrl as fetchAndCompile } from './load.browser.js';
import { wasmUrl } from './wasm-url.js';

export { compileBytes };

/** The bundled build beside this module. */
export function compileBundled(file: 'simd.wasm' | 'scalar.wasm'): Promise<WebAssembly.Module> {
  return compileUrl(wasmUrl(file));
}

interface NodeFs {
  readFileSync(path: URL): Uint8Array<ArrayBuffer>;
}

/**
 * node:fs without an import: process.getBuiltinModule (Node ≥ 20.16, Deno,
 * Bun) hands it over synchronously. From CommonJS, a dynamic import() would
 * start Node's ES module loader just to read one file (about 6 ms of a cold
 * start).
 */
function builtinFs(): NodeFs | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return typeof proc?.getBuiltinModule === 'function' ? (proc.getBuiltinModule('node:fs') as NodeFs | undefined) : undefined;
}

export async function compileUrl(url: string | URL): Promise<WebAssembly.Module> {
  const href = url instanceof URL ? url : new URL(url, typeof location === 'object' ? location.href : undefined);
  if (href.protocol === 'file:') {
    // Synchronous compilation of the small kernel module takes about a third
    // of the async path's time in Node (no hand-off to a compile thread);
    // outside browsers nothing limits the size of a synchronous compile.
    const fs = builtinFs();
    if (fs) return new WebAssembly.Module(fs.readFileSync(href));
    // Node's fetch has no file: URLs. Only this variant names node:fs, and
    // only in a dynamic import, so loading it elsewhere costs nothing.
    const fsp = await import(/* @vite-ignore */ 'node:fs/promises');
    return new WebAssembly.Module(await fsp.readFile(href));
  }
  return fetchAndCompile(href);
}
