import { describe, expect, it } from 'vitest';
import { Network, Trainer, type Runtime } from '../src/index.js';
import { BACKENDS, runtimeFor } from './support/backends.js';
import { expectClose } from './support/close.js';
import { goldenCases, type GoldenCase } from './support/golden.js';

const cases = goldenCases();

function build(c: GoldenCase, runtime: Runtime): Network {
  const net = new Network({
    inputs: c.layers[0]!.inputs,
    layers: c.layers.map((l) => ({ units: l.outputs, activation: l.activation, alpha: l.alpha })),
    runtime,
  });
  net.setWeights(c.params);
  return net;
}

describe.each(BACKENDS)('golden vectors on $name', ({ options }) => {
  it('has all eight cases', () => {
    expect(cases.map((c) => c.name)).toContain('seed_inference');
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const tol = c.tolerance.float32;

    it('forward output, loss and gradients (trace)', async () => {
      const net = build(c, await runtimeFor(options));
      expectClose(net.predict(c.x), c.expected.output, tol.output, 'predict');
      const t = net.trace(c.x, c.y, { loss: c.loss });
      expectClose(t.output, c.expected.output, tol.output, 'output');
      expectClose(t.loss, c.expected.loss, tol.loss, 'loss');
      c.expected.layer_outputs.forEach((lo, i) => {
        expectClose(t.layers[i]!.z, lo.z, tol.output, `layer ${i} z`);
        expectClose(t.layers[i]!.a, lo.a, tol.output, `layer ${i} a`);
      });
      c.expected.grads.forEach((g, i) => {
        expectClose(t.layers[i]!.dW, g.W, tol.grads, `layer ${i} dW`);
        expectClose(t.layers[i]!.db, g.b, tol.grads, `layer ${i} db`);
      });
      // trace does not change the weights
      expectClose(net.getWeights(), c.params, { atol: 0, rtol: 1e-7 }, 'weights after trace');
    });

    it.each(['sgd', 'momentum', 'adam'] as const)('%s steps (fit, full batch)', async (type) => {
      const step = c.expected.steps[type];
      const net = build(c, await runtimeFor(options));
      const trainer = new Trainer(net, {
        loss: c.loss,
        optimizer: { type, lr: step.lr, momentum: step.momentum, beta1: step.beta1, beta2: step.beta2, eps: step.eps },
        batchSize: c.x.length,
        shuffle: false,
      });
      const history = trainer.fit(c.x, c.y, { epochs: step.k });
      expectClose(history.loss, step.losses, tol.loss, `${type} losses`);
      const w = net.getWeights();
      step.params.forEach((p, i) => {
        expectClose(w[i]!.W, p.W, tol.params, `${type} layer ${i} W`);
        expectClose(w[i]!.b, p.b, tol.params, `${type} layer ${i} b`);
      });
      expectClose(net.trace(c.x, c.y, { loss: c.loss }).loss, step.final_loss, tol.loss, `${type} final loss`);
    });
  });
});
