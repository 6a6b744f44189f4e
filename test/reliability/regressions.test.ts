/**
 * One plain test per defect the reliability battery found (the battery files
 * beside this one): each case is the smallest input that broke the rule
 * "a correct result, or a SimdnetError naming the argument, with nothing changed".
 */
import { describe, expect, it } from 'vitest';
import {
  DataError, evaluate, init, InitError, makeDataset, MemoryError, Network, Scaler, ShapeError, split, StateError, Trainer, TrainingError, trainModel, ValueError, type Runtime,
} from '../../src/index.js';
import { modelChecksum, type ModelJSON } from '../../src/io/model-json.js';
import { runtimeFor } from '../support/backends.js';
import { expectError, expectRejection } from '../support/expect-error.js';
import { weightBits } from '../support/snapshot.js';

function revokedProxy(): object {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
}

const throwing = <T extends object>(target: T, key: PropertyKey): T =>
  Object.defineProperty(target, key, { get() { throw new Error('hostile getter'); }, enumerable: true });

const student = (runtime: Runtime) =>
  new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 1, runtime });

describe('found by the battery: the network', () => {
  it('a revoked Proxy as options, a layer or the runtime is refused by name (it threw a TypeError)', async () => {
    const rt = await runtimeFor({});
    expectError(() => new Network(revokedProxy() as never), ValueError, 'Network options: expected an options object');
    expectError(() => new Network({ inputs: 2, layers: [revokedProxy() as never], runtime: rt }), ValueError, 'layers[0]: expected an options object');
    expectError(() => new Network({ inputs: 2, layers: [{ units: 1 }], runtime: revokedProxy() as never }), ValueError, 'runtime: expected a Runtime returned by init()');
    expectError(() => student(rt).getWeights(revokedProxy() as never), ValueError, 'options: expected an options object');
  });

  it('a hole in layers is refused by name (map skipped it, and a TypeError followed)', async () => {
    const rt = await runtimeFor({});
    const layers = [, { units: 1 }] as never;
    expectError(() => new Network({ inputs: 2, layers, runtime: rt }), ValueError, 'layers[0]: expected an options object { units, activation, alpha }, got undefined');
  });

  it('setWeights reads each layer as options: own keys only, unknown keys named, a getter that throws named', async () => {
    const rt = await runtimeFor({});
    const net = student(rt);
    const before = weightBits(net);
    const w = net.getWeights();
    expectError(() => net.setWeights([Object.create(w[0]!) as never, w[1]!]), ShapeError, 'weights[0].W: expected an array of numbers or of rows, got undefined');
    expectError(() => net.setWeights([{ weight: w[0]!.W, bias: w[0]!.b } as never, w[1]!]), ValueError, `weights[0]: unknown option "weight"`);
    expectError(() => net.setWeights([throwing({ W: w[0]!.W }, 'b') as never, w[1]!]), ValueError, 'weights[0].b: reading it threw (Error: hostile getter)');
    const keysThrow = new Proxy(w[1]!, { ownKeys() { throw new Error('trap'); } });
    expectError(() => net.setWeights([w[0]!, keysThrow]), ValueError, 'weights[1]: its keys could not be listed (Error: trap)');
    expectError(() => net.setWeights(revokedProxy() as never), ValueError, 'weights: reading it threw');
    expect(weightBits(net)).toEqual(before);
  });

  it('predict and predictInto name x when reading it throws, on every path (it was a raw Error)', async () => {
    const rt = await runtimeFor({});
    const net = student(rt);
    for (let i = 0; i < 70; i++) net.predict([0.5, 0.5]); // past the calls that generate code
    expectError(() => net.predict(throwing([0.5, 0.5], 0)), ValueError, 'x: reading it threw (Error: hostile getter)');
    expectError(() => net.predict(throwing([0.5, 0.5], 1)), ValueError, 'x: reading it threw (Error: hostile getter)');
    expectError(() => net.predict(revokedProxy() as never), ValueError, 'x: reading it threw');
    expectError(() => net.predictInto(throwing([0.5, 0.5], 1), new Float32Array(1)), ValueError, 'x: reading it threw (Error: hostile getter)');
  });

  it('predictInto refuses a Proxy of a Float32Array as out by name (its length getter threw a TypeError)', async () => {
    const rt = await runtimeFor({});
    const net = student(rt);
    const out = new Proxy(new Float32Array(1), {});
    expectError(() => net.predictInto([0.5, 0.5], out), ShapeError, 'out: expected a Float32Array, got an object');
    expectError(() => net.predictInto([[0.5, 0.5], [1, 1]], new Proxy(new Float32Array(2), {})), ShapeError, 'out: expected a Float32Array');
  });
});

