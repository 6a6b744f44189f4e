/**
 * The reliability battery on training and evaluation: `new Trainer`, `fit`
 * and `fitAsync`, `evaluate` and `trainModel`, on every backend. Each property
 * holds: a correct result (the same as the plain call's, bit for bit, and
 * consistent with an independent reference), or a SimdnetError naming the
 * argument, with the network, the caller's arrays and the heap unchanged —
 * except the weights after a successful fit, which must equal the plain fit's.
 */
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import {
  evaluate, init, makeDataset, Network, split, Trainer, type Dataset, type Evaluation, type History, type LossName, type Runtime, type TrainedModel, trainModel,
} from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { battery, Deferred, expectSame, type Entry, type Path } from '../support/battery.js';
import {
  ARCHITECTURES, expectNear, makeNet, makePool, warmNet, MAX_ROWS, moderate, networkVariants, rowsFrom, rowsOf, signalVariants, targetsFor, type PoolNet,
} from '../support/battery-nets.js';
import { flatten } from '../support/close.js';
import {
  boolVariants, functionVariants, listVariants, nameVariants, namesVariants, objectVariants, realVariants, referenceVariants, seedVariants,
  sizeVariants, tableVariants, Variant,
} from '../support/hostile.js';
import { networkState, weightBits } from '../support/snapshot.js';

interface Context {
  rt: Runtime;
  other: Runtime;
  js: Runtime;
  pool: PoolNet[];
  /** A network disposed at the start: the lookalike that is no longer one. */
  disposed: Network;
}

const LOSSES = ['mse', 'bce', 'cce'];
const OPTIMIZERS = ['sgd', 'momentum', 'adam'];

/** A few steps of a fit, deterministic: the rows a trainer is checked on, with targets for its loss. */
function probeData(arch: number, loss: LossName): { x: number[][]; y: unknown } {
  const a = ARCHITECTURES[arch]!;
  const inputs = a.options.inputs;
  const outputs = a.options.layers.at(-1)!.units;
  const x = Array.from({ length: 6 }, (_, r) => Array.from({ length: inputs }, (_, c) => ((r * 7 + c * 3) % 11) / 5 - 1));
  const y = loss === 'cce' ? x.map((_, r) => r % outputs) : loss === 'bce' ? x.map((_, r) => Array.from({ length: outputs }, (_, c) => (r + c) % 2)) : x.map((_, r) => Array.from({ length: outputs }, (_, c) => r - c));
  return { x, y };
}

// ─── new Trainer(network, options) ───

interface TrainerClean {
  arch: number;
  options: { loss: LossName; optimizer: Record<string, unknown> | string; batchSize: number; shuffle: boolean; seed: number };
}

const optimizerClean = fc.oneof(
  fc.constantFrom('sgd', 'momentum', 'adam'),
  fc.record({ type: fc.constant('sgd'), lr: fc.constantFrom(0.05, 0.1), weightDecay: fc.constantFrom(0, 0.001) }),
  fc.record({ type: fc.constant('momentum'), lr: fc.constant(0.05), momentum: fc.constantFrom(0.5, 0.9), clipNorm: fc.constant(1) }),
  fc.record({ type: fc.constant('adam'), lr: fc.constant(0.01), beta1: fc.constant(0.9), beta2: fc.constant(0.999), eps: fc.constant(1e-8) }),
);

const trainerClean: fc.Arbitrary<TrainerClean> = fc.record({
  arch: fc.nat(ARCHITECTURES.length - 1),
  optimizer: optimizerClean,
  batchSize: fc.integer({ min: 1, max: 4 }),
  shuffle: fc.boolean(),
  seed: fc.nat(100),
}).map(({ arch, optimizer, batchSize, shuffle, seed }) => ({ arch, options: { loss: ARCHITECTURES[arch]!.loss, optimizer, batchSize, shuffle, seed } }));

interface FitEnv {
  net: Network;
  trainer: Trainer;
  arch: number;
}

