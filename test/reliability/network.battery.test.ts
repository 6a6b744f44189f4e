/**
 * The reliability battery on the network's entry points: `new Network`,
 * `setWeights`, `getWeights`, `predict`, `predictInto`, `trace`, the metadata
 * setters and `Network.fromJSON`'s options, on every backend. Each property
 * holds: a correct result, or a SimdnetError naming the argument, with the
 * network, the caller's arrays and the heap unchanged (test/support/battery.ts).
 */
import { shortestF32 } from '../../src/validate.js';
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { init, Network, Scaler, type Runtime } from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { battery, expectSame, type Entry } from '../support/battery.js';
import {
  ARCHITECTURES, expectNear, makeNet, makePool, MAX_ROWS, moderate, refLayers, refPredict, refRaw, refScaled, rowsFrom, rowsOf, targetsFor, type PoolNet,
} from '../support/battery-nets.js';
import { flatten } from '../support/close.js';
import {
  boolVariants, listVariants, nameVariants, namesVariants, NONE, objectVariants, offsetView, realVariants, referenceVariants, seedVariants,
  sizeVariants, tableVariants, transparent, Variant,
} from '../support/hostile.js';
import { networkState, weightBits } from '../support/snapshot.js';
import { refLoss } from '../support/reference.js';

interface Context {
  rt: Runtime;
  other: Runtime;
  js: Runtime;
  pool: PoolNet[];
}

const ACTIVATIONS = ['linear', 'relu', 'leaky_relu', 'sigmoid', 'tanh', 'softmax'];
const LOSSES = ['mse', 'bce', 'cce'];

/** Sequences compared value by value, whatever their nesting: predict's forms differ (nested rows, flat, typed). */
const sameValues = (a: unknown, b: unknown) => expectSame(flatten(a), flatten(b));

// ─── new Network(options) ───

interface NetworkClean {
  inputs: number;
  layers: Array<{ units: number; activation: string; alpha?: number }>;
  seed: number;
}

const networkClean: fc.Arbitrary<NetworkClean> = fc.record({
  inputs: fc.integer({ min: 1, max: 4 }),
  layers: fc.array(fc.record({ units: fc.integer({ min: 1, max: 5 }), activation: fc.constantFrom('linear', 'relu', 'leaky_relu', 'sigmoid', 'tanh') }), { minLength: 1, maxLength: 3 }),
  softmax: fc.boolean(),
  seed: fc.nat(1000),
}).map(({ inputs, layers, softmax, seed }) => {
  const out: NetworkClean['layers'] = layers.map((l) => (l.activation === 'leaky_relu' ? { ...l, alpha: 0.2 } : { ...l }));
  if (softmax) out[out.length - 1] = { units: Math.max(2, out[out.length - 1]!.units), activation: 'softmax' };
  return { inputs, layers: out, seed };
});