describe('found by the battery: training and evaluation', () => {
  const data = (rt: Runtime) => {
    void rt;
    return makeDataset(Array.from({ length: 40 }, (_, i) => [i % 5, (i * 3) % 7]), Array.from({ length: 40 }, (_, i) => i % 2), { featureNames: ['a', 'b'], targetName: 'label' });
  };

  it('null is a value given, not a request for the default: refused where a number or a name goes', async () => {
    const rt = await runtimeFor({});
    const net = student(rt);
    expectError(() => new Trainer(net, { loss: 'bce', optimizer: null as never }), ValueError, 'optimizer: expected an options object');
    expectError(() => new Trainer(net, { loss: 'bce', optimizer: { type: 'adam', lr: null as never } }), ValueError, 'optimizer.lr: expected a finite number > 0, got null');
    expectError(() => new Trainer(net, { loss: 'bce' }).fit([[0, 0]], [[1]], { earlyStopping: { monitor: 'loss', minDelta: null as never } }), ValueError, 'earlyStopping.minDelta: expected a finite number ≥ 0, got null');
    expectError(() => split(data(rt), { train: null as never }), ValueError, 'options.train: expected a fraction in [0, 1], got null');
    expectError(() => trainModel(data(rt), { split: [null as never, 0.5, 0.5], runtime: rt }), ValueError, 'split[0]: expected a number in [0, 1], got null');
    expectError(() => trainModel(data(rt), { lr: null as never, runtime: rt }), ValueError, 'lr: expected a finite number > 0, got null');
  });

  it('a Boolean object or a Map is no options object (it read as {}, i.e. every default)', async () => {
    const rt = await runtimeFor({});
    const t = new Trainer(student(rt), { loss: 'bce' });
    expectError(() => t.fit([[0, 0]], [[1]], { earlyStopping: new Boolean(false) as never }), ValueError, 'earlyStopping: expected an options object');
    expectError(() => t.fit([[0, 0]], [[1]], new Map([['epochs', 1]]) as never), ValueError, 'fit options: expected an options object');
  });

  it('evaluate: a disposed network is refused before its sizes blame the data; labels and outputs are checked by name', async () => {
    const rt = await runtimeFor({});
    const net = student(rt);
    expectError(() => evaluate(net, { x: [[0, 0, 0]], y: [1] }), ShapeError, 'data.x: expected 2 columns per row');
    const gone = student(rt);
    gone.dispose();
    expectError(() => evaluate(gone, { x: [[0, 0, 0]], y: [1] }), StateError, 'network: this network has been disposed');
    expectError(() => evaluate(net, { x: [[0, 0]], y: [1e-40] }), ValueError, 'data.y: expected class indices 0..1 (2 classes), got 1e-40');
    const sum = new Network({ inputs: 2, layers: [{ units: 1 }], runtime: rt });
    sum.setWeights([{ W: [[1], [1]], b: [0] }]);
    // 3e38 + 3e38 is beyond float32: the output is Infinity, and its metrics (the mse named yPred) meant nothing
    expectError(() => evaluate(sum, { x: [[1, 2], [3e38, 3e38]], y: [3, 1] }), ValueError, "data.x: the network's output for row 1 is Infinity");
    const regressor = new Network({ inputs: 2, layers: [{ units: 2 }], runtime: rt });
    expectError(() => evaluate(regressor, { x: [[0, 0]], y: [1] }), ShapeError, 'net: expected a network with one output for regression, got 2 outputs');
  });

  it('split and trainModel check a hand-built Dataset by name before any work (it failed deep inside, or named ds.x for data)', async () => {
    const rt = await runtimeFor({});
    const ds = data(rt);
    expectError(() => split({ ...ds, y: ds.y.map((v, i) => (i === 3 ? NaN : v)) }), ValueError, 'ds.y: expected finite numbers, found 1 NaN');
    expectError(() => trainModel({ ...ds, rows: 7n } as never, { runtime: rt }), ValueError, 'data.rows: expected an integer ≥ 0, got bigint 7');
    expectError(() => trainModel({ ...ds, features: '2' } as never, { runtime: rt }), ValueError, 'data.features: expected an integer ≥ 1, got "2"');
    expectError(() => trainModel({ ...ds, task: 'constructor' } as never, { runtime: rt }), ValueError, 'data.task: expected one of binary, multiclass, regression');
    expectError(() => trainModel({ ...ds, x: new Proxy(ds.x, {}) }, { runtime: rt }), ValueError, 'data.x: expected a Float32Array');
    expectError(() => trainModel({ ...ds, rows: 39 }, { runtime: rt }), ShapeError, 'data.x: expected rows × features = 39 × 2 = 78 values, got 80');
    expectError(() => trainModel(Object.defineProperty({ ...ds }, 'targetName', { get() { throw new Error('hostile getter'); } }), { runtime: rt }), ValueError, 'data: reading it threw');
  });

  it('trainModel names its own options: split[i], split, hidden[i] (holes too), a revoked Proxy', async () => {
    const rt = await runtimeFor({});
    const ds = data(rt);
    expectError(() => trainModel(ds, { split: [0.5, 'a' as never, 0.5], runtime: rt }), ValueError, 'split[1]: expected a number in [0, 1], got "a"');
    expectError(() => trainModel(ds, { split: [0.5, 0.5, 0.5], runtime: rt }), ValueError, 'split: expected [train, validation, test] fractions summing to 1');
    expectError(() => trainModel(ds, { hidden: [4, , 3] as never, runtime: rt }), ValueError, 'hidden[1]: expected a positive integer, got undefined');
    expectError(() => trainModel(ds, { split: revokedProxy() as never, runtime: rt }), ValueError, 'split: reading it threw');
    expectError(() => trainModel({ ...ds, y: ds.y.map(() => 1) }, { runtime: rt }), DataError, 'data.y: expected at least 2 classes with rows');
  });

  it('trainModel gives back the network it made when training fails (it stayed allocated)', async () => {
    const rt = await runtimeFor({});
    const before = rt.liveBytes;
    expectError(() => trainModel(data(rt), { lr: 1e30, optimizer: 'sgd', epochs: 3, hidden: [3], runtime: rt }), TrainingError, 'fit: the loss or a gradient is not finite');
    expect(rt.liveBytes).toBe(before);
    const stop = () => { throw new Error('callback'); };
    expect(() => trainModel(data(rt), { epochs: 3, hidden: [3], runtime: rt, onEpochEnd: stop })).toThrow('callback');
    expect(rt.liveBytes).toBe(before);
  });

  it('trainModel trains a class-labelled dataset as regression when asked (quantile bins were refused, then the labels)', async () => {
    const rt = await runtimeFor({});
    const m = trainModel(data(rt), { task: 'regression', epochs: 2, hidden: [3], runtime: rt });
    expect(m.network.classes).toBeNull();
    expect(m.test?.task).toBe('regression');
    m.network.dispose();
  });
});

