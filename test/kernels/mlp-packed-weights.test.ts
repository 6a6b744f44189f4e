import { describe, expect, it } from 'vitest';
import { Act, LAYER_BYTES, Loss, Opt, Tail } from '../../src/backend/abi.js';
import { BACKENDS, createBackend } from '../support/backends.js';
import { expectClose } from '../support/close.js';
import { expectBitsEqual, KernelHeap } from '../support/kernel-heap.js';
import { forwardF64, labelsFor, layersF64, layoutNet, type Net, type NetCase } from '../support/layer-table.js';
import { randomF32, uniform } from '../support/random-values.js';
import { trainStepWith } from '../support/train-step.js';

// The packed weights of the layer table (LayerField.Wp, Tail.packed in
// src/backend/abi.ts): mlp_forward packs every W once when the tail says a W
// changed, and otherwise reads only the packed copies (no packing per call);
// mlp_train_step marks them stale when it updates the weights.

// layers wide enough that no product is tiny (those read W itself): every
// kind of packed layout (16-column panels, 8-column panels, narrow quads)
const CASE: NetCase = {
  name: '20 → 32 relu → 24 tanh → 10 softmax',
  inputs: 20,
  specs: [{ outputs: 32, act: Act.relu }, { outputs: 24, act: Act.tanh }, { outputs: 10, act: Act.softmax }],
  loss: Loss.cce,
};

describe.each(BACKENDS.map((b) => b.name))('packed weights over a layer table on %s', (kind) => {
  const rows = 3;

  function setup(): { heap: KernelHeap; net: Net; x: number[]; packedWord: number } {
    const heap = new KernelHeap(createBackend(kind));
    const rand = uniform(7);
    const x = randomF32(rand, rows * CASE.inputs, -2, 2);
    const net = layoutNet(heap, CASE.inputs, CASE.specs, rows, x, labelsFor(CASE, rows, rand), 8);
    return { heap, net, x, packedWord: (net.table + net.layers.length * LAYER_BYTES + Tail.packed) >>> 2 };
  }

  const outputOf = (heap: KernelHeap, net: Net): number[] => {
    const L = net.layers[net.layers.length - 1]!;
    return heap.read(L.A, rows * L.outputs);
  };

  it('the first forward pass packs every W into its Wp and says so; the output is the float64 network\'s', () => {
    const { heap, net, x, packedWord } = setup();
    expect(heap.i32()[packedWord]).toBe(0);
    heap.k.mlp_forward(net.table, net.layers.length, net.X, rows, net.scratch);
    expect(heap.i32()[packedWord]).toBe(1);
    for (const L of net.layers) {
      // the layout itself is checked in f32-gemm-prepacked.test.ts: Wp is what f32_gemm_pack_b makes of W
      const bytes = heap.k.f32_gemm_pack_b_bytes(L.outputs, L.inputs);
      const fresh = heap.alloc(bytes / 4);
      heap.k.f32_gemm_pack_b(L.outputs, L.inputs, L.W, fresh);
      expectBitsEqual(heap.readF32(L.Wp, bytes / 4), heap.readF32(fresh, bytes / 4), `Wp of ${L.inputs}×${L.outputs}`);
    }
    expectClose(outputOf(heap, net), forwardF64(layersF64(heap, net), x, rows).A[2] as number[], { atol: 1e-6, rtol: 1e-5 }, 'A');
  });

  it('later passes read only the packed copies: a W written without clearing Tail.packed changes nothing until it is cleared', () => {
    const { heap, net, x, packedWord } = setup();
    heap.k.mlp_forward(net.table, net.layers.length, net.X, rows, net.scratch);
    const before = outputOf(heap, net);
    for (const L of net.layers) heap.write(L.W, randomF32(uniform(L.outputs), L.inputs * L.outputs, -1, 1));
    heap.k.mlp_forward(net.table, net.layers.length, net.X, rows, net.scratch);
    expectBitsEqual(outputOf(heap, net), before, 'not repacked');
    heap.i32()[packedWord] = 0;
    heap.k.mlp_forward(net.table, net.layers.length, net.X, rows, net.scratch);
    expect(heap.i32()[packedWord]).toBe(1);
    const now = outputOf(heap, net);
    expect(now).not.toEqual(before);
    expectClose(now, forwardF64(layersF64(heap, net), x, rows).A[2] as number[], { atol: 1e-6, rtol: 1e-5 }, 'A after repacking');
  });

  it('a training step that updates the weights marks them stale, and the next pass sees the new weights; a skipped one does not', () => {
    const { heap, net, x, packedWord } = setup();
    const step = (lr: number, t: number): number =>
      trainStepWith(heap.k, () => heap.backend.memory.buffer, net.table, net.layers.length, net.X, net.Y, rows, CASE.loss, Opt.adam, lr, 0.9, 0.999, 1e-8, 0, t, net.scratch, 0);
    expect(Number.isFinite(step(0.05, 1))).toBe(true);
    expect(heap.i32()[packedWord]).toBe(0);
    heap.k.mlp_forward(net.table, net.layers.length, net.X, rows, net.scratch);
    expect(heap.i32()[packedWord]).toBe(1);
    expectClose(outputOf(heap, net), forwardF64(layersF64(heap, net), x, rows).A[2] as number[], { atol: 1e-6, rtol: 1e-5 }, 'A after a step');
    // a NaN input: the loss is not finite, nothing is updated, the packed copies stay valid
    const X0 = heap.read(net.X, 1);
    heap.write(net.X, [NaN]);
    expect(step(0.05, 2)).toBeNaN();
    expect(heap.i32()[packedWord]).toBe(1);
    heap.write(net.X, X0);
  });
});
