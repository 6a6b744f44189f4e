/**
 * brain.js JSON against brain.js itself (2.0.0-beta.24, its CPU
 * NeuralNetwork): a network trained in brain.js imports and `predict`
 * agrees with `run()`; an exported network loads with `fromJSON` and `run()`
 * agrees with `predict`; the 1.x format (checked against its own formula);
 * refusals of what brain.js cannot express and of malformed files.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, init, Network, Scaler, trainModel, ValueError, type Runtime } from '../../src/index.js';
import { parseCsv } from '../../src/csv.js';
import { fromBrainJS, toBrainJS } from '../../src/brain.js';
import { dataPath } from '../support/data.js';
import { expectError } from '../support/expect-error.js';
import { values } from '../support/onnx-models.js';

interface BrainNet {
  train(data: Array<{ input: number[] | Record<string, number>; output: number[] | Record<string, number> }>, options: object): unknown;
  run(input: number[] | Record<string, number>): Float32Array | Record<string, number>;
  toJSON(): Record<string, unknown>;
  fromJSON(json: unknown): BrainNet;
}
const brain = createRequire(import.meta.url)('brain.js') as { NeuralNetwork: new (options?: object) => BrainNet };

let rt: Runtime;
beforeAll(async () => {
  rt = await init();
});

function expectWithin(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i]! - expected[i]!), `element ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tol);
}

// iris, features scaled to [0, 1], one-hot targets: brain.js's usual form
const iris = parseCsv(readFileSync(dataPath('iris'), 'utf8'));
const scaled = Scaler.fit(iris.x, iris.rows, 4, 'minmax').transform(iris.x, iris.rows);
const rows = Array.from({ length: iris.rows }, (_, r) => Array.from(scaled.subarray(4 * r, 4 * r + 4)));
const data = rows.map((input, r) => ({ input, output: [0, 1, 2].map((c) => (iris.y[r] === c ? 1 : 0)) }));

describe.each(['sigmoid', 'relu', 'leaky-relu', 'tanh'])('a network trained in brain.js with %s', (activation) => {
  it('imports, and predict agrees with run()', () => {
    const b = new brain.NeuralNetwork({ hiddenLayers: [6, 5], activation, leakyReluAlpha: 0.05 });
    b.train(data, { iterations: 30, learningRate: 0.05 });
    const net = fromBrainJS(b.toJSON());
    expect(net.layers.map((l) => l.activation)).toEqual(new Array(3).fill(activation.replace('-', '_')));
    if (activation === 'leaky-relu') expect(net.layers[0]!.alpha).toBe(0.05);
    const expected = rows.flatMap((r) => Array.from(b.run(r) as Float32Array));
    expectWithin((net.predict(rows) as number[][]).flat(), expected, 2e-6);
    // and back into brain.js: the same network
    const again = new brain.NeuralNetwork().fromJSON(toBrainJS(net));
    expect(rows.flatMap((r) => Array.from(again.run(r) as Float32Array))).toEqual(expected);
  });
});

describe('a simdnet network exported to brain.js', () => {
  it('trained by trainModel with tanh everywhere (min-max scaling folded into the first layer): run() agrees with predict on raw rows', () => {
    const students = parseCsv(readFileSync(dataPath('students'), 'utf8'));
    const net = new Network({ inputs: 2, layers: [{ units: 8, activation: 'tanh' }, { units: 1, activation: 'tanh' }], seed: 3, runtime: rt });
    net.scaler = trainModel(students, { seed: 1, epochs: 1, scale: 'minmax', runtime: rt }).network.scaler;
    const json = JSON.parse(JSON.stringify(toBrainJS(net)));
    const b = new brain.NeuralNetwork().fromJSON(json);
    const raw = Array.from({ length: students.rows }, (_, r) => [students.x[2 * r]!, students.x[2 * r + 1]!]);
    expectWithin(raw.map((r) => (b.run(r) as Float32Array)[0]!), (net.predict(raw) as number[][]).flat(), 2e-6);
  });

  it('names inputs and outputs with lookups: true, and a brain.js import keeps them', () => {
    const named = data.slice(0, 40).map((d) => ({ input: { sl: d.input[0]!, sw: d.input[1]!, pl: d.input[2]!, pw: d.input[3]! }, output: { setosa: d.output[0]!, other: 1 - d.output[0]! } }));
    const b = new brain.NeuralNetwork({ hiddenLayers: [3] });
    b.train(named, { iterations: 20 });
    const net = fromBrainJS(JSON.stringify(b.toJSON()));
    expect(net.featureNames).toEqual(['sl', 'sw', 'pl', 'pw']);
    expect(net.trainingSummary).toEqual({ source: 'brain.js', outputNames: ['setosa', 'other'] });
    expect(net.predict([named[0]!.input.sl, named[0]!.input.sw, named[0]!.input.pl, named[0]!.input.pw])[0]).toBeCloseTo((b.run(named[0]!.input) as Record<string, number>).setosa!, 6);
    const back = new brain.NeuralNetwork().fromJSON(toBrainJS(net, { lookups: true }));
    expect(back.run(named[0]!.input)).toEqual(b.run(named[0]!.input));
    expect(toBrainJS(net).inputLookup).toBeNull();
  });

  it('refuses what brain.js cannot express', () => {
    const make = (layers: ConstructorParameters<typeof Network>[0]['layers']) => new Network({ inputs: 3, layers, runtime: rt });
    expectError(() => toBrainJS(make([{ units: 4, activation: 'sigmoid' }, { units: 2, activation: 'softmax' }])), ValueError, 'brain.js cannot express layer 1 of 2 (softmax)');
    expectError(() => toBrainJS(make([{ units: 4, activation: 'relu' }, { units: 2, activation: 'sigmoid' }])), ValueError, 'one activation in every layer', 'relu in layer 0 and layer 1 of 2 (sigmoid)');
    expectError(() => toBrainJS(make([{ units: 4, activation: 'leaky_relu', alpha: 0.1 }, { units: 2, activation: 'leaky_relu', alpha: 0.2 }])), ValueError, 'leaky_relu 0.1 in layer 0 and layer 1 of 2 (leaky_relu 0.2)');
    expectError(() => toBrainJS(make([{ units: 2, activation: 'linear' }])), ValueError, 'layer 0 of 1 (linear)');
    expectError(() => toBrainJS(make([{ units: 2, activation: 'leaky_relu', alpha: 2 }])), ValueError, 'α ≤ 1, got 2');
    // (one sigmoid unit is a classifier, which takes no target scaler at all; two are a regression to (0, 1)²)
    const reg = make([{ units: 2, activation: 'sigmoid' }]);
    reg.targetScaler = Scaler.fit(new Float32Array([1, 2, 4, 3, 5, 8]), 3, 2, 'standard');
    expectError(() => toBrainJS(reg), ValueError, 'no place for the target scaling');
  });
});

/** A brain.js 1.x toJSON() of the same weights: layers of nodes keyed by name, weights keyed by the previous layer's nodes. */
function v1Json(v2: Record<string, unknown>, activation: string, inputNames?: string[]): Record<string, unknown> {
  const sizes = v2.sizes as number[];
  const layers = v2.layers as Array<{ weights: number[][]; biases: number[] }>;
  const keys = (l: number) => (l === 0 && inputNames ? inputNames : Array.from({ length: sizes[l]! }, (_, i) => String(i)));
  const out = sizes.map((_, l) =>
    Object.fromEntries(keys(l).map((k, j) => [k, l === 0 ? {} : { bias: layers[l]!.biases[j], weights: Object.fromEntries(keys(l - 1).map((p, i) => [p, layers[l]!.weights[j]![i]])) }])),
  );
  return { sizes, layers: out, outputLookup: false, inputLookup: !!inputNames, activation, trainOpts: { iterations: 100 } };
}

