/**
 * The reliability battery on simdnet/csv: `parseCsv(text, options)` and
 * `loadCsv(path, options)`. A labelled table with numeric features is
 * written as CSV the ways people write it, then one or two slots are
 * spoiled: the text (a byte-order mark, CRLF or CR line ends, `;` tab or `|`
 * separators, every field quoted, Windows-1252 or UTF-16 bytes, mixed
 * encodings, offset views, shared and foreign buffers, duplicate or empty
 * header names, quotes left open, ragged rows, cells 'NaN', '0x1F', '1e39',
 * ' 1 ', NUL, a lone surrogate, a 1 MB label), the options (prototype keys,
 * typos, getters that throw, Proxies, null, coerced values) and the path.
 *
 * The property: the Dataset the plain text means — the same as the plain
 * call's, checkDataset accepts it, and it agrees with a reference reading
 * (csv-parse, numbers by the plain decimal rule, labels sorted as
 * documented) — or a DataError naming the input and the line, or a
 * ValueError naming `options.<key>`; messages one short line whatever the
 * input holds; the caller's arguments and the file unchanged.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { loadCsv, parseCsv, type CsvDataset } from '../../src/csv.js';
import { checkDataset } from '../../src/data/check-dataset.js';
import { DataError, SimdnetError } from '../../src/index.js';
import { battery, expectSame, type Entry, type Path } from '../support/battery.js';
import {
  csvTables, csvText, PLAIN_STYLE, referenceReading, utf8, windows1252, type CsvStyle, type CsvTable, type ReferenceOptions,
} from '../support/csv-tables.js';
import { nameVariants, NONE, objectVariants, OMIT, PROTOTYPE_KEYS, sizeVariants, Variant } from '../support/hostile.js';

const same = (label: string, make: () => unknown): Variant => new Variant(label, make, make, true);
const as = (label: string, make: () => unknown, plain: () => unknown, accepted = true): Variant => new Variant(label, make, plain, accepted);
const none = (label: string, make: () => unknown): Variant => new Variant(label, make, () => NONE, false);

/** The longest message a refusal may have: a cell or a name in it is cut, never echoed whole. */
const MAX_MESSAGE = 2000;

/**
 * Calls `f`; a refusal must be a SimdnetError whose message is one short
 * line without control characters, and a DataError must say where: the
 * header, a row and line, a line, or the whole input.
 */
function refusalShape<T>(f: () => T, source: string): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SimdnetError) {
      const m = e.message;
      if (m.length > MAX_MESSAGE) throw new Error(`a ${e.name} of ${m.length} characters: ${m.slice(0, 200)}…`);
      // eslint-disable-next-line no-control-regex
      if (/[\u0000-\u001f\u007f]/.test(m)) throw new Error(`a ${e.name} holding control characters: ${JSON.stringify(m.slice(0, 300))}`);
      if (e instanceof DataError && m.startsWith(`${source}: `) && !/^[^:]+: (header \(line \d+\)|row \d+ \(line \d+\)|line \d+|expected|path)/.test(m.replace(source, 'SOURCE'))) {
        throw new Error(`a DataError that says neither the line nor the input as a whole: ${m.slice(0, 300)}`);
      }
    }
    throw e;
  }
}

// ─── the text ───

