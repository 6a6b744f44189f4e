/**
 * Records (objects keyed by column name, as `Model.predict` takes them) read
 * into a raw table of the model's columns. Each record and each cell is read
 * once, as an own property only; what could only be a mistake is refused
 * by name before anything is predicted: a record that is not an object of
 * columns (a Map, an array, a Date), a hole, a read that throws (a getter, a
 * revoked Proxy), a cell of a kind no table holds (an object, a BigInt, a
 * Symbol), a number beyond float32 (a DataError, as the CSV reader gives),
 * a key that is a typo of a column the record lacks, a record with none of
 * the model's columns.
 */

import { DataError, ValueError } from 'simdnet';
import { ColumnBuilder, missingTest, parseDecimal, pushCell, type RawTable } from '../table/column.js';
import { describe } from '../describe.js';
import { hasOwn, nearestName } from '../names.js';
import { thrownText } from '../option-reader.js';
import { quoteList } from '../table/csv-message.js';
import type { ColumnEncoding } from '../table/encoders.js';
import { checkRecordCell } from '../table/record-cells.js';

/**
 * The records' cells under `names` as a raw table.
 * @param na - the cell texts that mean "missing" (the model's).
 * @throws ValueError naming `records`, `records[i]` or `records[i].<column>`
 *   (`record`, `record.<column>` for one record that is not in an array);
 *   DataError for a number beyond float32, naming the cell, and (given the
 *   columns' `encodings`, in the order of `names`) for text the column's kind
 *   cannot read: a word in a numeric column is a mistake in the caller's
 *   code, not a gap in a file.
 */
export function recordsTable(records: unknown, names: readonly string[], na?: readonly string[], encodings?: readonly ColumnEncoding[]): RawTable {
  const { list, one } = recordList(records);
  const isMissing = missingTest(na);
  const builders = names.map((n) => new ColumnBuilder(n, list.length));
  for (let i = 0; i < list.length; i++) {
    const rec = list[i];
    const at = one ? 'record' : `records[${i}]`;
    if (!isRecord(rec)) throw new ValueError(`${at}: expected an object keyed by column name, got ${kindOf(rec)}`);
    let present = 0;
    for (let c = 0; c < names.length; c++) {
      const cell = readCell(rec, names[c]!, at);
      if (cell !== ABSENT) present++;
      const value = checkCell(cell === ABSENT ? undefined : cell, `${at}.${names[c]}`);
      if (encodings) checkRecordCell(encodings[c]!, value, `${at}.${names[c]}`, isMissing);
      pushCell(builders[c]!, value, isMissing);
    }
    if (present < names.length) checkKeys(rec, names, at, present);
  }
  return { names: names.slice(), rows: list.length, columns: builders.map((b) => b.finish()) };
}

/** One record, or an array of them, as an array read once (holes included, refused by the caller as records[i]). */
function recordList(records: unknown): { list: unknown[]; one: boolean } {
  // (a revoked Proxy is no array: one record, refused as such)
  if (!isArray(records)) return { list: [records], one: true };
  try {
    const n = records.length;
    if (n === 0) throw new ValueError('records: expected a record (an object keyed by column name) or a non-empty array of them, got an array of length 0');
    const out = new Array<unknown>(n);
    for (let i = 0; i < n; i++) out[i] = records[i];
    return { list: out, one: false };
  } catch (err) {
    if (err instanceof ValueError) throw err;
    throw new ValueError(`records: could not be read (${thrownText(err)})`, { cause: err });
  }
}

function isArray(v: unknown): v is unknown[] {
  try {
    return Array.isArray(v);
  } catch {
    return false;
  }
}

/** A plain object of cells: not null, a function, an array, a Map, a Date, a boxed primitive or a typed array. */
function isRecord(rec: unknown): rec is object {
  if (rec === null || typeof rec !== 'object') return false;
  try {
    return Object.prototype.toString.call(rec) === '[object Object]';
  } catch {
    return false; // a revoked Proxy
  }
}

/** describe(), with the kind of an object that is no record: 'a Map', 'a Date'. */
function kindOf(rec: unknown): string {
  try {
    const tag = typeof rec === 'object' && rec !== null && !Array.isArray(rec) ? Object.prototype.toString.call(rec).slice(8, -1) : 'Object';
    return tag !== 'Object' ? `a ${tag}` : describe(rec);
  } catch {
    return describe(rec);
  }
}

const ABSENT = Symbol('absent');

/** The record's own property `name`, or ABSENT; a read that throws is refused naming the cell. */
function readCell(rec: object, name: string, at: string): unknown {
  try {
    return hasOwn(rec, name) ? (rec as Record<string, unknown>)[name] : ABSENT;
  } catch (err) {
    throw new ValueError(`${at}.${name}: could not be read (${thrownText(err)})`, { cause: err });
  }
}

/**
 * A cell as a table holds one: a number, a string, a boolean, a Date, or
 * null/undefined for a gap; a number (or a number's text) beyond float32 is
 * refused here, in every column, as the CSV reader refuses it (a
 * categorical column would otherwise take 1e39 as the category 'Infinity').
 */
function checkCell(cell: unknown, where: string): unknown {
  const t = typeof cell;
  if (t === 'number' || t === 'string') {
    const v = t === 'number' ? (cell as number) : parseDecimal((cell as string).trim());
    if (v !== null && !Number.isNaN(v) && !Number.isFinite(Math.fround(v))) {
      throw new DataError(`${where}: expected a number within the float32 range (±3.4e38), got ${t === 'number' ? String(v) : describe(cell)}`);
    }
    return cell;
  }
  if (cell === null || cell === undefined || t === 'boolean' || isDate(cell)) return cell;
  const got = t === 'bigint' ? `a BigInt (${String(cell)}n; pass Number(value))` : t === 'symbol' ? 'a Symbol' : describe(cell);
  throw new ValueError(`${where}: expected a number, a string, a boolean, a Date, or null for a missing cell, got ${got}`);
}

/** A Date of this realm (what the encoders read as a date); false for a revoked Proxy, on which instanceof throws. */
function isDate(cell: unknown): boolean {
  try {
    return cell instanceof Date;
  } catch {
    return false;
  }
}

/**
 * A record that lacks some of the model's columns: a key close to a missing
 * column is a typo (its value would be dropped without a word), and a record
 * with none of the columns predicts from nothing.
 */
function checkKeys(rec: object, names: readonly string[], at: string, present: number): void {
  let keys: string[];
  try {
    keys = Object.keys(rec);
  } catch (err) {
    throw new ValueError(`${at}: could not be read (${thrownText(err)})`, { cause: err });
  }
  const absent = names.filter((n) => !keys.includes(n));
  // bounded: a record may carry many other fields (an id, the target, notes)
  for (const key of keys.slice(0, 1000)) {
    if (names.includes(key)) continue;
    const near = nearestName(key, absent);
    if (near !== null) throw new ValueError(`${at}: '${key}' is not a column of the model (did you mean '${near}'?); its columns: ${quoteList(names)}`);
  }
  if (present === 0) {
    throw new ValueError(`${at}: expected the model's columns (${quoteList(names)}) as its own keys, got none of them (a missing cell is a key with null)`);
  }
}
