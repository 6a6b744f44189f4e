// Training a 784-128-64-10 MLP (ReLU, ReLU, softmax + categorical
// cross-entropy, Adam lr 1e-3, batch 128) on synthetic data, in samples/s.
// simdnet: Trainer.fit on each backend. TensorFlow.js: tfjs-core ops, the
// same network, optimizer.minimize per batch, batch tensors made once.
import { measure, pairedSpeedup, stats } from './timing.mjs';
import { tf, withTf } from './tfjs.mjs';
import { values } from './gemm.mjs';

const SIZES = [784, 128, 64, 10];
const BATCH = 128;
const ADAM = { lr: 0.001, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

function dataset(lib, rows) {
  const x = values(lib, rows * SIZES[0], 3).map((v) => (v + 1) / 2);
  // labels from a fixed random projection, so the task is learnable
  const P = values(lib, SIZES[0] * 10, 4);
  const y = new Float32Array(rows * 10);
  for (let r = 0; r < rows; r++) {
    let best = 0, arg = 0;
    for (let c = 0; c < 10; c++) {
      let s = 0;
      for (let i = 0; i < SIZES[0]; i++) s += x[r * SIZES[0] + i] * P[i * 10 + c];
      if (c === 0 || s > best) (best = s), (arg = c);
    }
    y[r * 10 + arg] = 1;
  }
  return { x, y, rows };
}

function simdnetContender(lib, runtime, data, weights) {
  const net = new lib.Network({
    inputs: SIZES[0],
    layers: [{ units: 128, activation: 'relu' }, { units: 64, activation: 'relu' }, { units: 10, activation: 'softmax' }],
    seed: 1,
    runtime,
  });
  net.setWeights(weights);
  const trainer = new lib.Trainer(net, { loss: 'cce', optimizer: { type: 'adam', ...ADAM }, batchSize: BATCH, shuffle: false });
  return {
    firstEpoch: () => trainer.fit(data.x, data.y, { epochs: 1 }).loss[0],
    run: (reps) => trainer.fit(data.x, data.y, { epochs: reps }),
    net,
  };
}

function tfContender(backend, data, weights) {
  return withTf(backend, () => {
    const vars = [];
    for (const { W, b } of weights) {
      vars.push(tf.variable(tf.tensor2d(W, [W.length / b.length, b.length])), tf.variable(tf.tensor1d(b)));
    }
    const opt = tf.train.adam(ADAM.lr, ADAM.beta1, ADAM.beta2, ADAM.eps);
    const batches = [];
    for (let s = 0; s < data.rows; s += BATCH) {
      const n = Math.min(BATCH, data.rows - s);
      batches.push([tf.tensor2d(data.x.subarray(s * SIZES[0], (s + n) * SIZES[0]), [n, SIZES[0]]), tf.tensor2d(data.y.subarray(s * 10, (s + n) * 10), [n, 10]), n]);
    }
    const model = (x) => {
      let h = x;
      for (let l = 0; l < 3; l++) {
        h = tf.add(tf.matMul(h, vars[2 * l]), vars[2 * l + 1]);
        if (l < 2) h = tf.relu(h);
      }
      return h;
    };
    const epoch = () => {
      let sum = 0;
      for (const [x, y, n] of batches) {
        const loss = opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model(x)), true, vars);
        sum += loss.dataSync()[0] * n;
        loss.dispose();
      }
      return sum / data.rows;
    };
    return {
      firstEpoch: () => withTf(backend, epoch),
      run: (reps) => withTf(backend, () => { for (let r = 0; r < reps; r++) epoch(); }),
    };
  });
}

export function benchMlp({ lib, runtimes, quick, rounds, targetMs, log }) {
  const data = dataset(lib, quick ? 512 : 2048);
  // initial weights: the simdnet seed's, shared by every contender
  const init = new lib.Network({ inputs: 784, layers: [{ units: 128, activation: 'relu' }, { units: 64, activation: 'relu' }, { units: 10, activation: 'softmax' }], seed: 1, runtime: runtimes.js });
  const weights = init.getWeights({ flat: true });
  init.dispose();
  const contenders = {};
  for (const [name, rt] of Object.entries(runtimes)) contenders[name] = simdnetContender(lib, rt, data, weights);
  contenders['tfjs-wasm'] = tfContender('wasm', data, weights);
  contenders['tfjs-cpu'] = tfContender('cpu', data, weights);
  // correctness: the first epoch from the same weights gives the same mean loss everywhere
  const losses = Object.fromEntries(Object.entries(contenders).map(([n, c]) => [n, c.firstEpoch()]));
  const ref = losses.js;
  for (const [name, l] of Object.entries(losses)) {
    if (!(Math.abs(l - ref) <= 1e-3 * Math.abs(ref))) {
      throw new Error(`bench: MLP training: the first epoch's mean loss is ${l} on ${name}, ${ref} on the pure-JS backend`);
    }
  }
  log(`mlp first-epoch loss: ${Object.entries(losses).map(([n, l]) => `${n} ${l.toFixed(6)}`).join(', ')}`);
  const m = measure(
    Object.entries(contenders).map(([name, c]) => ({ name, run: c.run })),
    // a sample is one fit() of several epochs (about 200 ms), as training is used;
    // fit's per-call cost (copying and checking the rows) is under a millisecond here
    { rounds, targetMs: Math.max(targetMs * 8, 200), slowMs: 1e9, collect: true },
  );
  const results = [];
  for (const [name, r] of Object.entries(m)) {
    const s = stats(r.samples.map((ms) => data.rows / (ms / 1000)));
    results.push({ group: 'mlp', workload: 'train 784-128-64-10, batch 128, Adam', contender: name, unit: 'samples/s', higherIsBetter: true, ...s, vsTfjsWasm: pairedSpeedup(r, m['tfjs-wasm']) });
  }
  log(`mlp: ${results.map((r) => `${r.contender} ${r.median.toFixed(0)}`).join(', ')}`);
  for (const c of Object.values(contenders)) c.net?.dispose();
  return results;
}