/** The text slot: the clean table written every way people write it, and spoiled. */
function textVariants(t: CsvTable): fc.Arbitrary<Variant> {
  const clean = csvText(t);
  const plain = () => clean;
  const styled = (s: Partial<CsvStyle>) => csvText(t, { ...PLAIN_STYLE, ...s });
  const cols = t.header.length;
  const rows = t.values.length;
  const bytesOf = (s: string) => utf8(s);
  const cp1252 = windows1252(clean);
  const hasNonAscii = /[^\x00-\x7f]/.test(clean);
  const fixed: Variant[] = [
    same('the clean text', plain),
    as('its UTF-8 bytes', () => bytesOf(clean), plain),
    as('its UTF-8 bytes after a byte-order mark', () => Uint8Array.from([0xef, 0xbb, 0xbf, ...bytesOf(clean)]), plain),
    as('a byte-order mark at the start of the string', () => `\ufeff${clean}`, plain),
    as('CRLF line ends', () => styled({ eol: '\r\n' }), plain),
    as('CR line ends', () => styled({ eol: '\r' }), plain),
    as("';' as the separator", () => styled({ separator: ';' }), plain),
    as('tab as the separator', () => styled({ separator: '\t' }), plain),
    as("'|' as the separator", () => styled({ separator: '|' }), plain),
    as('every field quoted', () => styled({ quoteAll: true }), plain),
    as('spaces around unquoted fields', () => styled({ padded: true }), plain),
    as('blank lines between the records', () => styled({ blankLines: true }), plain),
    as('no line end after the last record', () => styled({ finalEol: false }), plain),
    as("numbers written '+1.5e0'", () => styled({ otherNotation: true }), plain),
    as('tab-separated, CRLF, quoted, with a BOM, as bytes', () => Uint8Array.from([0xef, 0xbb, 0xbf, ...bytesOf(styled({ separator: '\t', eol: '\r\n', quoteAll: true }))]), plain),
    as('the table followed by 70,000 blank lines (past the 64 KiB sample)', () => clean + '\n'.repeat(70_000), plain),
    // (Buffer.alloc: a Buffer.from of a short text shares Node's pool with every other small Buffer)
    as('a Buffer', () => { const b = bytesOf(clean); const out = Buffer.alloc(b.length); out.set(b); return out; }, plain),
    as('a Uint8Array view at an offset in a larger buffer', () => {
      const b = bytesOf(clean);
      const big = new Uint8Array(b.length + 11).fill(0x22); // quotes all around: a read outside the view shows
      big.set(b, 5);
      return big.subarray(5, 5 + b.length);
    }, plain),
    as('a Uint8Array over a SharedArrayBuffer', () => {
      const b = bytesOf(clean);
      const shared = new Uint8Array(new SharedArrayBuffer(b.length));
      shared.set(b);
      return shared;
    }, plain),
    as('a Uint8Array of another realm', () => runInNewContext('Uint8Array.from(b)', { b: Array.from(bytesOf(clean)) }) as Uint8Array, plain),
    none('an empty string', () => ''),
    none('no bytes', () => new Uint8Array(0)),
    none('blank lines only', () => '\n\n\r\n'),
    none('the header only', () => `${clean.split('\n')[0]}\n`),
    none('a header name repeated', () => csvText({ ...t, header: [t.header[cols - 1]!, ...t.header.slice(1)] })),
    none('an empty header name', () => csvText({ ...t, header: ['', ...t.header.slice(1)] })),
    none('a header name of spaces', () => csvText(t, PLAIN_STYLE, new Map([['-1,0', '"  "']]))),
    none('its UTF-16LE bytes after a byte-order mark', () => Uint8Array.from([0xff, 0xfe, ...Buffer.from(clean, 'utf16le')])),
    none('its UTF-16LE bytes, no byte-order mark', () => new Uint8Array(Buffer.from(clean, 'utf16le'))),
    none('its UTF-16BE bytes after a byte-order mark', () => Uint8Array.from([0xfe, 0xff, ...Buffer.from(clean, 'utf16le').swap16()])),
    none('a number', () => 5), none('null', () => null), none('an object', () => ({ text: clean })), none('an array of lines', () => clean.split('\n')),
    none('an ArrayBuffer', () => bytesOf(clean).buffer), none('a Uint16Array', () => new Uint16Array(4)), none('an Int8Array of the bytes', () => Int8Array.from(bytesOf(clean))),
    none('a String object', () => new String(clean)),
    none('a revoked Proxy', () => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; }),
  ];
  if (cp1252 !== null && hasNonAscii) fixed.push(as('its Windows-1252 bytes', () => cp1252, plain));
  const at = fc.record({ r: fc.nat(rows - 1), c: fc.nat(cols - 2) }).chain(({ r, c }) => {
    const where = `row ${r}, column ${c}`;
    const cell = (text: string) => () => csvText(t, PLAIN_STYLE, new Map([[`${r},${c}`, text]]));
    const label = (text: string) => () => csvText({ ...t, labels: t.labels.map((l, k) => (k === r ? text : l)) });
    const lines = clean.split('\n');
    const list: Variant[] = [
      none(`1e39 (beyond float32) at ${where}`, cell('1e39')),
      none(`-3.5e38 (beyond float32) at ${where}`, cell('-3.5e38')),
      none(`a quote left open at ${where}`, cell('"1.5')),
      // an ordinary character inside an unquoted field (5'11"), as the tokenizer documents
      same(`a quote inside an unquoted cell at ${where}`, cell('1"5')),
      none(`row ${r} one field short`, () => lines.map((l, k) => (k === r + 1 ? l.slice(0, l.lastIndexOf(',')) : l)).join('\n')),
      none(`row ${r} one field long`, () => lines.map((l, k) => (k === r + 1 ? `${l},1` : l)).join('\n')),
      none(`a lone high surrogate in the label of row ${r}`, label('x\ud800')),
      none(`a lone low surrogate in the label of row ${r}`, label('\udc00x')),
      none(`byte 0x81 (neither UTF-8 nor Windows-1252) in the label of row ${r}`, () => {
        const b = bytesOf(csvText({ ...t, labels: t.labels.map((l, k) => (k === r ? 'Z' : l)) }));
        return b.map((x, i) => (x === 0x5a && b.indexOf(0x5a) === i ? 0x81 : x));
      }),
      none(`a Windows-1252 'é' in row ${r} and UTF-8 'é' in another`, () => {
        const text = csvText({ ...t, labels: t.labels.map((l, k) => (k === r ? 'cafZ' : k === (r + 1) % rows ? 'café' : l)) });
        const b = bytesOf(text);
        return b.map((x, i) => (x === 0x5a && b.indexOf(0x5a) === i ? 0xe9 : x));
      }),
      // what a cell holds means itself: a gap, text, another label
      same(`'NaN' (a gap) at ${where}`, cell('NaN')),
      same(`an empty cell at ${where}`, cell('')),
      same(`'0x1F' (text, not a number) at ${where}`, cell('0x1F')),
      same(`'Infinity' (text) at ${where}`, cell('Infinity')),
      same(`' 1 ' quoted (text with spaces) at ${where}`, cell('" 1 "')),
      same(`a NUL byte in the label of row ${r}`, label('a\0b')),
      same(`a label of 1 MB at row ${r}`, label('L'.repeat(1 << 20))),
      same(`the label of row ${r} missing (NA)`, label('NA')),
      same(`the label of row ${r} with its accent changed`, label(`${t.labels[r]}\u0301`)),
      same('a header name holding a NUL and a line break (quoted)', () => csvText(t, PLAIN_STYLE, new Map([['-1,0', '"x\0\ny"']]))),
    ];
    return fc.constantFrom(...list);
  });
  return fc.oneof({ arbitrary: fc.constantFrom(...fixed), weight: 3 }, { arbitrary: at, weight: 2 });
}

