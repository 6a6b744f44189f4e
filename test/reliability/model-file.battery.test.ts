/**
 * The reliability battery on `Network.fromJSON`: 10,000 mutations of valid
 * model files on every backend — byte-level edits of the JSON text and
 * structural edits of the parsed object (fields deleted, duplicated and
 * retyped; numbers made NaN-ish, huge, negative or fractional; arrays
 * shortened and extended; deep nesting; prototype keys), with and without a
 * recomputed checksum. The property: the model the file says (what loads is
 * exactly the file's own fields, under a checksum that matches them), or a
 * DataError naming `model.<field>`; never another error, a trap or a hang,
 * never a change to the caller's object, and liveBytes unchanged after a refusal.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, Network, Scaler, type ModelJSON, type Runtime } from '../../src/index.js';
import { modelChecksum, type ModelContent } from '../../src/io/model-json.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectSame, SEED } from '../support/battery.js';
import { PROTOTYPE_KEYS, ROUNDS_TO_F32_MAX } from '../support/hostile.js';
import { snapshot } from '../support/snapshot.js';

/** Mutated files per backend. */
const RUNS = 10_000;
/** On the other backends (the loader is the same code; only the network it builds differs). */
const RUNS_ELSEWHERE = 2_500;

const CONTENT_KEYS = ['inputs', 'layers', 'weights', 'scaler', 'targetScaler', 'classes', 'featureNames', 'targetName', 'training'] as const;

/** The valid files mutations start from: labels, scalers, names (prototype keys among them), summaries. */
function baseModels(rt: Runtime): ModelJSON[] {
  const student = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 1, runtime: rt });
  student.scaler = Scaler.fit(new Float32Array([0, 10, 1, 30, 2, 20]), 3, 2, 'standard');
  student.classes = ['fail', 'pass'];
  student.featureNames = ['hours', 'attendance'];
  student.targetName = 'passed';
  student.trainingSummary = { epochs: 3, note: 'ok', nested: { a: [1, 2.5, null, true] } };
  const regressor = new Network({ inputs: 3, layers: [{ units: 4, activation: 'leaky_relu', alpha: 0.2 }, { units: 2, activation: 'linear' }], seed: 2, runtime: rt });
  regressor.scaler = Scaler.fit(new Float32Array([0, 1, 2, 4, 3, 1]), 2, 3, 'minmax');
  regressor.targetScaler = Scaler.fit(new Float32Array([10, -1, 30, 1]), 2, 2, 'standard');
  regressor.featureNames = ['toString', 'constructor', '__proto__'];
  regressor.targetName = 'valueOf';
  const classifier = new Network({ inputs: 4, layers: [{ units: 5, activation: 'tanh' }, { units: 3, activation: 'softmax' }], seed: 3, runtime: rt });
  classifier.classes = ['hasOwnProperty', '__proto__', 'c'];
  const tiny = new Network({ inputs: 1, layers: [{ units: 1 }], seed: 4, runtime: rt });
  const models = [student, regressor, classifier, tiny].map((n) => JSON.parse(JSON.stringify(n.toJSON())) as ModelJSON);
  for (const n of [student, regressor, classifier, tiny]) n.dispose();
  return models;
}

/** Nine significant digits of the float32 value, as the saved form writes it. */
const f32Number = (v: number) => Number(Math.fround(v).toPrecision(9));

const own = (o: unknown, k: string): unknown => (o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<string, unknown>)[k] : undefined);

/** The checksum a file's own content calls for; null when the content cannot be read (the loader refuses those anyway). */
function checksumOf(m: unknown): string | null {
  try {
    const content = Object.fromEntries(CONTENT_KEYS.map((k) => [k, own(m, k) ?? (k === 'layers' || k === 'weights' ? own(m, k) : null)]));
    return modelChecksum(content as unknown as ModelContent);
  } catch {
    return null;
  }
}

/** Signs a file again: its checksum made to match its (mutated) content. */
function resign(m: unknown): void {
  const sum = checksumOf(m);
  if (sum !== null && m !== null && typeof m === 'object' && !Array.isArray(m)) {
    try {
      Object.defineProperty(m, 'checksum', { value: sum, enumerable: true, writable: true, configurable: true });
    } catch {
      // a frozen or exotic object keeps its checksum
    }
  }
}

