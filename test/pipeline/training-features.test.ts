import { describe, expect, it } from 'vitest';
import { evaluate, makeDataset, Network, StateError, Trainer, type Runtime } from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { values } from '../support/random-values.js';

function blobs(rows: number, seed: number) {
  const v = values(rows * 3, seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let r = 0; r < rows; r++) {
    const c = r % 3;
    x.push([v[r * 3]! + c * 1.5, v[r * 3 + 1]! - c, v[r * 3 + 2]!]);
    y.push(c);
  }
  return { x, y };
}

function net3(runtime: Runtime, seed = 1) {
  return new Network({ inputs: 3, layers: [{ units: 16, activation: 'relu' }, { units: 3, activation: 'softmax' }], seed, runtime });
}

const flatWeights = (n: Network) => n.getWeights({ flat: true }).flatMap((l) => [...l.W, ...l.b]);

describe.each(BACKENDS)('Trainer.fit extras on $name', ({ options }) => {
  it('reports the validation loss every epoch, equal to evaluate() on the same rows', async () => {
    const rt = await runtimeFor(options);
    const net = net3(rt);
    const train = blobs(90, 1), val = blobs(30, 2);
    const h = new Trainer(net, { loss: 'cce', optimizer: { type: 'adam', lr: 0.01 } }).fit(train.x, train.y, { epochs: 5, validation: val });
    expect(h.valLoss).toHaveLength(5);
    expect(h.valAccuracy).toHaveLength(5);
    const e = evaluate(net, val);
    expect(e.task).toBe('multiclass');
    expect(e.loss).toBeCloseTo(h.valLoss[4]!, 6);
    if (e.task !== 'regression') expect(e.accuracy).toBeCloseTo(h.valAccuracy[4]!, 6);
  });

  it("early stopping stops after `patience` epochs without improvement and restores the best epoch's weights", async () => {
    const rt = await runtimeFor(options);
    const net = net3(rt);
    const train = blobs(60, 3);
    // validation labels that training cannot fit: its loss soon gets worse
    const val = { x: blobs(30, 4).x, y: blobs(30, 4).y.map((c) => (c + 1) % 3) };
    const snapshots: number[][] = [];
    const h = new Trainer(net, { loss: 'cce', optimizer: { type: 'adam', lr: 0.02 } }).fit(train.x, train.y, {
      epochs: 200,
      validation: val,
      earlyStopping: { patience: 5 },
      onEpochEnd: () => { snapshots.push(flatWeights(net)); },
    });
    expect(h.stopReason).toBe('early-stopping');
    expect(h.epochs).toBe(h.bestEpoch + 5);
    const best = Math.min(...h.valLoss);
    expect(h.valLoss[h.bestEpoch - 1]).toBe(best);
    expect(h.restoredBest).toBe(true);
    expect(flatWeights(net)).toEqual(snapshots[h.bestEpoch - 1]);
    expect(evaluate(net, val).loss).toBeCloseTo(best, 6);
  });

  it('a callback returning false stops; an aborted signal stops between batches', async () => {
    const rt = await runtimeFor(options);
    const { x, y } = blobs(60, 5);
    const h = new Trainer(net3(rt), { loss: 'cce' }).fit(x, y, { epochs: 50, onEpochEnd: (i) => i.epoch < 3 });
    expect(h.epochs).toBe(3);
    expect(h.stopReason).toBe('callback');
    const ac = new AbortController();
    let batches = 0;
    const h2 = new Trainer(net3(rt), { loss: 'cce', batchSize: 10 }).fit(x, y, {
      epochs: 50,
      signal: ac.signal,
      onBatchEnd: (b) => { batches++; if (b.epoch === 2 && b.batch === 3) ac.abort(); },
    });
    expect(h2.stopReason).toBe('aborted');
    expect(batches).toBe(6 + 3);
  });

  it('fitAsync yields between epochs, can be cancelled from outside, and a second fit is rejected', async () => {
    const rt = await runtimeFor(options);
    const net = net3(rt);
    const { x, y } = blobs(60, 6);
    const ac = new AbortController();
    const trainer = new Trainer(net, { loss: 'cce' });
    const running = trainer.fitAsync(x, y, { epochs: 10_000, signal: ac.signal });
    await new Promise((r) => setTimeout(r, 20));
    expect(() => new Trainer(net, { loss: 'cce' }).fit(x, y)).toThrow(StateError);
    expect(() => new Trainer(net, { loss: 'cce' }).fit(x, y)).toThrow(/fit: this network is already being trained/);
    expect(() => net.dispose()).toThrow(/being trained/);
    ac.abort();
    const h = await running;
    expect(h.stopReason).toBe('aborted');
    expect(h.epochs).toBeGreaterThan(0);
    expect(h.epochs).toBeLessThan(10_000);
    // usable again
    expect(new Trainer(net, { loss: 'cce' }).fit(x, y, { epochs: 1 }).epochs).toBe(1);
  });

  it('L2 weight decay shrinks the weights (never the biases) compared with none', async () => {
    const rt = await runtimeFor(options);
    const { x, y } = blobs(60, 7);
    const norm = (wd: number) => {
      const net = net3(rt, 3);
      new Trainer(net, { loss: 'cce', optimizer: { type: 'sgd', lr: 0.1, weightDecay: wd }, seed: 1 }).fit(x, y, { epochs: 20 });
      return net.getWeights({ flat: true }).reduce((s, l) => s + l.W.reduce((a, w) => a + w * w, 0), 0);
    };
    expect(norm(0.05)).toBeLessThan(norm(0) * 0.9);
  });

  it('clipNorm scales one step\'s whole gradient to that L2 norm, and leaves a shorter one alone', async () => {
    const rt = await runtimeFor(options);
    const { x, y } = blobs(30, 11);
    const lr = 0.5;
    // one full-batch SGD step: the change of every parameter is −lr·g
    const change = (clipNorm?: number) => {
      const net = net3(rt, 5);
      const before = flatWeights(net);
      new Trainer(net, { loss: 'cce', optimizer: { type: 'sgd', lr, clipNorm }, batchSize: 30, shuffle: false }).fit(x, y, { epochs: 1 });
      const after = flatWeights(net);
      net.dispose();
      return { before, after, g: after.map((w, i) => (before[i]! - w) / lr) };
    };
    const free = change();
    const norm = Math.hypot(...free.g);
    expect(norm).toBeGreaterThan(0.1);
    const clipped = change(norm / 4);
    const coef = norm / 4 / (norm + 1e-6);
    // every parameter moved by a quarter of its unclipped step (float32 rounding of w − lr·g aside)
    clipped.g.forEach((g, i) => expect(Math.abs(g - free.g[i]! * coef)).toBeLessThan(2e-6 * (1 + Math.abs(free.before[i]!)) / lr));
    expect(Math.hypot(...clipped.g)).toBeCloseTo(norm / 4, 4);
    // a limit above the gradient's norm changes nothing, bit for bit
    expect(change(norm * 2).after).toEqual(free.after);
  });

  it('clipNorm keeps training finite where the unclipped gradient explodes', async () => {
    const rt = await runtimeFor(options);
    const x = Array.from({ length: 20 }, (_, i) => [i / 20, ((i * 7) % 11) / 11]);
    const y = x.map(([a]) => [a! * 1e18]);
    const mk = () => new Network({ inputs: 2, layers: [{ units: 4, activation: 'relu' }, { units: 1 }], seed: 2, runtime: rt });
    const opt = { type: 'sgd', lr: 0.01 } as const;
    expect(() => new Trainer(mk(), { loss: 'mse', optimizer: opt, batchSize: 5, shuffle: false }).fit(x, y, { epochs: 5 })).toThrow(/not finite|non-finite/);
    const net = mk();
    const before = flatWeights(net);
    const h = new Trainer(net, { loss: 'mse', optimizer: { ...opt, clipNorm: 1 }, batchSize: 5, shuffle: false }).fit(x, y, { epochs: 5 });
    expect(h.loss.every(Number.isFinite)).toBe(true);
    // 20 steps, each moving the parameters by at most lr·clipNorm
    const moved = Math.hypot(...flatWeights(net).map((w, i) => w - before[i]!));
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThanOrEqual(20 * 0.01 * 1.0001);
  });

  it('regression with a target scaler trains on scaled targets and predicts in target units', async () => {
    const rt = await runtimeFor(options);
    const { Scaler } = await import('../../src/index.js');
    const x = Array.from({ length: 80 }, (_, i) => [i / 80, ((i * 7) % 13) / 13]);
    const y = x.map(([a, b]) => 50 + 30 * a! - 10 * b!);
    const net = new Network({ inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 1 }], runtime: rt });
    net.targetScaler = Scaler.fit(Float32Array.from(y), y.length, 1, 'standard');
    new Trainer(net, { loss: 'mse', optimizer: { type: 'adam', lr: 0.05 }, batchSize: 16 }).fit(x, y, { epochs: 150 });
    const e = evaluate(net, makeDataset(x, y, { task: 'regression' }));
    expect(e.task).toBe('regression');
    if (e.task === 'regression') {
      expect(e.r2).toBeGreaterThan(0.95);
      expect(e.mae).toBeLessThan(2);
    }
  });
});