function trainerEntry(ctx: () => Context): Entry<TrainerClean, FitEnv> {
  return {
    clean: trainerClean,
    args: (c) => [new Deferred<FitEnv>((e) => e.net), c.options],
    argNames: ['network', 'Trainer options'],
    keyPrefix: ['network', ''],
    slots: (c) => {
      const o = c.options;
      const slots: Array<{ path: Path; variants: fc.Arbitrary<Variant> }> = [
        { path: [0], variants: networkVariants<FitEnv>((e) => e.net, ctx().disposed) },
        { path: [1], variants: objectVariants(o) },
        { path: [1, 'loss'], variants: nameVariants(o.loss, LOSSES) },
        { path: [1, 'optimizer'], variants: typeof o.optimizer === 'string' ? nameVariants(o.optimizer, OPTIMIZERS, { optional: true }) : objectVariants(o.optimizer, { optional: true }) },
        { path: [1, 'batchSize'], variants: sizeVariants(o.batchSize, { optional: true }) },
        { path: [1, 'shuffle'], variants: boolVariants({ optional: true }) },
        { path: [1, 'seed'], variants: seedVariants(o.seed, { optional: true }) },
      ];
      if (typeof o.optimizer !== 'string') {
        slots.push({ path: [1, 'optimizer', 'type'], variants: nameVariants(o.optimizer.type as string, OPTIMIZERS) });
        for (const key of ['lr', 'momentum', 'beta1', 'beta2', 'eps', 'weightDecay', 'clipNorm']) {
          slots.push({ path: [1, 'optimizer', key], variants: realVariants((o.optimizer[key] as number | undefined) ?? 0.5, { optional: true }) });
        }
      }
      return slots;
    },
    // the optimizer's keys are checked against its type; the loss against the output layer
    coupled: (path) => (path[2] !== undefined || path[1] === 'optimizer' ? [/^optimizer[.]/, 'optimizer'] : path[0] === 0 ? ['network', 'loss'] : []),
    setup: (c) => ({ net: warmNet(ARCHITECTURES[c.arch]!, ctx().rt), trainer: null as unknown as Trainer, arch: c.arch }),
    teardown: (e) => e.net.dispose(),
    call: (env, [net, options]) => {
      const t = new Trainer(net as Network, options as never);
      // what the trainer does is the proof of what it took: a short fit, compared with the plain trainer's
      const { x, y } = probeData(env.arch, t.loss);
      const history = t.fit(x, y as never, { epochs: 2 });
      return { history, loss: t.loss, batchSize: t.batchSize, shuffle: t.shuffle, seed: t.seed };
    },
    changesState: true,
    trains: true,
    state: (e) => networkState(e.net),
    runtimes: () => [ctx().rt],
  };
}

// ─── fit(x, y, options) and fitAsync ───

interface FitClean {
  arch: number;
  optimizer: Record<string, unknown> | string;
  batchSize: number;
  async: boolean;
  rows: number;
  x: number[];
  y: { values: number[]; cols: number; nested: boolean };
  options: Record<string, unknown>;
  vrows: number;
}

const stopAtEpoch2 = (info: { epoch: number }) => info.epoch < 2;
const onBatch = () => undefined;

