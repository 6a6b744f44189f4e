import { describe, it } from 'vitest';
import { BACKENDS, createBackend } from '../support/backends.js';
import { expectClose } from '../support/close.js';
import { KernelHeap } from '../support/kernel-heap.js';
import { randomF32, uniform } from '../support/random-values.js';

// f32_bias_add and f32_bias_grad (assembly/f32-bias.ts), on every backend.

describe.each(BACKENDS.map((b) => b.name))('f32_bias_add / f32_bias_grad on %s against float64', (kind) => {
  it('adds b to every row and sums dZ over rows', () => {
    const heap = new KernelHeap(createBackend(kind));
    const rand = uniform(2);
    for (const [rows, cols] of [[1, 1], [5, 7], [33, 3]] as const) {
      heap.reset();
      const z = randomF32(rand, rows * cols);
      const b = randomF32(rand, cols);
      const pz = heap.put(z);
      const pb = heap.put(b);
      heap.k.f32_bias_add(rows, cols, pz, pb);
      expectClose(heap.read(pz, rows * cols), z.map((v, i) => v + b[i % cols]!), { atol: 0, rtol: 1e-7 }, 'bias_add');
      heap.expectCanaries(pz, rows * cols);

      const pdb = heap.put(randomF32(rand, cols));
      heap.k.f32_bias_grad(rows, cols, pz, pdb);
      const zz = heap.read(pz, rows * cols);
      const expected = b.map((_, c) => {
        let s = 0;
        for (let r = 0; r < rows; r++) s += zz[r * cols + c]!;
        return s;
      });
      expectClose(heap.read(pdb, cols), expected, { atol: 1e-6, rtol: 1e-6 }, 'bias_grad');
      heap.expectCanaries(pdb, cols);
    }
  });
});
