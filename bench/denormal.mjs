// Subnormal numbers (tiny values that some CPUs process far more slowly), on every simdnet
// backend, each against the same work on ordinary numbers. The bar: no more
// than about 3× slower.
//  - inputs of about 1e-40, which stay subnormal through the first layer's
//    products (SGD, so only the forward and backward passes see them);
//  - Adam's moments decaying past 2^-126: after a warm-up on all 64 inputs,
//    training continues with inputs 16..63 zero, so those weights' gradients
//    are exactly 0 and their moments shrink by β each step; after ~900 steps
//    they would be subnormal for good (β·x rounds back up to the smallest
//    subnormal) if the kernels stored them so.
import { measure, pairedSpeedup, stats } from './timing.mjs';

const ROWS = 512, INPUTS = 64, HIDDEN = 128, LIVE_INPUTS = 16;
// steps on the sparse rows before timing: enough for every moment to cross 2^-126 (0.9^900 ≈ 1e-41)
const DECAY_EPOCHS = 130;

function inputs(scale, live = INPUTS) {
  const x = new Float32Array(ROWS * INPUTS);
  for (let i = 0; i < x.length; i++) x[i] = i % INPUTS < live ? (((i * 7919) % 1000) / 1000 - 0.5) * scale : 0;
  return x;
}

const subnormal = (v) => v !== 0 && Math.abs(v) < 1.1754943508222875e-38;

export function benchDenormal({ lib, runtimes, rounds, targetMs, log }) {
  const y = Float32Array.from({ length: ROWS }, (_, i) => i % 2);
  const normal = inputs(1);
  const tiny = inputs(1e-40);
  const sparse = inputs(1, LIVE_INPUTS);
  if (!tiny.some(subnormal)) throw new Error('bench: denormal inputs are not subnormal');
  const workloads = [
    { key: 'inputs', workload: `subnormal inputs (~1e-40) vs ordinary, SGD: train ${INPUTS}-${HIDDEN}-1, ${ROWS} rows, one epoch`, optimizer: 'sgd', data: { subnormal: tiny, ordinary: normal } },
    { key: 'adam', workload: `Adam with ${INPUTS - LIVE_INPUTS} of ${INPUTS} inputs zero after ${DECAY_EPOCHS * ROWS / 64} steps (moments decaying past 2^-126) vs all inputs live: train ${INPUTS}-${HIDDEN}-1, ${ROWS} rows, one epoch`, optimizer: 'adam', data: { subnormal: sparse, ordinary: normal } },
  ];
  const contenders = [];
  for (const w of workloads) {
    for (const [name, runtime] of Object.entries(runtimes)) {
      for (const [kind, x] of Object.entries(w.data)) {
        const net = new lib.Network({ inputs: INPUTS, layers: [{ units: HIDDEN, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 1, runtime });
        const trainer = new lib.Trainer(net, { loss: 'bce', optimizer: w.optimizer, batchSize: 64, shuffle: false });
        if (w.key === 'adam') {
          trainer.fit(normal, y, { epochs: 1 });
          const h = trainer.fit(x, y, { epochs: DECAY_EPOCHS });
          if (!h.loss.every(Number.isFinite)) throw new Error(`bench: Adam warm-up on ${name} gave a non-finite loss`);
        }
        contenders.push({ name: `${w.key} ${name} ${kind}`, run: (reps) => trainer.fit(x, y, { epochs: reps }) });
      }
    }
  }
  const m = measure(contenders, { rounds, targetMs });
  const results = [];
  for (const w of workloads) {
    for (const name of Object.keys(runtimes)) {
      const a = m[`${w.key} ${name} ordinary`], b = m[`${w.key} ${name} subnormal`];
      results.push({ group: 'denormal', workload: w.workload, contender: name, unit: 'ms', higherIsBetter: false, ...stats(b.samples), normal: stats(a.samples).median, slowdown: pairedSpeedup(a, b) });
    }
  }
  log(`denormal: ${results.map((r) => `${r.workload.split(':')[0]} ${r.contender} ×${r.slowdown.toFixed(2)}`).join(', ')}`);
  return results;
}
