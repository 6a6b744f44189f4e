import type { Runtime } from '../../src/index.js';

/** Raw buffers in a runtime's heap, for calling kernels directly. */
export class KernelMemory {
  constructor(readonly runtime: Runtime) {}

  get k() {
    return this.runtime.backend.kernels;
  }

  alloc(floats: number): number {
    return this.runtime.heap.alloc(floats * 4 + 16, 'test buffer');
  }

  write(ptr: number, data: ArrayLike<number>): void {
    this.runtime.heap.f32().set(data, ptr >>> 2);
  }

  read(ptr: number, n: number): Float32Array {
    return this.runtime.heap.f32().slice(ptr >>> 2, (ptr >>> 2) + n);
  }

  u32(ptr: number, n: number): Uint32Array {
    return this.runtime.heap.u32().slice(ptr >>> 2, (ptr >>> 2) + n);
  }

  release(...ptrs: number[]): void {
    for (const p of ptrs) this.runtime.heap.release(p);
  }
}

/** Deterministic values in [−1, 1). */
export function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}
