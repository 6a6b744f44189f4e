import type { Backend } from '../backend/backend.js';
import { PAGE_BYTES } from '../backend/abi.js';
import { MemoryError } from '../errors.js';

const ALIGN = 16;

interface Block {
  ptr: number;
  bytes: number;
}

/**
 * The facade's allocator over a backend's linear memory, shared by every
 * network on that backend. First-fit over a sorted free list with
 * coalescing; blocks are 16-byte aligned and padded to 16 bytes, so SIMD
 * tails stay inside their own block.
 *
 * Views are re-derived whenever the memory's buffer changed: growth detaches
 * the old one, which empties every view of it, so a view of length 0 is the
 * sign (memory is never empty); a shared memory (threads) grows in place
 * without detaching, so `ensure` drops the views after every growth. That
 * test is a field read; asking the memory for its buffer is a call into the
 * engine, ~14 ns, paid several times per training step. Callers get views
 * through `f32()`/`i32()` right before use and never keep them across an
 * allocation.
 */
export class Heap {
  readonly backend: Backend;
  private readonly base: number;
  private top: number;
  private free: Block[] = [];
  private readonly live = new Map<number, number>();
  private buffer: ArrayBuffer | null = null;
  private f32View = new Float32Array(0);
  private f64View = new Float64Array(0);
  private i32View = new Int32Array(0);
  private u32View = new Uint32Array(0);

  constructor(backend: Backend) {
    this.backend = backend;
    this.base = alignUp(backend.kernels.heap_base());
    this.top = this.base;
  }

  /** The address past the highest block: every block, and so every network's weights, lies below it. */
  get end(): number {
    return this.top;
  }

  /** Bytes currently allocated (live blocks, padded), but the runtime's own (`reserve`). */
  get liveBytes(): number {
    let n = 0;
    for (const [ptr, b] of this.live) if (!this.reserved.has(ptr)) n += b;
    return n;
  }

  /** Blocks the runtime itself holds (a thread pool's control block and scratch): not counted as live. */
  private readonly reserved = new Set<number>();

  /**
   * A block for the runtime's own use, as `alloc` gives it, that `liveBytes`
   * leaves out: it belongs to no network and comes and goes as threads do.
   */
  reserve(bytes: number, what: string): number {
    const ptr = this.alloc(bytes, what);
    this.reserved.add(ptr);
    return ptr;
  }

  /** Size of linear memory in bytes. */
  get memoryBytes(): number {
    return this.backend.memory.buffer.byteLength;
  }

  /**
   * Allocates `bytes` (rounded up to 16), zero-filled unless `zero` is false
   * (for blocks the caller overwrites at once). Throws a MemoryError naming
   * the bytes needed and the limit, before growing, when it cannot fit.
   */
  alloc(bytes: number, what: string, zero = true): number {
    const size = Math.max(ALIGN, alignUp(bytes));
    for (let i = 0; i < this.free.length; i++) {
      const b = this.free[i]!;
      if (b.bytes >= size) {
        const ptr = b.ptr;
        if (b.bytes === size) this.free.splice(i, 1);
        else {
          b.ptr += size;
          b.bytes -= size;
        }
        this.live.set(ptr, size);
        if (zero) this.f32().fill(0, ptr >>> 2, (ptr + size) >>> 2);
        return ptr;
      }
    }
    const ptr = this.top;
    const end = ptr + size;
    this.ensure(end, size, what);
    this.top = end;
    this.live.set(ptr, size);
    // fresh pages from a grow are already zero, but the bump region may hold released blocks' bytes
    if (zero) this.f32().fill(0, ptr >>> 2, end >>> 2);
    return ptr;
  }

  /** Returns a block to the free list; freeing an unknown pointer is a no-op. */
  release(ptr: number): void {
    const size = this.live.get(ptr);
    if (size === undefined) return;
    this.live.delete(ptr);
    this.reserved.delete(ptr);
    let i = 0;
    while (i < this.free.length && this.free[i]!.ptr < ptr) i++;
    this.free.splice(i, 0, { ptr, bytes: size });
    // coalesce with the neighbours
    const next = this.free[i + 1];
    if (next && ptr + size === next.ptr) {
      this.free[i]!.bytes += next.bytes;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.ptr + prev.bytes === ptr) {
      prev.bytes += this.free[i]!.bytes;
      this.free.splice(i, 1);
    }
    // give the top block back to the bump region
    const last = this.free[this.free.length - 1];
    if (last && last.ptr + last.bytes === this.top) {
      this.top = last.ptr;
      this.free.pop();
    }
  }

  private ensure(end: number, request: number, what: string): void {
    const have = this.backend.memory.buffer.byteLength;
    if (end <= have) return;
    const limit = this.backend.maxBytes;
    if (end > limit) {
      throw new MemoryError(
        `${what}: needs ${request} more bytes of linear memory (${end} in all), over the limit of ${limit} bytes`,
      );
    }
    // grow geometrically so a sequence of allocations does not grow page by page
    const wantBytes = Math.min(limit, Math.max(end, have * 1.5));
    const pages = Math.ceil((wantBytes - have) / PAGE_BYTES);
    try {
      this.backend.memory.grow(pages);
    } catch {
      const minimal = Math.ceil((end - have) / PAGE_BYTES);
      try {
        this.backend.memory.grow(minimal);
      } catch {
        throw new MemoryError(
          `${what}: needs ${request} more bytes of linear memory (${end} in all); the runtime refused to grow memory beyond ${have} bytes`,
        );
      }
    }
    // a shared memory grows in place and leaves the old views as they were,
    // too short (a detached one empties them): drop them either way (only
    // this method grows memory)
    this.dropViews();
  }

  private dropViews(): void {
    this.f32View = new Float32Array(0);
    this.f64View = new Float64Array(0);
    this.i32View = new Int32Array(0);
    this.u32View = new Uint32Array(0);
  }

  private refresh(): void {
    const buf = this.backend.memory.buffer;
    if (buf !== this.buffer) {
      this.buffer = buf;
      this.f32View = new Float32Array(buf);
      this.f64View = new Float64Array(buf);
      this.i32View = new Int32Array(buf);
      this.u32View = new Uint32Array(buf);
    }
  }

  /** A Float32Array over all of memory; index = byte pointer >>> 2. Valid until the next allocation. */
  f32(): Float32Array {
    if (this.f32View.length === 0) this.refresh();
    return this.f32View;
  }

  /** A Float64Array over all of memory; index = byte pointer >>> 3 (8-byte aligned data only). */
  f64(): Float64Array {
    if (this.f64View.length === 0) this.refresh();
    return this.f64View;
  }

  i32(): Int32Array {
    if (this.i32View.length === 0) this.refresh();
    return this.i32View;
  }

  u32(): Uint32Array {
    if (this.u32View.length === 0) this.refresh();
    return this.u32View;
  }
}

function alignUp(n: number): number {
  // arithmetic, not bit masks: memory can exceed 2^31 bytes
  return Math.ceil(n / ALIGN) * ALIGN;
}
