// The worked example's 2-3-1 network (ReLU hidden layer, sigmoid output): one
// single-sample prediction (µs), and 1000 full-batch gradient-descent epochs
// (BCE, SGD lr 0.5) on 6 rows (ms) of a new network each repetition, warm
// and in the short runs of fresh processes, against a hand-written JS
// function for each.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measure, pairedSpeedup, stats } from './timing.mjs';
import { tf, withTf } from './tfjs.mjs';
import { ARTICLE, EPOCHS, handTrain, LABELS, LR, ROWS, sameLoss } from './tiny-workload.mjs';

const X = [0.5, 0.6];
const EXPECTED = 0.56539;
/** Repetitions of each contender a short run times. */
const SHORT_REPS = 10;
export const PREDICT_INTO = '2-3-1 predictInto, one sample, Float32Array in and out';
/** The training workload, warm: a new network, its weights, a new Trainer and the fit, each repetition. */
export const TRAIN_FRESH = '2-3-1 new network + train, 1000 full-batch epochs on 6 rows, warm';
/** The same in short runs: the first repetitions of fresh processes. */
export const TRAIN_FRESH_SHORT = `2-3-1 new network + train, 1000 full-batch epochs on 6 rows, short runs (the first ${SHORT_REPS} repetitions of a fresh process)`;

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

  // Training as a user's script does it: every repetition is a new network,
  // its weights set, a new Trainer and a fit of 1000 full-batch epochs, all
  // timed. simdnet's runtimes each in a process of their own with one runtime
  // (bench/tiny-train.mjs says why), against the hand-written loop in that
  // process; TF.js here, its variables set back to the worked example's
  // weights each repetition, against the hand-written loop here.
  const trainRounds = quick ? Math.min(rounds, 5) : Math.max(rounds, 7);
  const trainMs = Math.max(targetMs, 25);
  const start = results.length;
  let handRow = null;
  for (const name of Object.keys(runtimes)) {
    const r = trainChild([name, 'warm', String(trainRounds), String(trainMs)]);
    handRow ??= { group: 'tiny', workload: TRAIN_FRESH, contender: 'hand-js', unit: 'ms', higherIsBetter: false, ...stats(r['hand-js'].samples), vsHand: 1 };
    results.push({ group: 'tiny', workload: TRAIN_FRESH, contender: name, unit: 'ms', higherIsBetter: false, ...stats(r[name].samples), vsHand: 1 / pairedSpeedup(r[name], r['hand-js']) });
  }
  results.splice(start, 0, handRow);
  const handLoss = handTrain(EPOCHS);
  const tfFits = Object.fromEntries(Object.entries(tfs).map(([name, t]) => [name, () => { t.reset(); return t.train(EPOCHS); }]));
  for (const [n, fit] of Object.entries(tfFits)) {
    const l = fit();
    if (!sameLoss(l, handLoss)) throw new Error(`bench: tiny network: after ${EPOCHS} epochs ${n} has loss ${l}, hand-written JS ${handLoss}`);
  }
  const repeat = (fit) => (reps) => { let s = 0; for (let r = 0; r < reps; r++) s += fit(); sink += s; };
  const tfTrain = measure(
    [{ name: 'hand-js', run: repeat(() => handTrain(EPOCHS)) }, ...Object.entries(tfFits).map(([name, fit]) => ({ name, run: repeat(fit) }))],
    { rounds: trainRounds, targetMs: trainMs, collect: true },
  );
  for (const [name, r] of Object.entries(tfTrain)) {
    if (name === 'hand-js') continue;
    results.push({ group: 'tiny', workload: TRAIN_FRESH, contender: name, unit: 'ms', higherIsBetter: false, ...stats(r.samples), vsHand: 1 / pairedSpeedup(r, tfTrain['hand-js']) });
  }
  log(`tiny train: ${results.slice(start).map((r) => `${r.contender} ${r.median.toFixed(3)} (${r.vsHand.toFixed(2)}×)`).join(', ')}`);
  results.push(...benchShortRuns({ quick, log }));
  for (const net of Object.values(nets)) net.dispose();
  return results;
}

/** Runs bench/tiny-train.mjs with these arguments; its JSON. */
function trainChild(args) {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('./tiny-train.mjs', import.meta.url)), ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bench: tiny training (${args.join(' ')}): the child process failed (${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

/**
 * Short runs: a fresh Node process imports dist/ and initialises (untimed),
 * then times the first SHORT_REPS repetitions of the hand-written loop and of
 * simdnet's new network + fit, alternated (which goes first swaps from one
 * process to the next), before the JIT tiers and Wasm's optimizing tier have
 * caught up. Ratio: the median over the processes of simdnet's time / the
 * hand-written loop's.
 */
function benchShortRuns({ quick, log }) {
  const kind = 'wasm-simd';
  const processes = quick ? 6 : 15;
  const hand = [], ours = [], ratios = [];
  for (let p = 0; p < processes; p++) {
    const { ms } = trainChild([kind, 'short', String(SHORT_REPS), p % 2 ? 'simdnet' : 'hand']);
    hand.push(ms.hand / SHORT_REPS);
    ours.push(ms.simdnet / SHORT_REPS);
    ratios.push(ms.simdnet / ms.hand);
  }
  const vsHand = stats(ratios).median;
  log(`tiny train, short runs: hand-js ${stats(hand).median.toFixed(3)} ms, ${kind} ${stats(ours).median.toFixed(3)} ms (${vsHand.toFixed(2)}× in ${processes} processes)`);
  return [
    { group: 'tiny', workload: TRAIN_FRESH_SHORT, contender: 'hand-js', unit: 'ms', higherIsBetter: false, ...stats(hand), vsHand: 1 },
    { group: 'tiny', workload: TRAIN_FRESH_SHORT, contender: kind, unit: 'ms', higherIsBetter: false, ...stats(ours), vsHand },
  ];
}
