/**
 * Hostile values for the reliability battery (test/reliability/): for each
 * kind of argument slot, what a careless or hostile caller passes there, and
 * what it means. A variant's `plain()` is the value a careful caller would
 * have written for the same meaning; NONE when it means nothing (the call
 * must be refused), OMIT when it means "the key left out".
 */
import fc from 'fast-check';

export const NONE: unique symbol = Symbol('NONE: means nothing, must be refused');
export const OMIT: unique symbol = Symbol('OMIT: the key left out');

export class Variant {
  constructor(
    readonly label: string,
    /** A fresh hostile value (OMIT: leave the key out). */
    readonly make: () => unknown,
    /** The careful caller's value for the same meaning (OMIT: leave the key out), or NONE. */
    readonly plain: () => unknown,
    /** The library promises to take this form, so its outcome must be the plain call's; otherwise a refusal by name is fine too. */
    readonly accepted: boolean,
  ) {}

  get meaningless(): boolean {
    return this.plain() === NONE;
  }

  [fc.toStringMethod](): string {
    return this.label;
  }
}

const same = (label: string, make: () => unknown, accepted = true): Variant => new Variant(label, make, make, accepted);
const as = (label: string, make: () => unknown, plain: () => unknown, accepted = true): Variant => new Variant(label, make, plain, accepted);
const none = (label: string, make: () => unknown): Variant => new Variant(label, make, () => NONE, false);
const undef = (optional: boolean | undefined): Variant => (optional ? as('undefined', () => undefined, () => OMIT) : none('undefined', () => undefined));

export const PROTOTYPE_KEYS = ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf'] as const;

/** A NaN with the sign bit set (0xfff80000…), as Wasm can produce; JavaScript's literal has it clear. */
export const NEG_NAN = new Float64Array(new BigUint64Array([0xfff8000000000000n]).buffer)[0]!;
/** The float32 NaN bit patterns the battery injects into Float32Arrays. */
export const F32_NAN_BITS = [0x7fc00000, 0xffc00000, 0x7f800001, 0xff800001] as const;
/** The largest double that still rounds to the largest float32 (not to Infinity). */
export const ROUNDS_TO_F32_MAX = 3.40282356e38;

// ─── Proxies: the battery looks through the transparent ones it made ───

const proxyTargets = new WeakMap<object, object>();

/** A Proxy that forwards everything to `target` (the snapshot compares the target). */
export function transparent<T extends object>(target: T): T {
  const p = new Proxy(target, {});
  proxyTargets.set(p, target);
  return p;
}

export function targetOf(proxy: object): object | undefined {
  return proxyTargets.get(proxy);
}

function revoked(): object {
  const r = Proxy.revocable({}, {});
  r.revoke();
  return r.proxy;
}

function keysThrow<T extends object>(target: T): T {
  const p = new Proxy(target, { ownKeys() { throw new Error('hostile ownKeys trap'); } });
  proxyTargets.set(p, target);
  return p;
}

const hostileGetter = (): never => {
  throw new Error('hostile getter');
};

// ─── copies ───

/** A deep copy of plain arrays, plain objects and typed arrays; anything else (a Runtime, a Network, a function) by reference. */
export function copyTree<T>(v: T): T {
  if (Array.isArray(v)) return v.map(copyTree) as T;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return (v as unknown as { slice(): unknown }).slice() as T;
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = copyTree(x);
    return out as T;
  }
  return v;
}

// ─── scalars ───

export interface ScalarOptions {
  /** The key may be left out (undefined means the default). */
  optional?: boolean;
}

/** Hyperparameters and other real numbers: every finite double means itself. */
export function realVariants(clean: number, o: ScalarOptions & { nullMeansOmit?: boolean } = {}): fc.Arbitrary<Variant> {
  const n = (v: number) => same(`${Object.is(v, -0) ? '-0' : v}`, () => v);
  return fc.constantFrom(
    n(clean), n(0), n(-0), n(1), n(0.5), n(2), n(-clean), n(5e-324), n(1e-40), n(1e39), n(-1e39), n(1e300), n(ROUNDS_TO_F32_MAX),
    none('NaN', () => NaN), none('NaN with the sign bit set', () => NEG_NAN), none('+Infinity', () => Infinity), none('-Infinity', () => -Infinity),
    none(`the string "${clean}"`, () => String(clean)), none('a Number object', () => new Number(clean)), none('true', () => true),
    none(`[${clean}]`, () => [clean]), none('a BigInt', () => BigInt(Math.trunc(clean))),
    o.nullMeansOmit ? as('null', () => null, () => OMIT) : none('null', () => null), undef(o.optional),
  );
}

