// Trainer.fitStream: batches from an iterable instead of rows in linear
// memory. A stream that gives the batches fit would form (fit's shuffled
// order replayed with the library's Random) must give fit's weights and
// history bit for bit, on every backend, with validation, early stopping,
// a schedule and class weights; and it must work where the rows could never
// be in linear memory at once.
import { describe, expect, it } from 'vitest';
import { MemoryError, Network, Random, Scaler, ShapeError, StateError, Trainer, ValueError, type Runtime, type StreamBatch } from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectError, expectRejection } from '../support/expect-error.js';
import { values } from '../support/random-values.js';

const INPUTS = 5;

/** rows × INPUTS inputs and a 3-class label per row that depends on them. */
function data(rows: number, seed: number): { x: Float32Array; y: Float32Array } {
  const x = values(rows * INPUTS, seed).map((v, i) => v * (1 + (i % INPUTS)) + (i % INPUTS));
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) y[r] = x[r * INPUTS]! + x[r * INPUTS + 1]! > 1 ? 2 : x[r * INPUTS + 2]! > 2 ? 1 : 0;
  return { x, y };
}

/** fit's batches: each epoch, the Trainer's seeded shuffle of all rows (or none), then runs of batchSize rows. */
function* fitOrder(x: Float32Array, y: Float32Array, rows: number, batchSize: number, shuffle: Random | null, order: Uint32Array): Generator<StreamBatch> {
  if (shuffle) shuffle.shuffle(order);
  for (let start = 0; start < rows; start += batchSize) {
    const n = Math.min(batchSize, rows - start);
    const bx = new Float32Array(n * INPUTS);
    const by = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const r = order[start + i]!;
      bx.set(x.subarray(r * INPUTS, (r + 1) * INPUTS), i * INPUTS);
      by[i] = y[r]!;
    }
    yield { x: bx, y: by };
  }
}

const network = (rt: Runtime, scaler: Scaler | null) => {
  const net = new Network({ inputs: INPUTS, layers: [{ units: 8, activation: 'relu' }, { units: 3, activation: 'softmax' }], seed: 11, runtime: rt });
  net.scaler = scaler;
  return net;
};

describe.each(BACKENDS)('fitStream on $name', ({ options }) => {
  it('gives fit\'s weights and history bit for bit on the same batch order: shuffled, validation, early stopping, a cosine schedule, class weights', async () => {
    const rt = await runtimeFor(options);
    const rows = 203; // a last batch of 203 mod 16 rows
    const { x, y } = data(rows, 1);
    const val = data(40, 2);
    const scaler = Scaler.fit(x, rows, INPUTS, 'standard');
    const trainerOptions = {
      loss: 'cce' as const, batchSize: 16, seed: 9, classWeight: [1, 2, 0.5],
      optimizer: { type: 'adam' as const, lr: 0.02 }, schedule: { type: 'cosine' as const, warmup: 1 },
    };
    const fitOptions = { epochs: 6, validation: { x: val.x, y: val.y }, earlyStopping: { patience: 2, restoreBest: true } };
    const a = network(rt, scaler);
    const ha = new Trainer(a, trainerOptions).fit(x, y, fitOptions);
    const b = network(rt, scaler);
    const rng = new Random(9);
    const order = Uint32Array.from({ length: rows }, (_, i) => i);
    const seen: number[] = [];
    const hb = await new Trainer(b, { ...trainerOptions, shuffle: false }).fitStream(() => fitOrder(x, y, rows, 16, rng, order), {
      ...fitOptions, batchesPerEpoch: Math.ceil(rows / 16), onBatchEnd: (info) => seen.push(info.batches),
    });
    expect(hb).toEqual(ha);
    expect(b.getWeights({ flat: true })).toEqual(a.getWeights({ flat: true }));
    expect(ha.epochs).toBeGreaterThan(1);
    expect(new Set(seen)).toEqual(new Set([13]));
    a.dispose();
    b.dispose();
  });

  it('takes an array (iterated afresh each epoch) and an async generator function; unshuffled fit is the same as batches in row order', async () => {
    const rt = await runtimeFor(options);
    const rows = 50;
    const { x, y } = data(rows, 3);
    const order = Uint32Array.from({ length: rows }, (_, i) => i);
    const batches = [...fitOrder(x, y, rows, 8, null, order)];
    const a = network(rt, null);
    const ha = new Trainer(a, { loss: 'cce', batchSize: 8, shuffle: false }).fit(x, y, { epochs: 3 });
    const b = network(rt, null);
    const hb = await new Trainer(b, { loss: 'cce' }).fitStream(batches, { epochs: 3 });
    const c = network(rt, null);
    const hc = await new Trainer(c, { loss: 'cce' }).fitStream(async function* () {
      for (const batch of batches) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        yield batch;
      }
    }, { epochs: 3 });
    expect(hb).toEqual(ha);
    expect(hc).toEqual(ha);
    expect(b.getWeights({ flat: true })).toEqual(a.getWeights({ flat: true }));
    expect(c.getWeights({ flat: true })).toEqual(a.getWeights({ flat: true }));
    for (const n of [a, b, c]) n.dispose();
  });
});