function fitClean(ctx: () => FitContext): fc.Arbitrary<FitClean> {
  return fc.record({
    arch: fc.nat(ARCHITECTURES.length - 1),
    optimizer: optimizerClean,
    batchSize: fc.integer({ min: 1, max: 4 }),
    async: fc.boolean(),
    rows: fc.integer({ min: 2, max: 8 }),
    vrows: fc.integer({ min: 0, max: 3 }),
    epochs: fc.integer({ min: 1, max: 3 }),
    early: fc.constantFrom('none', 'true', 'object'),
    callbacks: fc.boolean(),
    signal: fc.boolean(),
  }).chain((g) => {
    const a = ARCHITECTURES[g.arch]!;
    const outputs = a.options.layers.at(-1)!.units;
    return fc.record({
      x: rowsOf(g.rows, a.options.inputs),
      y: targetsFor(a.loss, g.rows, outputs),
      vx: rowsOf(g.vrows, a.options.inputs),
      vy: targetsFor(a.loss, g.vrows, outputs),
    }).map(({ x, y, vx, vy }) => {
      const options: Record<string, unknown> = { epochs: g.epochs };
      if (g.vrows > 0) options.validation = { x: rowsFrom(vx, a.options.inputs), y: vy.nested ? rowsFrom(vy.values, vy.cols) : vy.values };
      if (g.early === 'true' && g.vrows > 0) options.earlyStopping = true;
      if (g.early === 'object') options.earlyStopping = { monitor: g.vrows > 0 ? 'val_loss' : 'loss', patience: 1, minDelta: 0.001, restoreBest: true };
      if (g.callbacks) Object.assign(options, { onEpochEnd: stopAtEpoch2, onBatchEnd: onBatch });
      if (g.signal) options.signal = ctx().live;
      return { arch: g.arch, optimizer: g.optimizer, batchSize: g.batchSize, async: g.async, rows: g.rows, x, y, options, vrows: g.vrows };
    });
  });
}

interface FitContext extends Context {
  live: AbortSignal;
  aborted: AbortSignal;
}

