// Inference: the forward pass of trained networks, one sample and
// batches, as a server runs it. simdnet's predictInto (Wasm SIMD, and the
// pure-JS backend), ONNX Runtime Web (its Wasm SIMD build, one thread, the
// model exported with simdnet's own toONNX: the same weights) and TensorFlow.js
// on its Wasm backend (XNNPACK, one thread, the same weights), in µs per call,
// measured in one process, interleaved; every contender's output checked
// against the pure-JS backend's first. The yardstick: reading the network's
// weights once with Wasm SIMD loads (bench/bandwidth.ts), timed in the same
// rounds; a forward pass has to read each weight at least once, so that time
// is the bandwidth limit (the weights of 784-128-64-10, 437 KB, sit in L2).
import os from 'node:os';
import * as ort from 'onnxruntime-web';
import { compileBenchWasm, values } from './gemm.mjs';
import { measureAsync, pairedSpeedup, stats } from './timing.mjs';
import { tf, withTf } from './tfjs.mjs';
import { writeDocsSection } from './docs.mjs';

ort.env.wasm.numThreads = 1;

/**
 * The networks and batches measured; ReLU hidden layers. `lead`: how much
 * faster than ONNX Runtime Web simdnet was on this machine before its weights
 * were kept packed for the forward pass, a lead the small networks must keep.
 */
export const NETWORKS = [
  { sizes: [30, 64, 32, 1], output: 'sigmoid', batches: [1, 64], lead: { 1: 9.5, 64: 2.2 } },
  { sizes: [64, 64, 64, 10], output: 'softmax', batches: [1, 64], lead: { 1: 4.2, 64: 1.7 } },
  { sizes: [784, 128, 64, 10], output: 'softmax', batches: [1, 32, 1024] },
];
export const SERVING_NETWORK = '784-128-64-10';

const nameOf = (sizes) => sizes.join('-');
export const workloadOf = (sizes, batch) => `${nameOf(sizes)}, batch ${batch}`;

/**
 * bench/bandwidth.ts, with its own memory holding `bytes` of data (rounded up
 * to its 512-byte step: `padded`); run(reps) reads it reps times.
 */
async function loadBandwidth(lib, bytes) {
  const binary = await compileBenchWasm('bandwidth.ts');
  const padded = Math.ceil(bytes / 512) * 512;
  const base = 1024;
  const mem = new WebAssembly.Memory({ initial: Math.ceil((base + padded) / 65536) + 1 });
  const { instance } = await WebAssembly.instantiate(binary, { env: { memory: mem } });
  new Float32Array(mem.buffer, base, padded / 4).set(values(lib, padded / 4, 77));
  return { padded, run: (reps) => instance.exports.read_repeat(reps, base, padded) };
}

function tfModel(weights, output) {
  return withTf('wasm', () => {
    const vars = weights.map(({ W, b }) => ({ W: tf.tensor2d(W, [W.length / b.length, b.length]), b: tf.tensor1d(b) }));
    const forward = (x) => {
      let h = x;
      vars.forEach(({ W, b }, l) => {
        h = tf.add(tf.matMul(h, W), b);
        h = l < vars.length - 1 ? tf.relu(h) : output === 'softmax' ? tf.softmax(h) : tf.sigmoid(h);
      });
      return h;
    };
    return {
      predict: (xT) => withTf('wasm', () => {
        const y = tf.tidy(() => forward(xT));
        const v = y.dataSync();
        y.dispose();
        return v;
      }),
      dispose: () => vars.forEach(({ W, b }) => { W.dispose(); b.dispose(); }),
    };
  });
}

