/**
 * The options of parseCsv and loadCsv, read once and checked before any
 * byte is read: own keys only (an unknown key is refused naming the nearest
 * one: `{ tsk: 'auto' }` would otherwise read the file as it was not meant
 * to be read), every value of the documented type (`dropInvalid: 'yes'` is
 * no boolean, `task: null` no task), lists copied (a caller's array changed
 * afterwards, or a getter answering twice, changes nothing).
 */

import { SimdnetError, ValueError, type Task } from 'simdnet';
import { describe } from '../describe.js';
import { hasOwn, nearestName } from '../names.js';
import { readOwnOptions, thrownText } from '../option-reader.js';
import { ENCODINGS, type CsvEncoding } from '../table/csv-encoding.js';
import { quoteCell } from '../table/csv-message.js';
import { SEPARATORS, type CsvSeparator } from '../table/csv-separator.js';

/** The options of parseCsv and loadCsv as read: every value checked, lists copied. */
export interface CheckedCsvOptions {
  source: string;
  target?: string | number;
  features?: Array<string | number>;
  ignore?: string[];
  categorical?: string[];
  maxCategories?: number;
  na?: string[];
  task: 'auto' | Task;
  dropInvalid: boolean;
  separator?: CsvSeparator;
  encoding?: CsvEncoding;
}

const KEYS = ['target', 'features', 'ignore', 'categorical', 'maxCategories', 'na', 'task', 'dropInvalid', 'separator', 'encoding', 'source'] as const;
const TASKS: Readonly<Record<string, 0>> = { auto: 0, binary: 0, multiclass: 0, regression: 0 };
/** Entries of a list option read at most (a list of column names or missing-value tokens). */
const MAX_LIST = 1 << 20;

const fail = (message: string, cause?: unknown): ValueError => (cause === undefined ? new ValueError(message) : new ValueError(message, { cause }));

/**
 * Reads the options of parseCsv or loadCsv (undefined: every default).
 * @param source - what messages call the input unless `options.source` says otherwise.
 * @throws ValueError naming the option (`options.task`, `options.features[2]`).
 */
export function readCsvOptions(options: unknown, source = 'text'): CheckedCsvOptions {
  if (options === undefined) return { source, task: 'auto', dropInvalid: false };
  const o = readOwnOptions(options, 'options', KEYS, fail, `{ ${KEYS.join(', ')} }`);
  const out: CheckedCsvOptions = { source, task: 'auto', dropInvalid: false };
  if (o.source !== undefined) {
    if (typeof o.source !== 'string' || o.source === '') throw fail(`options.source: expected a non-empty string (what messages call the input), got ${describe(o.source)}`);
    out.source = o.source;
  }
  if (o.target !== undefined) out.target = column(o.target, 'options.target');
  if (o.features !== undefined) {
    out.features = list(o.features, 'options.features', (v, name) => column(v, name), 'column names or 0-based indices');
    if (out.features.length === 0) throw fail('options.features: expected a non-empty array of column names or indices, got an empty array');
  }
  if (o.ignore !== undefined) out.ignore = list(o.ignore, 'options.ignore', text, 'column names');
  if (o.categorical !== undefined) out.categorical = list(o.categorical, 'options.categorical', text, 'column names');
  if (o.na !== undefined) out.na = list(o.na, 'options.na', text, 'missing-value tokens');
  if (o.maxCategories !== undefined) {
    const m = o.maxCategories;
    if (typeof m !== 'number' || !Number.isInteger(m) || m < 1) throw fail(`options.maxCategories: expected an integer ≥ 1, got ${describe(m)}`);
    out.maxCategories = m;
  }
  if (o.task !== undefined) {
    if (typeof o.task !== 'string' || !hasOwn(TASKS, o.task)) throw fail(`options.task: expected 'auto', 'binary', 'multiclass' or 'regression', got ${shown(o.task)}${hint(o.task, Object.keys(TASKS))}`);
    out.task = o.task as 'auto' | Task;
  }
  if (o.dropInvalid !== undefined) {
    if (typeof o.dropInvalid !== 'boolean') throw fail(`options.dropInvalid: expected true or false, got ${describe(o.dropInvalid)}`);
    out.dropInvalid = o.dropInvalid;
  }
  if (o.separator !== undefined) {
    if (!(SEPARATORS as readonly unknown[]).includes(o.separator)) throw fail(`options.separator: expected ',', ';', '\\t' or '|', got ${shown(o.separator)}`);
    out.separator = o.separator as CsvSeparator;
  }
  if (o.encoding !== undefined) {
    if (!(ENCODINGS as readonly unknown[]).includes(o.encoding)) throw fail(`options.encoding: expected 'utf-8', 'windows-1252' or 'latin1', got ${shown(o.encoding)}${hint(o.encoding, ENCODINGS)}`);
    out.encoding = o.encoding as CsvEncoding;
  }
  return out;
}

/** A column: its header name, or its 0-based index. */
function column(v: unknown, name: string): string | number {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  throw fail(`${name}: expected a column name (a string) or a 0-based column index, got ${describe(v)}`);
}

function text(v: unknown, name: string): string {
  if (typeof v === 'string') return v;
  throw fail(`${name}: expected a string, got ${describe(v)}`);
}

/** A copy of an array option, each entry checked; a getter or Proxy trap that throws is refused by name. */
function list<T>(v: unknown, name: string, item: (v: unknown, name: string) => T, what: string): T[] {
  try {
    if (!Array.isArray(v)) throw fail(`${name}: expected an array of ${what}, got ${describe(v)}`);
    const n = v.length;
    if (n > MAX_LIST) throw fail(`${name}: expected at most ${MAX_LIST} ${what}, got ${n}`);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      if (!(i in v)) throw fail(`${name}[${i}]: expected one of the ${what}, got a hole (an empty slot of the array)`);
      out[i] = item(v[i], `${name}[${i}]`);
    }
    return out;
  } catch (e) {
    if (e instanceof SimdnetError) throw e;
    throw fail(`${name}: reading it threw (${thrownText(e)})`, e);
  }
}

function shown(v: unknown): string {
  return typeof v === 'string' ? quoteCell(v) : describe(v);
}

function hint(v: unknown, names: readonly string[]): string {
  const near = typeof v === 'string' ? nearestName(v, names) : null;
  return near === null ? '' : ` (did you mean '${near}'?)`;
}

/**
 * The path of loadCsv as messages show it: a non-empty string without NUL,
 * or a `file:` URL.
 * @throws ValueError naming `path`.
 */
export function checkPath(path: unknown): string {
  if (typeof path === 'string') {
    if (path !== '' && !path.includes('\0')) return path;
    throw fail(`path: expected a file path, got ${path === '' ? "''" : `${quoteCell(path)}, which holds a NUL character`}`);
  }
  let href: string | null = null;
  try {
    if (path instanceof URL) href = path.href;
  } catch {
    href = null; // a revoked Proxy
  }
  if (href !== null && href.startsWith('file:')) return href;
  throw fail(`path: expected a file path (a string) or a file: URL, got ${href !== null ? `the URL ${quoteCell(href)}` : describe(path)}`);
}

/** Throws a ValueError unless `onBytes` (loadCsv's progress callback) is undefined or a function. */
export function checkProgress(onBytes: unknown): void {
  if (onBytes !== undefined && typeof onBytes !== 'function') throw fail(`onBytes: expected a function (read, size) => void, got ${describe(onBytes)}`);
}
