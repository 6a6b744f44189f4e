// The worked example's 2-3-1 network (ReLU hidden layer, sigmoid output): one
// single-sample prediction (µs), and 1000 full-batch gradient-descent epochs
// (BCE, SGD lr 0.5) on 6 rows (ms), against a hand-written JS function for each.
import { measure, pairedSpeedup, stats } from './timing.mjs';
import { tf, withTf } from './tfjs.mjs';

export const ARTICLE = [
  { W: [[0.82, 0.71, -0.45], [0.65, 0.89, 0.78]], b: [-0.5, -0.6, -0.3] },
  { W: [[0.85], [0.72], [-0.55]], b: [-0.2] },
];
const X = [0.5, 0.6];
const EXPECTED = 0.56539;
const ROWS = [[0.5, 0.6], [0.9, 0.8], [0.1, 0.2], [0.3, 0.9], [0.8, 0.3], [0.2, 0.1]];
const LABELS = [1, 1, 0, 1, 0, 0];
const EPOCHS = 1000;
export const PREDICT_INTO = '2-3-1 predictInto, one sample, Float32Array in and out';
const LR = 0.5;

/** The hand-written forward pass: every weight a local, no arrays. */
function handPredictor() {
  const [l1, l2] = ARTICLE;
  const [w00, w01, w02] = l1.W[0], [w10, w11, w12] = l1.W[1];
  const [b0, b1, b2] = l1.b;
  const [v0] = l2.W[0], [v1] = l2.W[1], [v2] = l2.W[2];
  const [c0] = l2.b;
  return (x0, x1) => {
    const h0 = Math.max(0, x0 * w00 + x1 * w10 + b0);
    const h1 = Math.max(0, x0 * w01 + x1 * w11 + b1);
    const h2 = Math.max(0, x0 * w02 + x1 * w12 + b2);
    return 1 / (1 + Math.exp(-(h0 * v0 + h1 * v1 + h2 * v2 + c0)));
  };
}

/** Hand-written full-batch gradient descent on the 6 rows (Float64Array state); returns the last epoch's loss. */
function handTrain(epochs) {
  const W1 = new Float64Array(6), b1 = new Float64Array(3), W2 = new Float64Array(3), b2 = new Float64Array(1);
  ARTICLE[0].W.forEach((r, i) => r.forEach((v, j) => (W1[i * 3 + j] = v)));
  ARTICLE[0].b.forEach((v, j) => (b1[j] = v));
  ARTICLE[1].W.forEach((r, i) => (W2[i] = r[0]));
  b2[0] = ARTICLE[1].b[0];
  const n = ROWS.length;
  const x = Float64Array.from(ROWS.flat()), y = Float64Array.from(LABELS);
  const dW1 = new Float64Array(6), db1 = new Float64Array(3), dW2 = new Float64Array(3), h = new Float64Array(3), z = new Float64Array(3);
  let loss = 0;
  for (let e = 0; e < epochs; e++) {
    dW1.fill(0); db1.fill(0); dW2.fill(0);
    let db2 = 0;
    loss = 0;
    for (let r = 0; r < n; r++) {
      const x0 = x[2 * r], x1 = x[2 * r + 1];
      let o = b2[0];
      for (let j = 0; j < 3; j++) {
        z[j] = x0 * W1[j] + x1 * W1[3 + j] + b1[j];
        h[j] = z[j] > 0 ? z[j] : 0;
        o += h[j] * W2[j];
      }
      const p = 1 / (1 + Math.exp(-o));
      loss += Math.max(o, 0) - o * y[r] + Math.log1p(Math.exp(-Math.abs(o)));
      const d = (p - y[r]) / n;
      db2 += d;
      for (let j = 0; j < 3; j++) {
        dW2[j] += h[j] * d;
        const dz = z[j] > 0 ? d * W2[j] : 0;
        db1[j] += dz;
        dW1[j] += x0 * dz;
        dW1[3 + j] += x1 * dz;
      }
    }
    loss /= n;
    for (let i = 0; i < 6; i++) W1[i] -= LR * dW1[i];
    for (let j = 0; j < 3; j++) { b1[j] -= LR * db1[j]; W2[j] -= LR * dW2[j]; }
    b2[0] -= LR * db2;
  }
  return loss;
}

