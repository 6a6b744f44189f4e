import { describe, expect, it } from 'vitest';
import { LAYER_BYTES, Opt, Tail } from '../../src/backend/abi.js';
import { BACKENDS, createBackend } from '../support/backends.js';
import { expectBitsEqual, KernelHeap } from '../support/kernel-heap.js';
import { labelsFor, layoutNet, NET_CASES } from '../support/layer-table.js';
import { randomF32, uniform } from '../support/random-values.js';
import { trainStepWith } from '../support/train-step.js';

// mlp_train_step's gather of a shuffled batch (Tail.gatherOrder, assembly/f32-gather.ts):
// the same step, bit for bit, as on the batch gathered beforehand, with the
// batch's rows left in X and Y; and no gather when Tail.gatherOrder is 0.
// (The threads build's gather, each thread its rows, is held to the one-thread
// step by test/threads/same-bits.test.ts, whose fits shuffle.)

describe.each(BACKENDS.map((b) => b.name))('mlp_train_step gathering a shuffled batch on %s', (kind) => {
  const all = 11;
  const rows = 6;
  const orderStart = 3;
  const order = [7, 2, 9, 0, 10, 4, 1, 8, 3, 6, 5];

  for (const [ci, c] of NET_CASES.entries()) {
    it(c.name, () => {
      const rand = uniform(900 + ci);
      const outputs = c.specs[c.specs.length - 1]!.outputs;
      const x = randomF32(rand, all * c.inputs, -2, 2);
      const y = labelsFor(c, all, rand);
      const rowsOf = (m: number[], cols: number) => order.slice(orderStart, orderStart + rows).flatMap((r) => m.slice(r * cols, (r + 1) * cols));
      const batchX = rowsOf(x, c.inputs);
      const batchY = rowsOf(y, outputs);

      // the batch gathered beforehand
      const a = new KernelHeap(createBackend(kind));
      const netA = layoutNet(a, c.inputs, c.specs, rows, batchX, batchY, 500 + ci);
      const lossA = trainStepWith(a.k, () => a.backend.memory.buffer, netA.table, netA.layers.length, netA.X, netA.Y, rows, c.loss, Opt.adam, 0.01, 0.9, 0.999, 1e-8, 0, 1, netA.scratch, 0);

      // the same network, its X and Y zero, the rows and the order beside it
      const b = new KernelHeap(createBackend(kind));
      const netB = layoutNet(b, c.inputs, c.specs, rows, new Array(rows * c.inputs).fill(0), new Array(rows * outputs).fill(0), 500 + ci);
      const fromX = b.put(x);
      const fromY = b.put(y);
      const orderAt = b.alloc(all);
      b.i32().set(order, orderAt >>> 2);
      const tail = netB.table + netB.layers.length * LAYER_BYTES;
      const i32 = b.i32();
      i32[(tail + Tail.gatherOrder) >>> 2] = orderAt;
      i32[(tail + Tail.gatherStart) >>> 2] = orderStart;
      i32[(tail + Tail.gatherX) >>> 2] = fromX;
      i32[(tail + Tail.gatherY) >>> 2] = fromY;
      const lossB = trainStepWith(b.k, () => b.backend.memory.buffer, netB.table, netB.layers.length, netB.X, netB.Y, rows, c.loss, Opt.adam, 0.01, 0.9, 0.999, 1e-8, 0, 1, netB.scratch, 0);

      expect(lossB).toBe(lossA);
      expectBitsEqual(b.read(netB.X, rows * c.inputs), a.read(netA.X, rows * c.inputs), 'X');
      expectBitsEqual(b.read(netB.Y, rows * outputs), a.read(netA.Y, rows * outputs), 'Y');
      netA.layers.forEach((L, l) => {
        const M = netB.layers[l]!;
        expectBitsEqual(b.read(M.W, L.inputs * L.outputs), a.read(L.W, L.inputs * L.outputs), `W of layer ${l}`);
        expectBitsEqual(b.read(M.b, L.outputs), a.read(L.b, L.outputs), `b of layer ${l}`);
      });

      // gatherOrder 0: X and Y are the batch as they lie (the rows beside them untouched)
      i32[(tail + Tail.gatherOrder) >>> 2] = 0;
      b.write(netB.X, new Array(rows * c.inputs).fill(0.25));
      trainStepWith(b.k, () => b.backend.memory.buffer, netB.table, netB.layers.length, netB.X, netB.Y, rows, c.loss, Opt.adam, 0.01, 0.9, 0.999, 1e-8, 0, 2, netB.scratch, 0);
      expect(b.read(netB.X, rows * c.inputs)).toEqual(new Array(rows * c.inputs).fill(0.25));
    });
  }
});
