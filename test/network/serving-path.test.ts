import { describe, expect, it } from 'vitest';
import { Network, Trainer, TrainingError, ValueError } from '../../src/index.js';
import { NAN_NEGATIVE, NAN_POSITIVE } from '../support/kernel-heap.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectError } from '../support/expect-error.js';
import { values } from '../support/random-values.js';

// The serving path of a network over the tiny path's limit: the forward pass
// reads weights packed once (src/network/plan.ts, Tail.packed), and a
// Float32Array of whole rows goes straight into linear memory and is checked
// there, a chunk at a time (Network.forwardDirect). What must hold: the same bits as the checked
// path (nested rows) and as a batch of any size; never a stale weight after
// setWeights, training, or a restored snapshot; bad values refused by name with
// nothing written and no memory taken.

const SHAPES = {
  // 16-column panels, then narrow 10 outputs (the dot route)
  wide: { inputs: 50, layers: [{ units: 32, activation: 'relu' as const }, { units: 10, activation: 'softmax' as const }] },
  // 8-column panels (40, not a multiple of 16) and a partial one (25), one output
  odd: { inputs: 20, layers: [{ units: 40, activation: 'tanh' as const }, { units: 25, activation: 'leaky_relu' as const, alpha: 0.1 }, { units: 1, activation: 'sigmoid' as const }] },
};

const rows = (n: number, inputs: number, seed: number): Float32Array => values(n * inputs, seed).map((v) => v * 2);
const nest = (x: Float32Array, cols: number): number[][] => Array.from({ length: x.length / cols }, (_, r) => Array.from(x.subarray(r * cols, (r + 1) * cols)));

describe.each(BACKENDS)('the serving path on $name', ({ options }) => {
  it.each(Object.entries(SHAPES))('%s: a Float32Array gives the bits of nested rows, and each row the bits of its batch, for batches 1..1025 and an offset view', async (_, shape) => {
    const rt = await runtimeFor(options);
    const net = new Network({ ...shape, seed: 3, runtime: rt });
    const outputs = net.outputs;
    const all = rows(1025, shape.inputs, 11);
    const whole = net.predict(all);
    for (const n of [1, 2, 3, 8, 9, 17, 64, 1024, 1025]) {
      const x = all.subarray(0, n * shape.inputs);
      const out = new Float32Array(n * outputs);
      expect(net.predictInto(x, out)).toBe(out);
      expect(out, `batch ${n}: a row's outputs do not depend on the batch`).toEqual(whole.subarray(0, n * outputs));
      expect(net.predict(nest(x, shape.inputs)).flat(), `batch ${n}: nested rows`).toEqual(Array.from(out));
    }
    // a view at an offset into a larger buffer, changed after the call: the outputs were its rows then
    const view = all.subarray(5 * shape.inputs, 8 * shape.inputs);
    const out = net.predict(view);
    expect(out).toEqual(whole.subarray(5 * outputs, 8 * outputs));
    view.fill(0);
    expect(out).toEqual(whole.subarray(5 * outputs, 8 * outputs));
    net.dispose();
  });

  it('never a stale weight: after setWeights, training, early stopping\'s restored best epoch, a training error', async () => {
    const rt = await runtimeFor(options);
    const shape = SHAPES.odd;
    const net = new Network({ ...shape, seed: 5, runtime: rt });
    const x = rows(40, shape.inputs, 21);
    const y = Array.from({ length: 40 }, (_, i) => [i % 2]);
    // what a network built fresh from the same weights predicts
    const fresh = (): Float32Array => {
      const copy = new Network({ ...shape, seed: 99, runtime: rt });
      copy.setWeights(net.getWeights({ flat: true }));
      const p = copy.predict(x);
      copy.dispose();
      return p;
    };
    const before = net.predict(x);
    expect(before).toEqual(fresh());
    const w = net.getWeights({ flat: true });
    w[0]!.W[3] = 1.5;
    w[1]!.W[0] += 0.25;
    net.setWeights(w);
    const changed = net.predict(x);
    expect(changed).not.toEqual(before);
    expect(changed).toEqual(fresh());
    const trainer = new Trainer(net, { loss: 'bce', optimizer: { type: 'adam', lr: 0.05 }, batchSize: 8, seed: 1 });
    trainer.fit(x, y, { epochs: 3 });
    const trained = net.predict(x);
    expect(trained).not.toEqual(changed);
    expect(trained).toEqual(fresh());
    // a learning rate that makes every later epoch worse: the first epoch's weights come back
    const h = new Trainer(net, { loss: 'bce', optimizer: { type: 'sgd', lr: 2 }, batchSize: 4, seed: 2 })
      .fit(x, y, { epochs: 6, earlyStopping: { monitor: 'loss', patience: 6, restoreBest: true } });
    expect([h.restoredBest, h.bestEpoch, h.epochs]).toEqual([true, 1, 6]);
    expect(net.predict(x)).toEqual(fresh());
    // one that overflows: the weights after the last finite step stay, and are what predict uses
    expectError(() => new Trainer(net, { loss: 'bce', optimizer: { type: 'sgd', lr: 25 }, batchSize: 4, seed: 2 }).fit(x, y, { epochs: 6 }), TrainingError, 'fit: the loss or a gradient is not finite');
    expect(net.predict(x)).toEqual(fresh());
    net.dispose();
  });

  it('a non-finite value in a Float32Array is refused by name (both NaN signs, ±Infinity), out untouched, no memory taken', async () => {
    const rt = await runtimeFor(options);
    const shape = SHAPES.wide;
    const net = new Network({ ...shape, seed: 7, runtime: rt });
    const good = rows(3, shape.inputs, 31);
    net.predict(good);
    const live = rt.liveBytes;
    for (const n of [1, 3, 40]) {
      for (const [bits, shown] of [[NAN_POSITIVE, 'NaN'], [NAN_NEGATIVE, 'NaN'], [0x7f800000, 'Infinity'], [0xff800000, '-Infinity']] as const) {
        const x = rows(n, shape.inputs, 32);
        const at = (n - 1) * shape.inputs + 7;
        new Uint32Array(x.buffer)[at] = bits;
        const out = new Float32Array(n * net.outputs).fill(-7);
        expectError(() => net.predictInto(x, out), ValueError, `x: expected finite numbers, got 1 non-finite value (first: ${shown} at row ${n - 1}, column 7)`);
        expectError(() => net.predict(x), ValueError, `(first: ${shown} at row ${n - 1}, column 7)`);
        expect(Array.from(out)).toEqual(new Array<number>(n * net.outputs).fill(-7));
        // a batch larger than any before is refused before its batch block is laid out
        expect(rt.liveBytes).toBe(live);
      }
    }
    // rows of several chunks once their batch block is laid out: every chunk is checked in linear memory before an output is written
    const many = 2500;
    const fine = rows(many, shape.inputs, 33);
    const expected = net.predict(nest(fine, shape.inputs)).flat();
    const big = Float32Array.from(fine);
    new Uint32Array(big.buffer)[2400 * shape.inputs + 5] = NAN_POSITIVE;
    const bigOut = new Float32Array(many * net.outputs).fill(-7);
    expectError(() => net.predictInto(big, bigOut), ValueError, 'x: expected finite numbers, got 1 non-finite value (first: NaN at row 2400, column 5)');
    expect(bigOut.every((v) => v === -7)).toBe(true);
    expect(Array.from(net.predictInto(fine, bigOut))).toEqual(expected);
    // and the network still serves
    expect(net.predict(good)).toEqual(net.predict(Float32Array.from(good)));
    net.dispose();
  });
});
