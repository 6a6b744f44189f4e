/**
 * The reliability battery on simdnet/csv's Model: `predict` and
 * `predictProba` over records (one, or an array of them) for a model with
 * encoders (a numeric, a categorical and a boolean column) and for a bare
 * network's model (numeric features x0, x1). One slot is spoiled per call:
 * the array (a hole, empty, frozen, a Proxy, another realm's, one whose
 * length throws, a typed array, a Set), a record (test/support/hostile.ts's
 * objectVariants: null prototype, frozen, getters, inherited keys, a Map,
 * Proxies, prototype keys, a typo of a column), or one cell (gaps written
 * every way, numbers as text, Dates, booleans, values beyond float32,
 * objects, arrays, boxed numbers, BigInts, Symbols, functions, getters
 * that throw).
 *
 * The property: the plain records' predictions (the value the hostile one
 * stands for), or a ValueError or DataError naming `record`/`records[i]`
 * (or `records` for the array); the network, the caller's records and the
 * runtime's live bytes unchanged.
 */
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Model, parseCsv } from '../../src/csv.js';
import { DataError, init, Network, SimdnetError, trainModel, ValueError, type Runtime } from '../../src/index.js';
import { NONE, objectVariants, transparent, Variant } from '../support/hostile.js';
import { networkState, snapshot } from '../support/snapshot.js';

const same = (label: string, make: () => unknown): Variant => new Variant(label, make, make, true);
const as = (label: string, make: () => unknown, plain: () => unknown): Variant => new Variant(label, make, plain, true);
const none = (label: string, make: () => unknown): Variant => new Variant(label, make, () => NONE, false);
const hostileGetter = (): never => {
  throw new Error('hostile getter');
};

let runtime: Runtime;
let encoded: Model;
let bare: Model;

type Cells = Record<string, number | string | boolean | null>;

interface Clean {
  bare: boolean;
  records: Cells[];
  one: boolean;
  proba: boolean;
  spoil: number;
  pick: number;
}

const COLORS = ['red', 'blue', 'green', 'Red', null] as const;
const encodedRecord = fc.record({
  hours: fc.oneof(fc.integer({ min: -40, max: 40 }).map((n) => n / 4), fc.constant(null)),
  color: fc.constantFrom(...COLORS),
  member: fc.constantFrom(true, false, 'yes', 'no', null),
});
const bareRecord = fc.record({ x0: fc.integer({ min: -40, max: 40 }).map((n) => n / 4), x1: fc.integer({ min: -40, max: 40 }).map((n) => n / 8) });

const cleans: fc.Arbitrary<Clean> = fc.boolean().chain((isBare) => fc.record({
  bare: fc.constant(isBare),
  records: fc.array((isBare ? bareRecord : encodedRecord) as fc.Arbitrary<Cells>, { minLength: 1, maxLength: 4 }),
  one: fc.boolean(),
  proba: isBare ? fc.constant(false) : fc.boolean(),
  spoil: fc.nat(),
  pick: fc.nat(),
}));

/** One cell's variants: the same value written otherwise, or something no table holds. */
function cellVariants(v: number | string | boolean | null): Variant[] {
  const list: Variant[] = [
    same('the clean cell', () => v),
    as('undefined', () => undefined, () => null), as('NaN', () => NaN, () => null), as("'NA'", () => 'NA', () => null), as("''", () => '', () => null),
    as("'  '", () => '  ', () => null),
    as('behind a getter', () => v, () => v),
    none('a getter that throws', () => hostileGetter), // (made into a getter by the slot)
    none('Infinity', () => Infinity), none('-Infinity', () => -Infinity), none('1e39', () => 1e39), none('-3.5e38', () => -3.5e38), none("'1e39'", () => '1e39'),
    none('[v]', () => [v]), none('{ valueOf }', () => ({ valueOf: () => v })), none('a Number object', () => new Number(1)), none('a String object', () => new String('red')),
    none('a BigInt', () => 1n), none('a Symbol', () => Symbol('red')), none('a function', () => () => v), none('a Map', () => new Map()),
    none('a revoked Proxy', () => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; }),
  ];
  if (typeof v === 'number') {
    list.push(as('its decimal text', () => String(v), () => v), as('its text padded', () => ` ${v} `, () => v), as("'+' and an exponent", () => `${v >= 0 ? '+' : ''}${v}e0`, () => v));
    if (v === 0) list.push(same('-0', () => -0));
  }
  if (typeof v === 'boolean') list.push(as('its text', () => String(v), () => v));
  if (typeof v === 'string') list.push(as('a Date', () => new Date(Date.UTC(2024, 0, 2)), () => '2024-01-02T00:00:00.000Z'));
  return list;
}

