import { PAGE_BYTES } from '../abi.js';
import type { LinearMemory } from '../backend.js';

/** The wasm32 address space: 65536 pages of 64 KiB. */
export const MAX_PAGES = 65536;

interface TransferableBuffer {
  transfer?: (newByteLength: number) => ArrayBuffer;
}

/**
 * Linear memory for the pure-JS backend, with the semantics of
 * WebAssembly.Memory: pages of 64 KiB, `grow` replaces `buffer` and detaches
 * the old one. Detaching (rather than just abandoning) the old buffer makes a
 * stale view in the facade fail the same way on both backends instead of
 * silently reading old data here.
 *
 * `f32`, `f64`, `i32` and `u8` always view the current buffer; kernels read them at
 * the start of a call and never across a grow (kernels never grow memory).
 */
export class JsMemory implements LinearMemory {
  readonly maximumPages: number;
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;
  u8: Uint8Array;
  private current: ArrayBuffer;

  constructor(initialPages: number, maximumPages: number) {
    checkPageCount('initialPages', initialPages);
    checkPageCount('maximumPages', maximumPages);
    if (maximumPages > MAX_PAGES) {
      throw new RangeError(`JsMemory: maximumPages must be at most ${MAX_PAGES}, got ${maximumPages}`);
    }
    if (initialPages > maximumPages) {
      throw new RangeError(`JsMemory: initialPages (${initialPages}) exceeds maximumPages (${maximumPages})`);
    }
    this.maximumPages = maximumPages;
    this.current = new ArrayBuffer(initialPages * PAGE_BYTES);
    this.f32 = new Float32Array(this.current);
    this.f64 = new Float64Array(this.current);
    this.i32 = new Int32Array(this.current);
    this.u8 = new Uint8Array(this.current);
  }

  get buffer(): ArrayBuffer {
    return this.current;
  }

  /** Size in pages. */
  get pages(): number {
    return this.current.byteLength / PAGE_BYTES;
  }

  grow(pages: number): number {
    checkPageCount('pages', pages);
    const previous = this.pages;
    if (previous + pages > this.maximumPages) {
      throw new RangeError(
        `JsMemory.grow: growing by ${pages} pages from ${previous} would exceed the maximum of ${this.maximumPages} pages`,
      );
    }
    const old = this.current;
    const bytes = (previous + pages) * PAGE_BYTES;
    const transfer = (old as unknown as TransferableBuffer).transfer;
    let next: ArrayBuffer;
    if (typeof transfer === 'function') {
      next = transfer.call(old, bytes);
    } else {
      next = new ArrayBuffer(bytes);
      new Uint8Array(next).set(this.u8);
      structuredClone(old, { transfer: [old] });
    }
    this.current = next;
    this.f32 = new Float32Array(next);
    this.f64 = new Float64Array(next);
    this.i32 = new Int32Array(next);
    this.u8 = new Uint8Array(next);
    return previous;
  }
}

function checkPageCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new TypeError(`JsMemory: ${name} must be a non-negative integer, got ${String(value)}`);
  }
}