function fitEntry(ctx: () => FitContext): Entry<FitClean, FitEnv> {
  const yValue = (y: FitClean['y']) => (y.nested ? rowsFrom(y.values, y.cols) : y.values.slice());
  const trainer = (net: Network, c: FitClean) => new Trainer(net, { loss: ARCHITECTURES[c.arch]!.loss, optimizer: c.optimizer as never, batchSize: c.batchSize, seed: 1 });
  return {
    clean: fitClean(ctx),
    args: (c) => [rowsFrom(c.x, c.x.length / c.rows), yValue(c.y), c.options],
    argNames: ['x', 'y', 'fit options'],
    keyPrefix: ['x', 'y', ''],
    slots: (c) => {
      const o = c.options;
      const inputs = c.x.length / c.rows;
      const slots: Array<{ path: Path; variants: fc.Arbitrary<Variant> }> = [
        { path: [0], variants: tableVariants({ rows: c.rows, cols: inputs, values: c.x, nested: true }, { maxRows: MAX_ROWS }) },
        { path: [1], variants: tableVariants({ rows: c.y.values.length / c.y.cols, cols: c.y.cols, values: c.y.values, nested: c.y.nested }, { maxRows: MAX_ROWS }) },
        { path: [2], variants: objectVariants(o, { optional: true }) },
        { path: [2, 'epochs'], variants: sizeVariants(o.epochs as number, { optional: true, max: 3 }) },
        { path: [2, 'validation'], variants: o.validation ? objectVariants(o.validation as Record<string, unknown>, { optional: true }) : fc.constant(new Variant('left out', () => undefined, () => undefined, true)) },
        { path: [2, 'earlyStopping'], variants: fc.oneof(boolVariants({ optional: true }), objectVariants({ monitor: 'loss', patience: 1 }, { optional: true })) },
        { path: [2, 'onEpochEnd'], variants: functionVariants(stopAtEpoch2, { optional: true }) },
        { path: [2, 'onBatchEnd'], variants: functionVariants(onBatch, { optional: true }) },
        { path: [2, 'signal'], variants: signalVariants(ctx().live, ctx().aborted) },
      ];
      if (o.validation) {
        const v = o.validation as { x: number[][]; y: unknown };
        const vy = flatten(v.y);
        const vcols = vy.length / v.x.length;
        slots.push(
          { path: [2, 'validation', 'x'], variants: tableVariants({ rows: v.x.length, cols: inputs, values: v.x.flat(), nested: true }, { maxRows: MAX_ROWS }) },
          { path: [2, 'validation', 'y'], variants: tableVariants({ rows: v.x.length, cols: vcols, values: vy, nested: Array.isArray(v.y) && Array.isArray((v.y as unknown[])[0]) }, { maxRows: MAX_ROWS }) },
        );
      }
      if (o.earlyStopping !== null && typeof o.earlyStopping === 'object') {
        slots.push(
          { path: [2, 'earlyStopping', 'monitor'], variants: nameVariants('loss', ['loss', 'val_loss'], { optional: true }) },
          { path: [2, 'earlyStopping', 'patience'], variants: sizeVariants(1, { optional: true }) },
          { path: [2, 'earlyStopping', 'minDelta'], variants: realVariants(0.001, { optional: true }) },
          { path: [2, 'earlyStopping', 'restoreBest'], variants: boolVariants({ optional: true }) },
        );
      }
      return slots;
    },
    // x and y are checked against each other, so are validation's; early stopping on val_loss needs validation data
    coupled: (path) => {
      if (path[0] === 0) return ['y'];
      if (path[0] === 2 && path[1] === 'validation') return ['validation.y', 'validation', 'earlyStopping'];
      if (path[0] === 2 && path[1] === 'earlyStopping') return ['earlyStopping', /^earlyStopping[.]/];
      if (path.length === 1 && path[0] === 2) return ['earlyStopping', /^validation/];
      return [];
    },
    setup: (c) => {
      const net = warmNet(ARCHITECTURES[c.arch]!, ctx().rt);
      return { net, trainer: trainer(net, c), arch: c.arch };
    },
    teardown: (e) => e.net.dispose(),
    call: (env, args) => env.trainer.fit(args[0] as never, args[1] as never, args[2] as never),
    changesState: true,
    trains: true,
    state: (e) => networkState(e.net),
    runtimes: () => [ctx().rt],
    async followUp(env, fresh, c) {
      // a refused fit leaves the trainer as it was: a clean fit after it equals a clean fit on a trainer that never saw it
      const args = [rowsFrom(c.x, c.x.length / c.rows), yValue(c.y), { epochs: 2 }] as const;
      const a = await env.trainer.fitAsync(args[0], args[1] as never, args[2]);
      const b = fresh.trainer.fit(args[0], args[1] as never, args[2]);
      expectSame(a, b, 'a clean fit after the refused one');
      expectSame(weightBits(env.net), weightBits(fresh.net), 'the weights after a clean fit after the refused one');
    },
    verify(env, [x, , o], result) {
      const h = result as History;
      const epochs = (o as { epochs?: number } | undefined)?.epochs ?? 10;
      if (h.epochs > epochs || h.loss.length !== h.epochs) throw new Error(`history: ${h.epochs} epochs of ${epochs}, ${h.loss.length} losses`);
      if (moderate(x) && h.loss.some((v) => !Number.isFinite(v))) throw new Error(`history: a non-finite loss ${h.loss.join()}`);
      if (h.bestEpoch > h.epochs) throw new Error(`history: best epoch ${h.bestEpoch} of ${h.epochs}`);
      void env;
    },
  };
}

/** fit or fitAsync, as the case says. */
function withMode(entry: Entry<FitClean, FitEnv>): Entry<FitClean, FitEnv> {
  let mode = false;
  return {
    ...entry,
    setup: (c) => {
      mode = c.async;
      return entry.setup(c);
    },
    call: (env, args) => (mode ? env.trainer.fitAsync(args[0] as never, args[1] as never, args[2] as never) : env.trainer.fit(args[0] as never, args[1] as never, args[2] as never)),
  };
}

// ─── evaluate(net, data) ───

interface EvaluateClean {
  net: number;
  rows: number;
  x: number[];
  y: { values: number[]; cols: number; nested: boolean };
}

/** Networks evaluate takes: classifiers, and regressors of one output. */
const EVALUATED = [0, 1, 2, 4];