/**
 * What a loaded network must hold: exactly the file's own fields (numbers as
 * the float32 the network stores), or the defaults of fields the file leaves out.
 */
function expectFaithful(loaded: ModelJSON, m: unknown): void {
  const f = (k: string) => own(m, k);
  expectSame(loaded.inputs, f('inputs'), 'inputs');
  const layers = f('layers') as Array<Record<string, unknown>>;
  expectSame(loaded.layers, layers.map((l) => ({ units: own(l, 'units'), activation: own(l, 'activation'), alpha: f32Number(own(l, 'alpha') as number) })), 'layers');
  const weights = f('weights') as Array<Record<string, unknown>>;
  expectSame(loaded.weights, weights.map((w) => ({ W: (own(w, 'W') as number[]).map(f32Number), b: (own(w, 'b') as number[]).map(f32Number) })), 'weights');
  for (const k of ['scaler', 'targetScaler'] as const) {
    const s = f(k) as Record<string, unknown> | null | undefined;
    expectSame(loaded[k], s == null ? null : { kind: own(s, 'kind'), features: own(s, 'features'), offset: own(s, 'offset'), scale: own(s, 'scale') }, k);
  }
  for (const k of ['classes', 'featureNames', 'targetName'] as const) expectSame(loaded[k], f(k) ?? null, k);
  expectSame(loaded.training, f('training') == null ? null : JSON.parse(JSON.stringify(f('training'))), 'training');
  expectSame(f('checksum'), checksumOf(m), 'the checksum the file carries (it loaded, so it must match its content)');
}

// ─── text mutations ───

const TEXT_CHARS = ['0', '9', '-', '+', '.', 'e', 'E', '"', '{', '}', '[', ']', ',', ':', ' ', '\n', 'a', 'n', '\\', '\u0000', '\uffff', 'é', '\ud800'];
const NUMBER_TEXT = ['NaN', 'Infinity', '-Infinity', '-0', '1e39', '-1e39', '1e-400', '2e308', '-1', '0.5', '1.5', '4294967296', '"1"', 'null', 'true', '[]', '{}', '1e-45'];

type TextOp = { label: string; at: number; size: number; pick: number };

const textOp: fc.Arbitrary<TextOp> = fc.record({
  label: fc.constantFrom('flip a character', 'delete a range', 'insert characters', 'duplicate a range', 'truncate', 'swap two characters', 'replace a digit', 'whitespace between tokens', 'replace a number', 'nest a value deeply'),
  at: fc.nat(),
  size: fc.integer({ min: 1, max: 40 }),
  pick: fc.nat(),
});

