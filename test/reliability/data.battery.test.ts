/**
 * The reliability battery on the data entry points: `makeDataset`, `split`
 * and `Scaler` (fit, transform, inverseTransform, transformRow, fromJSON).
 * No kernels are involved, so they run once, not per backend. Each property
 * holds: a correct result (the plain call's, and an independent reference's),
 * or a SimdnetError naming the argument, with the caller's arrays unchanged.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { makeDataset, Scaler, split, type Dataset, type Split } from '../../src/index.js';
import { battery, expectSame, type Entry, type Path } from '../support/battery.js';
import { expectNear, rowsFrom, rowsOf } from '../support/battery-nets.js';
import { flatten } from '../support/close.js';
import {
  boolVariants, nameVariants, namesVariants, NONE, objectVariants, realVariants, seedVariants, sizeVariants, tableVariants, Variant,
} from '../support/hostile.js';

/** The fields of a Dataset the library reads (not `dropped`, a report for the caller). */
const DATASET_KEYS = ['x', 'y', 'rows', 'features', 'task', 'classes', 'featureNames', 'targetName'];
const TASKS = ['binary', 'multiclass', 'regression'];

/** Any string is a name (prototype keys too); what is no string means nothing. */
function stringVariants(clean: string, others: readonly string[], o: { optional?: boolean } = {}): fc.Arbitrary<Variant> {
  return nameVariants(clean, others, o).map((v) => {
    const made = v.make();
    return v.plain() === NONE && typeof made === 'string' ? new Variant(v.label, v.make, v.make, true) : v;
  });
}

// ─── makeDataset(x, y, options) ───

interface MakeClean {
  kind: 'binary' | 'multiclass' | 'regression';
  rows: number;
  features: number;
  x: number[];
  y: number[];
  flat: boolean;
  options: Record<string, unknown>;
}

const makeClean: fc.Arbitrary<MakeClean> = fc.record({
  kind: fc.constantFrom('binary', 'multiclass', 'regression'),
  rows: fc.integer({ min: 2, max: 8 }),
  features: fc.integer({ min: 1, max: 3 }),
  flat: fc.boolean(),
  labels: fc.boolean(),
}).chain((g) => fc.record({ x: rowsOf(g.rows, g.features), v: rowsOf(g.rows, 1) }).map(({ x, v }) => {
  const k = g.kind === 'binary' ? 2 : 3;
  const y = g.kind === 'regression' ? v : v.map((_, r) => r % k);
  const options: Record<string, unknown> = {
    task: g.kind,
    featureNames: Array.from({ length: g.features }, (_, i) => `f${i}`),
    targetName: 'label',
  };
  if (g.kind !== 'regression') options.classes = g.labels ? (k === 2 ? ['no', 'yes'] : ['a', 'b', 'c']) : k;
  if (g.flat) Object.assign(options, { rows: g.rows, features: g.features });
  return { kind: g.kind, rows: g.rows, features: g.features, x, y, flat: g.flat, options };
}));

const DATASET_ARGS = ['x', 'y', /^options[.]/, /^options$/];

