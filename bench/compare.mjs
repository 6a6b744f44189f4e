// Paired comparison of two builds of simdnet in one process: this checkout's
// dist/ against another checkout's (a base commit built in a scratch
// worktree), workload by workload, samples interleaved round by round, so
// the machine's noise lands on both alike. Prints each build's median time
// and the median of per-round ratios (> 1: this build is faster).
//
//   git worktree add /tmp/base <commit> && (cd /tmp/base && npm ci && npm run build)
//   npm run build && node bench/compare.mjs /tmp/base [--rounds=15] [--only=train,fresh] [--threads=N] [--json]
//   (--only: the workloads whose names contain one of the words; --threads:
//   both builds on init({ threads: N }) instead of the default, e.g. 1 for
//   the one-thread figures, 2 to compare threaded training from its first step)
//
// Both builds are driven through the public API only, with the same data
// and weights, so any build since the Trainer/Network API settled compares.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { measure, pairedSpeedup, stats } from './timing.mjs';
import { values } from './gemm.mjs';

const args = process.argv.slice(2);
const baseDir = args.find((a) => !a.startsWith('--'));
const rounds = Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 15);
const json = args.includes('--json');
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const threadsArg = args.find((a) => a.startsWith('--threads='))?.slice(10);
const threads = threadsArg === undefined ? undefined : Number(threadsArg);
const log = (msg) => process.stderr.write(`${msg}\n`);
const here = fileURLToPath(new URL('..', import.meta.url));

if (!baseDir || !Number.isInteger(rounds) || rounds < 3 || (threads !== undefined && !(Number.isInteger(threads) && threads >= 1))) {
  log('usage: node bench/compare.mjs <other checkout, built> [--rounds=N (≥ 3, default 15)] [--only=word,…] [--threads=N (≥ 1)] [--json]');
  process.exit(2);
}
const entry = (dir) => join(resolve(dir), 'dist/index.js');
for (const dir of [here, baseDir]) {
  if (!existsSync(entry(dir))) {
    log(`bench/compare.mjs: ${entry(dir)} is missing: run \`npm run build\` in ${resolve(dir)}`);
    process.exit(1);
  }
}

const builds = {};
for (const [name, dir] of [['this', here], ['base', baseDir]]) {
  const lib = await import(pathToFileURL(entry(dir)).href);
  const runtime = await lib.init(threads === undefined ? { backend: 'wasm' } : { backend: 'wasm', threads });
  if (threads !== undefined && runtime.threads !== threads) log(`bench/compare.mjs: ${name}: ${runtime.threads} thread(s), not ${threads}: ${runtime.threadsNote ?? 'this build has no threads option'}`);
  builds[name] = { lib, runtime };
}
// one generator for both builds' data and weights: the same numbers go in
const rng = builds.this.lib;

const SERVING = [784, 128, 64, 10];
const layersOf = (sizes, last) => sizes.slice(1).map((units, i) => ({ units, activation: i === sizes.length - 2 ? last : 'relu' }));
const weightsOf = (sizes, seed) =>
  sizes.slice(1).map((units, i) => ({ W: values(rng, sizes[i] * units, seed + i).map((v) => v * Math.sqrt(2 / sizes[i])), b: values(rng, units, seed + 100 + i).map((v) => v * 0.1) }));

const X_TRAIN = values(rng, 1024 * 784, 3).map((v) => (v + 1) / 2);
const Y_TRAIN = (() => {
  const y = new Float32Array(1024 * 10);
  for (let r = 0; r < 1024; r++) y[r * 10 + (r % 10)] = 1;
  return y;
})();
const X_SERVE = values(rng, 1000 * 784, 5);
const STUDENTS = { x: new Float32Array([0.5, 0.6, 0.9, 0.8, 0.1, 0.2, 0.7, 0.9, 0.2, 0.1, 0.8, 0.7]), y: new Float32Array([1, 1, 0, 1, 0, 1]) };
const STUDENT_WEIGHTS = [
  { W: [[0.2, -0.1, 0.4], [0.3, 0.5, -0.2]], b: [0.02, 0.019, -0.017] },
  { W: [[0.7], [-0.3], [0.5]], b: [0.1] },
];

