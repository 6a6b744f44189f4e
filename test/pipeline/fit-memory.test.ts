/**
 * fitMemory / checkFitMemory against what trainModel really allocates: the
 * estimate bounds every allocation (less the optional undo block) and
 * overstates it by at most the one-row batch block; under any memory limit,
 * trainModel either refuses up front (naming the bytes and the limit,
 * before a network exists) or trains to the end.
 */
import { describe, expect, it, vi } from 'vitest';
import { makeDataset, MemoryError, trainModel, type Runtime, type TrainModelOptions } from '../../src/index.js';
import { batchBlockBytes } from '../../src/network/plan.js';
import { fitMemory, type FitRows } from '../../src/pipeline/fit-memory.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectRejection } from '../support/expect-error.js';

const PAGE = 65536;
const UNDO = 'room to undo an overflowing update';

/** A classification dataset: `rows` rows of `features` features, 3 classes. */
function blobs(rows: number, features: number) {
  const x: number[][] = [];
  const y: number[] = [];
  for (let r = 0; r < rows; r++) {
    const c = r % 3;
    x.push(Array.from({ length: features }, (_, j) => Math.sin(r * 0.7 + j) + c));
    y.push(c);
  }
  return makeDataset(x, y, { task: 'multiclass', classes: ['a', 'b', 'c'] });
}

const base = (rt: Runtime): number => Math.ceil(rt.backend.kernels.heap_base() / 16) * 16;

/** Runs trainModel and records the highest byte any allocation (but the optional undo block) reached, above the heap's base. */
function peakOf(rt: Runtime, run: () => void): number {
  const heap = rt.heap;
  const alloc = heap.alloc.bind(heap);
  let top = 0;
  const spy = vi.spyOn(heap, 'alloc').mockImplementation((bytes: number, what: string, zero?: boolean) => {
    const ptr = alloc(bytes, what, zero);
    if (what !== UNDO) top = Math.max(top, ptr + Math.max(16, Math.ceil(bytes / 16) * 16));
    return ptr;
  });
  try {
    run();
  } finally {
    spy.mockRestore();
  }
  return top - base(rt);
}

function layersOf(features: number, hidden: number[], outputs: number) {
  return [...hidden, outputs].map((units, i, all) => ({ inputs: i === 0 ? features : all[i - 1]!, outputs: units }));
}

const CASES: { name: string; rows: number; features: number; options: TrainModelOptions }[] = [
  { name: 'the defaults', rows: 300, features: 5, options: {} },
  { name: 'batches of one row, one wide layer', rows: 60, features: 30, options: { hidden: [300], batchSize: 1 } },
  { name: 'no hidden layer, a batch larger than the data', rows: 90, features: 4, options: { hidden: [], batchSize: 500 } },
  { name: 'evaluation chunks larger than the batch (1,024 of 1,300 test rows)', rows: 2600, features: 3, options: { hidden: [40], batchSize: 4, split: [0.4, 0.1, 0.5] } },
  { name: 'sgd, no validation part', rows: 120, features: 6, options: { hidden: [20, 20], optimizer: 'sgd', split: [0.9, 0, 0.1] } },
];