// ─── parseCsv(text, options) ───

interface CsvClean {
  table: CsvTable;
  options: Record<string, unknown>;
}

const csvClean: fc.Arbitrary<CsvClean> = fc.record({ table: csvTables, byIndex: fc.boolean(), features: fc.boolean() }).map(({ table, byIndex, features }) => {
  const target = table.header.length - 1;
  const options: Record<string, unknown> = { target: byIndex ? target : table.header[target], task: 'auto' };
  if (features) options.features = table.header.slice(0, -1);
  return { table, options };
});

/** options.target: the target by name or index; anything else names no column or is no column at all. */
function targetVariants(t: CsvTable): fc.Arbitrary<Variant> {
  const last = t.header.length - 1;
  const name = t.header[last]!;
  const absent = PROTOTYPE_KEYS.filter((k) => !t.header.includes(k));
  return fc.constantFrom(
    same('the target by name', () => name), as('the target by index', () => last, () => name), as('undefined', () => undefined, () => OMIT),
    none('a name not in the header', () => 'zz'), none("''", () => ''), none('the name with a trailing space', () => `${name} `),
    ...absent.map((k) => none(`'${k}' (no such column)`, () => k)),
    none('-1', () => -1), none('1.5', () => 1.5), none('an index past the last column', () => last + 1), none('NaN', () => NaN), none('Infinity', () => Infinity),
    none('null', () => null), none('true', () => true), none('[name]', () => [name]), none('a String object', () => new String(name)), none('a Symbol', () => Symbol(name)),
  );
}