describe('fitStream', () => {
  it('trains on more rows than linear memory could hold at once, where fit is refused', async () => {
    // 64 pages = 4 MiB of linear memory; 150,000 rows × 5 inputs of float32 = 3 MB, plus the targets' 1.8 MB one-hot
    const rt = await runtimeFor({ simd: true, maximumPages: 64 });
    const rows = 150_000;
    const { x, y } = data(rows, 5);
    const net = network(rt, Scaler.fit(x, rows, INPUTS, 'standard'));
    expectError(() => new Trainer(net, { loss: 'cce' }).fit(x, y, { epochs: 1 }), MemoryError, 'more bytes of linear memory');
    const order = Uint32Array.from({ length: rows }, (_, i) => i);
    const h = await new Trainer(net, { loss: 'cce', optimizer: { type: 'adam', lr: 0.01 } }).fitStream(() => fitOrder(x, y, rows, 256, null, order), { epochs: 2 });
    expect(h.epochs).toBe(2);
    expect(h.loss[1]!).toBeLessThan(h.loss[0]!);
    expect(h.loss[1]!).toBeLessThan(0.5);
    net.dispose();
    expect(rt.liveBytes).toBe(0);
  });

  it('refuses what it cannot do, naming it: a generator object run twice, no batches, a bad batch, labels without classes, balanced weights, a cosine schedule without batchesPerEpoch', async () => {
    const rt = await runtimeFor({ backend: 'js' });
    const { x, y } = data(20, 7);
    const batch = { x, y };
    const net = network(rt, null);
    const trainer = new Trainer(net, { loss: 'cce' });
    async function* once() {
      yield batch;
    }
    await expectRejection(() => trainer.fitStream(once(), { epochs: 2 }), ValueError, /batches: expected at least one batch in epoch 2, got none: an iterator or generator runs once; pass a function/);
    await expectRejection(() => trainer.fitStream([], { epochs: 1 }), ValueError, 'batches: expected at least one batch in epoch 1, got none');
    await expectRejection(() => trainer.fitStream(42 as never), ValueError, 'batches: expected an iterable of { x, y } batches (sync or async) or a function returning one, got number 42');
    await expectRejection(() => trainer.fitStream(() => 42 as never), ValueError, 'batches: expected the function to return an iterable of { x, y } batches (epoch 1), got number 42');
    await expectRejection(() => trainer.fitStream([batch, { x: x.subarray(0, 7) }] as never, { epochs: 1 }), ValueError, 'epoch 1, batch 2: expected { x, y }, got no y');
    await expectRejection(() => trainer.fitStream([batch, { x: x.subarray(0, 7), y: [0] }], { epochs: 1 }), ShapeError, 'epoch 1, batch 2: x');
    await expectRejection(() => trainer.fitStream([{ x, y: Array.from(y, (v) => `c${v}`) }]), ValueError, 'epoch 1, batch 1: y: class labels need network.classes set before a fit on a stream');
    await expectRejection(() => trainer.fitStream([batch], { validationSplit: 0.2 } as never), ValueError, 'fitStream options: unknown option "validationSplit"');
    await expectRejection(() => trainer.fitStream([batch], { batchesPerEpoch: 2 }), ValueError, 'batchesPerEpoch: expected 2 batches in each epoch, got 1 in epoch 1');
    await expectRejection(() => new Trainer(net, { loss: 'cce', classWeight: 'balanced' }).fitStream([batch]), ValueError, "classWeight: 'balanced' counts every training row's class");
    await expectRejection(() => new Trainer(net, { loss: 'cce', schedule: { type: 'cosine' } }).fitStream([batch]), ValueError, "batchesPerEpoch: a 'cosine' schedule");
    // a failed fit leaves the network usable and nothing allocated by the fit
    const before = rt.liveBytes;
    const h = await trainer.fitStream([batch], { epochs: 2 });
    expect(h.epochs).toBe(2);
    expect(rt.liveBytes).toBe(before);
    // class labels map through network.classes once it is set
    net.classes = ['c0', 'c1', 'c2'];
    expect((await trainer.fitStream([{ x, y: Array.from(y, (v) => `c${v}`) }], { epochs: 1 })).epochs).toBe(1);
    net.dispose();
  });

  it('refuses a second fit on a network that is training', async () => {
    const rt = await runtimeFor({ backend: 'js' });
    const { x, y } = data(20, 8);
    const net = network(rt, null);
    const trainer = new Trainer(net, { loss: 'cce' });
    let second: unknown = null;
    await trainer.fitStream(async function* () {
      try {
        await trainer.fitStream([{ x, y }]);
      } catch (e) {
        second = e;
      }
      yield { x, y };
    }, { epochs: 1 });
    expectError(() => {
      throw second;
    }, StateError, 'fitStream: this network is already being trained');
    net.dispose();
  });

  it('stops by signal or callback between batches; a non-finite batch stops it naming the epoch and batch; nothing is left allocated', async () => {
    const rt = await runtimeFor({ simd: true });
    const { x, y } = data(64, 9);
    const batches = [{ x: x.subarray(0, 32 * INPUTS), y: y.subarray(0, 32) }, { x: x.subarray(32 * INPUTS), y: y.subarray(32) }];
    const net = network(rt, null);
    const trainer = new Trainer(net, { loss: 'cce' });
    const controller = new AbortController();
    const aborted = await trainer.fitStream(async function* () {
      yield batches[0]!;
      controller.abort();
      yield batches[1]!;
    }, { epochs: 3, signal: controller.signal });
    expect([aborted.stopReason, aborted.epochs]).toEqual(['aborted', 0]);
    // the network keeps its batch block, as after fit; the fit's own blocks are gone
    const before = rt.liveBytes;
    const stopped = await trainer.fitStream(batches, { epochs: 5, onEpochEnd: (info) => info.epoch < 2 });
    expect([stopped.stopReason, stopped.epochs]).toEqual(['callback', 2]);
    const bad = Float32Array.from(batches[1]!.x);
    bad[7] = Number.NaN;
    const weights = net.getWeights({ flat: true });
    await expectRejection(() => trainer.fitStream([batches[0]!, { x: bad, y: batches[1]!.y }], { epochs: 1 }), ValueError, 'epoch 1, batch 2: x');
    // the first batch's step was taken; the bad one none
    expect(net.getWeights({ flat: true })).not.toEqual(weights);
    expect(net.training).toBe(false);
    expect(rt.liveBytes).toBe(before);
    net.dispose();
  });
});