describe('the brain.js 1.x format', () => {
  let v2: Record<string, unknown>;
  beforeAll(() => {
    v2 = toBrainJS(new Network({ inputs: 4, layers: [{ units: 5, activation: 'sigmoid' }, { units: 2, activation: 'sigmoid' }], seed: 8, runtime: rt }));
  });
  /** brain.js 1.x's forward pass, in float64, from its JSON (its 'leaky-relu' is sum < 0 ? 0 : α·sum). */
  function v1Run(json: Record<string, unknown>, x: number[]): number[] {
    const f = { sigmoid: (s: number) => 1 / (1 + Math.exp(-s)), tanh: Math.tanh, relu: (s: number) => (s < 0 ? 0 : s), 'leaky-relu': (s: number) => (s < 0 ? 0 : 0.01 * s) }[json.activation as string]!;
    let a = x;
    for (const layer of (json.layers as Array<Record<string, { bias: number; weights: Record<string, number> }>>).slice(1)) {
      a = Object.values(layer).map((node) => f(Object.values(node.weights).reduce((s, w, i) => s + w * a[i]!, node.bias)));
    }
    return a;
  }

  it.each(['sigmoid', 'tanh', 'relu', 'leaky-relu'])('%s: predict agrees with 1.x’s formula (leaky-relu as ReLU on α-scaled weights)', (activation) => {
    const json = v1Json(v2, activation, ['a', 'b', 'c', 'd']);
    const imported = fromBrainJS(json);
    expect(imported.featureNames).toEqual(['a', 'b', 'c', 'd']);
    expect(imported.layers[0]!.activation).toBe(activation === 'sigmoid' ? 'sigmoid' : activation === 'tanh' ? 'tanh' : 'relu');
    const x = Array.from(values(4 * 20, 5, 2));
    for (let r = 0; r < 20; r++) {
      const row = x.slice(4 * r, 4 * r + 4);
      expectWithin(imported.predict(row) as number[], v1Run(json, row), 2e-6);
    }
  });
});