function applyText(text: string, op: TextOp): { text: string; preserving: boolean } {
  const i = op.at % (text.length + 1);
  const pick = <T>(list: readonly T[]) => list[op.pick % list.length]!;
  switch (op.label) {
    case 'flip a character': return { text: text.slice(0, i) + pick(TEXT_CHARS) + text.slice(i + 1), preserving: false };
    case 'delete a range': return { text: text.slice(0, i) + text.slice(i + op.size), preserving: false };
    case 'insert characters': return { text: text.slice(0, i) + Array.from({ length: op.size % 4 + 1 }, (_, k) => TEXT_CHARS[(op.pick + k * 7) % TEXT_CHARS.length]).join('') + text.slice(i), preserving: false };
    case 'duplicate a range': return { text: text.slice(0, i + op.size) + text.slice(i, i + op.size) + text.slice(i + op.size), preserving: false };
    case 'truncate': return { text: text.slice(0, i), preserving: false };
    case 'swap two characters': {
      const j = (i + op.size) % Math.max(1, text.length);
      const c = text.split('');
      [c[i], c[j]] = [c[j]!, c[i]!];
      return { text: c.join(''), preserving: false };
    }
    case 'replace a digit': {
      const digits = [...text.matchAll(/\d/g)].map((m) => m.index!);
      if (digits.length === 0) return { text, preserving: true };
      const d = digits[op.at % digits.length]!;
      return { text: text.slice(0, d) + String(op.pick % 10) + text.slice(d + 1), preserving: false };
    }
    case 'whitespace between tokens': {
      const gaps = [...text.matchAll(/[,:[\]{}]/g)].map((m) => m.index! + 1);
      if (gaps.length === 0) return { text, preserving: true };
      const g = gaps[op.at % gaps.length]!;
      return { text: text.slice(0, g) + pick([' ', '\n', '\t', '\r\n', '   ']) + text.slice(g), preserving: true };
    }
    case 'nest a value deeply': {
      // a value after a key replaced by arrays nested far past any recursion's stack
      const colons = [...text.matchAll(/":/g)].map((m) => m.index! + 2);
      if (colons.length === 0) return { text, preserving: true };
      const c = colons[op.at % colons.length]!;
      const depth = pick([1000, 1000, 1000, 100_000]);
      const end = text.slice(c).search(/[,}]/);
      return { text: `${text.slice(0, c)}${'['.repeat(depth)}0${']'.repeat(depth)}${end < 0 ? '' : text.slice(c + end)}`, preserving: false };
    }
    default: {
      const numbers = [...text.matchAll(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)];
      if (numbers.length === 0) return { text, preserving: true };
      const n = numbers[op.at % numbers.length]!;
      return { text: text.slice(0, n.index!) + pick(NUMBER_TEXT) + text.slice(n.index! + n[0].length), preserving: false };
    }
  }
}

// ─── structural mutations ───

type Node = { parent: Record<string | number, unknown> | null; key: string | number | null; value: unknown };

function nodes(root: unknown): Node[] {
  const out: Node[] = [{ parent: null, key: null, value: root }];
  const walk = (v: unknown) => {
    if (v === null || typeof v !== 'object') return;
    // data properties only: a getter the battery planted must not fire while it edits
    const entries = Object.entries(Object.getOwnPropertyDescriptors(v)).filter(([k, d]) => 'value' in d && !(Array.isArray(v) && k === 'length'))
      .map(([k, d]) => [Array.isArray(v) ? Number(k) : k, d.value as unknown] as const);
    for (const [k, x] of entries) {
      out.push({ parent: v as Record<string | number, unknown>, key: k, value: x });
      if (out.length < 4000) walk(x);
    }
  };
  walk(root);
  return out;
}

const NUMBERS = [NaN, Infinity, -Infinity, -0, 1e39, -1e39, ROUNDS_TO_F32_MAX, 1e-45, 5e-324, -1, 0, 0.5, 1.5, 2 ** 31, 2 ** 53, 1e300, 3];
const STRINGS = [...PROTOTYPE_KEYS, '', 'x'.repeat(1000), 'relu', 'softmax', 'sigmoid', 'linear', 'minmax', 'none', 'simdnet-model', 'fail', 'hours'];

type TreeOp = { label: string; at: number; pick: number };

const treeOp: fc.Arbitrary<TreeOp> = fc.record({
  label: fc.constantFrom(
    'delete', 'duplicate', 'retype', 'another number', 'another string', 'shorten an array', 'extend an array',
    'nest deeply', 'inherit its keys', 'a null-prototype copy', 'an own prototype key', 'a getter that throws',
  ),
  at: fc.nat(),
  pick: fc.nat(),
});

/** The value as JSON text, or a word when it has none (a getter that throws, too deep). */
function textOf(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'undefined';
  } catch {
    return 'unprintable';
  }
}

const set = (n: Node, v: unknown) => {
  if (n.parent !== null) n.parent[n.key!] = v;
};

