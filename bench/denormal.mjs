// Denormal inputs (the reliability battery's row 18): training on inputs of
// about 1e-40, which stay subnormal through the first layer's products, against
// the same training on ordinary inputs, on every simdnet backend. The bar:
// no more than about 3× slower.
import { measure, pairedSpeedup, stats } from './timing.mjs';

const ROWS = 512, INPUTS = 64, HIDDEN = 128;

function inputs(scale) {
  const x = new Float32Array(ROWS * INPUTS);
  for (let i = 0; i < x.length; i++) x[i] = (((i * 7919) % 1000) / 1000 - 0.5) * scale;
  return x;
}

export function benchDenormal({ lib, runtimes, rounds, targetMs, log }) {
  const y = Float32Array.from({ length: ROWS }, (_, i) => i % 2);
  const normal = inputs(1);
  const tiny = inputs(1e-40);
  if (!tiny.some((v) => v !== 0 && Math.abs(v) < 1.1754943508222875e-38)) throw new Error('bench: denormal inputs are not subnormal');
  const contenders = [];
  for (const [name, runtime] of Object.entries(runtimes)) {
    for (const [kind, x] of [['normal', normal], ['denormal', tiny]]) {
      const net = new lib.Network({ inputs: INPUTS, layers: [{ units: HIDDEN, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 1, runtime });
      const trainer = new lib.Trainer(net, { loss: 'bce', optimizer: 'sgd', batchSize: 64, shuffle: false });
      contenders.push({ name: `${name} ${kind}`, run: (reps) => trainer.fit(x, y, { epochs: reps }) });
    }
  }
  const m = measure(contenders, { rounds, targetMs });
  const results = [];
  for (const name of Object.keys(runtimes)) {
    const a = m[`${name} normal`], b = m[`${name} denormal`];
    const slowdown = pairedSpeedup(a, b);
    results.push({ group: 'denormal', workload: `train ${INPUTS}-${HIDDEN}-1, ${ROWS} rows, one epoch`, contender: name, unit: 'ms', higherIsBetter: false, ...stats(b.samples), normal: stats(a.samples).median, slowdown });
  }
  log(`denormal: ${results.map((r) => `${r.contender} ×${r.slowdown.toFixed(2)}`).join(', ')}`);
  return results;
}
