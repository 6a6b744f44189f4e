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
 * @param where - names the cell, e.g. `records[2]['Body Mass (g)']`.
 * @throws ValueError for a value no table cell can be (an object, an array, a function, a bigint, a symbol);
 *   DataError for text the column's kind cannot read (a word in a numeric column, say).
 */
export function checkRecordCell(e: ColumnEncoding, cell: unknown, where: string, isMissing: (s: string) => boolean): void {
  if (cell === null || cell === undefined || typeof cell === 'number' || cell instanceof Date) return;
  if (typeof cell !== 'string' && typeof cell !== 'boolean') {
    throw new ValueError(`${where}: expected a number, a string, a boolean, a Date, null or undefined (a missing cell), got ${describe(cell)}`);
  }
  const text = typeof cell === 'boolean' ? String(cell) : cell.trim();
  if (typeof cell === 'string' && isMissing(text)) return;
  const numeric = parseDecimal(text) !== null;
  if (e.kind === 'numeric' && !numeric) {
    throw new DataError(`${where}: expected a number (the model reads column '${e.name}' as numbers), got ${describe(cell)}`);
  }
  if (e.kind === 'boolean' && !numeric && booleanOf(text) === null) {
    throw new DataError(`${where}: expected a boolean (true/false, yes/no, 1/0) for column '${e.name}', got ${describe(cell)}`);
  }
  if (e.kind === 'date' && parseDate(text) === null) {
    throw new DataError(`${where}: expected a date (YYYY-MM-DD or ISO 8601) for column '${e.name}', got ${describe(cell)}`);
  }
}
