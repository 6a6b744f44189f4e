import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import {
  DataError, evaluate, init, MemoryError, Network, Scaler, ShapeError, split, Trainer, ValueError, makeDataset, type Runtime,
} from '../../src/index.js';
import { modelChecksum, type ModelJSON } from '../../src/io/model-json.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectError } from '../support/expect-error.js';

// One plain test per defect a hostile or careless user found: names looked up
// on Object.prototype, typos and values silently ignored, model files that
// pass their checksum but make no sense, aliasing, values beyond float32 on
// the single-sample path, memory of dropped networks.

const PROTOTYPE_NAMES = ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf'];

const student = (runtime: Runtime) =>
  new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 1, runtime });

/** A saved model edited and given a correct checksum again, so only the loader's rules can refuse it. */
function resigned(model: ModelJSON, edit: (m: ModelJSON) => void): ModelJSON {
  const m = structuredClone(model);
  edit(m);
  const { format: _f, version: _v, checksum: _c, ...content } = m;
  return { ...m, checksum: modelChecksum(content) };
}

describe.each(BACKENDS)('refuse by name on $name', ({ options }) => {
  it.each(PROTOTYPE_NAMES)('%s is no activation, loss or optimizer', async (name) => {
    const rt = await runtimeFor(options);
    expectError(() => new Network({ inputs: 2, layers: [{ units: 2, activation: name as 'relu' }], runtime: rt }), ValueError, 'layers[0].activation: expected one of linear, relu');
    const net = student(rt);
    expectError(() => new Trainer(net, { loss: name as 'bce' }), ValueError, 'loss: expected one of mse, bce, cce');
    expectError(() => new Trainer(net, { loss: 'bce', optimizer: name as 'sgd' }), ValueError, 'optimizer.type: expected one of sgd, momentum, adam');
    expectError(() => new Trainer(net, { loss: 'bce', optimizer: { type: name as 'sgd' } }), ValueError, 'optimizer.type: expected one of sgd, momentum, adam');
    expectError(() => net.trace([[0, 0]], [[1]], { loss: name as 'bce' }), ValueError, 'loss: expected one of mse, bce, cce');
    const file = resigned(net.toJSON(), (m) => { m.layers[0]!.activation = name as 'relu'; });
    expectError(() => Network.fromJSON(file, { runtime: rt }), DataError, 'model.layers[0].activation: expected one of linear, relu');
  });

  it('a typo in an option key is named, with the nearest key', async () => {
    const rt = await runtimeFor(options);
    expectError(() => new Network({ inputs: 2, layers: [{ units: 2, activaton: 'relu' } as never], runtime: rt }), ValueError, `layers[0]: unknown option "activaton" (did you mean 'activation'?)`);
    expectError(() => new Network({ inputs: 2, layers: [{ units: 1 }], seeed: 3, runtime: rt } as never), ValueError, `Network options: unknown option "seeed" (did you mean 'seed'?)`);
    const net = student(rt);
    expectError(() => new Trainer(net, { loss: 'bce', optimizer: { type: 'momentum', momentom: 0.5 } as never }), ValueError, `optimizer: unknown option "momentom" (did you mean 'momentum'?)`);
    expectError(() => new Trainer(net, { loss: 'bce' }).fit([[0, 0]], [[1]], { epoch: 5 } as never), ValueError, `fit options: unknown option "epoch" (did you mean 'epochs'?)`);
    expectError(() => new Trainer(net, { loss: 'bce', optimizer: { type: 'sgd', momentum: 0.9 } }), ValueError, "optimizer.momentum: the 'sgd' optimizer does not take momentum (the 'momentum' optimizer does)");
    // an unknown key left undefined gives nothing to ignore
    expect(() => new Trainer(net, { loss: 'bce', optimizer: { type: 'sgd', momentum: undefined } })).not.toThrow();
  });

  it('values that would be ignored are errors', async () => {
    const rt = await runtimeFor(options);
    const net = student(rt);
    const t = new Trainer(net, { loss: 'bce' });
    expectError(() => t.fit([[0, 0]], [[1]], { signal: {} as AbortSignal }), ValueError, 'signal: expected an AbortSignal');
    expectError(() => t.fit([[0, 0]], [[1]], { earlyStopping: true }), ValueError, "earlyStopping: monitors the validation loss, but no validation data was given; pass validation: { x, y }, or earlyStopping: { monitor: 'loss' }");
    expect(t.fit([[0, 0], [1, 1]], [[1], [0]], { epochs: 3, earlyStopping: { monitor: 'loss', patience: 1 } }).epochs).toBeGreaterThan(0);
    expectError(() => new Network({ inputs: 2, layers: [{ units: 1, activation: 'softmax' }], runtime: rt }), ShapeError, 'layers[0].units: a softmax output needs at least 2 units');
    expectError(() => new Network({ inputs: 2, layers: [{ units: 1, activation: 'relu', alpha: 0.2 }], runtime: rt }), ValueError, "layers[0].alpha: only leaky_relu layers take alpha");
    expectError(() => new Trainer(net, { loss: 'bce', shuffle: 'no' as never }), ValueError, 'shuffle: expected true or false, got "no"');
    expectError(() => net.getWeights({ flat: 1 } as never), ValueError, 'options.flat: expected true or false, got number 1');
  });

  it('a slope beyond float32 is refused, so every model built can be saved and loaded', async () => {
    const rt = await runtimeFor(options);
    expectError(() => new Network({ inputs: 2, layers: [{ units: 1, activation: 'leaky_relu', alpha: 1e39 }], runtime: rt }), ValueError, 'layers[0].alpha: expected a finite number ≥ 0 within the float32 range, got number 1e+39');
    const net = new Network({ inputs: 2, layers: [{ units: 1, activation: 'leaky_relu', alpha: 3e38 }], runtime: rt });
    const again = Network.fromJSON(JSON.parse(JSON.stringify(net)), { runtime: rt });
    expect(again.layers[0]!.alpha).toBe(net.layers[0]!.alpha);
    expect(Math.fround(again.layers[0]!.alpha)).toBe(Math.fround(3e38));
  });

  it('model files that pass the checksum but make no sense are refused, naming the field, with nothing left allocated', async () => {
    const rt = await runtimeFor(options);
    const net = student(rt);
    net.scaler = Scaler.fit(new Float32Array([0, 0, 1, 2]), 2, 2, 'standard');
    net.classes = ['fail', 'pass'];
    net.featureNames = ['hours', 'attendance'];
    net.targetName = 'passed';
    const model = net.toJSON();
    const cases: Array<[string, (m: ModelJSON) => void, string]> = [
      ['a scale of 1e-320', (m) => { m.scaler!.scale[0] = 1e-320; }, 'model.scaler: scaler.scale[0]: expected a number from'],
      ['an offset of 1e308', (m) => { m.scaler!.offset[1] = 1e308; }, 'model.scaler: scaler.offset[1]: expected a number within the float32 range'],
      ['duplicate classes', (m) => { m.classes = ['0', '0']; }, 'model.classes: expected null or an array of 2 strings (distinct labels, one per class of the output layer); "0" appears twice'],
      ['classes on a regressor', (m) => { m.layers[1]!.activation = 'linear'; }, 'model.classes: expected null (the output layer is not a classifier'],
      ['a target named like a feature', (m) => { m.targetName = 'hours'; }, `model.targetName: expected a name that is not also a feature's`],
      ['duplicate feature names', (m) => { m.featureNames = ['x', 'x']; }, 'model.featureNames: expected null or an array of 2 strings (distinct names, one per input); "x" appears twice'],
      ['a weight beyond float32', (m) => { m.weights[0]!.W[1] = 1e39; }, 'model.weights[0].W[1]: expected a number within the float32 range (±3.4e38), got 1e+39'],
      ['a target scaler on a classifier', (m) => { m.targetScaler = { kind: 'standard', features: 1, offset: [0], scale: [1] }; }, "model.targetScaler: expected null: a classifier's outputs are probabilities"],
      ['a softmax of one unit', (m) => { m.layers[1]!.activation = 'softmax'; m.classes = null; }, 'model.layers[1].units: expected at least 2 units under softmax, got 1'],
    ];
    const before = rt.liveBytes;
    for (const [what, edit, words] of cases) {
      const file = resigned(model, edit);
      const err = expectError(() => Network.fromJSON(file, { runtime: rt }), DataError, words);
      expect(err.message, what).toContain('model.');
      expect(rt.liveBytes, `${what}: nothing half-built stays allocated`).toBe(before);
    }
  });

  it('deeply nested training summaries are refused on save and on load, never a stack overflow', async () => {
    const rt = await runtimeFor(options);
    const net = student(rt);
    let deep: unknown = 1;
    for (let i = 0; i < 6000; i++) deep = [deep];
    expectError(() => net.toJSON(deep), ValueError, 'training: expected JSON values nested at most 64 deep');
    const text = JSON.stringify(net.toJSON()).replace('"training":null', `"training":${'['.repeat(6000)}1${']'.repeat(6000)}`);
    expectError(() => Network.fromJSON(text, { runtime: rt }), DataError, 'model.training: expected JSON values nested at most 64 deep');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expectError(() => net.toJSON(cyclic), ValueError, 'training: expected JSON values without cycles');
  });

  it('labels and names are copied in and out: no array outside aliases them', async () => {
    const rt = await runtimeFor(options);
    const net = student(rt);
    net.classes = ['no', 'yes'];
    const file = net.toJSON();
    const loaded = Network.fromJSON(file, { runtime: rt });
    file.classes![0] = 'changed';
    expect(loaded.classes).toEqual(['no', 'yes']);
    loaded.toJSON().classes![1] = 'changed';
    loaded.classes![1] = 'changed';
    expect(loaded.classes).toEqual(['no', 'yes']);
    const mine = ['a', 'b'];
    loaded.featureNames = mine;
    mine[0] = 'z';
    expect(loaded.featureNames).toEqual(['a', 'b']);
    expectError(() => { loaded.classes = ['a', 'a']; }, ValueError, 'classes: expected null or an array of 2 strings (distinct labels');
    expectError(() => { loaded.targetName = 'a'; }, ValueError, "targetName: expected a name that is not also a feature's");
  });

  it('one sample beyond float32 is refused by the single-sample path too', async () => {
    const rt = await runtimeFor(options);
    const net = student(rt);
    // before and after the tiny path compiles its code
    for (let i = 0; i < 300; i++) {
      expectError(() => net.predict([1e39, 0]), ValueError, 'x: expected finite numbers, got 1 non-finite value (first: Infinity at row 0, column 0); a value beyond the float32 range');
      expect(net.predict([0.5, 0.6])).toHaveLength(1);
    }
    expectError(() => net.predictInto([0, -1e39], new Float32Array(1)), ValueError, 'first: -Infinity at row 0, column 1');
  });

  it('messages name the argument: validation.y, a Trainer without a network, a runtime that is not one, unbounded ranges', async () => {
    const rt = await runtimeFor(options);
    const net = student(rt);
    const t = new Trainer(net, { loss: 'bce' });
    expectError(() => t.fit([[0, 0]], [[1]], { validation: { x: [[0, 0]], y: [[2]] } }), ValueError, 'validation.y: expected binary targets');
    expectError(() => new Trainer(null as never, { loss: 'bce' }), ValueError, 'network: expected a Network, got null');
    expectError(() => new Network({ inputs: 2, layers: [{ units: 1 }], runtime: {} as Runtime }), ValueError, 'runtime: expected a Runtime returned by init(), got an object');
    expectError(() => new Trainer(net, { loss: 'bce', optimizer: { type: 'adam', lr: Infinity } }), ValueError, 'optimizer.lr: expected a finite number > 0, got number Infinity');
  });

  it('evaluate takes the one-hot targets fit takes', async () => {
    const rt = await runtimeFor(options);
    const net = new Network({ inputs: 2, layers: [{ units: 4, activation: 'relu' }, { units: 3, activation: 'softmax' }], seed: 2, runtime: rt });
    const x = [[0, 1], [1, 0], [1, 1], [0, 0]];
    const indices = [0, 1, 2, 1];
    const oneHot = indices.map((c) => [0, 1, 2].map((k) => (k === c ? 1 : 0)));
    const a = evaluate(net, { x, y: indices });
    const b = evaluate(net, { x, y: oneHot });
    const c = evaluate(net, { x, y: oneHot.flat() });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expectError(() => evaluate(net, { x, y: [[0, 1, 1], [1, 0, 0], [0, 0, 1], [1, 0, 0]] }), ValueError, 'data.y: expected one-hot rows (a single 1, the rest 0), got number 1 at row 0, column 2');
  });
});

