/**
 * Getting a compiled kernel module in browsers and bundles made for them
 * (the `browser` export condition): fetch only, nothing Node.
 */
import { InitError } from '../../errors.js';
import { wasmUrl } from './wasm-url.js';

/** The bundled build beside this module (bundlers that understand `new URL(…, import.meta.url)` emit it as an asset). */
export function compileBundled(file: 'simd.wasm' | 'scalar.wasm'): Promise<WebAssembly.Module> {
  return compileUrl(wasmUrl(file));
}

export function compileBytes(bytes: Uint8Array): Promise<WebAssembly.Module> {
  return WebAssembly.compile(bytes as BufferSource);
}

export async function compileUrl(url: string | URL): Promise<WebAssembly.Module> {
  const href = url instanceof URL ? url : new URL(url, typeof location === 'object' ? location.href : undefined);
  const response = await fetch(href);
  if (!response.ok) throw new InitError(`init: url: fetching ${href.href} failed with HTTP ${response.status}`);
  return WebAssembly.compile(await response.arrayBuffer());
}