/** Sizes and counts: integers from `min`; `max` bounds the valid values worth running (epochs: no 2^53 epochs). */
export function sizeVariants(clean: number, o: ScalarOptions & { min?: 0 | 1; max?: number } = {}): fc.Arbitrary<Variant> {
  const min = o.min ?? 1;
  const valid = [clean, min, clean + 1, min + 1].filter((v) => o.max === undefined || v <= o.max);
  const huge = o.max === undefined ? [2 ** 31, 2 ** 53, 1e20] : [];
  return fc.constantFrom(
    ...valid.map((v) => same(`${v}`, () => v)), ...huge.map((v) => same(`huge ${v}`, () => v)),
    min === 0 ? same('-0', () => -0) : none('0', () => 0),
    none(`${min - 1}`, () => min - 1), none('-1', () => -1), none(`${clean + 0.5}`, () => clean + 0.5), none('NaN', () => NaN),
    none('+Infinity', () => Infinity), none('-Infinity', () => -Infinity), none(`the string "${clean}"`, () => String(clean)),
    none('null', () => null), none('true', () => true), none(`[${clean}]`, () => [clean]), none('a Number object', () => new Number(clean)),
    none('a BigInt', () => BigInt(clean)), undef(o.optional),
  );
}

/** Seeds: integers from 0 to 2^32 − 1. */
export function seedVariants(clean: number, o: ScalarOptions = {}): fc.Arbitrary<Variant> {
  return fc.constantFrom(
    same(`${clean}`, () => clean), same('0', () => 0), same('2^32 − 1', () => 2 ** 32 - 1), same('-0', () => -0),
    none('-1', () => -1), none('2^32', () => 2 ** 32), none('1.5', () => 1.5), none('NaN', () => NaN), none('+Infinity', () => Infinity),
    none('the string "7"', () => '7'), none('null', () => null), none('a BigInt', () => 7n), undef(o.optional),
  );
}

/** Names looked up in a table (activations, losses, optimizers, tasks): own keys only, exact spelling. */
export function nameVariants(clean: string, valid: readonly string[], o: ScalarOptions = {}): fc.Arbitrary<Variant> {
  const typo = clean.length > 2 ? clean[1]! + clean[0]! + clean.slice(2) : `${clean}x`;
  const list = [
    ...valid.map((v) => same(`'${v}'`, () => v)),
    ...PROTOTYPE_KEYS.map((k) => none(`'${k}'`, () => k)),
    none("''", () => ''), none(`'${clean.toUpperCase()}'`, () => clean.toUpperCase()), none(`' ${clean}'`, () => ` ${clean}`),
    none(`'${clean}\\0'`, () => `${clean}\0`), none(`a String object`, () => new String(clean)), none('1', () => 1), none('null', () => null),
    none(`['${clean}']`, () => [clean]), none('a Symbol', () => Symbol(clean)), undef(o.optional),
  ];
  if (!valid.includes(typo) && typo !== clean.toUpperCase()) list.push(none(`the typo '${typo}'`, () => typo));
  return fc.constantFrom(...list);
}

export function boolVariants(o: ScalarOptions = {}): fc.Arbitrary<Variant> {
  return fc.constantFrom(
    same('true', () => true), same('false', () => false), none("'true'", () => 'true'), none("'false'", () => 'false'),
    none('1', () => 1), none('0', () => 0), none('null', () => null), none('a Boolean object', () => new Boolean(false)), undef(o.optional),
  );
}

/** Callbacks; `fn` is the clean one (kept by reference so both calls share it). */
export function functionVariants(fn: (...args: never[]) => unknown, o: ScalarOptions = {}): fc.Arbitrary<Variant> {
  return fc.constantFrom(
    same('the callback', () => fn), none("'callback'", () => 'callback'), none('an object', () => ({})), none('null', () => null),
    none('true', () => true), undef(o.optional),
  );
}