describe('found by the battery: data', () => {
  it('makeDataset takes numbers only (strings were coerced, null read as 0) and names its options', () => {
    expectError(() => makeDataset([['1'], [2]] as never, [0, 1]), ValueError, 'x: expected a number at row 0, column 0, got "1"');
    expectError(() => makeDataset(['1', 2] as never, [0, 1]), ValueError, 'x: expected a number at index 0, got "1"');
    expectError(() => makeDataset([[1], [2]], ['0', '1'] as never), ValueError, 'y: expected a number at index 0, got "0"');
    expectError(() => makeDataset([[1], [2]], [0, null] as never), ValueError, 'y: expected a number at index 1, got null');
    expectError(() => makeDataset([[1], [2]], BigInt64Array.from([0n, 1n]) as never), ValueError, 'y: expected numbers, got a BigInt64Array');
    expectError(() => makeDataset([[1], [2]], revokedProxy() as never), ValueError, 'y: reading it threw');
    expectError(() => makeDataset([[1], [2]], [0, 1], { rows: '2' as never }), ValueError, 'options.rows: expected an integer ≥ 1, got 2');
    expectError(() => makeDataset([[1], [2]], [0, 1], { featureNames: 'a' as never }), ValueError, 'options.featureNames: expected an array of 1 names, got "a"');
    expectError(() => makeDataset([[1], [2]], [0, 1], { featureNames: null as never }), ValueError, 'options.featureNames: expected an array of 1 names, got null');
    expectError(() => makeDataset([[1], [2]], [0, 1], { targetName: null as never }), ValueError, 'options.targetName: expected a string, got null');
  });

  it('Scaler methods take what they document, by name (a Proxy threw a TypeError, strings became NaN or numbers)', () => {
    const s = Scaler.fit(new Float32Array([0, 1, 2, 3]), 2, 2, 'minmax');
    expectError(() => Scaler.fit(revokedProxy() as never, 2, 2, 'minmax'), ValueError, 'x: expected a row-major Float32Array, got a value that cannot be inspected');
    expectError(() => Scaler.fit(new Proxy(new Float32Array(4), {}), 2, 2, 'minmax'), ValueError, 'x: expected a row-major Float32Array, got an object');
    expectError(() => s.transform(['a', '1'] as never, 1), ValueError, 'x: expected a row-major Float32Array');
    expectError(() => s.inverseTransform([0, 1] as never, 1), ValueError, 'x: expected a row-major Float32Array');
    expectError(() => s.transformRow(['a', '1'] as never), ValueError, 'row: expected a number at index 0, got "a"');
    expectError(() => s.transformRow([0, 1], new Float64Array(2) as never), ValueError, 'out: expected a row-major Float32Array');
    expectError(() => s.transformRow(throwing([0, 1], 1)), ValueError, 'row: reading it threw (Error: hostile getter)');
    expect(Array.from(s.transformRow([1, 2]))).toEqual([0.5, 0.5]);
  });

  it('Scaler.fromJSON reads own fields, every value (a hole was read as 0), and names a getter that throws', () => {
    const json = { kind: 'minmax', features: 2, offset: [0, 1], scale: [2, 2] };
    expectError(() => Scaler.fromJSON(Object.create(json)), DataError, 'scaler.kind: expected a string, got undefined');
    expectError(() => Scaler.fromJSON({ ...json, offset: [0, , ] }), DataError, 'scaler.offset[1]: expected a number, got undefined');
    expectError(() => Scaler.fromJSON(throwing({ ...json }, 'scale')), ValueError, 'scaler: reading it threw (Error: hostile getter)');
    expectError(() => Scaler.fromJSON(revokedProxy()), ValueError, 'scaler: reading it threw');
  });
});

