// net.toFunctionSource(): the generated module, written to a file and
// imported as a user would, predicts what the network predicts (within
// float32 rounding), for every activation, with input and target scaling,
// as ESM and as CommonJS.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Network, Scaler, ValueError, type LayerOptions, type Runtime } from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectError } from '../support/expect-error.js';
import { values } from '../support/random-values.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-standalone-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

interface Standalone {
  predict(x: number[]): number[];
  predictLabel?: (x: number[]) => string;
  CLASSES?: string[];
}

async function load(source: string, format: 'esm' | 'cjs'): Promise<Standalone> {
  const file = join(dir, `net${files++}.${format === 'esm' ? 'mjs' : 'cjs'}`);
  writeFileSync(file, source);
  return format === 'esm' ? ((await import(pathToFileURL(file).href)) as Standalone) : (createRequire(import.meta.url)(file) as Standalone);
}

const INPUTS = 4;
const samples = (seed: number): number[][] => {
  const v = values(12 * INPUTS, seed);
  return Array.from({ length: 12 }, (_, r) => Array.from(v.subarray(r * INPUTS, (r + 1) * INPUTS), (a) => a * 30 + 5));
};

function within(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  // float64 sums against float32 kernels: a few float32 ulps
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]!), `output ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(2e-6 * Math.max(1, Math.abs(expected[i]!))));
}

function network(runtime: Runtime, layers: LayerOptions[], seed: number): Network {
  return new Network({ inputs: INPUTS, layers, seed, runtime });
}

describe.each(BACKENDS)('toFunctionSource on $name', ({ options }) => {
  it('every activation, with input scaling: the module predicts what predict does', async () => {
    const rt = await runtimeFor(options);
    const x = samples(1);
    const stacks: LayerOptions[][] = [
      [{ units: 7, activation: 'relu' }, { units: 5, activation: 'leaky_relu', alpha: 0.07 }, { units: 3, activation: 'softmax' }],
      [{ units: 6, activation: 'tanh' }, { units: 1, activation: 'sigmoid' }],
      [{ units: 5, activation: 'sigmoid' }, { units: 2, activation: 'linear' }],
    ];
    for (const [i, layers] of stacks.entries()) {
      const net = network(rt, layers, 10 + i);
      net.scaler = Scaler.fit(x, 'standard');
      const mod = await load(net.toFunctionSource(), 'esm');
      for (const row of x) within(mod.predict(row), net.predict(row));
      net.dispose();
    }
  });

  it('regression with a target scaler, as CommonJS', async () => {
    const rt = await runtimeFor(options);
    const x = samples(2);
    const net = network(rt, [{ units: 8, activation: 'relu' }, { units: 1 }], 3);
    net.scaler = Scaler.fit(x, 'minmax');
    net.targetScaler = Scaler.fit([[100], [300], [250]], 'standard');
    const mod = await load(net.toFunctionSource({ format: 'cjs' }), 'cjs');
    for (const row of x) within(mod.predict(row), net.predict(row));
    expect(mod.predictLabel).toBeUndefined();
    net.dispose();
  });

  it("a classifier's module also names its classes and predicts labels by predictLabels' rule", async () => {
    const rt = await runtimeFor(options);
    const x = samples(3);
    const net = network(rt, [{ units: 6, activation: 'tanh' }, { units: 3, activation: 'softmax' }], 4);
    net.classes = ['setosa', 'versicolor', "vir'ginica"];
    const mod = await load(net.toFunctionSource(), 'esm');
    expect(mod.CLASSES).toEqual(net.classes);
    expect(x.map((row) => mod.predictLabel!(row))).toEqual(net.predictLabels(x));
    // without classes: '0', '1', … as predictLabels gives them
    const bin = network(rt, [{ units: 1, activation: 'sigmoid' }], 5);
    const binMod = await load(bin.toFunctionSource(), 'esm');
    expect(x.map((row) => binMod.predictLabel!(row))).toEqual(bin.predictLabels(x));
    net.dispose();
    bin.dispose();
  });

  it('the module refuses a sample of the wrong size or with non-finite values; bad options are refused', async () => {
    const rt = await runtimeFor(options);
    const net = network(rt, [{ units: 2, activation: 'relu' }], 6);
    const mod = await load(net.toFunctionSource(), 'esm');
    expect(() => mod.predict([1, 2])).toThrow(new RangeError('predict: expected 4 numbers (one sample), got 2'));
    expect(() => mod.predict([1, 2, NaN, 4])).toThrow(new RangeError('predict: expected finite numbers, got NaN at index 2'));
    expectError(() => net.toFunctionSource({ format: 'umd' as never }), ValueError, 'options.format: expected one of esm, cjs, got "umd"');
    net.dispose();
  });
});
