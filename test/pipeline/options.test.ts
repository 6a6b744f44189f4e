import { beforeAll, describe, expect, it } from 'vitest';
import { init, makeDataset, Network, Trainer, trainModel, ValueError, type Runtime } from '../../src/index.js';
import { expectError } from '../support/expect-error.js';
import { values } from '../support/random-values.js';

/** Three separable blobs: 3 features, 3 classes. */
function blobs(rows: number, seed: number) {
  const v = values(rows * 3, seed);
  const x = Array.from({ length: rows }, (_, r) => [v[r * 3]! + (r % 3) * 1.5, v[r * 3 + 1]! - (r % 3), v[r * 3 + 2]!]);
  return makeDataset(x, Array.from({ length: rows }, (_, r) => r % 3), { task: 'multiclass' });
}

describe("trainModel's optimizer and monitor options", () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await init({ setDefault: false });
  });

  it("takes the optimizer as a Trainer does ({ type, lr, beta2 … }), filling what it leaves out with the pipeline's defaults", () => {
    const data = blobs(120, 1);
    const a = trainModel(data, { optimizer: { type: 'adam', lr: 0.01, beta2: 0.99 }, epochs: 4, seed: 2, runtime: rt });
    expect(a.config.optimizer).toBe('adam');
    expect(a.config.lr).toBe(0.01);
    expect(a.config.weightDecay).toBe(0.005);
    expect(a.config.optimizerSettings).toEqual({ beta2: 0.99 });
    // the same run by hand: a Trainer with those options on the same parts gives the same weights
    const b = trainModel(data, { optimizer: 'adam', lr: 0.01, epochs: 4, seed: 2, runtime: rt });
    expect(b.config.optimizerSettings).toEqual({});
    const flat = (n: Network) => n.getWeights({ flat: true }).flatMap((l) => [...l.W]);
    expect(flat(a.network)).not.toEqual(flat(b.network)); // beta2 reached the trainer
    const c = trainModel(data, { optimizer: { type: 'adam', lr: 0.01, beta2: 0.99 }, epochs: 4, seed: 2, runtime: rt });
    expect(flat(c.network)).toEqual(flat(a.network));
    for (const r of [a, b, c]) r.network.dispose();
  });

  it('refuses an option given twice, and checks the object before any work, naming the field', () => {
    const data = blobs(60, 3);
    expectError(() => trainModel(data, { optimizer: { type: 'adam', lr: 0.01 }, lr: 0.02, runtime: rt }), ValueError, 'lr: given twice, as lr and as optimizer.lr; keep one');
    expectError(() => trainModel(data, { optimizer: { type: 'sgd', beta1: 0.5 } as never, runtime: rt }), ValueError, "optimizer.beta1: the 'sgd' optimizer does not take beta1");
    expectError(() => trainModel(data, { optimizer: { type: 'adam', beta2: 1 }, runtime: rt }), ValueError, 'optimizer.beta2: expected a number in [0, 1)');
    expectError(() => trainModel(data, { optimizer: { type: 'adamw' } as never, runtime: rt }), ValueError, 'optimizer.type: expected one of sgd, momentum, adam, got "adamw"');
    expectError(() => trainModel(data, { optimizer: { type: 'adam', lr: -1 }, runtime: rt }), ValueError, 'optimizer.lr: expected a finite number > 0');
  });

  it('refuses a monitored metric the task has no value for, before the split', () => {
    const data = blobs(60, 4);
    expectError(() => trainModel(data, { monitor: 'val_mae', runtime: rt }), ValueError, "monitor: 'val_mae' is a regression metric, got it with task 'multiclass'");
    const reg = makeDataset([[1], [2], [3], [4], [5], [6], [7], [8], [9], [10]], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { task: 'regression' });
    expectError(() => trainModel(reg, { monitor: 'val_accuracy', runtime: rt }), ValueError, "monitor: 'val_accuracy' is a classification metric");
  });

  it('says so when the metric asked for cannot be watched for want of a validation part', () => {
    const r = trainModel(blobs(60, 5), { monitor: 'val_accuracy', split: [0.8, 0, 0.2], epochs: 3, runtime: rt });
    expect(r.rows.validation).toBe(0);
    expect(r.warnings).toContain("monitor 'val_accuracy' needs a validation part, and this run has none: early stopping watched the training loss");
    r.network.dispose();
    const quiet = trainModel(blobs(60, 5), { split: [0.8, 0, 0.2], epochs: 3, runtime: rt });
    expect(quiet.warnings).toEqual([]);
    quiet.network.dispose();
  });

  it('a Trainer built the same way gives the same optimizer (the object form is the Trainer’s own)', () => {
    const net = new Network({ inputs: 3, layers: [{ units: 3, activation: 'softmax' }], seed: 1, runtime: rt });
    expect(() => new Trainer(net, { loss: 'cce', optimizer: { type: 'adam', lr: 0.01, beta2: 0.99 } })).not.toThrow();
    net.dispose();
  });
});
