/**
 * Faults on threads: a worker that throws, exits or traps in the middle of a
 * training step turns into a TrainingError naming it, with the weights of the
 * last finished step (or, when it failed during the update, of the start of
 * the epoch, the optimizer state reset) and the runtime going on on one
 * thread (the same bits);
 * a prediction whose worker fails is done again on one thread; dispose()
 * ends every worker; a shared memory that grows in the middle of training
 * (in place: no view is detached) changes no bit. Needs dist/thread-worker.js.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Sync } from '../../src/backend/abi.js';
import { init, Network, Random, Trainer, TrainingError, type Runtime } from '../../src/index.js';
import { expectError } from '../support/expect-error.js';

const runtimes: Runtime[] = [];
afterEach(() => {
  runtimes.splice(0).forEach((r) => r.dispose());
});

async function threaded(threads: number, extra: { initialPages?: number } = {}): Promise<Runtime> {
  const r = await init({ threads, setDefault: false, ...extra });
  runtimes.push(r);
  expect(r.threads, r.threadsNote ?? '').toBe(threads);
  // share every call, however small
  r.pool!.minWork = 0;
  return r;
}

function dataset(rows: number, inputs: number): { x: Float32Array; y: Float32Array } {
  const rng = new Random(5);
  const x = new Float32Array(rows * inputs).map(() => rng.normal());
  const y = new Float32Array(rows).map(() => rng.nextInt(2));
  return { x, y };
}

const bits = (a: ArrayLike<number>): number[] => [...new Uint32Array(Float32Array.from(a).buffer)];
const weights = (net: Network): number[] => net.getWeights({ flat: true }).flatMap((l) => [...bits(l.W), ...bits(l.b)]);

function network(runtime: Runtime): Network {
  return new Network({ inputs: 12, layers: [{ units: 20, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 9, runtime });
}

/** Makes worker `index` fail in the next job it runs: 1 throws, 2 exits the thread, 3 traps in Wasm, 4 throws once its share (the update included) has run. */
function inject(runtime: Runtime, index: number, mode: 1 | 2 | 3 | 4): void {
  runtime.heap.i32()[(runtime.pool!.sync + Sync.inject) >> 2] = (index + 1) | (mode << 8);
}