function networkEntry(ctx: () => Context): Entry<NetworkClean, null> {
  return {
    clean: networkClean,
    args: (c) => [{ inputs: c.inputs, layers: c.layers, seed: c.seed, runtime: ctx().rt }],
    argNames: ['Network options'],
    keyPrefix: [''],
    slots: (c) => [
      { path: [0], variants: objectVariants({ inputs: c.inputs, layers: c.layers, seed: c.seed, runtime: ctx().rt }) },
      { path: [0, 'inputs'], variants: sizeVariants(c.inputs) },
      { path: [0, 'layers'], variants: listVariants(c.layers) },
      { path: [0, 'seed'], variants: seedVariants(c.seed, { optional: true }) },
      { path: [0, 'runtime'], variants: referenceVariants(ctx().rt, [new Variant('another runtime', () => ctx().other, () => ctx().other, true)], { optional: true }) },
      ...c.layers.flatMap((l, i) => [
        { path: [0, 'layers', i], variants: objectVariants(l) },
        { path: [0, 'layers', i, 'units'], variants: sizeVariants(l.units) },
        { path: [0, 'layers', i, 'activation'], variants: nameVariants(l.activation, ACTIVATIONS, { optional: true }) },
        { path: [0, 'layers', i, 'alpha'], variants: realVariants(0.2, { optional: true }) },
      ]),
    ],
    // a layer's options are checked together (softmax needs 2 units; alpha only on leaky_relu)
    coupled: (path) => (path[1] === 'layers' && typeof path[2] === 'number' ? [new RegExp(`^layers\\[${path[2]}\\]`)] : []),
    memoryAt: (path) => path.includes('inputs') || path.includes('units') || path.includes('layers'),
    setup: () => null,
    sharedState: true,
    call: (_, [options]) => new Network(options as never),
    state: () => null,
    runtimes: () => [ctx().rt, ctx().other],
    release: (net) => (net as Network).dispose(),
    verify(_, [options], result) {
      const o = options as { inputs: number; layers: Array<{ units: number; activation?: string; alpha?: number }>; seed?: number };
      const net = result as Network;
      expectSame(net.inputs, o.inputs, 'inputs');
      expectSame(net.layers.map((l) => [l.units, l.activation, l.alpha]), o.layers.map((l) => [l.units, l.activation ?? 'linear', shortestF32(l.alpha ?? 0.01)]), 'layers');
      // seeded initialisation is the same bits on every backend: the JS backend's network is the reference
      const ref = new Network({ inputs: o.inputs, layers: o.layers as never, seed: o.seed, runtime: ctx().js });
      expectSame(weightBits(net), weightBits(ref), 'initial weights');
      ref.dispose();
    },
  };
}

// ─── setWeights(weights) ───

interface WeightsClean {
  arch: number;
  layers: Array<{ W: number[]; b: number[]; inputs: number; units: number; nested: boolean }>;
}

const weightsClean: fc.Arbitrary<WeightsClean> = fc.nat(ARCHITECTURES.length - 2).chain((arch) => {
  const a = ARCHITECTURES[arch]!.options;
  let inputs = a.inputs;
  const shapes = a.layers.map((l) => {
    const s = { inputs, units: l.units };
    inputs = l.units;
    return s;
  });
  return fc.tuple(...shapes.map((s) => fc.record({ W: rowsOf(s.inputs, s.units), b: rowsOf(1, s.units), nested: fc.boolean() })))
    .map((layers) => ({ arch, layers: layers.map((l, i) => ({ ...l, ...shapes[i]! })) }));
});

function setWeightsEntry(ctx: () => Context): Entry<WeightsClean, Network> {
  const weightsOf = (c: WeightsClean) => c.layers.map((l) => ({ W: l.nested ? rowsFrom(l.W, l.units) : l.W.slice(), b: l.b.slice() }));
  return {
    clean: weightsClean,
    args: (c) => [weightsOf(c)],
    argNames: ['weights'],
    slots: (c) => [
      { path: [0], variants: listVariants(weightsOf(c)) },
      ...c.layers.flatMap((l, i) => [
        { path: [0, i], variants: objectVariants(weightsOf(c)[i]!) },
        { path: [0, i, 'W'], variants: tableVariants({ rows: l.inputs, cols: l.units, values: l.W, nested: l.nested }) },
        { path: [0, i, 'b'], variants: tableVariants({ rows: 1, cols: l.units, values: l.b, nested: false }) },
      ]),
    ],
    setup: (c) => makeNet(ARCHITECTURES[c.arch]!, ctx().rt),
    teardown: (net) => net.dispose(),
    call: (net, [w]) => net.setWeights(w as never),
    changesState: true,
    state: (net) => networkState(net),
    runtimes: () => [ctx().rt],
    verify(net, [w]) {
      const expected = Float32Array.from(flatten((w as Array<{ W: unknown; b: unknown }>).map((l) => [flatten(l.W), flatten(l.b)])));
      expectSame(weightBits(net), Array.from(new Uint32Array(expected.buffer)), 'weights read back');
    },
  };
}

// ─── predict(x) and predictInto(x, out) ───

interface PredictClean {
  net: number;
  rows: number;
  values: number[];
  /** One sample as a flat array (the single-sample path), else nested rows. */
  nested: boolean;
}

