import { describe, expect, it } from 'vitest';
import { Network, type ActivationName, type LossName } from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { refGradients, refLoss, type RefLayer } from '../support/reference.js';
import { values } from '../support/random-values.js';

const HIDDEN: ActivationName[] = ['relu', 'leaky_relu', 'sigmoid', 'tanh', 'linear'];
const HEADS: Array<[ActivationName, LossName]> = [
  ['sigmoid', 'bce'],
  ['softmax', 'cce'],
  ['linear', 'mse'],
  ['tanh', 'mse'],
  ['sigmoid', 'mse'],
  ['relu', 'mse'],
];

describe.each(BACKENDS)('finite-difference gradient check on $name', ({ options }) => {
  const cases = HIDDEN.flatMap((h) => HEADS.map(([o, l]) => [h, o, l] as const));
  it.each(cases)('hidden %s, output %s, loss %s', async (hidden, output, loss) => {
    const runtime = await runtimeFor(options);
    const sizes = [4, 6, 5, 3];
    const net = new Network({
      inputs: sizes[0]!,
      layers: [
        // alpha only where it is used: other layers refuse it
        { units: sizes[1]!, activation: hidden, ...(hidden === 'leaky_relu' ? { alpha: 0.05 } : {}) },
        { units: sizes[2]!, activation: hidden, ...(hidden === 'leaky_relu' ? { alpha: 0.05 } : {}) },
        { units: sizes[3]!, activation: output },
      ],
      seed: 7,
      runtime,
    });
    // biases away from 0 so relu units are on and off in a mix, and no pre-activation sits at a kink
    const w = net.getWeights();
    w.forEach((l, i) => { l.b = l.b.map((_, j) => values(1, i * 10 + j + 1)[0]! * 0.5); });
    net.setWeights(w);
    const rows = 6;
    const xv = values(rows * sizes[0]!, 99);
    const x = Array.from({ length: rows }, (_, r) => Array.from(xv.subarray(r * 4, r * 4 + 4)));
    const y = Array.from({ length: rows }, (_, r) =>
      Array.from({ length: 3 }, (_, c) =>
        loss === 'cce' ? (c === r % 3 ? 1 : 0) : loss === 'bce' ? (r + c) % 2 : values(1, r * 3 + c + 5)[0]!,
      ),
    );
    const t = net.trace(x, y, { loss });
    for (const l of t.layers) for (const row of l.z) for (const z of row) if (hidden.includes('relu')) expect(Math.abs(z)).toBeGreaterThan(1e-4);

    const ref: RefLayer[] = net.getWeights().map((l, i) => ({
      W: l.W, b: l.b, activation: net.layers[i]!.activation, alpha: net.layers[i]!.alpha,
    }));
    expect(Math.abs(t.loss - refLoss(ref, x, y, loss))).toBeLessThan(1e-5 * (1 + Math.abs(t.loss)));
    const g = refGradients(ref, x, y, loss);
    let maxErr = 0;
    g.forEach((gl, i) => {
      const check = (a: number, e: number) => {
        const err = Math.abs(a - e) / (1e-4 + Math.abs(e));
        maxErr = Math.max(maxErr, Math.abs(a - e) - 1e-3 * Math.abs(e));
        expect(err < 1e-2 || Math.abs(a - e) < 2e-5, `layer ${i}: analytic ${a} vs finite difference ${e}`).toBe(true);
      };
      gl.W.forEach((row, r) => row.forEach((e, c) => check(t.layers[i]!.dW[r]![c]!, e)));
      gl.b.forEach((e, c) => check(t.layers[i]!.db[c]!, e));
    });
    expect(maxErr).toBeLessThan(2e-5);
  });
});
