/**
 * The reliability battery on a saved model's encoders: `Model.fromJSON` of
 * model files (version 2) whose `preprocess` is mutated (a value replaced by
 * something of another type, out of range or a prototype key, a field
 * deleted or added, an item removed, repeated or moved, a level renamed to
 * another's name), as an object and as text, with the checksum recomputed
 * so that the encoders' own checks are reached, or left as it was.
 *
 * The property: a Model whose encoders are exactly the file's (saved again,
 * it loads again as the same file) and which predicts records to finite
 * numbers, or a DataError naming `model.<field>`; either way the caller's
 * object and the runtime's live bytes unchanged, in bounded time.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Model, parseCsv } from '../../src/csv.js';
import { DataError, init, SimdnetError, trainModel, type ModelJSON, type Runtime } from '../../src/index.js';
import { modelChecksum, type ModelContent } from '../../src/io/model-json.js';
import { PROTOTYPE_KEYS } from '../support/hostile.js';
import { snapshot } from '../support/snapshot.js';

const RUNS = 1200;
const CONTENT_KEYS = ['inputs', 'layers', 'weights', 'scaler', 'targetScaler', 'classes', 'featureNames', 'targetName', 'training', 'preprocess'] as const;

let runtime: Runtime;
let base: ModelJSON;
const outcomes = { loaded: 0, refused: 0, refusedByEncoders: 0 };
/** Records the loaded models predict: every column's cells, gaps, unseen categories, text in a numeric column. */
const RECORDS = [
  { hours: 2, color: 'red', member: 'yes', joined: '2024-03-01' },
  { hours: null, color: 'violet', member: 'no', joined: null },
  { hours: 'n/a', color: null, member: true, joined: '2023-12-31' },
];

type Path = Array<string | number>;

/** Every place inside `v` (objects' keys, arrays' indices), with the path to it. */
function places(v: unknown, path: Path = []): Path[] {
  // (not into a value a mutation made deep or long)
  if (v === null || typeof v !== 'object' || path.length > 8) return [path];
  if (Array.isArray(v) && v.length > 100) return [path];
  const keys: Array<string | number> = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  return [path, ...keys.flatMap((k) => places((v as Record<string | number, unknown>)[k], [...path, k]))];
}

const deep = (depth: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
};

const shown = (v: unknown): string => (Array.isArray(v) ? `an array of length ${v.length}` : typeof v === 'string' ? JSON.stringify(v.slice(0, 30)) : String(v));

const VALUES: ReadonlyArray<() => unknown> = [
  () => null, () => NaN, () => Infinity, () => -Infinity, () => 1e39, () => -1, () => 0, () => 1.5, () => 65537, () => -0, () => 1e-45,
  () => '', () => 'x', () => 'Infinity', () => '1', ...PROTOTYPE_KEYS.map((k) => () => k), () => true, () => false, () => [], () => ({}), () => [null], () => ['a', 'a'],
  () => deep(1000), () => Array.from({ length: 70_000 }, (_, i) => `l${i}`), () => 'z'.repeat(100_000), () => 'numeric', () => 'categorical', () => 'date', () => ['year'],
];

interface Mutation {
  op: 'set' | 'delete' | 'add' | 'repeat' | 'swap';
  place: number;
  value: number;
  key: number;
  asText: boolean;
  resign: boolean;
}

const mutations: fc.Arbitrary<Mutation[]> = fc.array(fc.record({
  op: fc.constantFrom<Mutation['op']>('set', 'set', 'set', 'delete', 'add', 'repeat', 'swap'),
  place: fc.nat(),
  value: fc.nat(VALUES.length - 1),
  key: fc.nat(),
  asText: fc.boolean(),
  resign: fc.oneof({ arbitrary: fc.constant(true), weight: 4 }, { arbitrary: fc.constant(false), weight: 1 }),
}), { minLength: 1, maxLength: 2 });

function parentOf(root: Record<string, unknown>, path: Path): [Record<string | number, unknown>, string | number] | null {
  if (path.length === 0) return null;
  let o: unknown = root;
  for (const k of path.slice(0, -1)) o = (o as Record<string | number, unknown>)[k];
  return [o as Record<string | number, unknown>, path[path.length - 1]!];
}

/** Applies one mutation to the file's preprocess (in place); a label for messages. */
function mutate(file: Record<string, unknown>, m: Mutation): string {
  const all = places(file.preprocess, ['preprocess']);
  const path = all[m.place % all.length]!;
  const at = parentOf(file, path);
  const where = path.join('.');
  if (at === null) return 'nothing';
  const [parent, key] = at;
  const value = VALUES[m.value]!();
  switch (m.op) {
    case 'set':
      parent[key] = value;
      return `${where} = ${shown(value)}`;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      return `delete ${where}`;
    case 'add': {
      const target = parent[key];
      if (target === null || typeof target !== 'object' || Array.isArray(target)) {
        if (Array.isArray(target)) target.push(value);
        return `push onto ${where}`;
      }
      const names = [...PROTOTYPE_KEYS, 'fil', 'levles', 'extra', ...Object.keys(target).map((k) => `${k}s`)];
      const name = names[m.key % names.length]!;
      Object.defineProperty(target, name, { value, enumerable: true, configurable: true, writable: true });
      return `add ${where}.${name}`;
    }
    case 'repeat': {
      if (Array.isArray(parent)) parent.splice(key as number, 0, structuredClone(parent[key]));
      return `repeat ${where}`;
    }
    case 'swap': {
      if (!Array.isArray(parent) || parent.length < 2) return 'nothing';
      const other = (m.key % (parent.length - 1) + (key as number) + 1) % parent.length;
      [parent[key], parent[other]] = [parent[other], parent[key]];
      return `swap ${where} with [${other}]`;
    }
  }
}