/** A slot holding an object the library takes by reference (a Runtime, a Network): lookalikes mean nothing. */
export function referenceVariants(clean: object, others: readonly Variant[] = [], o: ScalarOptions = {}): fc.Arbitrary<Variant> {
  return fc.constantFrom(
    same('the clean one', () => clean), ...others,
    as('a transparent Proxy of it', () => transparent(clean), () => clean, false),
    as('an object inheriting from it', () => Object.create(clean) as object, () => clean, false),
    none('an empty object', () => ({})), none('null', () => null), none('a string', () => 'runtime'), none('a revoked Proxy', revoked),
    undef(o.optional),
  );
}

// ─── option objects and records ───

export interface ObjectOptions extends ScalarOptions {
  /** Unknown keys are refused (options); otherwise they are ignored (data records such as a Dataset). */
  strict?: boolean;
  /** Only own keys count (options, files): an inherited key means nothing, as if left out. Default true. */
  ownKeysOnly?: boolean;
  /** The keys the library reads (default all): a getter that throws on another key is never called. */
  readKeys?: readonly string[];
}

/**
 * Option objects and records: the same keys in exotic packaging (null
 * prototype, frozen, getters, Proxies, inherited), unknown and prototype keys,
 * getters and traps that throw, and things that are no object at all.
 */
export function objectVariants(clean: Record<string, unknown>, o: ObjectOptions = {}): fc.Arbitrary<Variant> {
  const keys = Object.keys(clean);
  const strict = o.strict ?? true;
  const ownOnly = o.ownKeysOnly ?? true;
  const copy = () => copyTree(clean);
  const extraMeaning = () => (strict ? NONE : copy());
  const typo = keys.length > 0 ? `${keys[0]!.slice(0, -1)}${keys[0]!.slice(-1).repeat(2)}` : 'extra';
  const list: Variant[] = [
    same('the clean one', copy),
    as('a null-prototype copy', () => Object.assign(Object.create(null) as object, copy()), copy),
    as('a frozen copy', () => Object.freeze(copy()), copy),
    as(`an extra key '${typo}' set to undefined`, () => ({ ...copy(), [typo]: undefined }), copy),
    as('its values behind getters', () => {
      const c = copy();
      const out = {};
      for (const k of keys) Object.defineProperty(out, k, { get: () => c[k], enumerable: true });
      return out;
    }, copy),
    as('its keys inherited (Object.create)', () => Object.create(copy()) as object, () => (ownOnly ? {} : copy())),
    none('a Map of its entries', () => new Map(Object.entries(copy()))),
    none('a Boolean object', () => new Boolean(true)),
    as('a transparent Proxy of it', () => transparent(copy()), copy, false),
    new Variant(`an unknown key '${typo}'`, () => ({ ...copy(), [typo]: 1 }), extraMeaning, !strict),
    ...PROTOTYPE_KEYS.map((k) => new Variant(`a prototype key '${k}' as its own key`, () => Object.defineProperty(copy(), k, { value: 1, enumerable: true, configurable: true, writable: true }), extraMeaning, !strict)),
    // only a reader that lists keys (options, files) meets the trap
    new Variant('a Proxy whose ownKeys trap throws', () => keysThrow(copy()), () => (strict ? NONE : copy()), false),
    none('a revoked Proxy', revoked), none('an array', () => Object.values(copy())), none('a string', () => '{}'), none('1', () => 1),
    none('a Float32Array', () => new Float32Array(2)), none('a function with its keys', () => Object.assign(() => 0, copy())), none('null', () => null),
    undef(o.optional),
  ];
  if (keys.length > 0) {
    list.push(...keys.filter((k) => o.readKeys?.includes(k) ?? true).map((k) => none(`a getter on '${k}' that throws`, () => Object.defineProperty(copy(), k, { get: hostileGetter, enumerable: true }))));
  }
  return fc.constantFrom(...list);
}

// ─── numeric arrays ───

export interface Table {
  rows: number;
  cols: number;
  /** Row-major. */
  values: number[];
  /** Whether the clean form is nested rows (else flat row-major). */
  nested: boolean;
}

export interface TableOptions {
  /** 'refuse': NaN, ±Infinity and values beyond float32 mean nothing (data for the kernels); 'keep': they are data (Scaler.transform). */
  nonFinite?: 'refuse' | 'keep';
  /** The library takes Float32Array only: other forms may be refused (their plain meaning is a Float32Array of the values). */
  f32Only?: boolean;
  /** The library takes plain arrays only (JSON): typed arrays may be refused (their plain meaning is an array of the values). */
  arraysOnly?: boolean;
  /** Most rows a variant may have (memory warmed up to it). */
  maxRows?: number;
  optional?: boolean;
}

