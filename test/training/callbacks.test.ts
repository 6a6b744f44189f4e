// Callbacks (onTrainBegin/End, onEpochBegin/End, onBatchEnd: when, in what
// order, with what) and early stopping on a chosen metric with a mode.
import { describe, expect, it } from 'vitest';
import { Network, Trainer, ValueError, type Runtime } from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectError } from '../support/expect-error.js';
import { values } from '../support/random-values.js';

const ROWS = 30;

function blobs(seed: number) {
  const v = values(ROWS * 2, seed);
  const x = Array.from({ length: ROWS }, (_, r) => [v[2 * r]! + (r % 3) * 1.2, v[2 * r + 1]! - (r % 3)]);
  return { x, y: x.map((_, r) => r % 3) };
}

function net(runtime: Runtime): Network {
  return new Network({ inputs: 2, layers: [{ units: 12, activation: 'relu' }, { units: 3, activation: 'softmax' }], seed: 6, runtime });
}

const weights = (n: Network) => n.getWeights({ flat: true }).flatMap((l) => [...l.W, ...l.b]);

describe.each(BACKENDS)('callbacks and early stopping on $name', ({ options }) => {
  it('calls onTrainBegin, then per epoch onEpochBegin, onBatchEnd × batches, onEpochEnd, then onTrainEnd with the history', async () => {
    const rt = await runtimeFor(options);
    const n = net(rt);
    const { x, y } = blobs(1);
    const events: string[] = [];
    let ended: unknown = null;
    const h = new Trainer(n, { loss: 'cce', batchSize: 12, optimizer: { type: 'sgd', lr: 0.1 } }).fit(x, y, {
      epochs: 2,
      validation: blobs(2),
      onTrainBegin: (i) => events.push(`begin ${i.epochs} ${i.rows} ${i.validationRows} ${i.batchSize} ${i.batches}`),
      onEpochBegin: (i) => events.push(`epoch ${i.epoch}/${i.epochs} lr ${i.lr}`),
      onBatchEnd: (b) => events.push(`batch ${b.epoch}.${b.batch}/${b.batches}`),
      onEpochEnd: (i) => { events.push(`end ${i.epoch} lr ${i.lr} ${i.valLoss === undefined ? '' : 'val'}`); },
      onTrainEnd: (history) => { ended = history; events.push('train end'); },
    });
    expect(events).toEqual([
      'begin 2 30 30 12 3',
      'epoch 1/2 lr 0.1', 'batch 1.1/3', 'batch 1.2/3', 'batch 1.3/3', 'end 1 lr 0.1 val',
      'epoch 2/2 lr 0.1', 'batch 2.1/3', 'batch 2.2/3', 'batch 2.3/3', 'end 2 lr 0.1 val',
      'train end',
    ]);
    expect(ended).toBe(h);
    n.dispose();
  });

  it('a fit nothing watches (no EpochInfo made) and one that callbacks watch at every point give the same history and weights, bit for bit', async () => {
    const rt = await runtimeFor(options);
    const { x, y } = blobs(3);
    const run = (watch: boolean) => {
      const n = net(rt);
      const seen: number[] = [];
      const h = new Trainer(n, { loss: 'cce', batchSize: 12, optimizer: { type: 'adam', lr: 0.05 }, seed: 4 }).fit(x, y, watch
        ? { epochs: 12, onTrainBegin: () => {}, onEpochBegin: () => {}, onBatchEnd: () => {}, onEpochEnd: (i) => { seen.push(i.loss); }, onTrainEnd: () => {} }
        : { epochs: 12 });
      const out = { loss: [...h.loss], lr: [...h.lr], epochs: h.epochs, bestEpoch: h.bestEpoch, stopReason: h.stopReason, weights: weights(n), seen };
      n.dispose();
      return out;
    };
    const plain = run(false);
    const watched = run(true);
    expect(watched.seen).toEqual(watched.loss);
    expect({ ...plain, seen: [] }).toEqual({ ...watched, seen: [] });
    // the losses fell, so the best epoch is a late one, found the same way on both paths
    expect(plain.bestEpoch).toBeGreaterThan(6);
    expect(plain.loss[11]).toBeLessThan(plain.loss[0]!);
  });

  it("onTrainEnd sees the best epoch's weights restored; it runs after a stop by callback or signal too", async () => {
    const rt = await runtimeFor(options);
    const n = net(rt);
    const { x, y } = blobs(3);
    let atEnd: number[] = [];
    const h = new Trainer(n, { loss: 'cce' }).fit(x, y, { epochs: 50, onEpochEnd: (i) => i.epoch < 4, onTrainEnd: () => { atEnd = weights(n); } });
    expect(h.stopReason).toBe('callback');
    expect(atEnd).toEqual(weights(n));
    const ac = new AbortController();
    let reason = '';
    new Trainer(n, { loss: 'cce' }).fit(x, y, { epochs: 50, signal: ac.signal, onEpochBegin: (i) => { if (i.epoch === 2) ac.abort(); }, onTrainEnd: (hh) => { reason = hh.stopReason; } });
    expect(reason).toBe('aborted');
    n.dispose();
  });

  it("early stopping on val_accuracy (mode auto: max): best epoch is the first highest accuracy; 'min' inverts it", async () => {
    const rt = await runtimeFor(options);
    const { x, y } = blobs(4);
    const val = blobs(5);
    const run = (mode?: 'min' | 'max') => {
      const n = net(rt);
      const snapshots: number[][] = [];
      const h = new Trainer(n, { loss: 'cce', optimizer: { type: 'adam', lr: 0.03 } }).fit(x, y, {
        epochs: 40,
        validation: val,
        earlyStopping: { monitor: 'val_accuracy', patience: 6, ...(mode ? { mode } : {}) },
        onEpochEnd: () => { snapshots.push(weights(n)); },
      });
      const kept = weights(n);
      n.dispose();
      return { h, kept, snapshots };
    };
    const { h, kept, snapshots } = run();
    const best = Math.max(...h.valAccuracy);
    expect(h.bestEpoch).toBe(h.valAccuracy.indexOf(best) + 1);
    if (h.stopReason === 'early-stopping') expect(h.epochs).toBe(h.bestEpoch + 6);
    expect(kept).toEqual(snapshots[h.bestEpoch - 1]);
    const low = run('min').h;
    expect(low.bestEpoch).toBe(low.valAccuracy.indexOf(Math.min(...low.valAccuracy)) + 1);
  });

  it('val_mae for mse, loss without validation; minDelta counts in the direction of the mode', async () => {
    const rt = await runtimeFor(options);
    const reg = new Network({ inputs: 2, layers: [{ units: 6, activation: 'tanh' }, { units: 1 }], seed: 2, runtime: rt });
    const { x } = blobs(6);
    const t = x.map((r) => r[0]! - 2 * r[1]!);
    const h = new Trainer(reg, { loss: 'mse', optimizer: { type: 'adam', lr: 0.02 } }).fit(x, t, { epochs: 30, validation: { x, y: t }, earlyStopping: { monitor: 'val_mae', patience: 3, minDelta: 0.05 } });
    // replay: an epoch improves only when it beats the best by more than minDelta
    let best = Infinity, bestEpoch = 0, wait = 0, stop = 0;
    h.valMae.forEach((v, i) => {
      if (stop) return;
      if (v < best - 0.05 || bestEpoch === 0) { best = v; bestEpoch = i + 1; wait = 0; } else if (++wait >= 3) stop = i + 1;
    });
    expect(h.bestEpoch).toBe(bestEpoch);
    expect(h.epochs).toBe(stop || 30);
    reg.dispose();
  });

  it('monitors are checked against the loss and the data, before any step', async () => {
    const rt = await runtimeFor(options);
    const n = net(rt);
    const { x, y } = blobs(7);
    const t = new Trainer(n, { loss: 'cce' });
    const before = weights(n);
    expectError(() => t.fit(x, y, { earlyStopping: { monitor: 'val_accuracy' } }), ValueError, 'earlyStopping: monitors the validation accuracy, but no validation data was given', 'validationSplit');
    expectError(() => t.fit(x, y, { validation: { x, y }, earlyStopping: { monitor: 'val_mae' } }), ValueError, "earlyStopping.monitor: 'val_mae' is computed for loss 'mse', got loss 'cce'");
    expectError(() => t.fit(x, y, { validation: { x, y }, earlyStopping: { monitor: 'val_los' as never } }), ValueError, "earlyStopping.monitor: expected one of loss, val_loss, val_accuracy, val_mae, got \"val_los\" (did you mean 'val_loss'?)");
    expectError(() => t.fit(x, y, { earlyStopping: { monitor: 'loss', mode: 'down' as never } }), ValueError, 'earlyStopping.mode: expected one of min, max, auto');
    expectError(() => t.fit(x, y, { onTrainEnd: 3 as never }), ValueError, 'onTrainEnd: expected a function, got number 3');
    expect(weights(n)).toEqual(before);
    const reg = new Network({ inputs: 2, layers: [{ units: 1 }], runtime: rt });
    expectError(() => new Trainer(reg, { loss: 'mse' }).fit(x, y, { validation: { x, y }, earlyStopping: { monitor: 'val_accuracy' } }), ValueError, "earlyStopping.monitor: 'val_accuracy' is computed for classification losses (bce, cce), got loss 'mse'");
    n.dispose();
    reg.dispose();
  });
});