function tfTiny(backend) {
  return withTf(backend, () => {
    const mk = () => ARTICLE.flatMap(({ W, b }) => [tf.variable(tf.tensor2d(W)), tf.variable(tf.tensor1d(b))]);
    const vars = mk();
    const x1 = tf.tensor2d([X]);
    const xs = tf.tensor2d(ROWS), ys = tf.tensor2d(LABELS.map((v) => [v]));
    const logits = (x) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, vars[0]), vars[1])), vars[2]), vars[3]);
    const opt = tf.train.sgd(LR);
    const reset = () => ARTICLE.forEach(({ W, b }, l) => { vars[2 * l].assign(tf.tensor2d(W)); vars[2 * l + 1].assign(tf.tensor1d(b)); });
    return {
      predict: () => withTf(backend, () => { const t = tf.tidy(() => tf.sigmoid(logits(x1))); const v = t.dataSync()[0]; t.dispose(); return v; }),
      train: (epochs) => withTf(backend, () => {
        let last = 0;
        for (let e = 0; e < epochs; e++) {
          const l = opt.minimize(() => tf.losses.sigmoidCrossEntropy(ys, logits(xs)), true, vars);
          if (e === epochs - 1) last = l.dataSync()[0];
          l.dispose();
        }
        return last;
      }),
      reset: () => withTf(backend, () => tf.tidy(reset)),
    };
  });
}