const evaluateClean: fc.Arbitrary<EvaluateClean> = fc.record({ net: fc.constantFrom(...EVALUATED), rows: fc.integer({ min: 1, max: 8 }) }).chain(({ net, rows }) => {
  const a = ARCHITECTURES[net]!;
  const outputs = a.options.layers.at(-1)!.units;
  const labels = a.loss === 'mse' ? rowsOf(rows, 1) : fc.array(fc.nat(Math.max(1, outputs - 1)), { minLength: rows, maxLength: rows });
  return fc.record({ x: rowsOf(rows, a.options.inputs), labels, oneHot: fc.boolean() }).map(({ x, labels, oneHot }) => ({
    net,
    rows,
    x,
    y: a.loss === 'cce' && oneHot
      ? { values: labels.flatMap((l) => Array.from({ length: outputs }, (_, c) => (c === l ? 1 : 0))), cols: outputs, nested: true }
      : { values: labels, cols: 1, nested: false },
  }));
});

function evaluateEntry(ctx: () => Context): Entry<EvaluateClean, PoolNet> {
  const data = (c: EvaluateClean) => ({ x: rowsFrom(c.x, c.x.length / c.rows), y: c.y.nested ? rowsFrom(c.y.values, c.y.cols) : c.y.values.slice() });
  return {
    clean: evaluateClean,
    args: (c) => [new Deferred<PoolNet>((p) => p.net), data(c)],
    argNames: ['net', 'data'],
    keyPrefix: ['net', 'data'],
    slots: (c) => [
      { path: [0], variants: networkVariants<PoolNet>((p) => p.net, ctx().disposed) },
      { path: [1], variants: objectVariants(data(c), { strict: false }) },
      { path: [1, 'x'], variants: tableVariants({ rows: c.rows, cols: c.x.length / c.rows, values: c.x, nested: true }, { maxRows: MAX_ROWS }) },
      { path: [1, 'y'], variants: tableVariants({ rows: c.y.values.length / c.y.cols, cols: c.y.cols, values: c.y.values, nested: c.y.nested }, { maxRows: MAX_ROWS }) },
    ],
    coupled: (path) => (path[0] === 0 ? ['network'] : path[1] === 'x' || path.length === 1 ? ['data.y'] : []),
    setup: (c) => ctx().pool[c.net]!,
    sharedState: true,
    call: (_, [net, d]) => evaluate(net as Network, d as never),
    state: (p) => networkState(p.net),
    runtimes: () => [ctx().rt],
    verify(p, [, d], result) {
      const e = result as Evaluation;
      const { x, y } = d as { x: unknown; y: unknown };
      const net = p.net;
      const rows = rowsFrom(x, net.inputs);
      const out = rowsFrom(net.predict(rowsFrom(x, net.inputs)), net.outputs);
      const flatY = flatten(y);
      const labels = flatY.length === rows.length ? flatY : rowsFrom(flatY, net.outputs).map((r) => r.indexOf(1));
      if (e.task === 'regression') {
        const mse = out.reduce((s, [o], r) => s + (Math.fround(o!) - Math.fround(labels[r]!)) ** 2, 0) / rows.length;
        if (moderate(x) && moderate(y)) expectNear([e.mse], [mse], 1e-6, 1e-5, 'evaluate mse against the predictions');
        return;
      }
      const predicted = out.map((o) => (o.length === 1 ? (o[0]! > 0.5 ? 1 : 0) : o.indexOf(Math.max(...o))));
      expectSame(Array.from(e.predictions), predicted, 'evaluate predictions against predict');
      const right = predicted.filter((c, r) => c === labels[r]).length;
      expectSame(e.accuracy, right / rows.length, 'evaluate accuracy against the predictions');
    },
  };
}

// ─── trainModel(data, options) ───

interface TrainModelClean {
  kind: 'binary' | 'multiclass' | 'regression';
  rows: number;
  x: number[];
  y: number[];
  options: Record<string, unknown>;
}