export const nest = (values: readonly number[], cols: number): number[][] =>
  Array.from({ length: values.length / cols }, (_, r) => values.slice(r * cols, (r + 1) * cols));

/** The clean form of a table: nested rows or a flat array, or a Float32Array where only that is taken. */
export function tableValue(t: Table, o: TableOptions = {}): unknown {
  if (o.f32Only) return Float32Array.from(t.values);
  return t.nested ? nest(t.values, t.cols) : t.values.slice();
}

function withValue(t: Table, i: number, v: number): Table {
  const values = t.values.slice();
  values[i] = v;
  return { ...t, values };
}

function f32WithBits(values: readonly number[], i: number, bits: number): Float32Array {
  const f = Float32Array.from(values);
  new Uint32Array(f.buffer)[i] = bits;
  return f;
}

/** A Float32Array view of `values` at an offset in a larger buffer whose other words are NaN: a read outside the view shows. */
export function offsetView(values: readonly number[], offset: number): Float32Array {
  const buffer = new Float32Array(values.length + offset + 3);
  new Uint32Array(buffer.buffer).fill(0xffc00000);
  const view = buffer.subarray(offset, offset + values.length);
  view.set(values);
  return view;
}

/** Sets element `c` of row `r` (or flat index i) of a fresh clean-form copy with a property descriptor. */
function defineAt(t: Table, i: number, descriptor: PropertyDescriptor): unknown {
  if (!t.nested) return Object.defineProperty(t.values.slice(), i, { ...descriptor, enumerable: true, configurable: true });
  const rows = nest(t.values, t.cols);
  Object.defineProperty(rows[Math.floor(i / t.cols)]!, i % t.cols, { ...descriptor, enumerable: true, configurable: true });
  return rows;
}

/**
 * Numeric tables (x, y, W, b, targets): typed arrays of every kind, offset
 * views, NaN of both signs and ±Infinity injected by bit pattern, values
 * beyond float32, ragged and empty arrays, holes, strings, getters, Proxies.
 */
