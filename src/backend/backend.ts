import type { KernelExports } from './abi.js';

/** Which kernels a runtime runs: Wasm with SIMD, Wasm without, or the pure-JS reference backend. */
export type BackendKind = 'wasm-simd' | 'wasm-scalar' | 'js';

/**
 * Linear memory as both backends see it: the shape of WebAssembly.Memory.
 * `buffer` is replaced (and the old one detached or abandoned) by every
 * `grow`, so views must be re-derived from it, never cached across a growth.
 */
export interface LinearMemory {
  readonly buffer: ArrayBuffer;
  /** Grows by `pages` × 64 KiB; returns the previous size in pages; throws RangeError past the maximum. */
  grow(pages: number): number;
}

/** A backend: the kernel ABI plus the memory it addresses. */
export interface Backend {
  readonly kind: BackendKind;
  readonly kernels: KernelExports;
  readonly memory: LinearMemory;
  /** Largest size in bytes `memory` may grow to. */
  readonly maxBytes: number;
}