const trainModelClean: fc.Arbitrary<TrainModelClean> = fc.record({
  kind: fc.constantFrom('binary', 'multiclass', 'regression'),
  x: rowsOf(50, 2),
  epochs: fc.integer({ min: 1, max: 2 }),
  hidden: fc.constantFrom([3], [4, 3]),
  seed: fc.nat(50),
  lr: fc.constantFrom(0.01, 0.05),
  split: fc.constantFrom([0.6, 0.2, 0.2], [0.8, 0.1, 0.1], [0.5, 0.5, 0]),
}).map(({ kind, x, epochs, hidden, seed, lr, split: s }) => ({
  kind,
  rows: 50,
  x,
  y: x.filter((_, i) => i % 2 === 0).map((v, r) => (kind === 'regression' ? v + r / 8 : kind === 'binary' ? r % 2 : r % 3)),
  options: { epochs, hidden, seed, lr, split: s, batchSize: 8, patience: 2 },
}));

/** The fields of a Dataset the library reads (not `dropped`, a report for the caller). */
const DATASET_KEYS = ['x', 'y', 'rows', 'features', 'task', 'classes', 'featureNames', 'targetName'];

function datasetOf(c: TrainModelClean): Dataset {
  return makeDataset(rowsFrom(c.x, 2), c.y, { task: c.kind, featureNames: ['a', 'b'], targetName: 'label' });
}