const predictClean: fc.Arbitrary<PredictClean> = fc.record({ net: fc.nat(ARCHITECTURES.length - 1), rows: fc.integer({ min: 1, max: 6 }), nested: fc.boolean() })
  .chain(({ net, rows, nested }) => {
    const n = nested ? rows : 1;
    return rowsOf(n, ARCHITECTURES[net]!.options.inputs).map((values) => ({ net, rows: n, values, nested }));
  });

function predictVerify(ctx: () => Context) {
  return (net: Network, x: unknown, result: unknown) => {
    if (!moderate(x)) return;
    const rows = rowsFrom(x, net.inputs);
    expectNear(flatten(result), refPredict(net, rows).flat(), 1e-5, 2e-4, 'predict against the float64 reference');
    void ctx;
  };
}

function predictEntry(ctx: () => Context): Entry<PredictClean, Network> {
  const verify = predictVerify(ctx);
  return {
    clean: predictClean,
    args: (c) => [c.nested ? rowsFrom(c.values, c.values.length / c.rows) : c.values.slice()],
    argNames: ['x'],
    slots: (c) => [{ path: [0], variants: tableVariants({ rows: c.rows, cols: c.values.length / c.rows, values: c.values, nested: c.nested }, { maxRows: MAX_ROWS }) }],
    setup: (c) => ctx().pool[c.net]!.net,
    sharedState: true,
    call: (net, [x]) => net.predict(x as never),
    state: (net) => networkState(net),
    runtimes: () => [ctx().rt],
    same: sameValues,
    verify: (net, [x], result) => verify(net, x, result),
  };
}

interface PredictIntoClean extends PredictClean {
  outputs: number;
}

function outVariants(length: number): fc.Arbitrary<Variant> {
  const fresh = () => new Float32Array(length);
  const plainNone = (label: string, make: () => unknown) => new Variant(label, make, () => NONE, false);
  return fc.constantFrom(
    new Variant('a Float32Array of the right length', fresh, fresh, true),
    ...[1, 2, 5].map((k) => new Variant(`a Float32Array view at offset ${k} (neighbours NaN)`, () => offsetView(new Array<number>(length).fill(0), k), fresh, true)),
    new Variant('a Float32Array one value short', () => new Float32Array(length - 1), () => new Float32Array(length - 1), true),
    new Variant('a Float32Array one value long', () => new Float32Array(length + 1), () => new Float32Array(length + 1), true),
    new Variant('a transparent Proxy of a Float32Array', () => transparent(fresh()), fresh, false),
    plainNone('a Float64Array', () => new Float64Array(length)), plainNone('an Int8Array', () => new Int8Array(length)),
    plainNone('a number[]', () => new Array<number>(length).fill(0)), plainNone('null', () => null), plainNone('undefined', () => undefined),
    plainNone('an ArrayBuffer', () => new ArrayBuffer(length * 4)),
  );
}

function predictIntoEntry(ctx: () => Context): Entry<PredictIntoClean, Network> {
  const verify = predictVerify(ctx);
  const base = predictEntry(ctx);
  return {
    ...base,
    clean: predictClean.map((c) => ({ ...c, outputs: ARCHITECTURES[c.net]!.options.layers.at(-1)!.units })),
    args: (c) => [...base.args(c), new Float32Array(c.rows * c.outputs)],
    argNames: ['x', 'out'],
    slots: (c) => [...base.slots(c), { path: [1], variants: outVariants(c.rows * c.outputs) }],
    // the rows of x decide the length out must have
    coupled: (path) => (path[0] === 0 ? ['out'] : []),
    writes: [1],
    call: (net, [x, out]) => {
      const r = net.predictInto(x as never, out as Float32Array);
      if (r !== out) throw new Error('predictInto returned another array than out');
      return r;
    },
    verify: (net, [x], result) => verify(net, x, result),
  };
}

// ─── trace(x, y, { loss }) ───

interface TraceClean {
  net: number;
  rows: number;
  x: number[];
  y: { values: number[]; cols: number; nested: boolean };
}

