import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataError, Network, SimdnetError, trainModel, type Runtime } from '../../src/index.js';
import { Random } from '../../src/random.js';
import { parseCsv } from '../../src/csv.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { dataPath } from '../support/data.js';

const iris = parseCsv(readFileSync(dataPath('iris'), 'utf8'));

function trained(runtime: Runtime) {
  return trainModel(iris, { seed: 1, epochs: 40, hidden: [8], runtime });
}

describe.each(BACKENDS)('save → load on $name', ({ options }) => {
  it('gives identical predictions, scaler, labels and summary', async () => {
    const rt = await runtimeFor(options);
    const { network } = trained(rt);
    const text = JSON.stringify(network);
    const loaded = Network.fromJSON(text, { runtime: rt });
    expect(loaded.predict(iris.x)).toEqual(network.predict(iris.x));
    expect(loaded.classes).toEqual(['0', '1', '2']);
    expect(loaded.featureNames).toEqual(iris.featureNames);
    expect(loaded.scaler?.toJSON()).toEqual(network.scaler?.toJSON());
    expect(JSON.stringify(loaded)).toBe(text);
    // loading into another backend gives the same model
    const js = await runtimeFor({ backend: 'js' });
    const other = Network.fromJSON(JSON.parse(text), { runtime: js });
    const a = other.predict(iris.x), b = network.predict(iris.x);
    a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(1e-5));
  });
});

describe('corrupt or mismatched model files', () => {
  let rt: Runtime;
  let text: string;
  const load = (t: unknown) => Network.fromJSON(t, { runtime: rt });
  const edit = (f: (m: Record<string, any>) => void): string => {
    const m = JSON.parse(text);
    f(m);
    return JSON.stringify(m);
  };

  it.each([
    ['truncated', (t: string) => t.slice(0, t.length / 2), /model: expected JSON text, got text that does not parse .* truncated/],
    ['not an object', () => '[1,2]', /model: expected a JSON object, got an array of length 2/],
    ['wrong format', () => edit((m) => { m.format = 'onnx'; }), /model\.format: expected "simdnet-model", got "onnx"/],
    ['newer version', () => edit((m) => { m.version = 3; }), /model\.version: expected 1 or 2 \(written by a newer simdnet\), got 3/],
    ['missing version', () => edit((m) => { delete m.version; }), /model\.version: expected 1 or 2, got nothing \(the field is missing\)/],
    ['weights of the wrong size', () => edit((m) => { m.weights[1].W.pop(); }), /model\.weights\[1\]\.W: expected 24 numbers \(8 inputs × 3 units, row-major\), got 23/],
    ['NaN weight', () => edit((m) => { m.weights[0].b[2] = null; }), /model\.weights\[0\]\.b\[2\]: expected a finite number, got null/],
    ['architecture mismatch', () => edit((m) => { m.layers[0].units = 9; }), /model\.weights\[0\]\.W: expected 36 numbers \(4 inputs × 9 units/],
    ['unknown activation', () => edit((m) => { m.layers[0].activation = 'swish'; }), /model\.layers\[0\]\.activation: expected one of linear, relu/],
    ['labels count', () => edit((m) => { m.classes = ['a', 'b']; }), /model\.classes: expected null or an array of 3 strings/],
    ['scaler size', () => edit((m) => { m.scaler.offset.pop(); }), /model\.scaler: /],
    ['a changed weight', () => edit((m) => { m.weights[0].W[0] += 0.5; }), /model\.checksum: expected [0-9a-f]{8} \(computed from the content\), got "[0-9a-f]{8}": the file was changed or corrupted/],
  ] as const)('%s → DataError naming the field, nothing allocated', async (_n, mutate, words) => {
    rt ??= await runtimeFor({});
    text ??= JSON.stringify(trained(rt).network);
    const before = rt.liveBytes;
    let err: unknown;
    try {
      load(mutate(text));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as Error).message).toMatch(words);
    expect(rt.liveBytes).toBe(before);
  });

  it('byte-mutation fuzz: every mutated file loads as the identical model or fails with a named SimdnetError', async () => {
    rt ??= await runtimeFor({});
    text ??= JSON.stringify(trained(rt).network);
    const reference = load(text).predict(iris.x);
    const before = rt.liveBytes;
    const rng = new Random(12345);
    const rand = (n: number) => rng.nextInt(n);
    const alphabet = '0123456789.-e,:{}[]" natrufl';
    let identical = 0, rejected = 0;
    for (let i = 0; i < 400; i++) {
      const chars = text.split('');
      const k = 1 + rand(3);
      for (let j = 0; j < k; j++) {
        const p = rand(chars.length);
        const op = rand(3);
        if (op === 0) chars[p] = alphabet[rand(alphabet.length)]!;
        else if (op === 1) chars.splice(p, 1);
        else chars.splice(p, 0, alphabet[rand(alphabet.length)]!);
      }
      try {
        const net = load(chars.join(''));
        expect(net.predict(iris.x)).toEqual(reference);
        net.dispose();
        identical++;
      } catch (e) {
        expect(e).toBeInstanceOf(SimdnetError);
        expect((e as Error).message).toMatch(/^model(\.|:)/);
        rejected++;
      }
    }
    expect(identical + rejected).toBe(400);
    expect(rejected).toBeGreaterThan(300);
    expect(rt.liveBytes).toBe(before);
  });
});
