import { readFileSync } from 'node:fs';
import type { Backend, BackendKind } from '../../src/backend/backend.js';
import { createJsBackend } from '../../src/backend/js/index.js';
import { instantiateKernels, type MemoryOptions } from '../../src/backend/wasm/index.js';
import { init, type InitOptions, type Runtime } from '../../src/index.js';
import { wasmUrl } from './wasm-url.js';

/** Every backend the shared numeric suite runs against. */
export const BACKENDS: ReadonlyArray<{ name: BackendKind; options: InitOptions }> = [
  { name: 'wasm-simd', options: { simd: true } },
  { name: 'wasm-scalar', options: { simd: false } },
  { name: 'js', options: { backend: 'js' } },
];

/**
 * Where the backends differ by design; a test that meets one of these uses
 * the bound given here for the Wasm builds and keeps its exact expectation
 * for the JS backend:
 * - float32 sums: the JS backend accumulates in float64 and rounds once, the
 *   Wasm kernels round at every step (for GEMM, (K + 2)·2^−23·Σ|a·b|);
 * - e^x for x below −87.3: the Wasm kernels' float32 exponential
 *   (assembly/f32-exp.ts) gives about 1.2e−38 instead of 0 or a subnormal, so
 *   a softmax probability that underflows is a few 1e−39 on Wasm, 0 in JS.
 */
export const WASM_EXP_FLOOR = 1.2e-38;

/** A fresh runtime that is not made the default (tests pass it explicitly). */
export function runtimeFor(options: InitOptions): Promise<Runtime> {
  return init({ ...options, setDefault: false });
}

const modules = new Map<string, WebAssembly.Module>();

/** The freshly built module (build/), compiled once per test file. */
export function kernelModule(file: 'simd.wasm' | 'scalar.wasm'): WebAssembly.Module {
  let m = modules.get(file);
  if (!m) {
    m = new WebAssembly.Module(readFileSync(wasmUrl(file)));
    modules.set(file, m);
  }
  return m;
}

/**
 * A bare backend of the given kind with memory of its own and nothing
 * allocated in it, for calling kernels directly (no Runtime, no heap).
 * Memory sizes in 64 KiB pages, as the backends take them.
 */
export function createBackend(kind: BackendKind, memory: MemoryOptions = {}): Backend {
  if (kind === 'js') return createJsBackend(memory);
  return instantiateKernels(kernelModule(kind === 'wasm-simd' ? 'simd.wasm' : 'scalar.wasm'), memory);
}