export function tableVariants(t: Table, o: TableOptions = {}): fc.Arbitrary<Variant> {
  const n = t.values.length;
  const refuse = (o.nonFinite ?? 'refuse') === 'refuse';
  const clean = () => tableValue(t, o);
  const flat = () => (o.f32Only ? Float32Array.from(t.values) : t.values.slice());
  const plainOf = (u: Table) => () => tableValue(u, o);
  // forms that are not a Float32Array: accepted unless only Float32Arrays are taken
  const other = !o.f32Only;
  const typed = !o.arraysOnly;
  const maxRows = o.maxRows ?? Infinity;
  const fixed: Variant[] = [
    same('the clean one', clean),
    as('a flat number[]', () => t.values.slice(), flat, other),
    as('a flat Float32Array', () => Float32Array.from(t.values), flat, typed),
    as('a Float64Array', () => Float64Array.from(t.values), flat, other && typed),
    as('an Int8Array', () => Int8Array.from(t.values), () => tableValue({ ...t, values: Array.from(Int8Array.from(t.values)), nested: false }, o), other && typed),
    as('a Uint8ClampedArray', () => Uint8ClampedArray.from(t.values), () => tableValue({ ...t, values: Array.from(Uint8ClampedArray.from(t.values)), nested: false }, o), other && typed),
    none('a BigInt64Array', () => BigInt64Array.from(t.values.map((v) => BigInt(Math.trunc(v))))),
    as('an array with an extra own property', () => Object.assign(clean() as object, { note: 'extra' }), clean, other),
    // a typed array with elements cannot be frozen
    ...(o.f32Only ? [] : [as('a frozen copy', () => Object.freeze(clean() as object), clean)]),
    as('a transparent Proxy of it', () => transparent(clean() as object), clean, false),
    as('an array-like object', () => ({ ...t.values, length: n }), flat, false),
    none('an empty array', () => []), none('a revoked Proxy', revoked), none('a string', () => '1,2'), none('a number', () => 1),
    none('null', () => null), none('an empty object', () => ({})), none('a Map', () => new Map([[0, 1]])), undef(o.optional),
  ];
  if (t.nested) {
    fixed.push(
      as('rows as Float32Array views at an offset', () => nest(t.values, t.cols).map((row, r) => offsetView(row, r + 1)), plainOf(t), other && typed),
      as('rows as Float64Arrays', () => nest(t.values, t.cols).map((row) => Float64Array.from(row)), plainOf(t), other && typed),
      as('frozen rows', () => nest(t.values, t.cols).map((row) => Object.freeze(row)), plainOf(t)),
      as('a transparent Proxy of each row', () => nest(t.values, t.cols).map((row) => transparent(row)), plainOf(t), false),
      none('[[]]', () => [[]]),
    );
  }
  const offsets = fc.integer({ min: 1, max: 5 }).map((k) => as(`a Float32Array view at offset ${k} (neighbours NaN)`, () => offsetView(t.values, k), flat, typed));
  const at = fc.nat(n - 1).chain((i) => {
    const where = `at index ${i}`;
    const u = (v: number) => withValue(t, i, v);
    const nonFinite = (label: string, v: number) => (refuse ? none(`${label} ${where}`, () => tableValue(u(v), o)) : as(`${label} ${where}`, () => tableValue(u(v), o), plainOf(u(v))));
    const list: Variant[] = [
      ...F32_NAN_BITS.map((bits) => (refuse
        ? none(`NaN 0x${bits.toString(16)} ${where} of a Float32Array`, () => f32WithBits(t.values, i, bits))
        : as(`NaN 0x${bits.toString(16)} ${where} of a Float32Array`, () => f32WithBits(t.values, i, bits), () => f32WithBits(t.values, i, bits), typed))),
      nonFinite('NaN', NaN), nonFinite('a sign-bit NaN', NEG_NAN), nonFinite('+Infinity', Infinity), nonFinite('-Infinity', -Infinity),
      nonFinite('1e39 (beyond float32)', 1e39), nonFinite('-1e300', -1e300),
      as(`${ROUNDS_TO_F32_MAX} (rounds to the largest float32) ${where}`, () => tableValue(u(ROUNDS_TO_F32_MAX), o), plainOf(u(ROUNDS_TO_F32_MAX))),
      as(`1e-40 (a float32 subnormal) ${where}`, () => tableValue(u(1e-40), o), plainOf(u(1e-40))),
      as(`-0 ${where}`, () => tableValue(u(-0), o), plainOf(u(-0))),
      as(`a value 3 ${where}`, () => tableValue(u(3), o), plainOf(u(3))),
      as(`a value -1 ${where}`, () => tableValue(u(-1), o), plainOf(u(-1))),
      none(`the string "0.5" ${where}`, () => defineAt(t, i, { value: '0.5', writable: true })),
      none(`null ${where}`, () => defineAt(t, i, { value: null, writable: true })),
      none(`undefined ${where}`, () => defineAt(t, i, { value: undefined, writable: true })),
      none(`true ${where}`, () => defineAt(t, i, { value: true, writable: true })),
      none(`a Number object ${where}`, () => defineAt(t, i, { value: new Number(1), writable: true })),
      none(`a BigInt ${where}`, () => defineAt(t, i, { value: 1n, writable: true })),
      none(`a getter that throws ${where}`, () => defineAt(t, i, { get: hostileGetter })),
      as(`a getter giving the value ${where}`, () => defineAt(t, i, { get: () => t.values[i] }), clean, false),
      none(`a hole ${where}`, () => {
        const v = (o.f32Only ? t.values.slice() : clean()) as number[] | number[][];
        if (t.nested) delete (v as number[][])[Math.floor(i / t.cols)]![i % t.cols];
        else delete (v as number[])[i];
        return v;
      }),
    ];
    return fc.constantFrom(...list);
  });
  const shape = fc.nat(t.rows - 1).chain((r) => {
    const list: Variant[] = [];
    const withRows = (rows: number[][]): Table => ({ ...t, rows: rows.length, values: rows.flat() });
    // (a table of one row or one column: a number for a row may be its flat form)
    if (t.nested && t.rows > 1 && t.cols > 1) {
      list.push(
        none(`row ${r} one value short`, () => nest(t.values, t.cols).map((row, k) => (k === r ? row.slice(0, -1) : row))),
        none(`row ${r} one value long`, () => nest(t.values, t.cols).map((row, k) => (k === r ? [...row, 0] : row))),
        none(`row ${r} null`, () => nest(t.values, t.cols).map((row, k) => (k === r ? null : row))),
        none(`row ${r} a number`, () => nest(t.values, t.cols).map((row, k) => (k === r ? 1 : row))),
        none(`row ${r} a string`, () => nest(t.values, t.cols).map((row, k) => (k === r ? '1,2' : row))),
        none(`row ${r} a getter that throws`, () => Object.defineProperty(nest(t.values, t.cols), r, { get: hostileGetter, enumerable: true })),
      );
    }
    const rows = nest(t.values, t.cols);
    if (t.rows + 1 <= maxRows) {
      const more = withRows([...rows, rows[r]!]);
      list.push(as(`row ${r} repeated at the end`, () => tableValue(more, o), plainOf(more)));
    }
    const first = withRows(rows.slice(0, r + 1));
    list.push(as(`the first ${r + 1} rows`, () => tableValue(first, o), plainOf(first)));
    // a flat array one value longer or shorter: a valid table of other rows only when cols is 1
    const longer = [...t.values, t.values[0]!];
    const shorter = t.values.slice(0, -1);
    const flatTable = (values: number[]): Table => ({ rows: values.length / t.cols, cols: t.cols, values, nested: false });
    const flatForm = (values: number[]) => () => (o.f32Only ? Float32Array.from(values) : values.slice());
    list.push(t.cols === 1 && longer.length <= maxRows
      ? as('a flat array one value longer', flatForm(longer), () => tableValue(flatTable(longer), o))
      : none('a flat array one value longer', flatForm(longer)));
    list.push(t.cols === 1 && shorter.length > 0
      ? as('a flat array one value shorter', flatForm(shorter), () => tableValue(flatTable(shorter), o))
      : none('a flat array one value shorter', flatForm(shorter)));
    return fc.constantFrom(...list);
  });
  return fc.oneof({ arbitrary: fc.constantFrom(...fixed), weight: 4 }, { arbitrary: offsets, weight: 1 }, { arbitrary: at, weight: 4 }, { arbitrary: shape, weight: 2 });
}

