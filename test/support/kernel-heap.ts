import { expect } from 'vitest';
import { PAGE_BYTES, type KernelExports } from '../../src/backend/abi.js';
import type { Backend } from '../../src/backend/backend.js';
import { createBackend } from './backends.js';

/** Written after every buffer; no kernel writes it. */
export const CANARY = -12345.5;

/**
 * A bump allocator over a bare backend's memory, for calling kernels
 * directly. Every buffer is zeroed, 16-byte aligned and followed by at least
 * 16 bytes of canaries (CANARY), so a kernel that writes past an output shows.
 * Memory grows as needed; `reset` frees everything at once.
 */
export class KernelHeap {
  top: number;
  readonly base: number;
  constructor(readonly backend: Backend) {
    this.base = backend.kernels.heap_base();
    this.top = this.base;
  }
  get k(): KernelExports {
    return this.backend.kernels;
  }
  f32(): Float32Array {
    return new Float32Array(this.backend.memory.buffer);
  }
  u32(): Uint32Array {
    return new Uint32Array(this.backend.memory.buffer);
  }
  i32(): Int32Array {
    return new Int32Array(this.backend.memory.buffer);
  }
  reset(): void {
    this.top = this.base;
  }
  /** n zeroed floats followed by canaries. */
  alloc(n: number): number {
    const p = this.top;
    this.top += Math.ceil((n * 4) / 16) * 16 + 16;
    const need = this.top - this.backend.memory.buffer.byteLength;
    if (need > 0) this.backend.memory.grow(Math.ceil(need / PAGE_BYTES));
    const f = this.f32();
    f.fill(0, p >>> 2, (p >>> 2) + n);
    f.fill(CANARY, (p >>> 2) + n, this.top >>> 2);
    return p;
  }
  put(values: ArrayLike<number>): number {
    const p = this.alloc(values.length);
    this.f32().set(values, p >>> 2);
    return p;
  }
  /** n floats at p, as numbers. */
  read(p: number, n: number): number[] {
    return Array.from(this.f32().subarray(p >>> 2, (p >>> 2) + n));
  }
  /** n floats at p, as a copy. */
  readF32(p: number, n: number): Float32Array {
    return this.f32().slice(p >>> 2, (p >>> 2) + n);
  }
  /** n 32-bit words at p, as a copy. */
  readU32(p: number, n: number): Uint32Array {
    return this.u32().slice(p >>> 2, (p >>> 2) + n);
  }
  write(p: number, values: ArrayLike<number>): void {
    this.f32().set(values, p >>> 2);
  }
  expectCanaries(p: number, n: number): void {
    const f = this.f32();
    const end = Math.ceil((n * 4) / 16) * 4 + 4;
    for (let i = n; i < end; i++) expect(f[(p >>> 2) + i], `canary after ${n} floats`).toBe(CANARY);
  }
}

/** The same float32 bits, elementwise (NaN payloads and the sign of zero included). */
export function expectBitsEqual(actual: ArrayLike<number>, expected: ArrayLike<number>, what = ''): void {
  const a = new Uint32Array(new Float32Array(Array.from(actual)).buffer);
  const e = new Uint32Array(new Float32Array(Array.from(expected)).buffer);
  expect(Array.from(a), what).toEqual(Array.from(e));
}

/** NaN with the sign bit clear (JavaScript's NaN) and set (what Wasm arithmetic can produce). */
export const NAN_POSITIVE = 0x7fc00000;
export const NAN_NEGATIVE = 0xffc00000;

/** A KernelHeap on a fresh backend of each kind, by short name, for comparing the builds with each other. */
export function heapsByBuild(): Record<'simd' | 'scalar' | 'js', KernelHeap> {
  return {
    simd: new KernelHeap(createBackend('wasm-simd')),
    scalar: new KernelHeap(createBackend('wasm-scalar')),
    js: new KernelHeap(createBackend('js')),
  };
}