const traceClean: fc.Arbitrary<TraceClean> = fc.record({ net: fc.nat(ARCHITECTURES.length - 1), rows: fc.integer({ min: 1, max: 5 }) }).chain(({ net, rows }) => {
  const a = ARCHITECTURES[net]!;
  return fc.record({ x: rowsOf(rows, a.options.inputs), y: targetsFor(a.loss, rows, a.options.layers.at(-1)!.units) })
    .map(({ x, y }) => ({ net, rows, x, y }));
});

function traceEntry(ctx: () => Context): Entry<TraceClean, PoolNet> {
  const yValue = (c: TraceClean) => (c.y.nested ? rowsFrom(c.y.values, c.y.cols) : c.y.values.slice());
  return {
    clean: traceClean,
    args: (c) => [rowsFrom(c.x, c.x.length / c.rows), yValue(c), { loss: ctx().pool[c.net]!.loss }],
    argNames: ['x', 'y', 'options'],
    keyPrefix: ['x', 'y', ''],
    slots: (c) => [
      { path: [0], variants: tableVariants({ rows: c.rows, cols: c.x.length / c.rows, values: c.x, nested: true }, { maxRows: MAX_ROWS }) },
      { path: [1], variants: tableVariants({ rows: c.y.values.length / c.y.cols, cols: c.y.cols, values: c.y.values, nested: c.y.nested }, { maxRows: MAX_ROWS }) },
      { path: [2], variants: objectVariants({ loss: ctx().pool[c.net]!.loss }) },
      { path: [2, 'loss'], variants: nameVariants(ctx().pool[c.net]!.loss, LOSSES) },
    ],
    // y is checked against x's rows and against the loss
    coupled: (path) => (path[0] === 0 || path[0] === 2 ? ['y'] : []),
    setup: (c) => ctx().pool[c.net]!,
    sharedState: true,
    call: (p, [x, y, o]) => p.net.trace(x as never, y as never, o as never),
    state: (p) => networkState(p.net),
    runtimes: () => [ctx().rt],
    verify(p, [x, y, o], result) {
      if (!moderate(x) || !moderate(y)) return;
      const t = result as ReturnType<Network['trace']>;
      const net = p.net;
      const rows = rowsFrom(x, net.inputs);
      const raw = refRaw(net, rows);
      expectNear(t.output.flat(), raw.flat(), 1e-5, 2e-4, 'trace output against the float64 reference');
      const loss = (o as { loss: string }).loss;
      let targets = rowsFrom(y, loss === 'cce' && flatten(y).length === rows.length ? 1 : net.outputs);
      if (targets[0]!.length !== net.outputs) targets = targets.map(([c]) => Array.from({ length: net.outputs }, (_, k) => (k === c ? 1 : 0)));
      const ts = net.targetScaler?.toJSON();
      if (ts && loss === 'mse') targets = targets.map((r) => r.map((v, c) => Math.fround((Math.fround(v) - ts.offset[c]!) / ts.scale[c]!)));
      expectNear([t.loss], [refLoss(refLayers(net), refScaled(net, rows), targets, loss)], 1e-5, 1e-4, 'trace loss against the float64 reference');
      // gradients: the JS backend is the reference
      const ref = p.js.trace(x as never, y as never, o as never);
      t.layers.forEach((l, i) => {
        expectNear(l.dW.flat(), ref.layers[i]!.dW.flat(), 1e-5, 1e-3, `layer ${i} dW against the JS backend`);
        expectNear(l.db, ref.layers[i]!.db, 1e-5, 1e-3, `layer ${i} db against the JS backend`);
      });
    },
  };
}

// ─── getWeights(options) ───