function trainModelEntry(ctx: () => FitContext): Entry<TrainModelClean, null> {
  return {
    clean: trainModelClean,
    args: (c) => [datasetOf(c), { ...c.options, runtime: ctx().rt }],
    argNames: ['data', 'options'],
    keyPrefix: ['data', ''],
    slots: (c) => {
      const ds = datasetOf(c);
      const o = c.options;
      const slots: Array<{ path: Path; variants: fc.Arbitrary<Variant> }> = [
        { path: [0], variants: objectVariants(ds as unknown as Record<string, unknown>, { strict: false, ownKeysOnly: false, readKeys: DATASET_KEYS }) },
        { path: [0, 'x'], variants: tableVariants({ rows: ds.rows, cols: ds.features, values: Array.from(ds.x), nested: false }, { f32Only: true, maxRows: 60 }) },
        { path: [0, 'y'], variants: tableVariants({ rows: ds.rows, cols: 1, values: Array.from(ds.y), nested: false }, { f32Only: true, maxRows: 60 }) },
        { path: [0, 'rows'], variants: sizeVariants(ds.rows, { max: 60 }) },
        { path: [0, 'features'], variants: sizeVariants(ds.features, { max: 4 }) },
        { path: [0, 'classes'], variants: namesVariants(ds.classes ?? ['0', '1'], { nullable: true }) },
        { path: [0, 'task'], variants: nameVariants(ds.task, ['binary', 'multiclass', 'regression']) },
        { path: [1], variants: objectVariants({ ...o, runtime: ctx().rt }, { optional: true }) },
        { path: [1, 'task'], variants: nameVariants(ds.task, ['binary', 'multiclass', 'regression'], { optional: true }) },
        { path: [1, 'hidden'], variants: listVariants(o.hidden as number[], { optional: true }) },
        { path: [1, 'hidden', 0], variants: sizeVariants((o.hidden as number[])[0]!, {}) },
        { path: [1, 'activation'], variants: nameVariants('tanh', ['relu', 'leaky_relu', 'tanh', 'sigmoid', 'linear'], { optional: true }) },
        { path: [1, 'optimizer'], variants: nameVariants('adam', OPTIMIZERS, { optional: true }) },
        { path: [1, 'lr'], variants: realVariants(o.lr as number, { optional: true }) },
        { path: [1, 'batchSize'], variants: sizeVariants(8, { optional: true }) },
        { path: [1, 'epochs'], variants: sizeVariants(o.epochs as number, { optional: true, max: 2 }) },
        { path: [1, 'patience'], variants: sizeVariants(2, { optional: true }) },
        { path: [1, 'weightDecay'], variants: realVariants(0.005, { optional: true }) },
        { path: [1, 'clipNorm'], variants: realVariants(1, { optional: true, nullMeansOmit: true }) },
        { path: [1, 'split'], variants: listVariants(o.split as number[], { optional: true }) },
        ...[0, 1, 2].map((i) => ({ path: [1, 'split', i] as Path, variants: realVariants((o.split as number[])[i]!) })),
        { path: [1, 'stratify'], variants: boolVariants({ optional: true }) },
        { path: [1, 'scale'], variants: nameVariants('minmax', ['standard', 'minmax', 'none'], { optional: true }) },
        { path: [1, 'seed'], variants: seedVariants(o.seed as number, { optional: true }) },
        { path: [1, 'runtime'], variants: referenceVariants(ctx().rt, [new Variant('another runtime', () => ctx().other, () => ctx().other, true)], { optional: true }) },
        { path: [1, 'onEpochEnd'], variants: functionVariants(stopAtEpoch2, { optional: true }) },
        { path: [1, 'signal'], variants: signalVariants(ctx().live, ctx().aborted) },
      ];
      return slots;
    },
    // a dataset's fields are checked against each other; the task against the labels; the split against the class sizes
    coupled: (path) => (path[0] === 0 ? [/^data/] : path[1] === 'split' ? ['split', /^split\[/, 'data'] : path[1] === 'task' ? ['task', 'data'] : []),
    memoryAt: (path) => path[1] === 'hidden',
    setup: () => null,
    sharedState: true,
    call: (_, [data, options]) => trainModel(data as never, options as never),
    trains: true,
    state: () => null,
    runtimes: () => [ctx().rt, ctx().other],
    release: (m) => (m as TrainedModel).network.dispose(),
    verify(_, [data, options], result) {
      const m = result as TrainedModel;
      const ds = data as Dataset;
      expectSame(m.rows.train + m.rows.validation + m.rows.test, ds.rows, 'rows of the three parts');
      // the test metrics are evaluate's on the test part of the same split
      const [train, validation, test] = m.config.split;
      const parts = split(ds, { train, validation, test, seed: m.config.seed, stratify: m.config.stratify, quantileBins: m.config.task === 'regression' && m.config.stratify && ds.classes === null ? 10 : 0 });
      if (m.test) expectSame(m.test, evaluate(m.network, parts.test), 'the test metrics');
      void options;
    },
  };
}

describe.each(BACKENDS)('the reliability battery: training on $name', ({ options }) => {
  let context: FitContext;
  const ctx = () => context;
  beforeAll(async () => {
    const rt = await runtimeFor({ ...options, maximumPages: 512 });
    const js = await runtimeFor({ backend: 'js' });
    const disposed = makeNet(ARCHITECTURES[0]!, rt);
    disposed.dispose();
    const controller = new AbortController();
    controller.abort();
    context = { rt, other: await runtimeFor({ ...options, maximumPages: 64 }), js, pool: makePool(rt, js), disposed, live: new AbortController().signal, aborted: controller.signal };
    // networks made without a runtime option use the default one
    await init({ backend: 'js', maximumPages: 64 });
  });

  it('new Trainer(network, options): a trainer that fits as the plain one does, or a refusal naming the option', () => battery(trainerEntry(ctx), 250));
  it('fit and fitAsync(x, y, options): the plain fit bit for bit, or a refusal naming the argument, after which the trainer is as it was', () => battery(withMode(fitEntry(ctx)), 300));
  it('evaluate(net, data): metrics consistent with predict, or a refusal naming the argument', () => battery(evaluateEntry(ctx), 300));
  it('trainModel(data, options): the plain pipeline bit for bit, its test metrics evaluate\'s, or a refusal naming the option', () => battery(trainModelEntry(ctx), 200));
});
