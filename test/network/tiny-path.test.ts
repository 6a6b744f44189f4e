import { describe, expect, it } from 'vitest';
import { Network, Trainer, ValueError, type ActivationName } from '../../src/index.js';
import { runtimeFor } from '../support/backends.js';
import { values } from '../support/random-values.js';
import { TINY_CALLS_BEFORE_CODE } from '../../src/network/tiny/dispatch.js';

describe.each([
  ['wasm-simd', { simd: true }],
  ['wasm-scalar', { simd: false }],
  ['js', { backend: 'js' }],
] as const)('single-sample JS path on %s', (_name, options) => {
  const hidden: ActivationName[] = ['relu', 'leaky_relu', 'sigmoid', 'tanh', 'linear'];
  const outs: ActivationName[] = ['sigmoid', 'softmax', 'linear', 'tanh'];
  it.each(hidden.flatMap((h) => outs.map((o) => [h, o] as const)))(
    'hidden %s, output %s: the batch path of this backend and of the JS backend, within float32 rounding',
    async (h, o) => {
      const rt = await runtimeFor(options);
      const js = await runtimeFor({ backend: 'js' });
      // alpha only where it is used: any other layer refuses it
      const layers = [{ units: 7, activation: h, ...(h === 'leaky_relu' ? { alpha: 0.1 } : {}) }, { units: 6, activation: h }, { units: 3, activation: o }];
      const net = new Network({ inputs: 5, layers, seed: 3, runtime: rt });
      const ref = new Network({ inputs: 5, layers, seed: 3, runtime: js });
      // past TINY_CALLS_BEFORE_CODE: the JS loop first, then the generated code (on Wasm runtimes)
      for (let i = 0; i < TINY_CALLS_BEFORE_CODE + 30; i++) {
        const x = Array.from(values(5, i + 1), (v) => v * (i % 7) * 3);
        const single = net.predict(x);
        expect(Array.isArray(single)).toBe(true);
        // batch paths: two rows, so not the single-sample path
        const batch = net.predict([x, x])[1]!;
        const refBatch = ref.predict([x, x])[1]!;
        // inputs up to ±18 through linear layers: float32 rounding of sums of ~50
        single.forEach((v, j) => {
          expect(Math.abs(v - batch[j]!)).toBeLessThanOrEqual(3e-5 * (1 + Math.abs(v)));
          expect(Math.abs(v - refBatch[j]!)).toBeLessThanOrEqual(3e-5 * (1 + Math.abs(v)));
          // and it is a float32 value, as every prediction is
          expect(Math.fround(v)).toBe(v);
        });
      }
    },
  );

  it('sees new weights after setWeights and after training; rejects bad input like the batch path', async () => {
    const rt = await runtimeFor(options);
    const net = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], runtime: rt });
    const before = net.predict([0.5, 0.6])[0];
    net.setWeights([
      { W: [[0.82, 0.71, -0.45], [0.65, 0.89, 0.78]], b: [-0.5, -0.6, -0.3] },
      { W: [[0.85], [0.72], [-0.55]], b: [-0.2] },
    ]);
    expect(net.predict([0.5, 0.6])[0]).toBeCloseTo(0.5653933, 6);
    expect(net.predict([0.5, 0.6])[0]).not.toBe(before);
    const seen: number[] = [];
    new Trainer(net, { loss: 'bce', optimizer: { type: 'sgd', lr: 0.5 }, batchSize: 1 }).fit([[0.5, 0.6]], [[1]], {
      epochs: 3,
      onEpochEnd: () => { seen.push(net.predict([0.5, 0.6])[0]!); },
    });
    expect(seen[0]).toBeGreaterThan(0.5653933);
    expect(seen[2]).toBeGreaterThan(seen[0]!);
    expect(net.predict([0.5, 0.6])[0]).toBeCloseTo(net.predict([[0.5, 0.6]])[0]![0]!, 6);
    expect(net.predict(new Float32Array([0.5, 0.6]))).toBeInstanceOf(Float32Array);
    expect(() => net.predict([0.5, NaN])).toThrow(ValueError);
    expect(() => net.predict([0.5, NaN])).toThrow(/x: expected finite numbers, got 1 non-finite value \(first: NaN at row 0, column 1\)/);
    expect(() => net.predict(['a', 1] as unknown as number[])).toThrow(/x: expected a number at index 0, got "a"/);
  });
});