function getWeightsEntry(ctx: () => Context): Entry<{ net: number }, Network> {
  return {
    clean: fc.record({ net: fc.nat(ARCHITECTURES.length - 1) }),
    args: () => [{ flat: true }],
    argNames: ['options'],
    slots: () => [{ path: [0], variants: objectVariants({ flat: true }, { optional: true }) }, { path: [0, 'flat'], variants: boolVariants({ optional: true }) }],
    setup: (c) => ctx().pool[c.net]!.net,
    sharedState: true,
    call: (net, args) => (args.length > 0 && args[0] !== undefined ? net.getWeights(args[0] as never) : net.getWeights()),
    state: (net) => networkState(net),
    runtimes: () => [ctx().rt],
    verify(net, [o], result) {
      const flat = (o as { flat?: boolean } | undefined)?.flat === true;
      const layers = result as Array<{ W: unknown; b: unknown }>;
      layers.forEach((l) => {
        if (flat !== l.W instanceof Float32Array) throw new Error(`getWeights(${JSON.stringify(o)}) gave ${l.W instanceof Float32Array ? 'flat' : 'nested'} weights`);
      });
      expectSame(Array.from(new Uint32Array(Float32Array.from(flatten(layers)).buffer)), weightBits(net), 'weights');
    },
  };
}

// ─── the metadata setters ───

const dims = (arch: number) => ({ inputs: ARCHITECTURES[arch]!.options.inputs, outputs: ARCHITECTURES[arch]!.options.layers.at(-1)!.units });

type Field = 'classes' | 'featureNames' | 'targetName' | 'scaler' | 'targetScaler';

function setterEntry(ctx: () => Context, field: Field): Entry<{ net: number }, Network> {
  const clean = (net: { inputs: number; outputs: number }): unknown => {
    if (field === 'classes') return net.outputs === 1 ? ['no', 'yes'] : Array.from({ length: net.outputs }, (_, i) => `c${i}`);
    if (field === 'featureNames') return Array.from({ length: net.inputs }, (_, i) => `f${i}`);
    if (field === 'targetName') return 'label';
    const n = field === 'scaler' ? net.inputs : net.outputs;
    return Scaler.fit(Float32Array.from({ length: 2 * n }, (_, i) => i), 2, n, 'minmax');
  };
  const arches = field === 'classes' ? [0, 2] : field === 'targetScaler' ? [3, 4] : [0, 2, 3, 4];
  const scalerOf = (n: number) => Scaler.fit(Float32Array.from({ length: 2 * n }, (_, i) => i * i), 2, n, 'standard');
  const valueVariants = (net: { inputs: number; outputs: number }, c: unknown): fc.Arbitrary<Variant> => {
    const nullOk = new Variant('null', () => null, () => null, true);
    if (field === 'classes' || field === 'featureNames') return namesVariants(c as string[], { nullable: true });
    if (field === 'targetName') {
      const names = ['label', 'f0', '', 'toString', '__proto__', 'x'.repeat(100)];
      const refused = (label: string, make: () => unknown) => new Variant(label, make, () => NONE, false);
      return fc.constantFrom(
        ...names.map((s) => new Variant(JSON.stringify(s.slice(0, 12)), () => s, () => s, true)), nullOk,
        refused('undefined', () => undefined), refused('a String object', () => new String('label')), refused('1', () => 1),
        refused('a Symbol', () => Symbol('label')), refused("['label']", () => ['label']),
      );
    }
    const n = field === 'scaler' ? net.inputs : net.outputs;
    return fc.constantFrom(
      new Variant('a fitted Scaler', () => c, () => c, true), new Variant('another fitted Scaler', () => scalerOf(n), () => scalerOf(n), true),
      new Variant('a Scaler of one feature more', () => scalerOf(n + 1), () => scalerOf(n + 1), true), nullOk,
      new Variant("the Scaler's JSON", () => (c as Scaler).toJSON(), () => NONE, false),
      new Variant('a transparent Proxy of a Scaler', () => transparent(c as Scaler), () => c, false),
      new Variant('an object inheriting from a Scaler', () => Object.create(c as Scaler) as object, () => c, false),
      new Variant('an empty object', () => ({}), () => NONE, false), new Variant('a string', () => 'minmax', () => NONE, false),
      new Variant('undefined', () => undefined, () => NONE, false),
    );
  };
  return {
    clean: fc.record({ net: fc.constantFrom(...arches) }),
    args: (c) => [clean(dims(c.net))],
    argNames: [field],
    slots: (c) => [{ path: [0], variants: valueVariants(dims(c.net), clean(dims(c.net))) }],
    setup: (c) => makeNet(ARCHITECTURES[c.net]!, ctx().rt),
    teardown: (net) => net.dispose(),
    call: (net, [v]) => {
      (net as unknown as Record<Field, unknown>)[field] = v;
    },
    changesState: true,
    state: (net) => networkState(net),
    runtimes: () => [ctx().rt],
    verify(net, [v]) {
      const got = (net as unknown as Record<Field, unknown>)[field];
      if (v instanceof Scaler || got instanceof Scaler) expectSame((got as Scaler | null)?.toJSON() ?? null, (v as Scaler | null)?.toJSON() ?? null, field);
      else expectSame(got, v, field);
    },
  };
}

