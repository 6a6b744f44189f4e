// Labels out: predictProba and predictLabels against the network's own
// outputs (predict), computed independently here: [1 − p, p] for one sigmoid
// unit, the softmax outputs as they are, the decision rule of evaluate().
import { describe, expect, it } from 'vitest';
import { evaluate, Network, Scaler, StateError, type Runtime } from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectError } from '../support/expect-error.js';
import { values } from '../support/random-values.js';

const ROWS = 7;

function rows(seed: number, cols = 3): number[][] {
  const v = values(ROWS * cols, seed);
  return Array.from({ length: ROWS }, (_, r) => Array.from(v.subarray(r * cols, (r + 1) * cols), (a) => a * 3));
}

function binary(runtime: Runtime): Network {
  return new Network({ inputs: 3, layers: [{ units: 5, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }], seed: 7, runtime });
}

function multiclass(runtime: Runtime): Network {
  return new Network({ inputs: 3, layers: [{ units: 6, activation: 'relu' }, { units: 4, activation: 'softmax' }], seed: 8, runtime });
}

describe.each(BACKENDS)('labels and probabilities out on $name', ({ options }) => {
  it('one sigmoid unit: both columns [1 − p, p] per row, in every input form', async () => {
    const rt = await runtimeFor(options);
    const net = binary(rt);
    const x = rows(1);
    const p = net.predict(x).map((r) => r[0]!);
    const proba = net.predictProba(x);
    expect(proba).toHaveLength(ROWS);
    proba.forEach((row, r) => {
      expect(row[1]).toBe(p[r]);
      expect(row[0]).toBe(Math.fround(1 - p[r]!));
    });
    // one sample: a plain array of 2; row-major Float32Array: a Float32Array of rows × 2
    expect(net.predictProba(x[2]!)).toEqual(proba[2]);
    const flat = net.predictProba(Float32Array.from(x.flat()));
    expect(flat).toBeInstanceOf(Float32Array);
    expect(Array.from(flat)).toEqual(proba.flat());
    net.dispose();
  });

  it('softmax: the outputs as they are, k per row, summing to 1', async () => {
    const rt = await runtimeFor(options);
    const net = multiclass(rt);
    const x = rows(2);
    expect(net.predictProba(x)).toEqual(net.predict(x));
    for (const row of net.predictProba(x)) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    net.dispose();
  });

  it("labels: the network's classes by evaluate()'s rule, or '0', '1', … without classes; one per row", async () => {
    const rt = await runtimeFor(options);
    const net = multiclass(rt);
    const x = rows(3);
    const argmax = net.predict(x).map((r) => r.indexOf(Math.max(...r)));
    expect(net.predictLabels(x)).toEqual(argmax.map(String));
    net.classes = ['ant', 'bee', 'cat', 'dog'];
    expect(net.predictLabels(x)).toEqual(argmax.map((c) => net.classes![c]));
    expect(net.predictLabels(x[0]!)).toEqual([net.classes[argmax[0]!]]);
    // the same predictions as evaluate() makes
    const e = evaluate(net, { x, y: argmax });
    expect(Array.from(e.predictions)).toEqual(argmax);
    expect(e.accuracy).toBe(1);

    const bin = binary(rt);
    bin.classes = ['fail', 'pass'];
    const p = bin.predict(x).map((r) => r[0]!);
    expect(bin.predictLabels(x)).toEqual(p.map((v) => (v > 0.5 ? 'pass' : 'fail')));
    net.dispose();
    bin.dispose();
  });

  it('raw rows: the network scaler applies, as in predict', async () => {
    const rt = await runtimeFor(options);
    const net = binary(rt);
    const x = rows(4).map((r) => r.map((v) => v * 100 + 50));
    net.scaler = Scaler.fit(x, 'standard');
    const p = net.predict(x).map((r) => r[0]!);
    expect(net.predictProba(x).map((r) => r[1])).toEqual(p);
    net.dispose();
  });

  it('a network that is not a classifier is refused, naming its output layer', async () => {
    const rt = await runtimeFor(options);
    const reg = new Network({ inputs: 3, layers: [{ units: 2, activation: 'linear' }], runtime: rt });
    expectError(() => reg.predictProba(rows(5)), StateError, "predictProba: this network is not a classifier (its output layer is 2 'linear' units", 'use predict');
    expectError(() => reg.predictLabels(rows(5)), StateError, 'predictLabels: this network is not a classifier');
    const multiLabel = new Network({ inputs: 3, layers: [{ units: 2, activation: 'sigmoid' }], runtime: rt });
    expectError(() => multiLabel.predictLabels(rows(5)), StateError, "2 'sigmoid' units");
    reg.dispose();
    multiLabel.dispose();
  });
});