function makeDatasetEntry(): Entry<MakeClean, null> {
  return {
    clean: makeClean,
    args: (c) => [c.flat ? c.x.slice() : rowsFrom(c.x, c.features), c.y.slice(), c.options],
    argNames: ['x', 'y', 'options'],
    keyPrefix: ['x', 'y', 'options'],
    slots: (c) => {
      const o = c.options;
      const slots: Array<{ path: Path; variants: fc.Arbitrary<Variant> }> = [
        { path: [0], variants: tableVariants({ rows: c.rows, cols: c.features, values: c.x, nested: !c.flat }, { maxRows: 10 }) },
        { path: [1], variants: tableVariants({ rows: c.rows, cols: 1, values: c.y, nested: false }, { maxRows: 10 }) },
        { path: [2], variants: objectVariants(o, { optional: true }) },
        { path: [2, 'rows'], variants: sizeVariants(c.rows, { optional: true, max: 10 }) },
        { path: [2, 'features'], variants: sizeVariants(c.features, { optional: true, max: 10 }) },
        { path: [2, 'task'], variants: nameVariants(c.kind, ['auto', ...TASKS], { optional: true }) },
        { path: [2, 'featureNames'], variants: namesVariants(o.featureNames as string[], { optional: true }) },
        { path: [2, 'targetName'], variants: stringVariants('label', ['label', 'f0', '', 'toString'], { optional: true }) },
      ];
      if (o.classes !== undefined) {
        slots.push({ path: [2, 'classes'], variants: typeof o.classes === 'number' ? sizeVariants(o.classes, { optional: true, max: 5 }) : namesVariants(o.classes as string[], { optional: true }) });
      }
      return slots;
    },
    // x, y and the options are checked against each other (rows, features, names, task and labels)
    coupled: () => DATASET_ARGS,
    setup: () => null,
    sharedState: true,
    call: (_, [x, y, options]) => (options === undefined ? makeDataset(x as never, y as never) : makeDataset(x as never, y as never, options as never)),
    state: () => null,
    runtimes: () => [],
    verify(_, [x, y, options], result) {
      const ds = result as Dataset;
      const o = (options ?? {}) as Record<string, unknown>;
      expectSame(ds.x, Float32Array.from(flatten(x)), 'x');
      expectSame(ds.y, Float32Array.from(flatten(y)), 'y');
      expectSame(ds.rows * ds.features, ds.x.length, 'rows × features');
      expectSame(ds.featureNames, o.featureNames ?? Array.from({ length: ds.features }, (_, i) => `x${i}`), 'featureNames');
      expectSame(ds.targetName, o.targetName ?? 'target', 'targetName');
      if (o.task !== undefined && o.task !== 'auto') expectSame(ds.task, o.task, 'task');
      if (Array.isArray(o.classes)) expectSame(ds.classes, o.classes, 'classes');
      if (ds.classes !== null) ds.y.forEach((v) => { if (!(Number.isInteger(v) && v >= 0 && v < ds.classes!.length)) throw new Error(`a label ${v} outside the ${ds.classes!.length} classes`); });
      // copies: a change to the caller's arrays afterwards does not reach the dataset
      if (Array.isArray(o.featureNames) && ds.featureNames === o.featureNames) throw new Error('the dataset keeps the caller\'s featureNames array');
    },
  };
}

// ─── split(ds, options) ───

interface SplitClean {
  ds: { kind: 'binary' | 'multiclass' | 'regression'; rows: number; x: number[]; y: number[] };
  options: Record<string, unknown>;
}

const splitClean: fc.Arbitrary<SplitClean> = fc.record({
  kind: fc.constantFrom('binary', 'multiclass', 'regression'),
  x: rowsOf(40, 2),
  fractions: fc.constantFrom<number[]>([0.8, 0.1, 0.1], [0.6, 0.2, 0.2], [0.5, 0.5, 0], [1, 0, 0]),
  stratify: fc.boolean(),
  seed: fc.nat(100),
}).map(({ kind, x, fractions: [train, validation, test], stratify, seed }) => {
  const y = Array.from({ length: 40 }, (_, r) => (kind === 'regression' ? x[2 * r]! + r / 16 : r % (kind === 'binary' ? 2 : 3)));
  const options: Record<string, unknown> = { train, validation, test, seed, stratify };
  if (kind === 'regression') options.quantileBins = stratify ? 4 : 0;
  return { ds: { kind, rows: 40, x, y }, options };
});

function datasetOf(d: SplitClean['ds']): Dataset {
  return makeDataset(rowsFrom(d.x, 2), d.y, { task: d.kind, featureNames: ['a', 'b'], targetName: 'label' });
}

/** Rows of a dataset as comparable strings (features, then target), sorted: a partition keeps the multiset. */
function rowKeys(ds: Dataset): string[] {
  return Array.from({ length: ds.rows }, (_, r) => [...ds.x.subarray(r * ds.features, (r + 1) * ds.features), ds.y[r]].join(',')).sort();
}

