/**
 * Tables for the CSV battery (test/reliability/csv.battery.test.ts): a small
 * labelled table with numeric features, written as CSV text in any of the
 * ways people write it (separator, line ends, quoting, byte-order mark,
 * encoding, number notation), and the reference reading of a text: an
 * independent tokenizer (csv-parse), numbers by the plain decimal rule,
 * labels sorted as the library documents.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { PROTOTYPE_KEYS } from './hostile.js';

export interface CsvTable {
  /** Feature column names, then the target's. */
  header: string[];
  /** Per row, the features' numbers. */
  values: number[][];
  /** Per row, the target's label. */
  labels: string[];
}

/** How a table is written. */
export interface CsvStyle {
  separator: ',' | ';' | '\t' | '|';
  eol: '\n' | '\r\n' | '\r';
  /** Quote every field, not only those that need it. */
  quoteAll: boolean;
  /** Spaces around unquoted fields (the reader trims them). */
  padded: boolean;
  /** Blank lines between the records (the reader skips them). */
  blankLines: boolean;
  /** A line end after the last record. */
  finalEol: boolean;
  /** Numbers as '+1.5e0' rather than '1.5'. */
  otherNotation: boolean;
}

export const PLAIN_STYLE: CsvStyle = {
  separator: ',', eol: '\n', quoteAll: false, padded: false, blankLines: false, finalEol: true, otherNotation: false,
};

const NAMES = ['a', 'b', 'hours', 'x1', 'café', 'col 2', ...PROTOTYPE_KEYS];
const TARGETS = ['t', 'label', 'valueOf', 'naïve'];
/** Label sets: plain words, accents that differ by one letter (must never merge), prototype keys, separators and quotes, numbers. */
const LABEL_SETS: readonly (readonly string[])[] = [
  ['no', 'yes'], ['café', 'cafè'], ['__proto__', 'toString', 'constructor'], ['x,y', 'a"b', 'c d', 'e;f|g'], ['1', '2', '10'], ['0', '1'], ['Ünïcödé', '€uro', 'ascii'],
];
/** Feature values whose decimal text is exact, plus the float32 extremes (a value that rounds to ±3.4028235e38, a subnormal). */
const VALUE = fc.oneof(
  { arbitrary: fc.integer({ min: -4000, max: 4000 }).map((n) => n / 8), weight: 8 },
  { arbitrary: fc.constantFrom(3.4028235e38, -3.4028235e38, 1e-40, -0, 0, 1e21, 123456789.5), weight: 1 },
);

export const csvTables: fc.Arbitrary<CsvTable> = fc.record({
  features: fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }),
  target: fc.constantFrom(...TARGETS),
  labelSet: fc.constantFrom(...LABEL_SETS),
  rows: fc.integer({ min: 4, max: 9 }),
}).chain(({ features, target, labelSet, rows }) => fc.record({
  values: fc.array(fc.array(VALUE, { minLength: features.length, maxLength: features.length }), { minLength: rows, maxLength: rows }),
  picks: fc.array(fc.nat(labelSet.length - 1), { minLength: rows, maxLength: rows }),
}).map(({ values, picks }) => ({
  header: [...features, target],
  values,
  // the first rows hold every label: at least two classes
  labels: picks.map((p, r) => labelSet[r < labelSet.length ? r : p]!),
})));