/** The array's variants (records as an array only). */
function arrayVariants(records: () => Cells[]): Variant[] {
  return [
    same('the array', records),
    as('a frozen array', () => Object.freeze(records()), records),
    as('a Proxy of the array', () => transparent(records()), records),
    as("another realm's array", () => runInNewContext('r.slice()', { r: records() }) as unknown, records),
    // eslint-disable-next-line no-sparse-arrays
    none('a hole first', () => [, ...records()]), none('an empty array', () => []), none('a Set of the records', () => new Set(records())),
    none('a Float32Array', () => new Float32Array(2)),
    none('an array whose length throws', () => new Proxy(records(), { get: (t, k) => (k === 'length' ? hostileGetter() : Reflect.get(t, k)) })),
  ];
}

interface Case {
  label: string;
  make: () => unknown;
  plain: () => unknown;
  meaningless: boolean;
  /** Where a refusal must point: 'records', 'records[i]' or 'record'. */
  at: string;
}

function cases(c: Clean): Case[] {
  const copy = (): Cells[] => c.records.map((r) => ({ ...r }));
  const wrap = (list: unknown[]): unknown => (c.one ? list[0] : list);
  const out: Case[] = [];
  const r = c.pick % c.records.length;
  const at = c.one ? 'record' : `records[${r}]`;
  if (!c.one) for (const v of arrayVariants(copy)) out.push({ label: v.label, make: v.make, plain: v.plain, meaningless: v.meaningless, at: 'records' });
  // (a plain object: fast-check's records have a null prototype, which copyTree would hand out as is)
  const rec: Cells = { ...c.records[r]! };
  const withRecord = (make: () => unknown) => () => {
    const list: unknown[] = copy();
    list[r] = make();
    return wrap(c.one ? [list[r]] : list);
  };
  // every variant of the record (a record with its columns inherited means none of them: refused, as its plain twin {} is)
  const recordVariants = fc.sample(objectVariants(rec, { strict: false }), { numRuns: 400, seed: 1 });
  for (const v of new Map(recordVariants.map((x) => [x.label, x])).values()) {
    out.push({ label: `${at}: ${v.label}`, make: withRecord(v.make), plain: v.meaningless ? () => NONE : withRecord(v.plain), meaningless: v.meaningless, at });
  }
  const columns = Object.keys(rec);
  const col = columns[c.pick % columns.length]!;
  const near = col.length > 3 ? `${col.slice(0, -1)}` : `${col}z`;
  out.push({ label: `${at}: '${near}' for '${col}'`, make: withRecord(() => { const x: Record<string, unknown> = { ...rec }; delete x[col]; x[near] = rec[col]; return x; }), plain: () => NONE, meaningless: true, at });
  for (const v of cellVariants(rec[col]!)) {
    const cell = v.label === 'a getter that throws'
      ? () => Object.defineProperty({ ...rec }, col, { get: hostileGetter, enumerable: true })
      : v.label === 'behind a getter'
        ? () => Object.defineProperty({ ...rec }, col, { get: () => rec[col], enumerable: true })
        : () => ({ ...rec, [col]: v.make() });
    const plainCell = () => ({ ...rec, [col]: v.plain() });
    out.push({ label: `${at}.${col}: ${v.label}`, make: withRecord(cell), plain: v.meaningless ? () => NONE : withRecord(plainCell), meaningless: v.meaningless, at: `${at}.${col}` });
  }
  return out;
}