function datasetSlots(ds: Dataset, at: number): Array<{ path: Path; variants: fc.Arbitrary<Variant> }> {
  return [
    { path: [at], variants: objectVariants(ds as unknown as Record<string, unknown>, { strict: false, ownKeysOnly: false, readKeys: DATASET_KEYS }) },
    { path: [at, 'x'], variants: tableVariants({ rows: ds.rows, cols: ds.features, values: Array.from(ds.x), nested: false }, { f32Only: true }) },
    { path: [at, 'y'], variants: tableVariants({ rows: ds.rows, cols: 1, values: Array.from(ds.y), nested: false }, { f32Only: true }) },
    { path: [at, 'rows'], variants: sizeVariants(ds.rows, { max: 80 }) },
    { path: [at, 'features'], variants: sizeVariants(ds.features, { max: 4 }) },
    { path: [at, 'classes'], variants: namesVariants(ds.classes ?? ['0', '1'], { nullable: true }) },
    { path: [at, 'task'], variants: nameVariants(ds.task, TASKS) },
    { path: [at, 'featureNames'], variants: namesVariants(ds.featureNames) },
    { path: [at, 'targetName'], variants: stringVariants(ds.targetName, ['label', 'a', 'toString']) },
  ];
}

function splitEntry(): Entry<SplitClean, null> {
  return {
    clean: splitClean,
    args: (c) => [datasetOf(c.ds), c.options],
    argNames: ['ds', 'options'],
    keyPrefix: ['ds', 'options'],
    slots: (c) => [
      ...datasetSlots(datasetOf(c.ds), 0),
      { path: [1], variants: objectVariants(c.options, { optional: true }) },
      ...['train', 'validation', 'test'].map((k) => ({ path: [1, k] as Path, variants: realVariants(c.options[k] as number, { optional: true }) })),
      { path: [1, 'stratify'], variants: boolVariants({ optional: true }) },
      { path: [1, 'seed'], variants: seedVariants(c.options.seed as number, { optional: true }) },
      { path: [1, 'quantileBins'], variants: sizeVariants(4, { optional: true, min: 0, max: 20 }) },
    ],
    // a dataset's fields are checked against each other; the fractions against each other and the class sizes
    coupled: (path) => (path[0] === 0 ? [/^ds/] : ['options', /^options[.]/, 'ds']),
    setup: () => null,
    sharedState: true,
    call: (_, [ds, options]) => (options === undefined ? split(ds as never) : split(ds as never, options as never)),
    state: () => null,
    runtimes: () => [],
    verify(_, [ds], result) {
      const d = ds as Dataset;
      const parts = result as Split;
      // a partition: every row in exactly one part
      expectSame([parts.train, parts.validation, parts.test].flatMap(rowKeys).sort(), rowKeys(d), 'the rows of the three parts');
      for (const p of [parts.train, parts.validation, parts.test]) {
        expectSame([p.features, p.featureNames, p.targetName, p.task, p.classes], [d.features, d.featureNames, d.targetName, d.task, d.classes], 'a part\'s columns');
      }
    },
  };
}

// ─── Scaler ───

interface FitClean {
  rows: number;
  features: number;
  x: number[];
  kind: string;
}

const fitClean: fc.Arbitrary<FitClean> = fc.record({ rows: fc.integer({ min: 1, max: 6 }), features: fc.integer({ min: 1, max: 3 }), kind: fc.constantFrom('minmax', 'standard', 'none') })
  .chain((g) => rowsOf(g.rows, g.features).map((x) => ({ ...g, x })));

/** Scaler.fit's statistics in float64, from the definitions. */
function refStatistics(x: ArrayLike<number>, rows: number, features: number, kind: string): { offset: number[]; scale: number[] } {
  const offset: number[] = [];
  const scale: number[] = [];
  for (let c = 0; c < features; c++) {
    const col = Array.from({ length: rows }, (_, r) => x[r * features + c]!);
    if (kind === 'none') {
      offset.push(0);
      scale.push(1);
    } else if (kind === 'minmax') {
      const lo = Math.min(...col);
      const hi = Math.max(...col);
      offset.push(lo);
      scale.push(hi - lo < 10 * Number.EPSILON ? 1 : hi - lo);
    } else {
      const mean = col.reduce((s, v) => s + v, 0) / rows;
      const sd = Math.sqrt(col.reduce((s, v) => s + (v - mean) ** 2, 0) / rows);
      offset.push(mean);
      scale.push(sd < 10 * Number.EPSILON ? 1 : sd);
    }
  }
  return { offset, scale };
}