/** A field as CSV writes it: quoted when it must be (or always), `"` doubled. */
export function field(text: string, style: CsvStyle): string {
  const needs = text.includes(style.separator) || /["\r\n]/.test(text) || text !== text.trim() || text === '';
  if (style.quoteAll || needs) return `"${text.replaceAll('"', '""')}"`;
  return style.padded ? ` ${text} ` : text;
}

export function numberText(v: number, style: CsvStyle): string {
  const s = Object.is(v, -0) ? '-0' : String(v);
  if (!style.otherNotation) return s;
  return `${v > 0 ? '+' : ''}${s}${s.includes('e') ? '' : 'e0'}`;
}

/** The table as CSV text; `cells` overrides single cells by [row, column] (row -1: the header). */
export function csvText(t: CsvTable, style: CsvStyle = PLAIN_STYLE, cells: ReadonlyMap<string, string> = new Map()): string {
  const cell = (r: number, c: number, text: string) => cells.get(`${r},${c}`) ?? field(text, style);
  const lines = [t.header.map((h, c) => cell(-1, c, h)).join(style.separator)];
  t.values.forEach((row, r) => {
    lines.push([...row.map((v, c) => cells.get(`${r},${c}`) ?? (style.quoteAll ? field(numberText(v, style), style) : (style.padded ? ` ${numberText(v, style)} ` : numberText(v, style)))), cell(r, row.length, t.labels[r]!)].join(style.separator));
  });
  const eol = style.blankLines ? style.eol + style.eol : style.eol;
  return lines.join(eol) + (style.finalEol ? style.eol : '');
}

const cp1252Bytes = (() => {
  const decoder = new TextDecoder('windows-1252');
  const map = new Map<string, number>();
  for (let b = 0; b < 256; b++) map.set(decoder.decode(Uint8Array.of(b)), b);
  return map;
})();

/** `text` as Windows-1252 bytes, or null when a character has none (checked with the platform's own decoder). */
export function windows1252(text: string): Uint8Array | null {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const b = cp1252Bytes.get(text[i]!);
    if (b === undefined) return null;
    out[i] = b;
  }
  return out;
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

// ─── the reference reading ───

/** Plain decimal notation (the library's documented rule for numbers in a file). */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const DEFAULT_NA = ['', 'na', 'n/a', 'null', 'nan', '?', '.', '-'];

/** What a correct reading of a CSV text must give, whatever the feature columns became. */
export interface ReferenceReading {
  header: string[];
  targetName: string;
  /** Kept rows' labels' class indices. */
  y: number[];
  classes: string[] | null;
  task: 'binary' | 'multiclass' | 'regression';
  /** The features' values, row-major, when every used feature cell is a plain decimal number within float32; else null. */
  x: number[] | null;
  featureNames: string[] | null;
  missingTarget: number;
}

export interface ReferenceOptions {
  separator?: string;
  target?: string | number;
  features?: ReadonlyArray<string | number>;
  task?: string;
  na?: readonly string[];
}

/** Reads `text` with csv-parse and the documented rules (labels sorted in numeric or code-unit order; integers ≤ 20 distinct are classes). */
export function referenceReading(text: string, o: ReferenceOptions = {}): ReferenceReading {
  const records = parse(text.replace(/^\uFEFF/, ''), { delimiter: o.separator ?? ',', skip_empty_lines: true, trim: true, relax_quotes: true }) as string[][];
  const [header, ...rows] = records;
  if (!header) throw new Error('reference: no header');
  const t = o.target === undefined ? header.length - 1 : typeof o.target === 'number' ? o.target : header.indexOf(o.target);
  const na = new Set((o.na ?? DEFAULT_NA).map((s) => s.trim().toLowerCase()));
  const kept = rows.filter((r) => !na.has(r[t]!.trim().toLowerCase()));
  const labels = kept.map((r) => r[t]!);
  const numeric = labels.every((l) => DECIMAL.test(l));
  const numbers = numeric ? labels.map(Number) : [];
  const distinct = [...new Set(numeric ? numbers.map((v) => String(Math.fround(v))) : labels)];
  const classify = o.task === 'binary' || o.task === 'multiclass' || (o.task !== 'regression' && (!numeric || (numbers.every((v) => Number.isInteger(Math.fround(v))) && distinct.length <= 20)));
  let classes: string[] | null = null;
  let y: number[];
  if (classify) {
    classes = numeric ? [...new Set(numbers.map((v) => Math.fround(v)))].sort((a, b) => a - b).map(String) : distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    y = labels.map((l) => classes!.indexOf(numeric ? String(Math.fround(Number(l))) : l));
  } else {
    y = numbers.map((v) => Math.fround(v));
  }
  const task = !classify ? 'regression' : classes!.length === 2 && o.task !== 'multiclass' ? 'binary' : 'multiclass';
  // the features in the header's order, whatever order options.features lists them in
  const chosen = o.features?.map((f) => (typeof f === 'number' ? f : header.indexOf(f)));
  const used = header.map((_, c) => c).filter((c) => c !== t && (chosen === undefined || chosen.includes(c)));
  let x: number[] | null = [];
  for (const r of kept) {
    for (const c of used) {
      const cell = r[c]!;
      const v = DECIMAL.test(cell) ? Math.fround(Number(cell)) : NaN;
      if (!Number.isFinite(v)) {
        x = null;
        break;
      }
      x.push(v);
    }
    if (x === null) break;
  }
  return {
    header, targetName: header[t]!, y, classes, task, x, featureNames: x === null ? null : used.map((c) => header[c]!), missingTarget: rows.length - kept.length,
  };
}