function resign(file: Record<string, unknown>): void {
  try {
    file.checksum = modelChecksum(Object.fromEntries(CONTENT_KEYS.map((k) => [k, file[k] ?? null])) as unknown as ModelContent);
  } catch {
    // content no checksum can be computed for (the loader refuses it anyway)
  }
}

function checkFile(ms: Mutation[]): void {
  const file = structuredClone(base) as unknown as Record<string, unknown>;
  const labels = ms.map((m) => mutate(file, m));
  if (ms.some((m) => m.resign)) resign(file);
  const asText = ms[0]!.asText;
  const input: unknown = asText ? JSON.stringify(file) : file;
  const label = `${labels.join('; ')} (${asText ? 'text' : 'object'}, ${ms.some((m) => m.resign) ? 'checksum recomputed' : 'checksum kept'})`;
  const before = snapshot(input);
  const live = runtime.liveBytes;
  const started = performance.now();
  let model: Model;
  try {
    model = Model.fromJSON(input, { runtime });
  } catch (e) {
    if (!(e instanceof SimdnetError)) throw new Error(`${label}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    expect(e, `${label}: ${e.message}`).toBeInstanceOf(DataError);
    outcomes.refused++;
    if (e.message.startsWith('model.preprocess')) outcomes.refusedByEncoders++;
    expect(e.message, label).toMatch(/^model[.:[ ]/);
    expect(e.message.length, `${label}: a message of ${e.message.length} characters`).toBeLessThan(2000);
    expect(runtime.liveBytes, `${label}: live bytes after a refusal`).toBe(live);
    expect(snapshot(input), `${label}: the caller's file`).toEqual(before);
    return;
  } finally {
    expect(performance.now() - started, `${label}: time`).toBeLessThan(5000);
  }
  outcomes.loaded++;
  try {
    const saved = JSON.parse(JSON.stringify(model.toJSON())) as Record<string, unknown>;
    // what loaded is the file's own encoders, and saved again it loads again
    // (a file without encoders loads as a bare network's model: null)
    const own = (asText ? (JSON.parse(input as string) as Record<string, unknown>).preprocess : JSON.parse(JSON.stringify(file.preprocess ?? null))) ?? null;
    expect(saved.preprocess, `${label}: the encoders loaded`).toEqual(own);
    const again = Model.fromJSON(JSON.stringify(saved), { runtime });
    again.dispose();
    for (const r of RECORDS) {
      let p: unknown;
      try {
        p = model.predictProba(r);
      } catch (e) {
        // a record can be refused for what it holds (a cell the file's encoders cannot read); never by a TypeError
        if (!(e instanceof SimdnetError)) throw new Error(`${label}: predicting ${JSON.stringify(r)} threw ${String(e)}`);
        continue;
      }
      for (const v of Object.values(p as Record<string, number>)) expect(Number.isFinite(v), `${label}: a probability of ${JSON.stringify(r)}`).toBe(true);
    }
    expect(snapshot(input), `${label}: the caller's file`).toEqual(before);
  } finally {
    model.dispose();
  }
  expect(runtime.liveBytes, `${label}: live bytes after dispose`).toBe(live);
}

beforeAll(async () => {
  runtime = await init();
  const colors = ['red', 'blue', 'green', 'red', 'blue', 'amber', 'teal'];
  const rows = ['hours,color,member,joined,label', ...Array.from({ length: 60 }, (_, i) => [
    i % 11 === 0 ? '' : String((i % 9) - 4), colors[i % colors.length], i % 3 ? 'yes' : 'no', `2024-0${1 + (i % 9)}-1${i % 10}`, i % 5 < 2 ? 'a' : 'b',
  ].join(','))];
  const data = parseCsv(rows.join('\n'), { maxCategories: 3 });
  const net = trainModel(data, { runtime, epochs: 1, hidden: [2], seed: 1 }).network;
  base = JSON.parse(JSON.stringify(net.toJSON())) as ModelJSON;
  net.dispose();
  expect((base as unknown as { preprocess: { columns: Array<{ kind: string }> } }).preprocess.columns.map((c) => c.kind)).toEqual(['numeric', 'categorical', 'boolean', 'date']);
});

afterAll(() => {
  base = undefined as never;
});

describe('the reliability battery: a saved model\'s encoders', () => {
  it(`Model.fromJSON of ${RUNS} files with mutated encoders: the file's own encoders, predicting finite numbers, or a DataError naming model.<field>`, () => {
    fc.assert(fc.property(mutations, checkFile), { seed: 11, numRuns: RUNS, interruptAfterTimeLimit: 90_000, markInterruptAsFailure: false });
    // both outcomes occur often, and the encoders' own checks are reached (not only the checksum's)
    const runs = outcomes.loaded + outcomes.refused;
    expect(outcomes.loaded).toBeGreaterThan(runs / 20);
    expect(outcomes.refusedByEncoders).toBeGreaterThan(runs / 5);
  }, 120_000);
});