// ─── Network.fromJSON(json, options) ───

function fromJSONOptionsEntry(ctx: () => Context): Entry<{ net: number; text: boolean }, null> {
  const models = new Map<number, unknown>();
  const model = (i: number) => {
    if (!models.has(i)) models.set(i, ctx().pool[i]!.net.toJSON());
    return models.get(i)!;
  };
  return {
    clean: fc.record({ net: fc.nat(ARCHITECTURES.length - 1), text: fc.boolean() }),
    args: (c) => [c.text ? JSON.stringify(model(c.net)) : model(c.net), { runtime: ctx().rt }],
    argNames: ['json', 'options'],
    keyPrefix: ['model', ''],
    slots: () => [
      { path: [1], variants: objectVariants({ runtime: ctx().rt }, { optional: true }) },
      { path: [1, 'runtime'], variants: referenceVariants(ctx().rt, [new Variant('another runtime', () => ctx().other, () => ctx().other, true)], { optional: true }) },
    ],
    setup: () => null,
    sharedState: true,
    call: (_, [json, options]) => Network.fromJSON(json, options as never),
    state: () => null,
    runtimes: () => [ctx().rt, ctx().other],
    release: (net) => (net as Network).dispose(),
    verify(_, [json], result) {
      const expected = typeof json === 'string' ? JSON.parse(json) : json;
      expectSame(JSON.parse(JSON.stringify((result as Network).toJSON())), JSON.parse(JSON.stringify(expected)), 'the loaded model');
    },
  };
}

describe.each(BACKENDS)('the reliability battery: the network on $name', ({ options }) => {
  let context: Context;
  const ctx = () => context;
  beforeAll(async () => {
    // a modest memory limit: a size too large for it is refused at once instead of growing memory to gigabytes
    const rt = await runtimeFor({ ...options, maximumPages: 512 });
    const js = await runtimeFor({ backend: 'js' });
    context = { rt, other: await runtimeFor({ ...options, maximumPages: 64 }), js, pool: makePool(rt, js) };
    // networks made without a runtime option use the default one
    await init({ backend: 'js', maximumPages: 64 });
  });

  it('new Network(options): the network asked for, or a refusal naming the option', () => battery(networkEntry(ctx), 300));
  it('setWeights(weights): exactly those weights, or a refusal naming the layer and the array', () => battery(setWeightsEntry(ctx), 300));
  it('getWeights(options): the weights in the form asked for, or a refusal naming the option', () => battery(getWeightsEntry(ctx), 60));
  it('predict(x): the float64 reference within float32 rounding, or a refusal naming x', () => battery(predictEntry(ctx), 400));
  it('predictInto(x, out): predict written into out and nowhere else, or a refusal naming x or out', () => battery(predictIntoEntry(ctx), 300));
  it('trace(x, y, { loss }): the float64 forward pass and loss and the JS backend gradients, or a refusal naming the argument', () => battery(traceEntry(ctx), 300));
  it.each(['classes', 'featureNames', 'targetName', 'scaler', 'targetScaler'] as const)('net.%s = value: the value (copied), or a refusal naming it', (field) => battery(setterEntry(ctx, field), 60));
  it('Network.fromJSON(json, options): the saved model in the runtime asked for, or a refusal naming the option', () => battery(fromJSONOptionsEntry(ctx), 80));
});

