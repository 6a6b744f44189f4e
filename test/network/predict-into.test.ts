import { describe, expect, it } from 'vitest';
import { Network, Scaler, ShapeError, StateError, ValueError, type Runtime } from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectError } from '../support/expect-error.js';
import { values } from '../support/random-values.js';
import { TINY_CALLS_BEFORE_CODE } from '../../src/network/tiny/dispatch.js';

const TINY = { inputs: 3, layers: [{ units: 4, activation: 'tanh' as const }, { units: 3, activation: 'softmax' as const }] };
// over the tiny path's parameter limit: every call takes the batch machinery
const LARGE = { inputs: 40, layers: [{ units: 48, activation: 'relu' as const }, { units: 2, activation: 'sigmoid' as const }] };

function row(n: number, seed: number): number[] {
  return Array.from(values(n, seed), (v) => v * 3);
}

describe.each(BACKENDS)('predictInto on $name', ({ options }) => {
  it.each([['tiny', TINY], ['large', LARGE]] as const)(
    '%s network: the same bits as predict for one sample, a flat batch and nested rows, before and after the tiny code',
    async (_kind, shape) => {
      const rt = await runtimeFor(options);
      const net = new Network({ ...shape, seed: 4, runtime: rt });
      const { inputs } = shape;
      const outputs = net.layers[net.layers.length - 1]!.units;
      const out = new Float32Array(outputs);
      for (let i = 0; i < TINY_CALLS_BEFORE_CODE + 20; i++) {
        // a plain array's values are used as they are (float64), a Float32Array's as float32
        const x = row(inputs, i + 1);
        out.fill(-7);
        expect(net.predictInto(x, out)).toBe(out);
        expect(Array.from(out)).toEqual(net.predict(x));
        const x32 = Float32Array.from(x);
        out.fill(-7);
        expect(net.predictInto(x32, out)).toBe(out);
        expect(out).toEqual(net.predict(x32));
      }
      const rows = [row(inputs, 101), row(inputs, 102), row(inputs, 103)];
      const expected = net.predict(Float32Array.from(rows.flat()));
      const batchOut = new Float32Array(3 * outputs).fill(-7);
      expect(net.predictInto(Float32Array.from(rows.flat()), batchOut)).toBe(batchOut);
      expect(batchOut).toEqual(expected);
      batchOut.fill(-7);
      net.predictInto(rows, batchOut);
      expect(batchOut).toEqual(expected);
      net.dispose();
    },
  );

  it('applies the scaler and the target scaler as predict does', async () => {
    const rt = await runtimeFor(options);
    const net = new Network({ inputs: 3, layers: [{ units: 5, activation: 'relu' }, { units: 2 }], seed: 2, runtime: rt });
    const x = values(30, 9).map((v) => v * 50 + 10);
    const y = values(20, 10).map((v) => v * 1000);
    net.scaler = Scaler.fit(x, 10, 3, 'standard');
    net.targetScaler = Scaler.fit(y, 10, 2, 'minmax');
    const out = new Float32Array(2);
    for (let i = 0; i < TINY_CALLS_BEFORE_CODE + 5; i++) {
      const sample = x.subarray((i % 10) * 3, (i % 10) * 3 + 3);
      net.predictInto(sample, out);
      expect(out).toEqual(net.predict(Float32Array.from(sample)));
    }
    const all = new Float32Array(20);
    net.predictInto(x, all);
    expect(all).toEqual(net.predict(x));
  });

  it('may write over its own input (one sample and a batch)', async () => {
    const rt = await runtimeFor(options);
    const net = new Network({ inputs: 3, layers: [{ units: 4, activation: 'sigmoid' }, { units: 3, activation: 'linear' }], seed: 6, runtime: rt });
    for (let i = 0; i < TINY_CALLS_BEFORE_CODE + 3; i++) {
      const x = Float32Array.from(row(3, i + 50));
      const expected = net.predict(x.slice());
      expect(net.predictInto(x, x)).toEqual(expected);
    }
    const batch = Float32Array.from([...row(3, 60), ...row(3, 61), ...row(3, 62)]);
    const expected = net.predict(batch.slice());
    expect(net.predictInto(batch, batch)).toEqual(expected);
  });

  it('rejects a bad out or x before writing anything', async () => {
    const rt = await runtimeFor(options);
    for (const shape of [TINY, LARGE]) {
      const net = new Network({ ...shape, seed: 1, runtime: rt });
      const outputs = net.layers[net.layers.length - 1]!.units;
      const x = row(shape.inputs, 3);
      // warm the tiny path so the checks of its fast form run too
      for (let i = 0; i <= TINY_CALLS_BEFORE_CODE; i++) net.predictInto(x, new Float32Array(outputs));
      expectError(() => net.predictInto(x, [0, 0, 0] as unknown as Float32Array), ShapeError, 'out: expected a Float32Array, got');
      expectError(() => net.predictInto(x, new Float64Array(outputs) as unknown as Float32Array), ShapeError, 'out: expected a Float32Array');
      expectError(
        () => net.predictInto(x, new Float32Array(outputs + 1)),
        ShapeError,
        `out: expected ${outputs} values (1 row × ${outputs} outputs), got a Float32Array of ${outputs + 1}`,
      );
      expectError(
        () => net.predictInto([...x, ...x], new Float32Array(outputs)),
        ShapeError,
        `out: expected ${2 * outputs} values (2 rows × ${outputs} outputs), got a Float32Array of ${outputs}`,
      );
      const out = new Float32Array(outputs).fill(-7);
      const bad = x.slice();
      bad[1] = NaN;
      expectError(() => net.predictInto(bad, out), ValueError, 'x: expected finite numbers, got 1 non-finite value (first: NaN at row 0, column 1)');
      expectError(() => net.predictInto(Float32Array.from(bad), out), ValueError, 'x: expected finite numbers');
      expectError(() => net.predictInto(x.slice(1), out), ShapeError, `x: expected a multiple of ${shape.inputs} values`);
      expectError(() => net.predictInto(null as unknown as number[], out), ShapeError, 'x: expected an array of numbers or of rows, got null');
      expect(Array.from(out)).toEqual(new Array(outputs).fill(-7));
      net.dispose();
      expectError(() => net.predictInto(x, out), StateError);
    }
  });
});

describe('predictInto and the runtime', () => {
  it('works on a network from fromJSON (same bits as the original)', async () => {
    const rt: Runtime = await runtimeFor({ simd: true });
    const net = new Network({ ...TINY, seed: 8, runtime: rt });
    const copy = Network.fromJSON(JSON.stringify(net.toJSON()), { runtime: rt });
    const a = new Float32Array(3), b = new Float32Array(3);
    for (let i = 0; i < TINY_CALLS_BEFORE_CODE + 2; i++) {
      const x = row(3, i + 200);
      expect(copy.predictInto(x, b)).toEqual(net.predictInto(x, a));
    }
  });
});