/** Each workload: a name and, per build, a run(reps) closure. */
const WORKLOADS = [
  ['train 784-128-64-10, batch 128, Adam (8 steps)', ({ lib, runtime }) => {
    const net = new lib.Network({ inputs: 784, layers: layersOf(SERVING, 'softmax'), seed: 1, runtime });
    net.setWeights(weightsOf(SERVING, 11));
    const trainer = new lib.Trainer(net, { loss: 'cce', optimizer: { type: 'adam', lr: 0.001 }, batchSize: 128, shuffle: false });
    return (reps) => trainer.fit(X_TRAIN, Y_TRAIN, { epochs: reps });
  }],
  ['predict 784-128-64-10, one sample', ({ lib, runtime }) => {
    const net = new lib.Network({ inputs: 784, layers: layersOf(SERVING, 'softmax'), seed: 1, runtime });
    net.setWeights(weightsOf(SERVING, 11));
    const x = X_SERVE.subarray(0, 784);
    const out = new Float32Array(10);
    return (reps) => {
      for (let i = 0; i < reps; i++) net.predictInto(x, out);
    };
  }],
  ['predict 784-128-64-10, 1000 rows', ({ lib, runtime }) => {
    const net = new lib.Network({ inputs: 784, layers: layersOf(SERVING, 'softmax'), seed: 1, runtime });
    net.setWeights(weightsOf(SERVING, 11));
    const out = new Float32Array(1000 * 10);
    return (reps) => {
      for (let i = 0; i < reps; i++) net.predictInto(X_SERVE, out);
    };
  }],
  ['2-3-1 predict, one sample', ({ lib, runtime }) => {
    const net = new lib.Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 1, runtime });
    net.setWeights(STUDENT_WEIGHTS);
    const x = new Float32Array([0.5, 0.6]);
    const out = new Float32Array(1);
    return (reps) => {
      for (let i = 0; i < reps; i++) net.predictInto(x, out);
    };
  }],
  ['2-3-1 fresh network, 1000 full-batch epochs on 6 rows', ({ lib, runtime }) => (reps) => {
    for (let i = 0; i < reps; i++) {
      const net = new lib.Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 1, runtime });
      net.setWeights(STUDENT_WEIGHTS);
      new lib.Trainer(net, { loss: 'bce', optimizer: { type: 'sgd', lr: 0.5 }, batchSize: 6, shuffle: false }).fit(STUDENTS.x, STUDENTS.y, { epochs: 1000 });
      net.dispose();
    }
  }],
];

const results = [];
for (const [workload, make] of WORKLOADS) {
  if (only && !only.some((w) => workload.includes(w))) continue;
  const m = measure(
    Object.entries(builds).map(([name, b]) => ({ name, run: make(b) })),
    { rounds, targetMs: 25, collect: true },
  );
  const row = { workload, thisMs: stats(m.this.samples).median, baseMs: stats(m.base.samples).median, speedup: pairedSpeedup(m.this, m.base), rounds };
  results.push(row);
  log(`${workload}: this ${fmt(row.thisMs)}, base ${fmt(row.baseMs)}, this is ${row.speedup.toFixed(3)}× base`);
}

const threadsText = threads === undefined ? 'the default init' : `init({ threads: ${threads} })`;
if (json) process.stdout.write(`${JSON.stringify({ base: resolve(baseDir), threads: threads ?? null, results }, null, 2)}\n`);
else {
  const lines = [`this checkout vs ${resolve(baseDir)}, both on ${threadsText}: median ms per operation, ${rounds} interleaved rounds; ratio = median of per-round base/this (> 1: this is faster)`, ''];
  lines.push('| workload | this | base | this vs base |', '|---|---:|---:|---:|');
  for (const r of results) lines.push(`| ${r.workload} | ${fmt(r.thisMs)} | ${fmt(r.baseMs)} | ${r.speedup.toFixed(3)}× |`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function fmt(ms) {
  return ms < 0.1 ? `${(ms * 1000).toFixed(2)} µs` : `${ms.toFixed(3)} ms`;
}
