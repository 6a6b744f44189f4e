// Threads: the same work on 1 … nproc threads (init({ threads })), measured
// interleaved in one process, against this machine's own parallel limit.
//   limit       the library's 4×8 micro-kernel on L1-resident panels (the GEMM
//               section's yardstick) run by n worker threads at once, each on
//               its own copy: n × one copy's time ÷ n copies' time. What n cores
//               give a compute-bound kernel here (shared caches, turbo, the
//               hypervisor, other processes), the ceiling for any threaded
//               training; sampled in every workload's rounds, side by side.
//   train       784-128-64-10, batch 128, Adam: samples/s on n threads ÷ on one
//               (the one-thread build, init({ threads: 1 })); its share of
//               the limit at the same n.
//   batch 32    the same network at batch 32: must not be slower on threads
//               (the per-step rule in src/threads/work.ts, MIN_WORK).
//   predict     predictInto of 10,000 rows.
import { Worker } from 'node:worker_threads';
import os from 'node:os';
import { compileYardstick } from './gemm.mjs';
import { measure, pairedSpeedup, stats } from './timing.mjs';
import { values } from './gemm.mjs';

const SIZES = [784, 128, 64, 10];
const ADAM = { type: 'adam', lr: 0.001 };

// each copy: A 4·KC and B KC·8 panels, C 4×8, in its own memory (as loadYardstick lays them out)
const COPY = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, control } = workerData;
const KC = 256, pA = 1024, pB = pA + KC * 16, pC = pB + KC * 32;
const memory = new WebAssembly.Memory({ initial: 1 });
const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
const f32 = new Float32Array(memory.buffer);
for (let i = 0; i < 12 * KC; i++) f32[(pA >>> 2) + i] = ((i * 7919) % 1000) / 1000 - 0.5;
const c = new Int32Array(control);
let seen = 0;
parentPort.postMessage('ready');
for (;;) {
  Atomics.wait(c, 0, seen);
  seen = Atomics.load(c, 0);
  if (seen < 0) break;
  k.f32_gemm_4x8_repeat(Atomics.load(c, 1), KC, pA, pB, pC);
  if (Atomics.add(c, 2, 1) + 1 === Atomics.load(c, 3)) Atomics.notify(c, 2);
}
`;

/** n worker threads that each run the micro-kernel `reps` times on a signal; run(n, reps) returns when all n are done. */
export async function microKernelCopies(count) {
  const module = new WebAssembly.Module(await compileYardstick());
  const controls = [];
  const workers = [];
  for (let i = 0; i < count; i++) {
    const control = new SharedArrayBuffer(16);
    const w = new Worker(COPY, { eval: true, workerData: { module, control } });
    await new Promise((resolve) => w.once('message', resolve));
    controls.push(new Int32Array(control));
    workers.push(w);
  }
  const done = new Int32Array(new SharedArrayBuffer(4));
  return {
    run(n, reps) {
      // each copy counts into its own control word 2; the main thread waits on each in turn
      for (let i = 0; i < n; i++) {
        const c = controls[i];
        c[1] = reps;
        c[2] = 0;
        c[3] = 1;
        Atomics.add(c, 0, 1);
        Atomics.notify(c, 0);
      }
      for (let i = 0; i < n; i++) while (Atomics.load(controls[i], 2) === 0) Atomics.wait(controls[i], 2, 0, 50);
      done[0]++;
    },
    end() {
      for (const c of controls) {
        Atomics.store(c, 0, -1);
        Atomics.notify(c, 0);
      }
      return Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

function dataset(lib, rows) {
  const x = values(lib, rows * SIZES[0], 3).map((v) => (v + 1) / 2);
  const y = new Float32Array(rows * 10);
  for (let r = 0; r < rows; r++) y[r * 10 + (r * 7) % 10] = 1;
  return { x, y, rows };
}

function network(lib, runtime) {
  return new lib.Network({ inputs: SIZES[0], layers: [{ units: 128, activation: 'relu' }, { units: 64, activation: 'relu' }, { units: 10, activation: 'softmax' }], seed: 1, runtime });
}

export async function benchThreads({ lib, quick, rounds, targetMs, log }) {
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const counts = [...Array(Math.max(cores, 2)).keys()].map((i) => i + 1);
  log(`threads: 1 … ${counts.length} threads (${cores} cores)`);
  const out = [];
  const threadsName = (n) => (n === 1 ? '1 thread' : `${n} threads`);

  // the parallel limit runs in every workload's rounds, so each share of it compares samples taken side by side
  const copies = await microKernelCopies(counts.length);
  const reps = quick ? 2000 : 4000;
  const limits = counts.map((n) => ({ name: `limit ${n}`, run: (r) => { for (let i = 0; i < r; i++) copies.run(n, reps); } }));
  /** Each workload's rounds with the limit's; per n: the speed-up over one thread, the limit (n × one copy's time ÷ n copies' time) and the share. */
  const measured = (workload, contenders, unit, value, targetFactor) => {
    const m = measure([...limits, ...contenders], { rounds, targetMs: targetMs * targetFactor });
    for (const n of counts) {
      const limit = n * pairedSpeedup(m[`limit ${n}`], m['limit 1']);
      const speedup = pairedSpeedup(m[n], m['1']);
      out.push({ group: 'threads', workload, contender: threadsName(n), unit, ...stats(m[n].samples.map(value)), speedup, limit, ofLimit: speedup / limit });
    }
  };

  const runtimes = { 1: await lib.init({ threads: 1, setDefault: false }) };
  for (const n of counts.slice(1)) {
    runtimes[n] = await lib.init({ threads: n, setDefault: false });
    if (runtimes[n].threads !== n) log(`threads: asked for ${n}, got ${runtimes[n].threads}: ${runtimes[n].threadsNote}`);
  }
  const weights = network(lib, runtimes[1]).getWeights({ flat: true });
  const rows = quick ? 1024 : 2048;
  const data = dataset(lib, rows);
  warmUp(lib, runtimes, data, quick ? 1000 : 3000, log);
  for (const batch of [128, 32]) {
    const contenders = counts.map((n) => {
      const net = network(lib, runtimes[n]);
      net.setWeights(weights);
      const trainer = new lib.Trainer(net, { loss: 'cce', optimizer: ADAM, batchSize: batch, shuffle: false });
      return { name: `${n}`, run: (r) => trainer.fit(data.x, data.y, { epochs: r }), net };
    });
    measured(`train ${SIZES.join('-')}, batch ${batch}, Adam`, contenders, 'samples/s', (ms) => rows / (ms / 1000), 4);
    contenders.forEach((c) => c.net.dispose());
  }
  const predictRows = 10_000;
  const px = values(lib, predictRows * SIZES[0], 5);
  const predictors = counts.map((n) => {
    const net = network(lib, runtimes[n]);
    net.setWeights(weights);
    const y = new Float32Array(predictRows * 10);
    return { name: `${n}`, run: (r) => { for (let i = 0; i < r; i++) net.predictInto(px, y); }, net, y };
  });
  for (const p of predictors) p.run(1);
  for (const p of predictors.slice(1)) if (!p.y.every((v, i) => Object.is(v, predictors[0].y[i]))) throw new Error('bench: threads: predictions differ from one thread');
  measured(`predict ${SIZES.join('-')}, ${predictRows.toLocaleString('en')} rows`, predictors, 'ms', (ms) => ms, 2);
  predictors.forEach((p) => p.net.dispose());
  for (const r of Object.values(runtimes)) r.dispose();
  await copies.end();
  return out;
}

// V8 compiles a Wasm function's optimized code in the background once it has
// run enough; with every core busy with a step's threads, that waits for a
// time slice, and the threads build (a module of its own) trains at ~1.2×
// one thread for its first seconds here, then at its steady speed. The
// sections measure steady speeds: each runtime trains for `ms` first (the
// log shows the threads' speed-up over the first and the last part of it).
function warmUp(lib, runtimes, data, ms, log) {
  const speeds = {};
  for (const [n, runtime] of Object.entries(runtimes)) {
    const net = network(lib, runtime);
    const trainer = new lib.Trainer(net, { loss: 'cce', optimizer: ADAM, batchSize: 128, shuffle: false });
    const seen = [];
    for (const t0 = performance.now(); performance.now() - t0 < ms; ) {
      const t = performance.now();
      trainer.fit(data.x, data.y, { epochs: 1 });
      seen.push(performance.now() - t);
    }
    const part = Math.max(1, Math.floor(seen.length / 5));
    const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
    speeds[n] = [median(seen.slice(0, part)), median(seen.slice(-part))];
    net.dispose();
  }
  const of = (n, i) => (speeds[1][i] / speeds[n][i]).toFixed(2);
  log(`threads: warm-up, ${ms} ms of training each: speed-up over one thread in its first fifth ${Object.keys(speeds).slice(1).map((n) => `${n}: ${of(n, 0)}x`).join(', ')}, in its last ${Object.keys(speeds).slice(1).map((n) => `${n}: ${of(n, 1)}x`).join(', ')}`);
}
