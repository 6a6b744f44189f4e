/**
 * A user's record cell against what the model reads in its column: a cell
 * the model would otherwise read as a gap (text in a numeric column, a date
 * that is none) is a mistake in the caller's code, not a gap in a file, so
 * it is refused by name instead of being filled in silently.
 */

import { DataError, ValueError } from 'simdnet';
import { parseDecimal } from './column.js';
import { parseDate } from './dates.js';
import type { ColumnEncoding } from './encoders.js';
import { booleanOf } from './kinds.js';
import { describe } from '../describe.js';

/**
 * @param where - names the cell, e.g. `records[2].Body Mass (g)`.
 * @throws ValueError for a value no table cell can be (an object, an array, a function, a bigint, a symbol);
 *   DataError for text the column's kind cannot read (a word in a numeric column, say).
 */
export function checkRecordCell(e: ColumnEncoding, cell: unknown, where: string, isMissing: (s: string) => boolean): void {
  if (cell === null || cell === undefined || typeof cell === 'number') return;
  // a Date is read as the text of its ISO form: a date in a date column, a category in a categorical one, a mistake elsewhere
  const date = cell instanceof Date;
  if (date && e.kind === 'date') return;
  if (typeof cell !== 'string' && typeof cell !== 'boolean' && !date) {
    throw new ValueError(`${where}: expected a number, a string, a boolean, a Date, null or undefined (a missing cell), got ${describe(cell)}`);
  }
  const text = date ? isoText(cell) : typeof cell === 'boolean' ? String(cell) : (cell as string).trim();
  if (date && e.kind === 'numeric') {
    throw new DataError(`${where}: expected a number (the model reads column '${e.name}' as numbers), got a Date (${text})`);
  }
  if (typeof cell === 'string' && isMissing(text)) return;
  const numeric = parseDecimal(text) !== null;
  if (e.kind === 'numeric' && !numeric) {
    throw new DataError(`${where}: expected a number (the model reads column '${e.name}' as numbers), got ${describe(cell)}`);
  }
  if (e.kind === 'boolean' && !numeric && booleanOf(text) === null) {
    throw new DataError(`${where}: expected a boolean (true/false, yes/no, 1/0) for column '${e.name}', got ${describe(date ? text : cell)}`);
  }
  if (e.kind === 'date' && parseDate(text) === null) {
    throw new DataError(`${where}: expected a date (YYYY-MM-DD or ISO 8601) for column '${e.name}', got ${describe(cell)}`);
  }
}

function isoText(d: Date): string {
  return Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString();
}
