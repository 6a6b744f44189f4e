// validationSplit: rows held out of the training rows — how many, which
// (stratified, seeded, never simply the last rows) — and a fit with it
// equals a fit on the same two parts given explicitly.
import { describe, expect, it } from 'vitest';
import { Network, Trainer, ValueError } from '../../src/index.js';
import { holdOut } from '../../src/training/validation-split.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectError } from '../support/expect-error.js';
import { values } from '../support/random-values.js';

/** Rows whose first input is the row number, so a held-out row can be told from its values. */
function numbered(rows: number, classes: readonly number[]) {
  const x = new Float32Array(rows * 2);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    x[2 * r] = r;
    x[2 * r + 1] = -r;
    y[r] = classes[r]!;
  }
  return { x, y, rows };
}

describe('holdOut', () => {
  it('holds out round(fraction · rows) rows, disjoint from the rest, each class within one row of its share', () => {
    // 95 / 5 imbalance, sorted by class: the last rows would be all class 1
    const classes = Array.from({ length: 200 }, (_, r) => (r < 190 ? 0 : 1));
    const data = numbered(200, classes);
    const { train, validation } = holdOut(data, 2, 1, 'bce', 0.2, 0);
    expect([train.rows, validation.rows]).toEqual([160, 40]);
    const ids = (p: typeof train) => Array.from({ length: p.rows }, (_, i) => p.x[2 * i]!);
    const all = [...ids(train), ...ids(validation)].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 200 }, (_, r) => r));
    const ones = Array.from(validation.y).filter((v) => v === 1).length;
    expect(ones).toBe(2); // 5 % of 40
    // targets travel with their rows
    ids(validation).forEach((id, i) => expect(validation.y[i]).toBe(classes[id]));
  });

  it('one-hot rows are stratified by their class; the same seed gives the same rows, another seed others', () => {
    const rows = 90;
    const x = new Float32Array(rows * 2).map((_, i) => Math.floor(i / 2));
    const y = new Float32Array(rows * 3);
    for (let r = 0; r < rows; r++) y[r * 3 + (r % 3)] = 1;
    const a = holdOut({ x, y, rows }, 2, 3, 'cce', 0.3, 5);
    const perClass = [0, 1, 2].map((c) => Array.from({ length: a.validation.rows }, (_, i) => a.validation.y[i * 3 + c]).filter((v) => v === 1).length);
    expect(perClass).toEqual([9, 9, 9]);
    expect(holdOut({ x, y, rows }, 2, 3, 'cce', 0.3, 5).validation.x).toEqual(a.validation.x);
    expect(holdOut({ x, y, rows }, 2, 3, 'cce', 0.3, 6).validation.x).not.toEqual(a.validation.x);
  });

  it('keeps at least one row on each side; refuses fractions outside (0, 1) and fewer than 2 rows', () => {
    const data = numbered(3, [0, 1, 0]);
    expect(holdOut(data, 2, 1, 'mse', 0.01, 0).validation.rows).toBe(1);
    expect(holdOut(data, 2, 1, 'mse', 0.99, 0).train.rows).toBe(1);
    expectError(() => holdOut(data, 2, 1, 'mse', 1, 0), ValueError, 'validationSplit: expected a number in (0, 1), got number 1');
    expectError(() => holdOut(data, 2, 1, 'mse', 0, 0), ValueError, 'validationSplit: expected a number in (0, 1), got number 0');
    expectError(() => holdOut(numbered(1, [0]), 2, 1, 'mse', 0.5, 0), ValueError, 'validationSplit: needs at least 2 rows');
  });
});

describe.each(BACKENDS)('fit with validationSplit on $name', ({ options }) => {
  it('equals a fit on the training part with the held-out part as validation data, bit for bit', async () => {
    const rt = await runtimeFor(options);
    const rows = 60;
    const v = values(rows * 2, 9);
    const y = Array.from({ length: rows }, (_, r) => r % 3);
    const make = () => new Network({ inputs: 2, layers: [{ units: 6, activation: 'relu' }, { units: 3, activation: 'softmax' }], seed: 2, runtime: rt });
    const a = make();
    const ha = new Trainer(a, { loss: 'cce', batchSize: 10, seed: 3 }).fit(v, y, { epochs: 4, validationSplit: 0.25 });
    expect(ha.valLoss).toHaveLength(4);
    const onehot = new Float32Array(rows * 3);
    y.forEach((c, r) => (onehot[r * 3 + c] = 1));
    const parts = holdOut({ x: v, y: onehot, rows }, 2, 3, 'cce', 0.25, 3);
    const b = make();
    const hb = new Trainer(b, { loss: 'cce', batchSize: 10, seed: 3 }).fit(parts.train.x, parts.train.y, { epochs: 4, validation: { x: parts.validation.x, y: parts.validation.y } });
    expect(ha.loss).toEqual(hb.loss);
    expect(ha.valLoss).toEqual(hb.valLoss);
    expect(ha.valAccuracy).toEqual(hb.valAccuracy);
    a.dispose();
    b.dispose();
  });

  it('refuses validation data and validationSplit together, and non-finite held-out rows', async () => {
    const rt = await runtimeFor(options);
    const net = new Network({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], runtime: rt });
    const x = [[0, 1], [1, 0], [1, 1], [0, 0]];
    const y = [1, 1, 0, 0];
    const t = new Trainer(net, { loss: 'bce' });
    expectError(() => t.fit(x, y, { validationSplit: 0.5, validation: { x, y } }), ValueError, 'validationSplit: expected either validation data or validationSplit, got both');
    expectError(() => t.fit([[0, 1], [1, NaN], [1, 1], [0, 0]], y, { validationSplit: 0.5 }), ValueError, 'x: expected finite numbers, got 1 non-finite value (first: NaN at row 1, column 1)');
    net.dispose();
  });
});