/** options.features: the feature columns by name or index, in any order; the target, unknown names, repeats and non-lists mean nothing. */
function featuresVariants(t: CsvTable): fc.Arbitrary<Variant> {
  const names = t.header.slice(0, -1);
  const target = t.header[t.header.length - 1]!;
  const absent = PROTOTYPE_KEYS.find((k) => !t.header.includes(k))!;
  return fc.constantFrom(
    same('the feature names', () => names.slice()), same('the feature names reversed', () => names.slice().reverse()), same('the first feature only', () => names.slice(0, 1)),
    as('the features by index', () => names.map((_, i) => i), () => names.slice()), as('a frozen copy', () => Object.freeze(names.slice()), () => names.slice()),
    as('undefined', () => undefined, () => OMIT),
    none('the target among them', () => [...names, target]), none('a name twice', () => [...names, names[0]!]), none("an unknown name 'zz'", () => [...names, 'zz']),
    none(`'${absent}' (no such column)`, () => [absent]), none('an empty array', () => []), none('a hole', () => [, ...names]), none('null among them', () => [null]),
    none('an index past the last column', () => [t.header.length]), none('-1', () => [-1]), none('a string', () => names.join(',')), none('null', () => null),
    none('a Set of them', () => new Set(names)),
    none('a getter that throws on an item', () => Object.defineProperty(names.slice(), 0, { get() { throw new Error('hostile getter'); }, enumerable: true })),
  );
}

function csvOptionSlots(c: CsvClean, at: number): Array<{ path: Path; variants: fc.Arbitrary<Variant> }> {
  const t = c.table;
  const slots: Array<{ path: Path; variants: fc.Arbitrary<Variant> }> = [
    { path: [at], variants: objectVariants(c.options, { optional: true }) },
    { path: [at, 'target'], variants: targetVariants(t) },
    { path: [at, 'task'], variants: nameVariants('auto', ['auto', referenceReading(csvText(t)).task], { optional: true }) },
    { path: [at, 'dropInvalid'], variants: fc.constantFrom(same('false', () => false), as('undefined', () => undefined, () => OMIT), none("'yes'", () => 'yes'), none('1', () => 1), none('null', () => null), none('a Boolean object', () => new Boolean(true))) },
    { path: [at, 'separator'], variants: fc.constantFrom(
      same("','", () => ','), as('undefined', () => undefined, () => OMIT), none("'tab' (the word)", () => 'tab'), none("';;'", () => ';;'), none("''", () => ''),
      none("',' and a NUL", () => ',\0'), none('44 (the code of a comma)', () => 44), none('null', () => null), none('a String object', () => new String(',')), none('[\',\']', () => [',']),
      ...PROTOTYPE_KEYS.map((k) => none(`'${k}'`, () => k)),
    ) },
    { path: [at, 'maxCategories'], variants: sizeVariants(32, { optional: true }) },
    { path: [at, 'na'], variants: fc.constantFrom(
      as('the default tokens', () => ['', 'NA', 'N/A', 'null', 'NaN', '?', '.', '-'], () => OMIT), as('undefined', () => undefined, () => OMIT),
      none("'NA' (a string)", () => 'NA'), none('5', () => 5), none('null', () => null), none('a number among them', () => ['NA', 0]), none('a hole', () => [, 'NA']),
    ) },
    { path: [at, 'ignore'], variants: fc.constantFrom(
      as('an empty list', () => [], () => OMIT), none('the target', () => [t.header[t.header.length - 1]]), none("'zz' (no such column)", () => ['zz']), none('a string', () => t.header[0]), none('null', () => null),
    ) },
    { path: [at, 'source'], variants: fc.constantFrom(same("'data.csv'", () => 'data.csv'), as('undefined', () => undefined, () => OMIT), none("''", () => ''), none('5', () => 5), none('null', () => null)) },
  ];
  if (c.options.features !== undefined) slots.push({ path: [at, 'features'], variants: featuresVariants(t) });
  return slots;
}