describe('a worker that fails in the middle of a training step', () => {
  it.each([
    [1, 'throws', 'injected fault'],
    [2, 'exits', 'exited'],
    [3, 'traps', 'RuntimeError'],
  ] as const)('mode %i (%s): a TrainingError naming it, the weights of the last finished step, one thread after', async (mode, _, words) => {
    const { x, y } = dataset(60, 12);
    const runtime = await threaded(3);
    const net = network(runtime);
    const trainer = new Trainer(net, { loss: 'bce', optimizer: 'adam', batchSize: 10, seed: 4 });
    let lastFinished: number[] = [];
    const err = expectError(
      () =>
        trainer.fit(x, y, {
          epochs: 2,
          onBatchEnd: (info) => {
            lastFinished = weights(net);
            if (info.epoch === 2 && info.batch === 3) inject(runtime, 2, mode);
          },
        }),
      TrainingError,
      'worker thread 2 of the 3 of a job failed',
      words,
      'at epoch 2, batch 4',
      'weights are those after the last finished step',
    );
    expect((err as TrainingError & { epoch: number }).epoch).toBe(2);
    expect(weights(net)).toEqual(lastFinished);
    expect(runtime.threads).toBe(1);
    expect(runtime.threadsNote).toContain('worker thread 2');

    // the runtime goes on, on one thread, with the bits a one-thread runtime gives from the same state
    const single = await init({ threads: 1, setDefault: false });
    const twin = network(single);
    twin.setWeights(net.getWeights());
    const opts = { loss: 'bce' as const, optimizer: 'sgd' as const, batchSize: 10, seed: 4 };
    const a = new Trainer(net, opts).fit(x, y, { epochs: 2 }).loss;
    const b = new Trainer(twin, opts).fit(x, y, { epochs: 2 }).loss;
    expect(a).toEqual(b);
    expect(weights(net)).toEqual(weights(twin));
  });

  it('mode 4 (fails once its share of the update has run): a TrainingError saying so, the weights of the start of the epoch, the optimizer state reset', async () => {
    const { x, y } = dataset(60, 12);
    const runtime = await threaded(3);
    const net = network(runtime);
    const trainer = new Trainer(net, { loss: 'bce', optimizer: 'adam', batchSize: 10, seed: 4 });
    let epochStart: number[] = [];
    let afterStep3: number[] = [];
    expectError(
      () =>
        trainer.fit(x, y, {
          epochs: 2,
          onEpochBegin: ({ epoch }) => {
            if (epoch === 2) epochStart = weights(net);
          },
          onBatchEnd: (info) => {
            if (info.epoch === 2 && info.batch === 3) {
              afterStep3 = weights(net);
              inject(runtime, 2, 4);
            }
          },
        }),
      TrainingError,
      'worker thread 2 of the 3 of a job failed',
      'injected fault after its share of the update',
      'at epoch 2, batch 4',
      'the weights are those of the start of epoch 2 (optimizer state reset)',
    );
    // restored: neither the half-applied step nor the three finished ones of the epoch
    expect(weights(net)).toEqual(epochStart);
    expect(weights(net)).not.toEqual(afterStep3);
    expect(runtime.threads).toBe(1);

    // the optimizer state was reset: the trainer goes on as a new trainer would from these weights, on one thread
    const single = await init({ threads: 1, setDefault: false });
    const twin = network(single);
    twin.setWeights(net.getWeights());
    const opts = { loss: 'bce' as const, optimizer: 'adam' as const, batchSize: 10, seed: 4, shuffle: false };
    const a = new Trainer(net, opts).fit(x, y, { epochs: 1 }).loss;
    const b = new Trainer(twin, opts).fit(x, y, { epochs: 1 }).loss;
    expect(a).toEqual(b);
    expect(weights(net)).toEqual(weights(twin));
  });

  it('a prediction whose worker fails is computed again on one thread: the same outputs', async () => {
    const { x } = dataset(40, 12);
    const runtime = await threaded(2);
    const net = network(runtime);
    const expected = bits(net.predict(x));
    inject(runtime, 1, 1);
    expect(bits(net.predict(x))).toEqual(expected);
    expect(runtime.threads).toBe(1);
    expect(runtime.threadsNote).toContain('injected fault');
  });
});

describe('dispose and growth', () => {
  it('dispose() ends every worker; the runtime goes on on one thread with the same bits', async () => {
    const { x, y } = dataset(50, 12);
    const runtime = await threaded(2);
    const net = network(runtime);
    const trainer = new Trainer(net, { loss: 'bce', optimizer: 'momentum', batchSize: 10, seed: 1 });
    trainer.fit(x, y, { epochs: 1 });
    const jobs = runtime.pool!.jobs;
    expect(jobs).toBeGreaterThan(0);
    runtime.dispose();
    runtime.dispose();
    expect(runtime.threads).toBe(1);
    expect(runtime.threadsNote).toBe('the runtime was disposed');
    const after = trainer.fit(x, y, { epochs: 1 }).loss;
    expect(runtime.pool!.jobs).toBe(jobs);
    expect(after.every(Number.isFinite)).toBe(true);
  });

  it('a shared memory that grows in the middle of training (in place) gives the same bits as one that does not', async () => {
    const { x, y } = dataset(40, 12);
    const run = async (grow: boolean): Promise<(number | string)[]> => {
      const rt = await threaded(2, { initialPages: 1 });
      const net = network(rt);
      const trainer = new Trainer(net, { loss: 'bce', optimizer: 'adam', batchSize: 8, seed: 2 });
      const h1 = trainer.fit(x, y, { epochs: 2 }).loss;
      const before = rt.memoryBytes;
      const buffer = rt.backend.memory.buffer;
      let big: Network | null = null;
      if (grow) {
        big = new Network({ inputs: 300, layers: [{ units: 300 }], runtime: rt });
        expect(rt.memoryBytes).toBeGreaterThan(before);
        // shared memory is never detached: the old buffer keeps its length
        expect(buffer.byteLength).toBe(before);
      }
      const h2 = trainer.fit(x, y, { epochs: 2 }).loss;
      big?.dispose();
      return [...h1.map(String), ...h2.map(String), ...weights(net), ...bits(net.predict(x))];
    };
    expect(await run(true)).toEqual(await run(false));
  });
});