describe('library data checks', () => {
  it('makeDataset and split refuse unknown options and non-datasets', () => {
    expectError(() => makeDataset([[1], [2]], [0, 1], { clases: 2 } as never), ValueError, `options: unknown option "clases" (did you mean 'classes'?)`);
    expectError(() => makeDataset([[1], [2]], [0, 1], { classes: ['a', 'a'] }), ValueError, 'options.classes: expected distinct names, got "a" twice');
    const ds = makeDataset([[1], [2], [3], [4]], [0, 1, 0, 1]);
    expectError(() => split(ds, { tran: 0.5 } as never), ValueError, `options: unknown option "tran" (did you mean 'train'?)`);
    expectError(() => split({} as never), ValueError, 'ds: expected a Dataset');
  });

  it('a getter that throws is a ValueError naming the argument, not a stray TypeError', async () => {
    const rt = await runtimeFor({});
    const net = student(rt);
    const hostile = Object.defineProperty([0, 0], '0', { get() { throw new TypeError('boom'); } });
    expectError(() => net.predict([[0, 0], hostile]), ValueError, 'x: reading it threw (TypeError: boom)');
    const options = { loss: 'bce', get seed(): number { throw new Error('no seed'); } };
    expectError(() => new Trainer(net, options as never), ValueError, 'Trainer options.seed: reading it threw (Error: no seed)');
    const row = new Proxy([0, 0], { get(t, k) { if (k === '1') throw new Error('trap'); return Reflect.get(t, k); } });
    expectError(() => net.predict([row, [0, 0]]), ValueError, 'x: reading it threw (Error: trap)');
  });
});