/** Applies one structural edit; returns the new root (edits of the root replace it) and whether the meaning is kept. */
function applyTree(root: unknown, op: TreeOp): { root: unknown; preserving: boolean } {
  const all = nodes(root);
  const n = all[op.at % all.length]!;
  const pick = <T>(list: readonly T[]) => list[op.pick % list.length]!;
  const replace = (v: unknown) => (n.parent === null ? { root: v, preserving: false } : (set(n, v), { root, preserving: false }));
  const replaceKeeping = (v: unknown) => ({ ...replace(v), preserving: true });
  const v = n.value;
  const isObject = v !== null && typeof v === 'object' && !Array.isArray(v);
  switch (op.label) {
    case 'delete':
      if (n.parent === null) return { root: undefined, preserving: false };
      if (Array.isArray(n.parent)) n.parent.splice(n.key as number, 1);
      else delete n.parent[n.key!];
      return { root, preserving: false };
    case 'duplicate': {
      let copy: unknown;
      try {
        copy = structuredClone(v);
      } catch {
        return { root, preserving: true }; // too deep, or holding a getter: left as it is (one value in two places would blow the text up)
      }
      if (Array.isArray(n.parent)) n.parent.splice(n.key as number, 0, copy);
      else if (n.parent !== null) n.parent[`${String(n.key)}${pick(['', '_', 's'])}x`] = copy;
      return { root, preserving: false };
    }
    case 'retype':
      return replace(pick([textOf(v), 1, true, null, [], {}, Array.isArray(v) ? Object.assign({}, v) : isObject ? [] : [v]]));
    case 'another number':
      return replace(typeof v === 'number' ? pick([...NUMBERS, -v, v + 1, v * 2]) : pick(NUMBERS));
    case 'another string':
      return replace(pick(STRINGS));
    case 'shorten an array':
      if (!Array.isArray(v)) return { root, preserving: true };
      if (op.pick % 2 === 0) v.pop();
      else v.length = 0;
      return { root, preserving: v.length === 0 && false };
    case 'extend an array':
      if (!Array.isArray(v)) return { root, preserving: true };
      v.push(pick([typeof v[v.length - 1] === 'object' ? null : v[v.length - 1], 0, null, 'x', [], 1e39]));
      return { root, preserving: false };
    case 'nest deeply': {
      let deep: unknown = v;
      // (100,000 deep, past any recursion's stack, is the text mutation's: building it as objects costs 50 ms)
      const depth = pick([1, 10, 100, 1000]);
      for (let i = 0; i < depth; i++) deep = op.pick % 3 === 0 ? { a: deep } : [deep];
      return replace(deep);
    }
    case 'inherit its keys':
      return isObject ? replace(Object.create(v as object)) : { root, preserving: true };
    case 'a null-prototype copy':
      if (!isObject) return { root, preserving: true };
      // descriptors, not values: a getter planted before must not fire here
      return replaceKeeping(Object.create(null, Object.getOwnPropertyDescriptors(v)) as object);
    case 'an own prototype key':
      if (!isObject) return { root, preserving: true };
      Object.defineProperty(v, pick(PROTOTYPE_KEYS), { value: pick([1, 'x', {}, [], { format: 'simdnet-model' }, null]), enumerable: true, configurable: true, writable: true });
      return { root, preserving: false };
    default: {
      if (!isObject) return { root, preserving: true };
      const keys = Object.keys(v as object);
      if (keys.length === 0) return { root, preserving: true };
      Object.defineProperty(v, pick(keys), { get() { throw new Error('hostile getter'); }, enumerable: true, configurable: true });
      return { root, preserving: false };
    }
  }
}

interface Mutation {
  base: number;
  /** How the file reaches the loader: the object, or its JSON text (compact or indented). */
  form: 'object' | 'text' | 'pretty';
  tree: TreeOp[];
  text: TextOp[];
  resign: boolean;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  base: fc.nat(3),
  form: fc.constantFrom('object', 'text', 'pretty'),
  tree: fc.array(treeOp, { maxLength: 3 }),
  text: fc.array(textOp, { maxLength: 3 }),
  resign: fc.boolean(),
}).filter((m) => m.tree.length + (m.form === 'object' ? 0 : m.text.length) > 0);

function depthOf(text: string): number {
  let depth = 0;
  let most = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) most = Math.max(most, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return most;
}

/** The file a mutation makes, and whether it still means the base model (every edit kept the meaning). */
function mutate(base: ModelJSON, m: Mutation): { file: unknown; preserving: boolean } {
  let root: unknown = structuredClone(base);
  let preserving = true;
  for (const op of m.tree) {
    const r = applyTree(root, op);
    root = r.root;
    preserving &&= r.preserving;
  }
  if (m.resign) resign(root);
  if (m.form === 'object') return { file: root, preserving };
  let text: string;
  try {
    text = JSON.stringify(root) ?? 'undefined';
    // indenting 3,000 levels is 18 MB of spaces: deep files go compact
    if (m.form === 'pretty' && depthOf(text) < 200) text = JSON.stringify(root, null, 2) ?? 'undefined';
  } catch {
    return { file: root, preserving }; // a getter that throws, or too deep: the object goes as it is
  }
  // deep nesting last: the other edits would search 200,000 characters of brackets
  for (const op of [...m.text].sort((a, b) => Number(a.label === 'nest a value deeply') - Number(b.label === 'nest a value deeply'))) {
    const r = applyText(text, op);
    text = r.text;
    preserving &&= r.preserving;
  }
  if (m.resign && m.text.length > 0) {
    try {
      const parsed: unknown = JSON.parse(text);
      resign(parsed);
      text = JSON.stringify(parsed);
    } catch {
      // text that does not parse stays as it is
    }
  }
  return { file: text, preserving };
}