describe('found by the battery: init', () => {
  it('memory bounds that contradict each other are an InitError (a RangeError came from the engine or JsMemory)', async () => {
    await expectRejection(() => init({ initialPages: 10, maximumPages: 2, setDefault: false }), InitError, 'init: initialPages: expected at most maximumPages (2), got 10');
    await expectRejection(() => init({ backend: 'js', initialPages: 10, maximumPages: 2, setDefault: false }), InitError, 'init: initialPages: expected at most maximumPages (2), got 10');
    // a maximum under the default start of 16 pages is a valid request: memory starts at the maximum
    const small = await init({ maximumPages: 8, setDefault: false });
    expect(small.memoryBytes).toBe(8 * 65536);
  });

  it('backend: null is refused (it meant the default, wasm)', async () => {
    await expectRejection(() => init({ backend: null as never, setDefault: false }), InitError, "init: backend: expected 'wasm' or 'js', got null");
  });

  it('bytes or a URL that hold no kernels are an InitError naming the option (a CompileError, TypeError or ENOENT escaped)', async () => {
    await expectRejection(() => init({ bytes: new Uint8Array([1, 2, 3, 4]), setDefault: false }), InitError, 'init: bytes: are no WebAssembly module (CompileError');
    await expectRejection(() => init({ url: 'not a url', setDefault: false }), InitError, 'init: url: "not a url" could not be loaded as a WebAssembly module (TypeError');
    await expectRejection(() => init({ url: new URL('missing.wasm', import.meta.url), setDefault: false }), InitError, 'init: url:', 'ENOENT');
    await expectRejection(() => init({ url: new URL('regressions.test.ts', import.meta.url), setDefault: false }), InitError, 'init: url:', 'CompileError');
  });
});