/** Lists of names (classes, feature names): content changes mean themselves; other types mean nothing. */
export function namesVariants(clean: readonly string[], o: ScalarOptions & { nullable?: boolean } = {}): fc.Arbitrary<Variant> {
  const c = () => clean.slice();
  return fc.constantFrom(
    same('the clean one', c), same('prototype keys as names', () => clean.map((_, i) => PROTOTYPE_KEYS[i % PROTOTYPE_KEYS.length]!)),
    same('a name repeated', () => clean.map(() => clean[0]!)), same('one name fewer', () => clean.slice(1)), same('one name more', () => [...clean, 'extra']),
    same("'' as a name", () => ['', ...clean.slice(1)]),
    as('a frozen copy', () => Object.freeze(c()), c), as('a transparent Proxy of it', () => transparent(c()), c, false),
    none('a string', () => clean.join('')), none('a number among them', () => [1, ...clean.slice(1)]), none('null among them', () => [null, ...clean.slice(1)]),
    none('a hole among them', () => { const a = c(); delete a[0]; return a; }), none('a String object among them', () => [new String(clean[0]), ...clean.slice(1)]),
    o.nullable ? same('null', () => null) : none('null', () => null), none('an object', () => ({ ...clean })), undef(o.optional),
  );
}

/** Arrays of records (layers, per-layer weights): fewer, more, holes, and things that are no array. */
export function listVariants(clean: readonly unknown[], o: ScalarOptions = {}): fc.Arbitrary<Variant> {
  const c = () => copyTree(clean.slice());
  return fc.constantFrom(
    same('the clean one', c), as('a frozen copy', () => Object.freeze(c()), c), as('an array with an extra own property', () => Object.assign(c(), { note: 1 }), c),
    as('a transparent Proxy of it', () => transparent(c()), c, false), as('an array-like object', () => ({ ...c(), length: clean.length }), c, false),
    same('the first item only', () => copyTree(clean.slice(0, 1))), same('the first item repeated at the end', () => [...c(), copyTree(clean[0])]),
    same('the last item left out', () => copyTree(clean.slice(0, -1))),
    none('a hole', () => { const a = c(); delete a[0]; return a; }), none('null as an item', () => [null, ...c().slice(1)]),
    none('a string as an item', () => ['item', ...c().slice(1)]), none('a Set of the items', () => new Set(c())), none('null', () => null),
    none('a string', () => 'items'), none('an object', () => ({ ...c() })), none('a revoked Proxy', revoked), undef(o.optional),
  );
}
