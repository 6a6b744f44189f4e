/**
 * Threads give the same bits as one thread: a network trained on 1, 2 and 3
 * threads ends with the same weights, bit for bit, after the same loss
 * history, and predicts the same outputs, on the SIMD and the scalar build.
 * The shapes cover every route the kernels take (narrow and wide layers,
 * sizes that are no multiple of a tile or of the threads' 4-row blocks, a
 * last batch shorter than the rest), every optimizer, weight decay, gradient
 * clipping, class weights, a validation part and each loss. The pool's minWork is set to 0 for the small
 * networks so that every call is shared (the default keeps small work on
 * one thread); the last case keeps the default and checks it shared anyway.
 * Needs dist/thread-worker.js (npm run build).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { init, Network, Random, Trainer, type Runtime } from '../../src/index.js';
import type { LossName, OptimizerName } from '../../src/backend/abi.js';
import { MIN_WORK } from '../../src/threads/pool.js';
import { weightBits } from '../support/snapshot.js';

interface Case {
  name: string;
  inputs: number;
  layers: { units: number; activation: 'relu' | 'tanh' | 'sigmoid' | 'softmax' | 'linear' | 'leaky_relu' }[];
  loss: LossName;
  optimizer: { type: OptimizerName; lr: number; weightDecay?: number; clipNorm?: number; momentum?: number };
  rows: number;
  batchSize: number;
  epochs: number;
  /** share every call, however small */
  everyCall: boolean;
  classWeight?: 'balanced';
  /** rows held out for validation (the loss pass, shared too) */
  validationSplit?: number;
}

const CASES: Case[] = [
  { name: 'softmax, Adam with weight decay and clipping, odd sizes', inputs: 37, layers: [{ units: 33, activation: 'relu' }, { units: 17, activation: 'tanh' }, { units: 5, activation: 'softmax' }], loss: 'cce', optimizer: { type: 'adam', lr: 0.01, weightDecay: 0.01, clipNorm: 0.5 }, rows: 101, batchSize: 23, epochs: 3, everyCall: true, validationSplit: 0.2 },
  { name: 'class-weighted softmax, Adam with weight decay on layers of 16-column panels, rows no multiple of 4', inputs: 21, layers: [{ units: 32, activation: 'relu' }, { units: 16, activation: 'tanh' }, { units: 3, activation: 'softmax' }], loss: 'cce', optimizer: { type: 'adam', lr: 0.01, weightDecay: 0.01 }, rows: 90, batchSize: 30, epochs: 3, everyCall: true, classWeight: 'balanced' },
  { name: 'sigmoid outputs, unweighted bce, SGD', inputs: 6, layers: [{ units: 8, activation: 'tanh' }, { units: 2, activation: 'sigmoid' }], loss: 'bce', optimizer: { type: 'sgd', lr: 0.1 }, rows: 40, batchSize: 13, epochs: 2, everyCall: true },
  { name: 'sigmoid, momentum, wide layers', inputs: 9, layers: [{ units: 48, activation: 'leaky_relu' }, { units: 40, activation: 'sigmoid' }, { units: 1, activation: 'sigmoid' }], loss: 'bce', optimizer: { type: 'momentum', lr: 0.05, momentum: 0.9 }, rows: 70, batchSize: 16, epochs: 3, everyCall: true, classWeight: 'balanced' },
  { name: 'regression, SGD, one row per thread and fewer', inputs: 5, layers: [{ units: 3, activation: 'tanh' }, { units: 2, activation: 'linear' }], loss: 'mse', optimizer: { type: 'sgd', lr: 0.05 }, rows: 11, batchSize: 5, epochs: 4, everyCall: true },
  { name: 'a larger network at the default thresholds', inputs: 784, layers: [{ units: 128, activation: 'relu' }, { units: 64, activation: 'relu' }, { units: 10, activation: 'softmax' }], loss: 'cce', optimizer: { type: 'adam', lr: 0.002 }, rows: 256, batchSize: 128, epochs: 2, everyCall: false },
];

function data(c: Case): { x: Float32Array; y: Float32Array } {
  const rng = new Random(7);
  const x = new Float32Array(c.rows * c.inputs).map(() => rng.normal());
  const outputs = c.layers[c.layers.length - 1]!.units;
  const y = new Float32Array(c.rows * outputs);
  for (let r = 0; r < c.rows; r++) {
    if (c.loss === 'cce') y[r * outputs + rng.nextInt(outputs)] = 1;
    else for (let j = 0; j < outputs; j++) y[r * outputs + j] = c.loss === 'bce' ? rng.nextInt(2) : rng.normal();
  }
  return { x, y };
}

interface Outcome {
  loss: number[];
  weights: number[][];
  predictions: number[];
  shared: number;
}

function train(runtime: Runtime, c: Case): Outcome {
  const pool = runtime.pool!;
  const jobs = pool?.jobs ?? 0;
  if (pool && c.everyCall) pool.minWork = 0;
  const { x, y } = data(c);
  const net = new Network({ inputs: c.inputs, layers: c.layers, seed: 11, runtime });
  try {
    const trainer = new Trainer(net, { loss: c.loss, optimizer: c.optimizer, batchSize: c.batchSize, seed: 3, ...(c.classWeight ? { classWeight: c.classWeight } : {}) });
    const history = trainer.fit(x, y, { epochs: c.epochs, ...(c.validationSplit ? { validationSplit: c.validationSplit } : {}) });
    const weights = net.getWeights({ flat: true }).flatMap((l) => [[...new Uint32Array(Float32Array.from(l.W).buffer)], [...new Uint32Array(Float32Array.from(l.b).buffer)]]);
    const predictions = [...new Uint32Array(net.predict(x).buffer)];
    return { loss: [...history.loss, ...history.valLoss], weights, predictions, shared: (pool?.jobs ?? 0) - jobs };
  } finally {
    net.dispose();
    if (pool) pool.minWork = MIN_WORK;
  }
}