describe('malformed brain.js JSON: a DataError naming the field', () => {
  const good = () => JSON.parse(JSON.stringify(toBrainJS(new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'relu' }], runtime: rt }))));

  it('sizes that do not fit, rows of the wrong length, NaN or missing weights', () => {
    const a = good();
    a.sizes = [2, 3];
    expectError(() => fromBrainJS(a), DataError, 'brain.js layers: expected 2 layers');
    const b = good();
    b.layers[1].weights[2] = [1];
    expectError(() => fromBrainJS(b), DataError, 'brain.js layers[1].weights[2]', 'expected 2 weights', 'got 1');
    const c = good();
    c.layers[2].biases[0] = 'x';
    expectError(() => fromBrainJS(c), DataError, 'brain.js layers[2].biases[0]', 'expected a number');
    const d = good();
    d.layers[1].weights[0][1] = null;
    expectError(() => fromBrainJS(d), DataError, 'layers[1].weights[0][1]', 'got null');
    const e = good();
    e.sizes = [2, 0, 1];
    expectError(() => fromBrainJS(e), DataError, 'brain.js sizes');
  });

  it('an unknown activation (Object prototype names too), a bad lookup, not JSON', () => {
    for (const name of ['softmax', 'toString', '__proto__', 'constructor']) {
      const a = good();
      a.trainOpts.activation = name;
      expectError(() => fromBrainJS(a), DataError, 'brain.js activation', JSON.stringify(name));
    }
    const b = good();
    b.inputLookup = { x: 0, y: 0 };
    expectError(() => fromBrainJS(b), DataError, "inputLookup['y']", 'distinct index');
    const c = good();
    c.trainOpts.activation = 'leaky-relu';
    c.trainOpts.leakyReluAlpha = 3;
    expectError(() => fromBrainJS(c), DataError, 'leakyReluAlpha', 'from 0 to 1', 'got 3');
    expectError(() => fromBrainJS('{"sizes": [2,'), DataError, 'does not parse');
    expectError(() => fromBrainJS(42), ValueError, 'json: expected brain.js', 'got number');
  });
});
