// Labels in: fit (and evaluate) take class labels — strings, or numbers with
// `labels: true` — and train exactly as on the class indices they stand for.
import { describe, expect, it } from 'vitest';
import { evaluate, Network, ShapeError, Trainer, ValueError, type Runtime } from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectError } from '../support/expect-error.js';
import { values } from '../support/random-values.js';

const ROWS = 24;

function xs(seed: number): number[][] {
  const v = values(ROWS * 2, seed);
  return Array.from({ length: ROWS }, (_, r) => [v[2 * r]!, v[2 * r + 1]!]);
}

function softmaxNet(runtime: Runtime, classes = 3): Network {
  return new Network({ inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: classes, activation: 'softmax' }], seed: 4, runtime });
}

function sigmoidNet(runtime: Runtime): Network {
  return new Network({ inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 4, runtime });
}

const weights = (n: Network) => n.getWeights({ flat: true }).flatMap((l) => [...l.W, ...l.b]);

describe.each(BACKENDS)('labels in on $name', ({ options }) => {
  it('string labels: classes set in code-unit order, training identical to class indices in that order', async () => {
    const rt = await runtimeFor(options);
    const x = xs(1);
    const names = ['dog', 'Cat', 'émeu'];
    const labels = x.map((_, r) => names[r % 3]!);
    const a = softmaxNet(rt);
    const ha = new Trainer(a, { loss: 'cce', optimizer: { type: 'sgd', lr: 0.1 }, batchSize: 8 }).fit(x, labels, { epochs: 5 });
    // code-unit order: 'C' (0x43) < 'd' (0x64) < 'é' (0xe9), never the locale's
    expect(a.classes).toEqual(['Cat', 'dog', 'émeu']);
    const b = softmaxNet(rt);
    const indices = labels.map((l) => ['Cat', 'dog', 'émeu'].indexOf(l));
    const hb = new Trainer(b, { loss: 'cce', optimizer: { type: 'sgd', lr: 0.1 }, batchSize: 8 }).fit(x, indices, { epochs: 5 });
    expect(ha.loss).toEqual(hb.loss);
    expect(weights(a)).toEqual(weights(b));
    // and back out: labels, and evaluate on labels
    expect(evaluate(a, { x, y: labels }).accuracy).toBe(evaluate(b, { x, y: indices }).accuracy);
    expect(a.predictLabels(x)).toEqual(b.predictLabels(x).map((c) => a.classes![Number(c)]));
    a.dispose();
    b.dispose();
  });

  it('numeric labels with labels: true: classes in numeric order named String(v); the network keeps them', async () => {
    const rt = await runtimeFor(options);
    const x = xs(2);
    const labels = x.map((_, r) => [10, 2, 7][r % 3]!);
    const net = softmaxNet(rt);
    const trainer = new Trainer(net, { loss: 'cce', batchSize: 8 });
    trainer.fit(x, labels, { epochs: 2, labels: true });
    expect(net.classes).toEqual(['2', '7', '10']);
    // later fits and evaluate map through the classes the network has
    trainer.fit(x, labels, { epochs: 1, labels: true, validation: { x, y: labels } });
    const e = evaluate(net, { x, y: labels }, { labels: true });
    expect(e.support).toBe(ROWS);
    expect(e.classes).toEqual(['2', '7', '10']);
    // without labels: true, numbers stay class indices (10 is out of range)
    expectError(() => trainer.fit(x, labels, { epochs: 1 }), ValueError, 'y: expected class indices, integers from 0 to 2, got number 10 at row 0');
    net.dispose();
  });

  it('one sigmoid unit: two labels, the second in order is class 1', async () => {
    const rt = await runtimeFor(options);
    const x = xs(3);
    const labels = x.map((r) => (r[0]! > 0 ? 'yes' : 'no'));
    const a = sigmoidNet(rt);
    new Trainer(a, { loss: 'bce', batchSize: 6 }).fit(x, labels, { epochs: 3 });
    expect(a.classes).toEqual(['no', 'yes']);
    const b = sigmoidNet(rt);
    new Trainer(b, { loss: 'bce', batchSize: 6 }).fit(x, labels.map((l) => (l === 'yes' ? 1 : 0)), { epochs: 3 });
    expect(weights(a)).toEqual(weights(b));
    a.dispose();
    b.dispose();
  });

  it('a network with classes maps labels through them, also when a batch holds fewer classes', async () => {
    const rt = await runtimeFor(options);
    const net = softmaxNet(rt);
    net.classes = ['z', 'y', 'x'];
    const x = xs(4);
    const labels = x.map((_, r) => (r % 2 ? 'x' : 'z'));
    const h = new Trainer(net, { loss: 'cce', optimizer: { type: 'sgd', lr: 0.1 }, batchSize: 8 }).fit(x, labels, { epochs: 2 });
    const ref = softmaxNet(rt);
    const h2 = new Trainer(ref, { loss: 'cce', optimizer: { type: 'sgd', lr: 0.1 }, batchSize: 8 }).fit(x, labels.map((l) => (l === 'x' ? 2 : 0)), { epochs: 2 });
    expect(h.loss).toEqual(h2.loss);
    expect(net.classes).toEqual(['z', 'y', 'x']);
    net.dispose();
    ref.dispose();
  });

  it('bad labels are refused before any step, naming the row; a failed fit sets no classes', async () => {
    const rt = await runtimeFor(options);
    const x = xs(5);
    const net = softmaxNet(rt);
    const before = weights(net);
    const trainer = new Trainer(net, { loss: 'cce' });
    const two = x.map((_, r) => (r % 2 ? 'a' : 'b'));
    expectError(() => trainer.fit(x, two), ValueError, 'y: expected labels of 3 classes (the output layer\'s), got 2 distinct labels ("a", "b")', 'set net.classes first');
    const mixed: unknown[] = x.map((_, r) => (r === 3 ? 3 : 'a'));
    expectError(() => trainer.fit(x, mixed as string[]), ValueError, 'y: expected class labels that are all strings (as row 0 is), got number 3 at row 3');
    expectError(() => trainer.fit(x, ['a', 'b', 'c']), ShapeError, 'y: expected 24 class labels (one per row of x), got 3');
    const three = x.map((_, r) => ['a', 'b', 'c'][r % 3]!);
    // the validation labels fail after the training labels were read: still no classes, no step
    expectError(
      () => trainer.fit(x, three, { validation: { x, y: three.map((l) => (l === 'c' ? 'd' : l)) } }),
      ValueError, 'validation.y: expected one of the network\'s classes ("a", "b", "c"), got "d" at row 2',
    );
    expect(net.classes).toBeNull();
    expect(weights(net)).toEqual(before);
    net.classes = ['a', 'b', 'c'];
    expectError(() => trainer.fit(x, x.map(() => 'q')), ValueError, 'y: expected one of the network\'s classes ("a", "b", "c"), got "q" at row 0');
    const reg = new Network({ inputs: 2, layers: [{ units: 1, activation: 'linear' }], runtime: rt });
    expectError(() => new Trainer(reg, { loss: 'mse' }).fit(x, three), ValueError, "y: class labels need a classifier (a softmax output layer, or one sigmoid unit), got an output layer of 1 'linear' unit");
    expectError(() => evaluate(softmaxNet(rt), { x, y: three }), ValueError, 'data.y: class labels are mapped through net.classes, but this network has none');
    net.dispose();
    reg.dispose();
  });
});