function scalerFitEntry(): Entry<FitClean, null> {
  return {
    clean: fitClean,
    args: (c) => [Float32Array.from(c.x), c.rows, c.features, c.kind],
    argNames: ['x', 'rows', 'features', 'kind'],
    slots: (c) => [
      { path: [0], variants: tableVariants({ rows: c.rows, cols: c.features, values: c.x, nested: false }, { f32Only: true }) },
      { path: [1], variants: sizeVariants(c.rows, { min: 0, max: 10 }) },
      { path: [2], variants: sizeVariants(c.features, { max: 10 }) },
      { path: [3], variants: nameVariants(c.kind, ['minmax', 'standard', 'none']) },
    ],
    // x is checked against rows × features
    coupled: (path) => (path[0] === 3 ? [] : ['x', 'rows', 'features']),
    setup: () => null,
    sharedState: true,
    call: (_, [x, rows, features, kind]) => Scaler.fit(x as never, rows as never, features as never, kind as never),
    state: () => null,
    runtimes: () => [],
    same: (a, b) => expectSame((a as Scaler).toJSON(), (b as Scaler).toJSON()),
    verify(_, [x, rows, features, kind], result) {
      const s = (result as Scaler).toJSON();
      const ref = refStatistics(x as Float32Array, rows as number, features as number, kind as string);
      expectNear(s.offset, ref.offset, 1e-12, 1e-12, 'offset');
      expectNear(s.scale, ref.scale, 1e-12, 1e-12, 'scale');
    },
  };
}

interface TransformClean {
  features: number;
  kind: string;
  rows: number;
  x: number[];
  method: 'transform' | 'inverseTransform' | 'transformRow';
}

const transformClean: fc.Arbitrary<TransformClean> = fc.record({
  features: fc.integer({ min: 1, max: 3 }),
  kind: fc.constantFrom('minmax', 'standard'),
  rows: fc.integer({ min: 1, max: 5 }),
  method: fc.constantFrom('transform', 'inverseTransform', 'transformRow'),
}).chain((g) => rowsOf(g.method === 'transformRow' ? 1 : g.rows, g.features).map((x) => ({ ...g, rows: g.method === 'transformRow' ? 1 : g.rows, x })));

const fitted = (c: TransformClean) => Scaler.fit(Float32Array.from({ length: 3 * c.features }, (_, i) => (i * 7) % 5 - 1), 3, c.features, c.kind as never);

function scalerTransformEntry(): Entry<TransformClean, Scaler> {
  return {
    clean: transformClean,
    args: (c) => (c.method === 'transformRow' ? [c.x.slice(), new Float32Array(c.features)] : [Float32Array.from(c.x), c.rows]),
    argNames: ['x', 'rows'],
    slots: (c) => (c.method === 'transformRow'
      ? [
        { path: [0], variants: tableVariants({ rows: 1, cols: c.features, values: c.x, nested: false }, { nonFinite: 'keep' }) },
        {
          path: [1],
          variants: fc.constantFrom(
            new Variant('a Float32Array', () => new Float32Array(c.features), () => new Float32Array(c.features), true),
            new Variant('left out', () => undefined, () => undefined, true),
            new Variant('one value short', () => new Float32Array(c.features - 1), () => new Float32Array(c.features - 1), true),
            new Variant('a number[]', () => new Array<number>(c.features).fill(0), () => NONE, false),
            new Variant('a Float64Array', () => new Float64Array(c.features), () => NONE, false),
            new Variant('null', () => null, () => NONE, false),
          ),
        },
      ]
      : [
        { path: [0], variants: tableVariants({ rows: c.rows, cols: c.features, values: c.x, nested: false }, { f32Only: true, nonFinite: 'keep' }) },
        // rows may be left out: the rows form then reads them from x
        { path: [1], variants: sizeVariants(c.rows, { min: 0, max: 10, optional: true }) },
      ]),
    coupled: () => ['x', 'rows', 'row', 'out'],
    setup: (c) => fitted(c),
    sharedState: true,
    call: (s, args) => {
      const c = args as [never, never];
      // the Float32Array forms, whose signatures differ per method
      return (s[transformMethod.get(s)!] as (x: unknown, n: unknown) => unknown).call(s, c[0], c[1]);
    },
    writes: [1],
    state: (s) => s.toJSON(),
    runtimes: () => [],
    verify(s, [x], result) {
      const { offset, scale } = s.toJSON();
      const f = s.features;
      const inverse = transformMethod.get(s) === 'inverseTransform';
      const expected = Array.from(x as ArrayLike<number>, (v, i) => (inverse ? Math.fround(v * scale[i % f]! + offset[i % f]!) : Math.fround((v - offset[i % f]!) / scale[i % f]!)));
      expectSame(flatten(result), expected, 'scaled values');
    },
  };
}

