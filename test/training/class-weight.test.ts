import { describe, expect, it } from 'vitest';
import { makeDataset, Network, Trainer, trainModel, ValueError } from '../../src/index.js';
import { balancedClassWeights } from '../../src/training/resolve-options.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectError } from '../support/expect-error.js';
import { Random } from '../../src/random.js';

// Class weights: the kernels' weighted loss is checked against float64 in
// test/kernels/f32-loss.test.ts; here, what the Trainer and the pipeline do with them.

function blobs(rows: number, minority: number, seed: number): { x: number[][]; y: number[] } {
  const rng = new Random(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < rows; i++) {
    const c = i < minority ? 1 : 0;
    x.push([rng.nextFloat() + (c ? 0.6 : 0), rng.nextFloat() + (c ? 0.6 : 0)]);
    y.push(c);
  }
  return { x, y };
}

describe('balanced class weights', () => {
  it('are n / (k · count), as scikit-learn computes them; a class without rows gets 0', () => {
    const y = Float32Array.from([0, 0, 0, 1]);
    expect(Array.from(balancedClassWeights(y, 4, 1))).toEqual([Math.fround(4 / 6), 2]);
    const oneHot = Float32Array.from([1, 0, 0, 0, 1, 0, 1, 0, 0]);
    expect(Array.from(balancedClassWeights(oneHot, 3, 3))).toEqual([Math.fround(3 / 6), 1, 0]);
  });
});

describe.each(BACKENDS)('class weights in training on $name', ({ options }) => {
  it('weights [2, 2] with SGD at lr are the unweighted run at 2·lr, bit for bit (the weight scales loss and gradient)', async () => {
    const rt = await runtimeFor(options);
    const { x, y } = blobs(24, 6, 1);
    const make = () => new Network({ inputs: 2, layers: [{ units: 5, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 3, runtime: rt });
    const a = make();
    const b = make();
    const ha = new Trainer(a, { loss: 'bce', optimizer: { type: 'sgd', lr: 0.1 }, batchSize: 8, classWeight: [2, 2] }).fit(x, y.map((v) => [v]), { epochs: 3 });
    const hb = new Trainer(b, { loss: 'bce', optimizer: { type: 'sgd', lr: 0.2 }, batchSize: 8 }).fit(x, y.map((v) => [v]), { epochs: 3 });
    expect(a.getWeights()).toEqual(b.getWeights());
    ha.loss.forEach((l, i) => expect(l).toBeCloseTo(2 * hb.loss[i]!, 5));
    const c = new Network({ inputs: 2, layers: [{ units: 3, activation: 'softmax' }], seed: 3, runtime: rt });
    const d = new Network({ inputs: 2, layers: [{ units: 3, activation: 'softmax' }], seed: 3, runtime: rt });
    const labels = y.map((v, i) => (v === 1 ? 2 : i % 2));
    new Trainer(c, { loss: 'cce', optimizer: { type: 'sgd', lr: 0.1 }, classWeight: [2, 2, 2] }).fit(x, labels, { epochs: 2 });
    new Trainer(d, { loss: 'cce', optimizer: { type: 'sgd', lr: 0.2 } }).fit(x, labels, { epochs: 2 });
    expect(c.getWeights()).toEqual(d.getWeights());
  });

  it("'balanced' raises the minority class's recall; validation loss stays unweighted", async () => {
    const rt = await runtimeFor(options);
    const { x, y } = blobs(200, 16, 2);
    const recall = (classWeight?: 'balanced') => {
      const net = new Network({ inputs: 2, layers: [{ units: 8, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 5, runtime: rt });
      const h = new Trainer(net, { loss: 'bce', optimizer: { type: 'adam', lr: 0.02 }, ...(classWeight ? { classWeight } : {}) })
        .fit(x, y.map((v) => [v]), { epochs: 30, validation: { x, y: y.map((v) => [v]) } });
      const p = net.predict(x) as number[][];
      const hits = y.filter((v, i) => v === 1 && p[i]![0]! > 0.5).length;
      net.dispose();
      return { recall: hits / 16, valLoss: h.valLoss[h.valLoss.length - 1]! };
    };
    const plain = recall();
    const balanced = recall('balanced');
    expect(balanced.recall).toBeGreaterThan(plain.recall);
    // unweighted validation loss: the balanced model trades a little of it for the minority
    expect(balanced.valLoss).toBeGreaterThan(plain.valLoss);
  });

  it('refuses weights where they mean nothing', async () => {
    const rt = await runtimeFor(options);
    const reg = new Network({ inputs: 2, layers: [{ units: 1 }], runtime: rt });
    expectError(() => new Trainer(reg, { loss: 'mse', classWeight: 'balanced' }), ValueError, "classWeight: weights classes of a classification loss (bce, cce), got it with loss 'mse'");
    const cls = new Network({ inputs: 2, layers: [{ units: 3, activation: 'softmax' }], runtime: rt });
    expectError(() => new Trainer(cls, { loss: 'cce', classWeight: [1, 2] }), ValueError, "classWeight: expected 'balanced' or 3 weights (one per class of the output layer)");
    expectError(() => new Trainer(cls, { loss: 'cce', classWeight: [1, -2, 1] }), ValueError, 'classWeight[1]: expected a finite number ≥ 0, got number -2');
    const ds = makeDataset([[0], [1], [2], [3]], [0.5, 1, 2, 3], { task: 'regression' });
    expectError(() => trainModel(ds, { classWeight: 'balanced', runtime: rt }), ValueError, "classWeight: weights the classes of a classification task");
  });
});