describe.each(BACKENDS.map((b, i) => ({ ...b, runs: i === 0 ? RUNS : RUNS_ELSEWHERE })))('the reliability battery: model files on $name', ({ options, runs: baseRuns }) => {
  let rt: Runtime;
  let bases: ModelJSON[];
  beforeAll(async () => {
    rt = await runtimeFor({ ...options, maximumPages: 512 });
    bases = baseModels(rt);
  });

  it(`Network.fromJSON on ${baseRuns.toLocaleString('en')} mutated files: the model the file says, or a DataError naming model.<field>`, () => {
    const runs = Math.round(baseRuns * Number(process.env.BATTERY_RUNS ?? 1));
    let loaded = 0;
    let refused = 0;
    const survey = process.env.BATTERY_SURVEY === '1';
    const times = { mutate: 0, load: 0, check: 0 };
    const seen = new Map<string, string>();
    fc.assert(fc.property(mutation, (m) => {
      try {
        check(m);
      } catch (e) {
        if (!survey) throw e;
        const text = (e as Error).message;
        const kind = text.replace(/\d+/g, '#').replace(/"[^"]*"/g, '"…"').slice(0, 100);
        if (!seen.has(kind)) seen.set(kind, `${text.slice(0, 300)}  ← ${JSON.stringify(m).slice(0, 400)} at ${(e as Error).stack?.split('\n').slice(1, 4).join(' | ')}`);
      }
    }), { seed: SEED, numRuns: runs, endOnFailure: true });
    if (survey) process.stderr.write(`${seen.size} kinds of failure:\n${[...seen.values()].map((t) => `  - ${t}`).join('\n')}\n`);
    // both outcomes occur often: the mutations reach past the checksum and past the parser
    expect(loaded).toBeGreaterThan(runs / 50);
    expect(refused).toBeGreaterThan(runs / 2);
    if (survey) process.stderr.write(`loaded ${loaded}, refused ${refused}; ms: ${JSON.stringify(times)}\n`);

    function check(m: Mutation): void {
      const t00 = performance.now();
      const { file, preserving } = mutate(bases[m.base]!, m);
      times.mutate += performance.now() - t00;
      const before = rt.liveBytes;
      const callerBefore = typeof file === 'object' ? snapshot(file) : null;
      const t0 = performance.now();
      let net: Network | null = null;
      let error: unknown = null;
      try {
        net = Network.fromJSON(file, { runtime: rt });
      } catch (e) {
        error = e;
      }
      const ms = performance.now() - t0;
      times.load += ms;
      const t1 = performance.now();
      if (ms > 2000) throw new Error(`fromJSON took ${ms.toFixed(0)} ms`);
      if (callerBefore !== null) expectSame(snapshot(file), callerBefore, "the caller's object");
      if (net !== null) {
        loaded++;
        const json = net.toJSON();
        net.dispose();
        expectFaithful(json, typeof file === 'string' ? JSON.parse(file) : file);
        // and it means something: finite float32 numbers, and a file the library loads again as it is
        for (const w of json.weights) for (const v of [...w.W, ...w.b]) if (!Number.isFinite(Math.fround(v))) throw new Error(`a loaded weight is ${v}`);
        const again = Network.fromJSON(JSON.stringify(json), { runtime: rt });
        // as text: a scaler's -0 offset is 0 once written, and means the same
        expectSame(JSON.stringify(again.toJSON()), JSON.stringify(json), 'the loaded model saved and loaded again');
        again.dispose();
        if (preserving) expectSame(json, bases[m.base], 'a file edited without changing its meaning loads as the original');
      } else {
        refused++;
        if (!(error instanceof DataError) || error.name !== 'DataError') throw new Error(`refused with ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}, not a DataError`);
        if (!/^model[.:[]/.test(error.message)) throw new Error(`the DataError does not name model.<field>: ${error.message}`);
        if (preserving) throw new Error(`a file edited without changing its meaning was refused: ${error.message}`);
      }
      if (rt.liveBytes !== before) throw new Error(`liveBytes ${before} → ${rt.liveBytes}`);
      times.check += performance.now() - t1;
    }
  });
});