describe('clipNorm across builds', () => {
  it('the SIMD and scalar builds clip and train bit for bit alike; the JS backend within float32 rounding', async () => {
    const { x, y } = blobs(64, 21);
    const train = async (options: Parameters<typeof runtimeFor>[0]) => {
      const net = new Network({ inputs: 3, layers: [{ units: 9, activation: 'tanh' }, { units: 3, activation: 'softmax' }], seed: 6, runtime: await runtimeFor(options) });
      const h = new Trainer(net, { loss: 'cce', optimizer: { type: 'adam', lr: 0.05, clipNorm: 0.05 }, batchSize: 16, seed: 2 }).fit(x, y, { epochs: 4 });
      return { loss: h.loss, w: flatWeights(net) };
    };
    const simd = await train({ simd: true }), scalar = await train({ simd: false }), js = await train({ backend: 'js' });
    expect(simd).toEqual(scalar);
    simd.w.forEach((w, i) => expect(Math.abs(w - js.w[i]!)).toBeLessThan(1e-4));
    simd.loss.forEach((l, i) => expect(Math.abs(l - js.loss[i]!)).toBeLessThan(1e-5));
  });

  it('rejects a clipNorm that is not a positive number, naming it', () => {
    return runtimeFor({ backend: 'js' }).then((rt) => {
      for (const bad of [0, -1, NaN, Infinity, '1']) {
        expect(() => new Trainer(net3(rt), { loss: 'cce', optimizer: { type: 'sgd', clipNorm: bad as number } })).toThrow(/optimizer\.clipNorm: expected a finite number > 0, got/);
      }
    });
  });
});