describe('networks dropped without dispose() give their memory back once collected', () => {
  it('drops networks until several times the memory limit has passed through', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // 16 MiB of linear memory; each network holds about 4 MiB (weights, gradients, two optimizer states)
    const rt = await init({ maximumPages: 256, setDefault: false });
    const make = () => new Network({ inputs: 500, layers: [{ units: 500 }], runtime: rt });
    const baseline = rt.liveBytes;
    // finalizers run as a task of their own, which a busy machine may queue
    // after a timer: collect and yield until the dropped network's memory is
    // back (a bounded number of times: without the registry it never is)
    const collected = async (): Promise<void> => {
      for (let tries = 0; tries < 50 && rt.liveBytes !== baseline; tries++) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, tries < 10 ? 0 : 10));
      }
    };
    let passedThrough = 0;
    for (let i = 0; i < 20; i++) {
      make();
      passedThrough += 4 * 500 * 500 * 4;
      await collected();
    }
    expect(passedThrough).toBeGreaterThan(4 * rt.memoryBytes);
    await collected();
    expect(rt.liveBytes).toBe(baseline);
    // and without the registry this loop fails: kept networks exhaust memory
    const kept: Network[] = [];
    expect(() => { for (let i = 0; i < 20; i++) kept.push(make()); }).toThrow(MemoryError);
    for (const n of kept) n.dispose();
  });
});
