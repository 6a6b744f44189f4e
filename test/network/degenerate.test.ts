import { describe, expect, it } from 'vitest';
import { Network, Trainer, ValueError } from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';

describe.each(BACKENDS)('degenerate sizes and hostile inputs on $name', ({ options }) => {
  it('one feature, one unit, a batch of one: trains and predicts', async () => {
    const rt = await runtimeFor(options);
    const net = new Network({ inputs: 1, layers: [{ units: 1, activation: 'sigmoid' }], runtime: rt });
    net.setWeights([{ W: [[0]], b: [0] }]);
    expect(net.predict([3])[0]).toBe(0.5);
    const h = new Trainer(net, { loss: 'bce', optimizer: { type: 'sgd', lr: 1 }, batchSize: 1 }).fit([[1], [-1]], [1, 0], { epochs: 50 });
    expect(h.loss[49]).toBeLessThan(h.loss[0]!);
    expect(net.predict([1])[0]).toBeGreaterThan(0.8);
    expect(net.predict([-1])[0]).toBeLessThan(0.2);
  });

  it('a wide layer over one input and a batch of one row match the float64 result', async () => {
    const rt = await runtimeFor(options);
    const net = new Network({ inputs: 1, layers: [{ units: 37, activation: 'linear' }], runtime: rt });
    const W = [Array.from({ length: 37 }, (_, j) => (j - 18) / 7)];
    const b = Array.from({ length: 37 }, (_, j) => j / 100);
    net.setWeights([{ W, b }]);
    const out = net.predict([[0.3]])[0]!;
    out.forEach((v, j) => expect(Math.abs(v - (0.3 * W[0]![j]! + b[j]!))).toBeLessThan(1e-6));
  });

  it.each([0x7fc00000, 0xffc00000, 0x7f800000, 0xff800000])('x holding the bits 0x%s is rejected with the count and first cell', async (bits) => {
    const rt = await runtimeFor(options);
    const net = new Network({ inputs: 3, layers: [{ units: 2, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], runtime: rt });
    const x = new Float32Array(9).fill(0.5);
    new Uint32Array(x.buffer)[4] = bits;
    new Uint32Array(x.buffer)[8] = bits;
    expect(() => net.predict(x)).toThrow(ValueError);
    expect(() => net.predict(x)).toThrow(/x: expected finite numbers, got 2 non-finite values \(first: (NaN|-?Infinity) at row 1, column 1\)/);
    const y = new Float32Array(3).fill(1);
    new Uint32Array(y.buffer)[2] = bits;
    expect(() => new Trainer(net, { loss: 'bce' }).fit(new Float32Array(9), y)).toThrow(/y: expected finite numbers, got 1 non-finite value \(first: (NaN|-?Infinity) at row 2, column 0\)/);
  });
});
