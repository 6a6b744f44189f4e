/**
 * Training in a Node worker thread (examples/worker: the worker imports the
 * built package by name): the caller's event loop keeps running, progress
 * arrives per epoch, an AbortSignal cancels, and the weights that come back
 * are the ones the same training gives on the main thread.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, Network, Scaler, split, Trainer } from '../../src/index.js';
import { parseCsv } from '../../src/csv.js';
import { ROOT } from '../support/packed.js';
import { STUDENTS_CSV } from './student-reference.js';

interface EpochMessage {
  type: 'epoch';
  epoch: number;
  epochs: number;
  loss: number;
}
interface Result {
  history: { loss: number[]; epochs: number; stopReason: string };
  weights: { W: Float32Array; b: Float32Array }[];
}
type Client = {
  startTrainingWorker(): Promise<{ worker: Worker; kind: string }>;
  trainInWorker(worker: Worker, request: object, options?: { onEpoch?: (e: EpochMessage) => void; signal?: AbortSignal }): Promise<Result>;
};

const data = parseCsv(readFileSync(STUDENTS_CSV, 'utf8'));
const { train } = split(data, { seed: 1 });
const scaler = Scaler.fit(train.x, train.rows, train.features, 'minmax');
const network = { inputs: 2, layers: [{ units: 16, activation: 'relu' as const }, { units: 1, activation: 'sigmoid' as const }], seed: 3 };
const trainer = { loss: 'bce' as const, optimizer: { type: 'adam' as const, lr: 0.01 }, batchSize: 16, seed: 1 };
const request = (epochs: number) => ({ network, trainer, x: scaler.transform(train.x, train.rows), y: train.y, epochs });

describe('worker_threads: training off the main thread', () => {
  let client: Client;
  let worker: Worker;

  beforeAll(async () => {
    if (!existsSync(`${ROOT}dist/index.js`)) throw new Error('dist/index.js is missing: run `npm run build` first (`npm test` does)');
    // @ts-expect-error: the example is plain JavaScript; Client above gives its types
    client = (await import('../../examples/worker/client.mjs')) as Client;
    const started = await client.startTrainingWorker();
    worker = started.worker;
    expect(started.kind).toBe('wasm-simd');
  }, 30_000);

  afterAll(async () => {
    await worker?.terminate();
  });

  it('reports every epoch while the caller keeps running; the weights match training on the main thread', async () => {
    let ticks = 0;
    const ticksAtEpoch: number[] = [];
    const timer = setInterval(() => ticks++, 1);
    const epochs: EpochMessage[] = [];
    const result = await client.trainInWorker(worker, request(200), {
      onEpoch: (e) => {
        epochs.push(e);
        ticksAtEpoch.push(ticks);
      },
    });
    clearInterval(timer);
    expect(epochs.map((e) => e.epoch)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(result.history.stopReason).toBe('epochs');
    expect(result.history.loss).toEqual(epochs.map((e) => e.loss));
    // the caller's timer fired between the first and the last epoch report
    expect(ticksAtEpoch.at(-1)! - ticksAtEpoch[0]!).toBeGreaterThan(10);

    // the same training on this thread: the same losses and weights
    const runtime = await init({ setDefault: false });
    const net = new Network({ ...network, runtime });
    const history = new Trainer(net, trainer).fit(scaler.transform(train.x, train.rows), train.y, { epochs: 200 });
    expect(result.history.loss).toEqual(history.loss);
    const weights = net.getWeights({ flat: true });
    result.weights.forEach((layer, i) => {
      expect(Array.from(layer.W)).toEqual(Array.from(weights[i]!.W));
      expect(Array.from(layer.b)).toEqual(Array.from(weights[i]!.b));
    });
    net.dispose();
  }, 60_000);

  it('an AbortSignal cancels a long run within an epoch or two; the worker takes the next job', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const result = await client.trainInWorker(worker, request(1_000_000), {
      onEpoch: (e) => {
        if (e.epoch === 5) controller.abort();
      },
      signal: controller.signal,
    });
    expect(result.history.stopReason).toBe('aborted');
    expect(result.history.epochs).toBeGreaterThanOrEqual(5);
    expect(result.history.epochs).toBeLessThan(50);
    expect(Date.now() - started).toBeLessThan(20_000);

    const next = await client.trainInWorker(worker, request(3));
    expect(next.history.stopReason).toBe('epochs');
    expect(next.history.epochs).toBe(3);
  }, 60_000);

  it('an error in the worker comes back as a rejection with its name and message', async () => {
    await expect(client.trainInWorker(worker, { ...request(3), trainer: { ...trainer, loss: 'hinge' } })).rejects.toMatchObject({
      name: 'ValueError',
      message: expect.stringMatching(/loss/),
    });
  });
});