function call(m: Model, proba: boolean, records: unknown): unknown {
  return proba ? m.predictProba(records as never) : m.predict(records as never);
}

/** The outcome of a call: its result or the error it threw. */
function outcome(f: () => unknown): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
}

function checkCase(c: Clean): void {
  const m = c.bare ? bare : encoded;
  const list = cases(c);
  const k = list[c.spoil % list.length]!;
  const label = `${k.label} (${c.one ? 'one record' : `${c.records.length} records`}, ${c.bare ? 'bare' : 'encoded'} model${c.proba ? ', predictProba' : ''})`;
  const before = networkState(m.network);
  const live = runtime.liveBytes;
  const args = k.make();
  const argsBefore = snapshot(args);
  const got = outcome(() => call(m, c.proba, args));
  expect(networkState(m.network), `${label}: the network`).toEqual(before);
  expect(runtime.liveBytes, `${label}: live bytes`).toBe(live);
  expect(snapshot(args), `${label}: the caller's records`).toEqual(argsBefore);
  const plainArgs = k.plain();
  const plain = plainArgs === NONE ? null : outcome(() => call(m, c.proba, plainArgs));
  if (!got.ok) {
    const e = got.error;
    if (!(e instanceof SimdnetError)) throw new Error(`${label}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    expect(e instanceof ValueError || e instanceof DataError, `${label}: ${e.name}`).toBe(true);
    // (what is no array is one record: a Set of records is 'record: … got a Set'; one record replaced by an array is a list of records;
    // a DataError of the encoders names 'records: column …')
    const named = k.at === 'records' || k.at.startsWith('record:') || k.at === 'record' || k.at.startsWith('record.') ? /^records?[:.[]/.test(e.message) : e.message.startsWith(`${k.at}:`) || e.message.startsWith(`${k.at}.`) || e.message.startsWith(`${k.at}[`) || (e instanceof DataError && e.message.startsWith('records: '));
    expect(named, `${label}: the message names ${k.at}: ${e.message}`).toBe(true);
    if (plain !== null && plain.ok) throw new Error(`${label}: refused (${e.message}), but the plain records predict`);
    return;
  }
  if (plain === null) throw new Error(`${label}: accepted records that mean nothing: ${JSON.stringify(got.value)}`);
  if (!plain.ok) throw new Error(`${label}: predicted, but the plain records are refused: ${(plain.error as Error).message}`);
  expect(got.value, label).toEqual(plain.value);
}

beforeAll(async () => {
  runtime = await init();
  const rows = ['hours,color,member,label', ...Array.from({ length: 40 }, (_, i) => `${(i % 9) - 4},${['red', 'blue', 'Red'][i % 3]},${i % 4 ? 'yes' : 'no'},${i % 5 < 2 ? 'a' : 'b'}`)];
  encoded = new Model(trainModel(parseCsv(rows.join('\n')), { runtime, epochs: 2, hidden: [3], seed: 1 }).network as unknown as Network);
  bare = new Model(new Network({ inputs: 2, layers: [{ units: 2, activation: 'tanh' }, { units: 1, activation: 'linear' }], seed: 3, runtime }));
  // the activations for a batch are laid out once for the largest batch yet: lay them out for every batch a case passes
  encoded.predict(Array.from({ length: 8 }, () => ({ hours: 1, color: 'red', member: 'yes' })));
  bare.predict(Array.from({ length: 8 }, () => ({ x0: 1, x1: 2 })));
});

afterAll(() => {
  encoded?.dispose();
  bare?.dispose();
});

describe('the reliability battery: Model.predict and predictProba', () => {
  it('records: the plain records\' predictions, or a ValueError/DataError naming the record or cell; network, records and memory unchanged', () => {
    fc.assert(fc.property(cleans, checkCase), { seed: 11, numRuns: 2000, interruptAfterTimeLimit: 60_000, markInterruptAsFailure: false });
  });
});