export function benchTiny({ lib, runtimes, quick, rounds, targetMs, log }) {
  const results = [];
  const nets = {};
  for (const [name, runtime] of Object.entries(runtimes)) {
    const net = new lib.Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], runtime });
    net.setWeights(ARTICLE);
    nets[name] = net;
  }
  const hand = handPredictor();
  const tfs = { 'tfjs-wasm': tfTiny('wasm'), 'tfjs-cpu': tfTiny('cpu') };
  const x = Float32Array.from(X);

  // correctness of the prediction, for every contender
  const preds = { hand: hand(X[0], X[1]) };
  for (const [n, net] of Object.entries(nets)) {
    preds[n] = net.predict(x)[0];
    preds[`${n} predictInto`] = net.predictInto(x, new Float32Array(1))[0];
  }
  for (const [n, t] of Object.entries(tfs)) preds[n] = t.predict();
  for (const [n, p] of Object.entries(preds)) {
    if (!(Math.abs(p - EXPECTED) <= 5e-6)) throw new Error(`bench: tiny network: ${n} predicts ${p} for [0.5, 0.6], expected ${EXPECTED}`);
  }
  // every contender sums into a local and adds it to `sink` once per sample (a
  // captured variable updated per call would box a number each time)
  let sink = 0;
  // One sample as a plain array (the documented single-sample call: a plain
  // array back); as a Float32Array (a Float32Array back, whose allocation
  // alone, ~20 ns in V8, costs more than the hand-written function); and into
  // a Float32Array of the caller's (predictInto, nothing allocated). Each
  // form on networks of its own, so the call sites stay monomorphic.
  const forms = [
    ['2-3-1 predict, one sample', (net) => (reps) => { const a = [X[0], X[1]]; let s = 0; for (let r = 0; r < reps; r++) s += net.predict(a)[0]; sink += s; }, true],
    ['2-3-1 predict, one sample as a Float32Array', (net) => (reps) => { let s = 0; for (let r = 0; r < reps; r++) s += net.predict(x)[0]; sink += s; }, false],
    [PREDICT_INTO, (net) => { const out = new Float32Array(1); return (reps) => { let s = 0; for (let r = 0; r < reps; r++) s += net.predictInto(x, out)[0]; sink += s; }; }, false],
  ];
  for (const [workload, call, withPeers] of forms) {
    const own = Object.fromEntries(Object.entries(runtimes).map(([name, runtime]) => {
      const net = new lib.Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], runtime });
      net.setWeights(ARTICLE);
      return [name, net];
    }));
    const predict = measure(
      [
        { name: 'hand-js', run: (reps) => { let s = 0; for (let r = 0; r < reps; r++) s += hand(X[0], X[1] + r * 1e-9); sink += s; } },
        ...Object.entries(own).map(([name, net]) => ({ name, run: call(net) })),
        ...(withPeers ? Object.entries(tfs).map(([name, t]) => ({ name, run: (reps) => { let s = 0; for (let r = 0; r < reps; r++) s += t.predict(); sink += s; } })) : []),
      ],
      // full-length samples even in --quick: a few ms per sample leaves one call's
      // JIT and GC noise in the medians (five rounds there, to stay under a minute)
      { rounds: quick ? 5 : Math.max(rounds, 7), targetMs: Math.max(targetMs, 25), collect: true },
    );
    for (const [name, r] of Object.entries(predict)) {
      results.push({ group: 'tiny', workload, contender: name, unit: 'µs', higherIsBetter: false, ...stats(r.samples.map((ms) => ms * 1000)), vsHand: 1 / pairedSpeedup(r, predict['hand-js']) });
    }
    for (const net of Object.values(own)) net.dispose();
  }
  if (!Number.isFinite(sink)) throw new Error('bench: tiny network: a prediction was not finite');
  log(`tiny predict: ${results.map((r) => `${r.contender} ${r.median.toFixed(3)}`).join(', ')}`);

  // training: 1000 epochs per operation, weights reset (untimed) before each
  const trainers = {};
  const Y = LABELS.map((v) => [v]);
  for (const [name, net] of Object.entries(nets)) {
    trainers[name] = () => {
      net.setWeights(ARTICLE);
      const t = new lib.Trainer(net, { loss: 'bce', optimizer: { type: 'sgd', lr: LR }, batchSize: ROWS.length, shuffle: false });
      return () => t.fit(ROWS, Y, { epochs: EPOCHS }).loss[EPOCHS - 1];
    };
  }
  // correctness: every contender ends at the hand-written loss (float64) within float32 drift
  const handLoss = handTrain(EPOCHS);
  const finals = { 'hand-js': handLoss };
  for (const [n, mk] of Object.entries(trainers)) finals[n] = mk()();
  for (const [n, t] of Object.entries(tfs)) { t.reset(); finals[n] = t.train(EPOCHS); }
  for (const [n, l] of Object.entries(finals)) {
    if (!(Math.abs(l - handLoss) <= 1e-3 * handLoss + 1e-5)) throw new Error(`bench: tiny network: after ${EPOCHS} epochs ${n} has loss ${l}, hand-written JS ${handLoss}`);
  }
  // each sample times only the fit itself (resetting the weights is excluded), averaged over reps
  const contenders = [
    { name: 'hand-js', prepare: () => () => { sink += handTrain(EPOCHS); } },
    ...Object.entries(trainers).map(([name, mk]) => ({ name, prepare: mk })),
    ...Object.entries(tfs).map(([name, t]) => ({ name, prepare: () => { t.reset(); return () => { sink += t.train(EPOCHS); }; } })),
  ];
  const sample = (c) => {
    let total = 0;
    for (let r = 0; r < c.reps; r++) {
      const go = c.prepare();
      const t0 = performance.now();
      go();
      total += performance.now() - t0;
    }
    return total / c.reps;
  };
  for (const c of contenders) {
    c.reps = 1;
    sample(c);
    c.reps = Math.max(1, Math.min(200, Math.round(targetMs / sample(c))));
  }
  const own = Object.fromEntries(contenders.map((c) => [c.name, []]));
  const rounds2 = quick ? Math.min(rounds, 3) : rounds;
  for (let r = 0; r < rounds2; r++) {
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + r) % contenders.length];
      own[c.name].push(sample(c));
    }
  }
  const start = results.length;
  for (const [name, samples] of Object.entries(own)) {
    const vsHand = 1 / pairedSpeedup({ byRound: samples }, { byRound: own['hand-js'] });
    results.push({ group: 'tiny', workload: `2-3-1 train, ${EPOCHS} full-batch epochs on 6 rows`, contender: name, unit: 'ms', higherIsBetter: false, ...stats(samples), vsHand });
  }
  log(`tiny train: ${results.slice(start).map((r) => `${r.contender} ${r.median.toFixed(3)}`).join(', ')}`);
  for (const net of Object.values(nets)) net.dispose();
  return results;
}
