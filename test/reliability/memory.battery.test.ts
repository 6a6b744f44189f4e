/**
 * The reliability battery near the memory limit, on every backend: networks,
 * batches and fits sized on both sides of what a small linear memory holds,
 * beside a ballast network that leaves a varying amount free. The property:
 * the call's result, or a MemoryError naming the bytes needed and the limit
 * before any work — the network's weights unchanged — and, once the case's
 * networks are disposed, nothing left allocated.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluate, MemoryError, Network, Trainer, type Runtime } from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectSame, SEED } from '../support/battery.js';
import { weightBits } from '../support/snapshot.js';

type Op = 'construct' | 'predict' | 'trace' | 'fit' | 'evaluate';

interface Case {
  op: Op;
  inputs: number;
  units: number;
  rows: number;
  ballast: number;
}

/** Sizes spread over orders of magnitude, so that both sides of the limit come up often. */
const size = (max: number) => fc.integer({ min: 0, max: Math.round(Math.log2(max) * 8) }).map((k) => Math.max(1, Math.round(2 ** (k / 8))));

const kase: fc.Arbitrary<Case> = fc.record({
  op: fc.constantFrom<Op>('construct', 'predict', 'trace', 'fit', 'evaluate'),
  inputs: fc.integer({ min: 1, max: 8 }),
  units: size(40_000),
  rows: size(20_000),
  ballast: size(30_000),
});

/** Runs one case; returns the networks it made (disposed by the caller either way). */
function run(rt: Runtime, c: Case, made: Network[]): void {
  tally.calls += c.op === 'construct' ? 2 : 3;
  const ballast = tryMake(() => new Network({ inputs: 1, layers: [{ units: c.ballast }], runtime: rt }));
  if (ballast) made.push(ballast);
  const net = tryMake(() => new Network({ inputs: c.inputs, layers: [{ units: c.units, activation: 'relu' }, { units: 1, activation: 'linear' }], runtime: rt }));
  if (net) made.push(net);
  if (!net || c.op === 'construct') return;
  const x = new Float32Array(c.rows * c.inputs).fill(0.5);
  const y = new Float32Array(c.rows).fill(1);
  const before = weightBits(net);
  try {
    if (c.op === 'predict') expectSame((net.predict(x) as Float32Array).length, c.rows, 'predicted rows');
    if (c.op === 'trace') expectSame(net.trace(x, y, { loss: 'mse' }).output.length, c.rows, 'traced rows');
    if (c.op === 'evaluate') expectSame(evaluate(net, { x, y }).support, c.rows, 'evaluated rows');
    if (c.op === 'fit') expectSame(new Trainer(net, { loss: 'mse', optimizer: { type: 'sgd', lr: 1e-3 }, batchSize: c.rows }).fit(x, y, { epochs: 1 }).epochs, 1, 'epochs run');
  } catch (e) {
    refusal(e);
    expectSame(weightBits(net), before, 'the weights after a MemoryError');
  }
}

function tryMake(make: () => Network): Network | null {
  try {
    return make();
  } catch (e) {
    refusal(e);
    return null;
  }
}

/** Calls and MemoryErrors seen: the sizes must land on both sides of the limit. */
const tally = { calls: 0, refused: 0 };

function refusal(e: unknown): void {
  tally.refused++;
  if (!(e instanceof MemoryError) || !/needs [\d.e+]+ more bytes of linear memory .*(over the limit of|refused to grow)/.test(e.message)) {
    throw new Error(`expected a MemoryError naming the bytes and the limit, got ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
}

describe.each(BACKENDS)('the reliability battery: near the memory limit on $name', ({ options }) => {
  let rt: Runtime;
  beforeAll(async () => {
    tally.calls = 0;
    tally.refused = 0;
    // 512 KiB: a few thousand units, or rows, fill it
    rt = await runtimeFor({ ...options, initialPages: 1, maximumPages: 8 });
  });

  it('networks, batches and fits on both sides of the limit: the result, or a MemoryError before any work, and nothing left allocated', () => {
    fc.assert(fc.property(kase, (c) => {
      const baseline = rt.liveBytes;
      const made: Network[] = [];
      try {
        run(rt, c, made);
      } finally {
        for (const n of made) n.dispose();
      }
      expectSame(rt.liveBytes, baseline, 'liveBytes after the case\'s networks are disposed');
    }), { seed: SEED, numRuns: 300, endOnFailure: true });
    expect(tally.refused).toBeGreaterThan(tally.calls / 10);
    expect(tally.refused).toBeLessThan(tally.calls / 2);
  });
});