function checkClose(name, workload, got, expected) {
  if (got.length !== expected.length) throw new Error(`bench: inference ${workload}: ${name} gives ${got.length} outputs, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(got[i] - expected[i]) <= 2e-5 + 1e-4 * Math.abs(expected[i]))) {
      throw new Error(`bench: inference ${workload}: ${name} gives ${got[i]} at [${i}], the pure-JS backend ${expected[i]}`);
    }
  }
}

export async function benchInference({ lib, runtimes, quick, rounds, targetMs, log }) {
  const { toONNX } = await import('../dist/onnx.js');
  const results = [];
  for (const { sizes, output, batches, lead } of NETWORKS) {
    const layers = sizes.slice(1).map((units, i) => ({ units, activation: i === sizes.length - 2 ? output : 'relu' }));
    const simd = new lib.Network({ inputs: sizes[0], layers, seed: 1, runtime: runtimes['wasm-simd'] });
    const weights = simd.getWeights({ flat: true });
    const js = new lib.Network({ inputs: sizes[0], layers, seed: 1, runtime: runtimes.js });
    js.setWeights(weights);
    const session = await ort.InferenceSession.create(toONNX(simd), { executionProviders: ['wasm'], graphOptimizationLevel: 'all' });
    const tfm = tfModel(weights, output);
    const weightBytes = weights.reduce((n, { W, b }) => n + 4 * (W.length + b.length), 0);
    const bandwidth = await loadBandwidth(lib, weightBytes);
    for (const batch of batches) {
      const workload = workloadOf(sizes, batch);
      const inputs = sizes[0], outputs = sizes[sizes.length - 1];
      const x = values(lib, batch * inputs, batch + inputs);
      const outSimd = new Float32Array(batch * outputs), outJs = new Float32Array(batch * outputs);
      const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', x, [batch, inputs]) };
      const xT = withTf('wasm', () => tf.tensor2d(x, [batch, inputs]));
      // correctness first: every contender against the pure-JS backend (float64 sums)
      js.predictInto(x, outJs);
      checkClose('simdnet', workload, simd.predictInto(x, outSimd), outJs);
      checkClose('onnxruntime-web', workload, (await session.run(feeds))[session.outputNames[0]].data, outJs);
      checkClose('tfjs-wasm', workload, tfm.predict(xT), outJs);
      let sink = 0;
      const contenders = [
        { name: 'simdnet', run: (reps) => { for (let r = 0; r < reps; r++) sink += simd.predictInto(x, outSimd)[0]; } },
        {
          name: 'onnxruntime-web',
          run: async (reps) => {
            for (let r = 0; r < reps; r++) sink += (await session.run(feeds))[session.outputNames[0]].data[0];
          },
        },
        { name: 'tfjs-wasm', run: (reps) => { for (let r = 0; r < reps; r++) sink += tfm.predict(xT)[0]; } },
        { name: 'read-weights', run: bandwidth.run },
      ];
      // the pure-JS backend takes about 0.1 s for a batch of 1,024 of the large network
      if (!quick || batch * weightBytes < 64e6) {
        contenders.push({ name: 'js', run: (reps) => { for (let r = 0; r < reps; r++) sink += js.predictInto(x, outJs)[0]; } });
      }
      const m = await measureAsync(contenders, { rounds, targetMs, slowRounds: quick ? 1 : 3, collect: true, warmupMs: quick ? 600 : 1500 });
      if (!Number.isFinite(sink)) throw new Error(`bench: inference ${workload}: a prediction was not finite`);
      // the limit: the weights' bytes at the rate the padded buffer was read
      const scale = weightBytes / bandwidth.padded;
      const read = { ...m['read-weights'], byRound: m['read-weights'].byRound.map((ms) => ms && ms * scale), samples: m['read-weights'].samples.map((ms) => ms * scale) };
      m['read-weights'] = read;
      for (const [name, r] of Object.entries(m)) {
        const row = { group: 'inference', workload, network: nameOf(sizes), batch, contender: name, unit: 'µs', higherIsBetter: false, ...stats(r.samples.map((ms) => ms * 1000)) };
        if (name === 'read-weights') {
          row.bytes = weightBytes;
          row.gbPerS = weightBytes / (row.median * 1000);
        }
        if (name === 'simdnet') {
          row.vsOrt = pairedSpeedup(r, m['onnxruntime-web']);
          row.vsTfjsWasm = pairedSpeedup(r, m['tfjs-wasm']);
          // time over the bandwidth limit, per round (side by side)
          row.ofLimit = 1 / pairedSpeedup(r, read);
          if (lead?.[batch]) row.lead = lead[batch];
        }
        results.push(row);
      }
      log(`inference ${workload}: ${results.slice(-Object.keys(m).length).map((r) => `${r.contender} ${r.median.toFixed(2)}`).join(', ')} µs`);
      withTf('wasm', () => xT.dispose());
    }
    await session.release();
    tfm.dispose();
    simd.dispose();
    js.dispose();
  }
  return results;
}

const f = (v) => (!Number.isFinite(v) ? '–' : v >= 1000 ? `${(v / 1000).toFixed(2)} ms` : v >= 100 ? `${v.toFixed(0)} µs` : v >= 10 ? `${v.toFixed(1)} µs` : `${v.toFixed(2)} µs`);

/** The results as a markdown table: one row per network and batch. */
export function inferenceTable(results) {
  const rows = results.filter((r) => r.group === 'inference');
  const find = (w, c) => rows.find((r) => r.workload === w && r.contender === c);
  const lines = [
    '| network | batch | simdnet | ONNX Runtime Web | TF.js Wasm | pure JS | bandwidth limit | simdnet vs ORT | simdnet / limit |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const w of [...new Set(rows.map((r) => r.workload))]) {
    const s = find(w, 'simdnet');
    const limit = find(w, 'read-weights');
    lines.push(`| ${s.network} | ${s.batch} | ${f(s.median)} | ${f(find(w, 'onnxruntime-web')?.median)} | ${f(find(w, 'tfjs-wasm')?.median)} | ${f(find(w, 'js')?.median)} | ${f(limit?.median)} | ${s.vsOrt.toFixed(2)}× faster | ${s.ofLimit.toFixed(2)}× |`);
  }
  return lines.join('\n');
}

/** The inference section of docs/benchmarks.md (see docs.mjs). */
export function writeInferenceDocs(results, machine, goals) {
  const read = results.find((r) => r.group === 'inference' && r.network === SERVING_NETWORK && r.contender === 'read-weights');
  const body = [
    '## Inference',
    '',
    `One forward pass of a network with ReLU hidden layers (\`predictInto\` into a Float32Array of the caller's), batches of 1 to 1,024 rows; the same weights in every contender (ONNX Runtime Web 1.31 runs the model simdnet's \`toONNX\` writes; TF.js 4.22 builds the same layers from the same weights); Wasm SIMD, one thread, one Node process. Medians of ${machine.rounds} interleaved rounds, ratios medians of per-round ratios. The bandwidth limit is the time to read the network's weights once with Wasm SIMD loads, measured in the same rounds (${read ? `${read.gbPerS.toFixed(0)} GB/s on the ${(read.bytes / 1000).toFixed(0)} KB of 784-128-64-10, which sit in L2` : 'see the bench'}). A batch reads the weights once too, so its limit is the same while its arithmetic grows with the rows: there the last column says how far the call is from bandwidth-bound, not how far from its best.`,
    '',
    `${machine.cpu}, ${machine.cores} cores (shared with other jobs: load average ${os.loadavg()[0].toFixed(1)} at the end), Node ${machine.node}, ${machine.mode} run, ${new Date().toISOString().slice(0, 10)}.`,
    '',
    inferenceTable(results),
    '',
    ...goals.map((g) => `- ${g.goal}: ${g.value.toFixed(2)}${g.worst ? ` (worst: ${g.worst})` : ''}, ${g.pass ? 'holds' : `does not hold${g.failing?.length ? ` (${g.failing.join(', ')})` : ''}`}`),
  ].join('\n');
  return writeDocsSection('inference', 'npm run bench -- --only=inference --docs', body);
}
