/**
 * The default init (no `threads`): one thread per core where threads are
 * possible, its workers started once the calls large enough to share have
 * done START_WORK (src/threads/work.ts) on the calling thread, and not
 * before; the calls after that share among them with the same bits as one
 * thread. One core, a page that is not cross-origin isolated, the
 * pure-JS backend or a module given: the one-thread runtime, with no note.
 * dispose() before the workers started keeps them from ever starting.
 * Needs dist/thread-worker.js (npm run build).
 */
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { init, Network, Random, Trainer, type Runtime } from '../../src/index.js';
import { weightBits } from '../support/snapshot.js';
import { wasmUrl } from '../support/wasm-url.js';

const runtimes: Runtime[] = [];
afterAll(() => runtimes.forEach((r) => r.dispose()));
afterEach(() => vi.restoreAllMocks());
const make = async (options: Parameters<typeof init>[0] = {}): Promise<Runtime> => {
  const r = await init({ setDefault: false, ...options });
  runtimes.push(r);
  return r;
};

const CORES = Math.min(os.availableParallelism(), 64);

// 784-128-64-10 at batch 128: 14 M multiply-adds a step, above the 8 Mi a call needs to be shared
const INPUTS = 784;
const LAYERS = [{ units: 128, activation: 'relu' as const }, { units: 64, activation: 'relu' as const }, { units: 10, activation: 'softmax' as const }];
const rng = new Random(3);
const X = new Float32Array(256 * INPUTS).map(() => rng.normal());
const Y = new Float32Array(256 * 10).map((_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0));

/** Two epochs of two steps of 128 rows, then the predictions of every row: loss history, weights and outputs as bits. */
function train(net: Network): unknown[] {
  const trainer = new Trainer(net, { loss: 'cce', optimizer: 'adam', batchSize: 128, seed: 1 });
  const loss = trainer.fit(X, Y, { epochs: 2 }).loss;
  return [loss, weightBits(net), [...new Uint32Array(net.predict(X).buffer)]];
}

async function workersReady(runtime: Runtime): Promise<void> {
  const until = performance.now() + 20_000;
  while (!(runtime.pool && runtime.pool.available() === runtime.threads)) {
    if (performance.now() > until) throw new Error(`workers not ready after 20 s: ${runtime.threadsNote ?? 'no note'}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe.runIf(CORES >= 2)('init() on a machine with more than one core', () => {
  it('shares among one thread per core over a shared memory, with no worker and no pool until a call large enough to share', async () => {
    const r = await make();
    expect(r.threads).toBe(CORES);
    expect(r.threadsNote).toBeNull();
    expect(r.kind).toBe('wasm-simd');
    expect(r.backend.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(r.pool).toBeNull();
    // a small network trains and predicts on the calling thread and starts nothing
    const small = new Network({ inputs: 20, layers: [{ units: 30, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 1, runtime: r });
    new Trainer(small, { loss: 'bce', optimizer: 'adam', batchSize: 64, seed: 1 }).fit(X.subarray(0, 200 * 20), Y.subarray(0, 200), { epochs: 3 });
    small.predict(X.subarray(0, 1000 * 20));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.pool).toBeNull();
  });

  it('the workers start once the large calls have done START_WORK on the calling thread; the calls after share among them; every bit as on one thread', async () => {
    const single = await make({ threads: 1 });
    const r = await make();
    const expected = train(new Network({ inputs: INPUTS, layers: LAYERS, seed: 5, runtime: single }));

    // 4 steps and a prediction, 84 M multiply-adds of forward work: not enough to start the workers
    expect(train(new Network({ inputs: INPUTS, layers: LAYERS, seed: 5, runtime: r }))).toEqual(expected);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.pool).toBeNull();
    // three times more of it: the call that passes START_WORK makes the pool and spawns the workers within it
    // (Node: dist/threads.cjs by require, worker_threads by process.getBuiltinModule)
    for (let i = 0; i < 3; i++) expect(train(new Network({ inputs: INPUTS, layers: LAYERS, seed: 5, runtime: r }))).toEqual(expected);
    expect(r.pool).not.toBeNull();
    await workersReady(r);
    const shared = train(new Network({ inputs: INPUTS, layers: LAYERS, seed: 5, runtime: r }));
    expect(r.pool!.jobs).toBeGreaterThan(0);
    expect(shared).toEqual(expected);
    expect(r.threads).toBe(CORES);
    expect(r.threadsNote).toBeNull();
  });

  it('a synchronous fit that passes START_WORK shares its later steps once the workers are up (they say so in the shared memory), every bit as on one thread', async () => {
    const single = await make({ threads: 1 });
    const r = await make();
    const fit = (runtime: Runtime): unknown[] => {
      const net = new Network({ inputs: INPUTS, layers: LAYERS, seed: 5, runtime });
      // 120 epochs of 2 steps: START_WORK within the first 20 steps, then far longer than a worker takes to start
      const loss = new Trainer(net, { loss: 'cce', optimizer: 'adam', batchSize: 128, seed: 1 }).fit(X, Y, { epochs: 120 }).loss;
      return [loss, weightBits(net)];
    };
    const expected = fit(single);
    const result = fit(r);
    expect(r.pool).not.toBeNull();
    expect(r.pool!.jobs).toBeGreaterThan(0);
    expect(result).toEqual(expected);
  });

  it('dispose() before the workers started: one thread, the note says so, and no large call starts them after', async () => {
    const r = await make();
    r.dispose();
    expect(r.threads).toBe(1);
    expect(r.threadsNote).toBe('the runtime was disposed');
    const net = new Network({ inputs: INPUTS, layers: LAYERS, seed: 5, runtime: r });
    // 20 steps of 14 M multiply-adds: past START_WORK
    new Trainer(net, { loss: 'cce', optimizer: 'adam', batchSize: 128, seed: 1 }).fit(X, Y, { epochs: 10 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.pool).toBeNull();
  });

  it('the scalar build has its threads build for the default too', async () => {
    const r = await make({ simd: false });
    expect(r.kind).toBe('wasm-scalar');
    expect(r.threads).toBe(CORES);
    expect(r.backend.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
  });
});

describe('init() where threads are not possible: the one-thread runtime as threads: 1 gives it, with no note', () => {
  const oneThread = (r: Runtime): void => {
    expect(r.threads).toBe(1);
    expect(r.threadsNote).toBeNull();
    expect(r.pool).toBeNull();
    expect(r.backend.memory.buffer).toBeInstanceOf(ArrayBuffer);
  };

  it('one core (os.availableParallelism() is 1)', async () => {
    vi.spyOn(os, 'availableParallelism').mockReturnValue(1);
    const r = await make();
    oneThread(r);
    expect('mlp_thread_run' in r.backend.kernels).toBe(false);
    // the mock is what the runtime asked: it counts the cores this way
    expect(os.availableParallelism).toHaveBeenCalled();
  });

  it('a page that is not cross-origin isolated', async () => {
    const g = globalThis as { crossOriginIsolated?: boolean };
    g.crossOriginIsolated = false;
    try {
      oneThread(await make());
    } finally {
      delete g.crossOriginIsolated;
    }
  });

  it.each([
    ['the pure-JS backend', { backend: 'js' as const }],
    ['a module given', { module: new WebAssembly.Module(readFileSync(wasmUrl('simd.wasm'))) }],
  ])('%s', async (_, options) => {
    oneThread(await make(options));
  });
});
