import { ABI_VERSION, PAGE_BYTES, type KernelExports } from '../abi.js';
import type { Backend, BackendKind } from '../backend.js';
import { InitError } from '../../errors.js';

export interface MemoryOptions {
  /** Initial linear memory in 64 KiB pages (default 16 = 1 MiB). */
  initialPages?: number;
  /** Maximum linear memory in pages (default 65536 = 4 GiB, the wasm32 limit). */
  maximumPages?: number;
}

/**
 * Instantiates a compiled simdnet module synchronously with its own memory.
 * Synchronous `new WebAssembly.Instance` is what edge runtimes allow for a
 * `.wasm` imported as a module. `shared`: a shared memory, for a threads
 * build (src/threads/), whose kernels the thread pool may replace later: the
 * backend's `kernels` are then a copy of the exports, not the exports.
 */
export function instantiateKernels(module: WebAssembly.Module, options: MemoryOptions = {}, shared = false): Backend {
  const maximum = options.maximumPages ?? 65536;
  // the default start never exceeds a maximum given (init({ maximumPages: 8 }) is a valid request)
  const initial = options.initialPages ?? Math.min(16, maximum);
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial, maximum, shared });
  } catch (e) {
    throw new InitError(`init: initialPages: ${initial} pages of linear memory could not be allocated (${(e as Error).message})`, { cause: e });
  }
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(module, { env: { memory } });
  } catch (e) {
    throw new InitError(`init: the Wasm module could not be instantiated as a simdnet kernel module (${(e as Error).message})`);
  }
  const exports = instance.exports as unknown as KernelExports & {
    SIMD?: WebAssembly.Global;
    ABI_VERSION?: WebAssembly.Global;
  };
  if (!exports.ABI_VERSION || exports.ABI_VERSION.value !== ABI_VERSION || typeof exports.mlp_train_step !== 'function') {
    throw new InitError(
      `init: module: expected a simdnet kernel module with ABI version ${ABI_VERSION}, got ${exports.ABI_VERSION ? `version ${String(exports.ABI_VERSION.value)}` : 'a module without one'}`,
    );
  }
  const kind: BackendKind = exports.SIMD?.value === 1 ? 'wasm-simd' : 'wasm-scalar';
  return { kind, kernels: shared ? { ...exports } : exports, memory, maxBytes: maximum * PAGE_BYTES };
}