describe('found by the battery: model files', () => {
  const resigned = (model: ModelJSON, edit: (m: ModelJSON) => void): ModelJSON => {
    const m = structuredClone(model);
    edit(m);
    const { format: _f, version: _v, checksum: _c, ...content } = m;
    return { ...m, checksum: modelChecksum(content) };
  };

  it('an alpha on a layer that is not leaky_relu is refused (it was silently dropped: the model loaded was not the file)', async () => {
    const rt = await runtimeFor({});
    const file = resigned(student(rt).toJSON(), (m) => { m.layers[0]!.alpha = 0.5; });
    expectError(() => Network.fromJSON(file, { runtime: rt }), DataError, "model.layers[0].alpha: expected 0.01 on a 'relu' layer (only leaky_relu layers use alpha), got 0.5");
  });

  it('a model object is read by its own fields (inherited ones loaded), and a getter that throws is a DataError', async () => {
    const rt = await runtimeFor({});
    const file = student(rt).toJSON();
    expectError(() => Network.fromJSON(Object.create(file), { runtime: rt }), DataError, 'model.format: expected "simdnet-model", got nothing');
    const layer = Object.create(file.layers[0]!) as object;
    expectError(() => Network.fromJSON({ ...file, layers: [layer, file.layers[1]!] }, { runtime: rt }), DataError, 'model.layers[0].units: expected a positive integer, got nothing');
    expectError(() => Network.fromJSON(throwing({ ...file }, 'weights'), { runtime: rt }), DataError, 'model: reading it threw (Error: hostile getter)');
    expectError(() => Network.fromJSON(revokedProxy(), { runtime: rt }), DataError, 'model: reading it threw');
    expectError(() => Network.fromJSON([1], { runtime: rt }), DataError, 'model: expected a JSON object, got an array of length 1');
  });
});

describe('found by the battery: memory', () => {
  it('a network whose parameters fit but whose first batch does not gives the parameters back (they stayed allocated for good)', async () => {
    const rt = await runtimeFor({ backend: 'js', maximumPages: 4 });
    // 5,450 units of one input: the parameter block fits in 256 KiB, the batch of one row beside it does not
    expectError(() => new Network({ inputs: 1, layers: [{ units: 5450 }], runtime: rt }), MemoryError, 'a batch of 1 rows: needs');
    expect(rt.liveBytes).toBe(0);
  });
});