/** Which method a transform case calls, by its scaler (set in setup). */
const transformMethod = new WeakMap<Scaler, TransformClean['method']>();

function withMethod(entry: Entry<TransformClean, Scaler>): Entry<TransformClean, Scaler> {
  return {
    ...entry,
    argNames: ['x', 'rows'],
    setup: (c) => {
      const s = entry.setup(c);
      transformMethod.set(s, c.method);
      return s;
    },
    token: (m) => m.slice(0, Math.max(0, m.indexOf(': '))).replace(/^row$/, 'x').replace(/^out$/, 'rows'),
  };
}

function scalerFromJSONEntry(): Entry<{ features: number; kind: string }, null> {
  const json = (c: { features: number; kind: string }) => (c.kind === 'none'
    ? { kind: 'none', features: c.features, offset: new Array<number>(c.features).fill(0), scale: new Array<number>(c.features).fill(1) }
    : { kind: c.kind, features: c.features, offset: Array.from({ length: c.features }, (_, i) => i - 0.5), scale: Array.from({ length: c.features }, (_, i) => 0.25 + i) });
  return {
    clean: fc.record({ features: fc.integer({ min: 1, max: 3 }), kind: fc.constantFrom('minmax', 'standard', 'none') }),
    args: (c) => [json(c)],
    argNames: ['scaler'],
    slots: (c) => {
      const j = json(c);
      return [
        { path: [0], variants: objectVariants(j, { strict: false }) },
        { path: [0, 'kind'], variants: nameVariants(c.kind, ['minmax', 'standard', 'none']) },
        { path: [0, 'features'], variants: sizeVariants(c.features, { max: 8 }) },
        { path: [0, 'offset'], variants: tableVariants({ rows: 1, cols: c.features, values: j.offset, nested: false }, { arraysOnly: true }) },
        { path: [0, 'scale'], variants: tableVariants({ rows: 1, cols: c.features, values: j.scale, nested: false }, { arraysOnly: true }) },
      ];
    },
    // the statistics are checked against features and kind
    coupled: () => [/^scaler/],
    setup: () => null,
    sharedState: true,
    call: (_, [j]) => Scaler.fromJSON(j),
    state: () => null,
    runtimes: () => [],
    same: (a, b) => expectSame((a as Scaler).toJSON(), (b as Scaler).toJSON()),
    verify(_, [j], result) {
      const o = j as Record<string, unknown>;
      expectSame((result as Scaler).toJSON(), { kind: o.kind, features: o.features, offset: flatten(o.offset), scale: flatten(o.scale) }, 'the scaler read');
    },
  };
}

describe('the reliability battery: data', () => {
  it('makeDataset(x, y, options): a copy of exactly those rows, labels and names, or a refusal naming the argument', () => battery(makeDatasetEntry(), 500));
  it('split(ds, options): a partition of the rows as the plain call makes it, or a refusal naming the dataset field or the option', () => battery(splitEntry(), 300));
  it('Scaler.fit(x, rows, features, kind): the float64 statistics, or a refusal naming the argument', () => battery(scalerFitEntry(), 300));
  it('scaler.transform, inverseTransform and transformRow: the affine map, value by value, or a refusal naming the argument', () => battery(withMethod(scalerTransformEntry()), 400));
  it('Scaler.fromJSON(json): the scaler saved, or a refusal naming the field', () => battery(scalerFromJSONEntry(), 300));
});