describe.each([
  ['wasm-simd', true],
  ['wasm-scalar', false],
] as const)('%s: the same bits on 1, 2 and 3 threads', (kind, simd) => {
  const runtimes: Runtime[] = [];
  afterAll(() => runtimes.forEach((r) => r.dispose()));
  const runtime = async (threads: number): Promise<Runtime> => {
    const r = await init({ simd, threads, setDefault: false });
    runtimes.push(r);
    expect(r.kind).toBe(kind);
    expect(r.threads, r.threadsNote ?? '').toBe(threads);
    return r;
  };

  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const one = train(await init({ simd, threads: 1, setDefault: false }), c);
    expect(one.loss.every(Number.isFinite)).toBe(true);
    for (const threads of [1, 2, 3]) {
      const r = await runtime(threads);
      const got = train(r, c);
      // shared: every step and the predictions went through the pool
      if (threads > 1) expect(got.shared).toBeGreaterThanOrEqual(c.epochs * Math.ceil(c.rows / c.batchSize));
      expect(got.loss.map((v) => v.toString())).toEqual(one.loss.map((v) => v.toString()));
      expect(got.weights).toEqual(one.weights);
      expect(got.predictions).toEqual(one.predictions);
    }
  });
});

/**
 * A fit that fails on `threads` threads, every call shared among them: the
 * error it ends with ('no error' if none) and the weights after it.
 */
async function failure(simd: boolean, threads: number, make: (runtime: Runtime) => { net: Network; fit: () => void }): Promise<{ message: string; weights: number[] }> {
  const runtime = await init({ simd, threads, setDefault: false });
  if (runtime.pool) runtime.pool.minWork = 0;
  try {
    const { net, fit } = make(runtime);
    let message = 'no error';
    try {
      fit();
    } catch (e) {
      message = `${(e as Error).name}: ${(e as Error).message}`;
    }
    if (threads > 1) expect(runtime.pool!.jobs).toBeGreaterThan(0);
    return { message, weights: weightBits(net) };
  } finally {
    runtime.dispose();
  }
}

describe.each([
  ['wasm-simd', true],
  ['wasm-scalar', false],
] as const)('%s: a step that overflows ends the same way on 1, 2 and 3 threads', (_, simd) => {
  it.each(['sgd', 'momentum', 'adam'] as const)('%s: the same TrainingError, the same weights after it', async (type) => {
    // rows of 1e-30 move the biases far and stay finite; rows of 1 then ask for a step past float32's range
    const inputs = 9;
    const x = new Float32Array(10 * inputs).map((_, i) => (i < 5 * inputs ? 1e-30 : 1));
    const y = new Float32Array(10 * 6);
    const outcome = (threads: number) =>
      failure(simd, threads, (runtime) => {
        const net = new Network({ inputs, layers: [{ units: 6 }], runtime });
        net.setWeights([{ W: Array.from({ length: inputs }, () => Array(6).fill(0.5)), b: Array(6).fill(0) }]);
        return { net, fit: () => void new Trainer(net, { loss: 'mse', optimizer: { type, lr: 1e38 }, batchSize: 5, shuffle: false }).fit(x, y, { epochs: 2 }) };
      });
    const one = await outcome(1);
    for (const threads of [2, 3]) expect(await outcome(threads)).toEqual(one);
    // the undo block: saved by every thread's share before the update, restored on thread 0
    expect(one.message).toMatch(/^TrainingError: fit: the update at epoch 1, batch \d made a weight non-finite; it was undone/);
  });
});

describe.each([
  ['wasm-simd', true],
  ['wasm-scalar', false],
] as const)('%s: a step whose loss is not finite is skipped the same way on 1, 2 and 3 threads', (_, simd) => {
  it('the same TrainingError at the same batch, the weights of the step before', async () => {
    const inputs = 9;
    // the second batch's inputs overflow float32 in the first layer's sums
    const x = new Float32Array(20 * inputs).map((_, i) => (i >= 5 * inputs && i < 10 * inputs ? 3e38 : ((i * 7) % 11) / 11));
    const y = new Float32Array(20 * 6).fill(0.5);
    const outcome = (threads: number) =>
      failure(simd, threads, (runtime) => {
        const net = new Network({ inputs, layers: [{ units: 12, activation: 'linear' }, { units: 6 }], seed: 4, runtime });
        return { net, fit: () => void new Trainer(net, { loss: 'mse', optimizer: 'adam', batchSize: 5, shuffle: false }).fit(x, y, { epochs: 1 }) };
      });
    const one = await outcome(1);
    expect(one.message).toMatch(/^TrainingError: fit: the loss or a gradient is not finite at epoch 1, batch 2/);
    for (const threads of [2, 3]) expect(await outcome(threads)).toEqual(one);
  });
});
