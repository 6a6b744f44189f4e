import { describe, expect, it } from 'vitest';
import { BACKENDS, createBackend } from '../support/backends.js';
import { expectClose } from '../support/close.js';
import { KernelHeap } from '../support/kernel-heap.js';
import { numericGrad } from '../support/kernel-reference.js';
import { forwardF64, gradientsF64, labelsFor, layersF64, layoutNet, lossOfF64, NET_CASES } from '../support/layer-table.js';
import { randomF32, uniform } from '../support/random-values.js';

// mlp_forward, mlp_loss and mlp_gradients (assembly/mlp-forward.ts,
// mlp-gradients.ts) against the float64 network of test/support/layer-table.ts,
// itself checked against central differences of its own loss.

describe.each(BACKENDS.map((b) => b.name))('mlp_forward / mlp_gradients / mlp_loss over a layer table on %s against float64', (kind) => {
  const rows = 5;
  for (const [ci, c] of NET_CASES.entries()) {
    it(c.name, () => {
      const heap = new KernelHeap(createBackend(kind));
      const rand = uniform(100 + ci);
      const x = randomF32(rand, rows * c.inputs, -2, 2);
      const y = labelsFor(c, rows, rand);
      const net = layoutNet(heap, c.inputs, c.specs, rows, x, y, 200 + ci);
      const ref = layersF64(heap, net);

      heap.k.mlp_forward(net.table, net.layers.length, net.X, rows, net.scratch);
      const fwd = forwardF64(ref, x, rows);
      net.layers.forEach((L, l) => {
        expectClose(heap.read(L.Z, rows * L.outputs), fwd.Z[l] as number[], { atol: 1e-6, rtol: 1e-5 }, `Z${l}`);
        expectClose(heap.read(L.A, rows * L.outputs), fwd.A[l] as number[], { atol: 1e-6, rtol: 1e-5 }, `A${l}`);
        heap.expectCanaries(L.A, rows * L.outputs);
      });

      const lossValue = lossOfF64(ref, x, y, rows, c.loss);
      const value = heap.k.mlp_gradients(net.table, net.layers.length, net.X, net.Y, rows, c.loss, net.scratch);
      expect(Math.abs(value - lossValue)).toBeLessThan(1e-5 * Math.abs(lossValue) + 1e-7);
      expect(heap.k.mlp_loss(net.table, net.layers.length, net.X, net.Y, rows, c.loss, net.scratch)).toBe(value);

      const g = gradientsF64(ref, x, y, rows, c.loss);
      net.layers.forEach((L, l) => {
        expectClose(heap.read(L.dZ, rows * L.outputs), g.dZ[l] as number[], { atol: 1e-6, rtol: 1e-4 }, `dZ${l}`);
        expectClose(heap.read(L.dW, L.inputs * L.outputs), g.dW[l] as number[], { atol: 1e-6, rtol: 1e-4 }, `dW${l}`);
        expectClose(heap.read(L.db, L.outputs), g.db[l] as number[], { atol: 1e-6, rtol: 1e-4 }, `db${l}`);
        heap.expectCanaries(L.dW, L.inputs * L.outputs);
        heap.expectCanaries(L.db, L.outputs);
      });

      // The naive backprop itself, against finite differences of the naive loss.
      ref.forEach((L, l) => {
        const fW = (w: number[]): number => lossOfF64(ref.map((o, k) => (k === l ? { ...o, W: w } : o)), x, y, rows, c.loss);
        const fb = (b: number[]): number => lossOfF64(ref.map((o, k) => (k === l ? { ...o, b } : o)), x, y, rows, c.loss);
        expectClose(g.dW[l] as number[], numericGrad(fW, L.W, 1e-6), { atol: 1e-7, rtol: 1e-5 }, `reference dW${l}`);
        expectClose(g.db[l] as number[], numericGrad(fb, L.b, 1e-6), { atol: 1e-7, rtol: 1e-5 }, `reference db${l}`);
      });
    });
  }
});