/** What a dataset holds, comparably: no functions (the training hooks are closures), the encoders as saved, how it was read left out (a BOM or a separator differs by design). */
export function datasetView(v: unknown): unknown {
  const ds = v as CsvDataset;
  return {
    x: ds.x, y: ds.y, rows: ds.rows, features: ds.features, featureNames: ds.featureNames, targetName: ds.targetName, task: ds.task,
    classes: ds.classes, dropped: ds.dropped, missingTarget: ds.missingTarget, schema: JSON.parse(JSON.stringify(ds.schema)),
    preprocessor: JSON.parse(JSON.stringify(ds.preprocessor.toJSON())),
    table: { names: ds.table.names, rows: ds.table.rows, columns: ds.table.columns.map((c) => ({ numbers: c.numbers, codes: c.codes ? Array.from(c.codes) : null, texts: c.texts })) },
  };
}

/** A dataset read from the plain text checked against the reference reading and the Dataset invariants. */
function verifyDataset(ds: CsvDataset, text: string, o: ReferenceOptions): void {
  checkDataset(ds, 'ds', 'to check');
  const ref = referenceReading(text, o);
  expectSame(ds.targetName, ref.targetName, 'targetName');
  expectSame(ds.rows, ref.y.length, 'rows');
  expectSame(ds.missingTarget, ref.missingTarget, 'missingTarget');
  expectSame(ds.classes, ref.classes, 'classes');
  expectSame(ds.task, ref.task, 'task');
  expectSame(ds.y, Float32Array.from(ref.y), 'y');
  if (ref.x !== null) {
    expectSame(ds.featureNames, ref.featureNames, 'featureNames');
    expectSame(ds.x, Float32Array.from(ref.x), 'x');
  }
  expectSame(ds.x.length, ds.rows * ds.features, 'x.length');
  if (!ds.x.every(Number.isFinite)) throw new Error('x holds a non-finite value');
}

const referenceOptions = (options: unknown): ReferenceOptions => {
  const o = (options ?? {}) as Record<string, unknown>;
  return { target: o.target as string | number | undefined, features: o.features as string[] | undefined, task: o.task as string | undefined, separator: o.separator as string | undefined };
};

function parseCsvEntry(): Entry<CsvClean, null> {
  return {
    clean: csvClean,
    args: (c) => [csvText(c.table), c.options],
    argNames: ['text', 'options'],
    keyPrefix: ['text', 'options'],
    slots: (c) => [{ path: [0], variants: textVariants(c.table) }, ...csvOptionSlots(c, 1)],
    // the text and the options are read together: a target or a feature the spoiled header lacks, a separator that splits nothing
    coupled: () => [/^options/, 'text', 'data.csv'],
    setup: () => null,
    sharedState: true,
    call: (_, [text, options]) => refusalShape(() => (options === undefined ? parseCsv(text as string) : parseCsv(text as string, options as never)), 'text'),
    state: () => null,
    runtimes: () => [],
    same: (a, b) => expectSame(datasetView(a), datasetView(b)),
    verify: (_, [text, options], result) => verifyDataset(result as CsvDataset, text as string, referenceOptions(options)),
  };
}

// ─── loadCsv(path, options) ───

let dir = '';
let fileCount = 0;

interface LoadClean extends CsvClean {
  /** The file's content: the clean text, or one spoiled as the text slot spoils it. */
  content: Variant;
  name: string;
}