describe.each(BACKENDS)('fit memory on $name', ({ options: backend }) => {
  it.each(CASES)('bounds every allocation of trainModel, overstating it by at most the one-row batch block: $name', async ({ rows, features, options }) => {
    const rt = await runtimeFor(backend);
    const data = blobs(rows, features);
    let result: ReturnType<typeof trainModel> | undefined;
    const peak = peakOf(rt, () => {
      result = trainModel(data, { ...options, epochs: 2, runtime: rt });
    });
    const r = result!;
    const layers = layersOf(features, r.config.hidden, 3);
    const fit: FitRows = { trainRows: r.rows.train, batchRows: Math.min(r.config.batchSize, r.rows.train), evalRows: [r.rows.test, r.rows.validation] };
    const need = fitMemory(rt.backend.kernels, layers, fit);
    expect(peak).toBeLessThanOrEqual(need.bytes);
    expect(need.bytes - peak).toBeLessThanOrEqual(batchBlockBytes(layers, 1, rt.backend.kernels));
    r.network.dispose();
    expect(rt.liveBytes).toBe(0);
  });

  it('under every memory limit, trainModel refuses up front or trains to the end', async () => {
    const data = blobs(300, 20);
    const options: TrainModelOptions = { hidden: [400, 200], batchSize: 8, epochs: 1 };
    // the sizes the split gives (the same for every limit: same data, same seed)
    const probe = await runtimeFor(backend);
    const r = trainModel(data, { ...options, runtime: probe });
    r.network.dispose();
    const layers = layersOf(20, [400, 200], 3);
    const need = fitMemory(probe.backend.kernels, layers, { trainRows: r.rows.train, batchRows: 8, evalRows: [r.rows.test, r.rows.validation] });
    const first = Math.floor((base(probe) + need.bytes) / PAGE) - 3;
    // past the estimate by more than adam's undo block (3 snapshots), where a
    // fit that took it before the best-weights snapshot ran out of room
    const last = Math.ceil((base(probe) + need.bytes + 2 * need.snapshots) / PAGE) + 2;
    let refused = 0;
    let trained = 0;
    for (let pages = first; pages <= last; pages++) {
      const rt = await runtimeFor({ ...backend, initialPages: 1, maximumPages: pages });
      const fits = pages * PAGE - base(rt) >= need.bytes;
      const epochs: number[] = [];
      const run = () => trainModel(data, { ...options, runtime: rt, onEpochEnd: (info) => void epochs.push(info.epoch) });
      if (fits) {
        run().network.dispose();
        expect(epochs).toEqual([1]);
        trained++;
      } else {
        await expectRejection(async () => run(), MemoryError, /^trainModel: a 20 → 400 → 200 → 3 network \(89,203 parameters\) needs [\d,]+ bytes/, `over the limit of ${(pages * PAGE).toLocaleString('en-US')} bytes`);
        expect(epochs).toEqual([]);
        refused++;
      }
      expect(rt.liveBytes).toBe(0);
    }
    expect(refused).toBeGreaterThanOrEqual(3);
    expect(trained).toBeGreaterThanOrEqual(10);
  });
});

describe('checkFitMemory', () => {
  it('refuses in milliseconds what would take many times the limit, naming the bytes, their uses, the limit and what is free', async () => {
    const rt = await runtimeFor({ initialPages: 1, maximumPages: 16 });
    const started = performance.now();
    const err = await expectRejection(
      async () => trainModel(blobs(60, 4), { hidden: [2000, 2000], runtime: rt }),
      MemoryError,
      'trainModel: a 4 → 2000 → 2000 → 3 network (4,018,003 parameters) needs ',
      /needs [\d,]+ bytes \([\d.]+ MiB\) of linear memory to train: /,
      // 5 × 4,018,003 floats (W and b, their gradients, two optimizer states, W packed); 2 × W and b; 32 rows × (2,000 + 2,000 + 3) units × 3 buffers + scratch
      '76.62 MiB for the weights, gradients and optimizer state (with the weights packed for the forward pass), ',
      '30.65 MiB for 2 snapshots of the weights, ',
      'MiB for batches of 32 rows, ',
      'KiB for the 48 training rows; over the limit of 1,048,576 bytes (1.00 MiB), of which ',
      'use fewer or smaller hidden layers (hidden), or a smaller batchSize',
    );
    // the weights alone are 4,018,003 × 4 bytes: the estimate names at least six times that
    const needed = Number(/needs ([\d,]+) bytes/.exec(err.message)![1]!.replace(/,/g, ''));
    expect(needed).toBeGreaterThan(6 * 4_018_003 * 4);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(rt.liveBytes).toBe(0);
    expect(rt.memoryBytes).toBe(PAGE); // nothing grew
  });

  it('counts what live networks already hold', async () => {
    const rt = await runtimeFor({ initialPages: 1, maximumPages: 64 });
    const data = blobs(120, 8);
    const options: TrainModelOptions = { hidden: [150], epochs: 1, runtime: rt };
    const held = trainModel(data, options).network; // stays alive
    const second = trainModel(data, options).network;
    second.dispose();
    // a third network of the same kind is refused while two are alive, with the room that is left
    const third = trainModel(data, options).network;
    const crowd = [held, third];
    let err: unknown;
    for (let i = 0; i < 40 && err === undefined; i++) {
      try {
        crowd.push(trainModel(data, options).network);
      } catch (e) {
        err = e;
      }
    }
    expect(err).toBeInstanceOf(MemoryError);
    const free = Number(/of which ([\d,]+) are free/.exec((err as Error).message)![1]!.replace(/,/g, ''));
    expect(free).toBe(64 * PAGE - base(rt) - rt.liveBytes);
    for (const n of crowd) n.dispose();
    expect(rt.liveBytes).toBe(0);
  });
});