const loadClean: fc.Arbitrary<LoadClean> = csvClean.chain((c) => textVariants(c.table).filter((v) => {
  const made = v.make();
  // (typeof first: instanceof on the revoked Proxy variant throws)
  return typeof made === 'string' || (typeof made === 'object' && made !== null && !isRevoked(made) && made instanceof Uint8Array);
}).map((content) => ({ ...c, content, name: `f${fileCount++}.csv` })));

function isRevoked(o: object): boolean {
  try {
    Object.getPrototypeOf(o);
    return false;
  } catch {
    return true;
  }
}

interface LoadEnv {
  file: string;
  bytes: Buffer;
}

function fileBytes(content: Variant): Buffer {
  const made = content.make();
  return typeof made === 'string' ? Buffer.from(made, 'utf8') : Buffer.from(made as Uint8Array);
}

function loadCsvEntry(): Entry<LoadClean, LoadEnv> {
  return {
    clean: loadClean,
    args: (c) => [join(dir, c.name), c.options],
    argNames: ['path', 'options'],
    keyPrefix: ['path', 'options'],
    slots: (c) => {
      const file = join(dir, c.name);
      return [
        { path: [0], variants: fc.constantFrom(
          same('the path', () => file), as('a file: URL of it', () => pathToFileURL(file), () => file), as('the path with a ./ in it', () => `${dir}/./${c.name}`, () => file),
          none('a missing file', () => join(dir, 'missing.csv')), none('the folder', () => dir), none("''", () => ''), none('a NUL in the name', () => `${file}\0`),
          none('an https: URL', () => new URL('https://example.com/d.csv')), none('5', () => 5), none('null', () => null), none('a Buffer of the path', () => { const out = Buffer.alloc(Buffer.byteLength(file)); out.write(file); return out; }),
        ) },
        ...csvOptionSlots(c, 1),
      ];
    },
    // messages name the file (the source), its path, or an option read against its header
    coupled: (_, c) => [join(dir, c.name), `${dir}/./${c.name}`, pathToFileURL(join(dir, c.name)).href, 'path', 'data.csv', /^options/],
    token: (m) => {
      // a file path may hold ': ' itself: the token is the file's name when the message starts with it
      const file = m.startsWith(dir) ? m.slice(0, m.indexOf(': ', dir.length)) : null;
      return file ?? (m.indexOf(': ') < 0 ? m : m.slice(0, m.indexOf(': ')));
    },
    setup: (c) => {
      const file = join(dir, c.name);
      const bytes = fileBytes(c.content);
      writeFileSync(file, bytes);
      return { file, bytes };
    },
    sharedState: true,
    call: async (env, [path, options]) => {
      try {
        return await (options === undefined ? loadCsv(path as string) : loadCsv(path as string, options as never));
      } catch (e) {
        return refusalShape(() => { throw e; }, env.file);
      }
    },
    // the file is the state: never written
    state: (env) => createHash('sha256').update(readFileSync(env.file)).digest('hex'),
    runtimes: () => [],
    same: (a, b) => expectSame(datasetView(a), datasetView(b)),
    verify: (env, [path, options], result) => {
      // loadCsv reads the file as parseCsv reads its bytes, named by the file
      const ds = result as CsvDataset;
      const expected = parseCsv(new Uint8Array(env.bytes), { ...(options as object), source: typeof path === 'string' ? path : env.file });
      expectSame(datasetView(ds), datasetView(expected), 'loadCsv against parseCsv of the bytes');
      expectSame(ds.csv, expected.csv, 'csv');
    },
    teardown: (env) => rmSync(env.file, { force: true }),
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'simdnet-csv-battery-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the reliability battery: simdnet/csv', () => {
  it('parseCsv(text, options): the Dataset the plain text means, or a DataError naming the line, or a ValueError naming the option', async () => {
    await battery(parseCsvEntry(), 1500);
  });

  it('loadCsv(path, options): parseCsv of the file, the file unchanged, or a refusal naming the path, the file and line, or the option', async () => {
    await battery(loadCsvEntry(), 400);
  });
});
