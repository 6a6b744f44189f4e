/**
 * What a column is, decided from the training rows only: numeric,
 * categorical, boolean, date, or excluded (free text, an identifier, no
 * values). The rules are written for tables as people have them: a few
 * missing-value tokens, numbers that are really codes (--categorical), text
 * with a modest number of distinct values, dates in ISO form.
 */

import type { ColumnKind } from './column-schema.js';
import { MISSING, NUMBER, OVERFLOW, type RawColumn } from './column.js';
import { parseDate } from './dates.js';

export type { ColumnKind };

/** The kinds that give features; the others are left out, with a line in the report saying why. */
export const USED_KINDS: readonly ColumnKind[] = ['numeric', 'categorical', 'boolean', 'date'];

/** What the training rows of one column hold. */
export interface ColumnProfile {
  rows: number;
  missing: number;
  numbers: number;
  /**
   * Distinct values (numbers by value, texts by text) among the training
   * rows; capped at TEXT_CAP texts. Counted when first read: most columns
   * (numbers only, not named like an identifier) never need it.
   */
  readonly distinct: number;
  /** Non-missing, non-numeric cells. */
  texts: number;
  /** Whether the distinct texts overflowed the column's cap. */
  overflow: boolean;
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', 't']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'f']);

/** The boolean a text cell stands for, or null. */
export function booleanOf(text: string): boolean | null {
  const t = text.toLowerCase();
  return TRUE_WORDS.has(t) ? true : FALSE_WORDS.has(t) ? false : null;
}

export function profile(col: RawColumn, rows: ArrayLike<number>): ColumnProfile {
  let missing = 0;
  let texts = 0;
  let overflow = false;
  const codes = col.codes;
  // distinct texts by code: a byte per text value, not a Set per column
  const seen = codes ? new Uint8Array(col.texts.length) : null;
  let distinctTexts = 0;
  if (codes) {
    for (let i = 0; i < rows.length; i++) {
      const code = codes[rows[i]!]!;
      if (code === NUMBER) continue;
      if (code === MISSING) missing++;
      else {
        texts++;
        if (code === OVERFLOW) overflow = true;
        else if (seen![code] === 0) {
          seen![code] = 1;
          distinctTexts++;
        }
      }
    }
  }
  let distinct = -1;
  return {
    rows: rows.length, missing, numbers: rows.length - missing - texts, texts, overflow,
    get distinct() {
      if (distinct < 0) distinct = distinctNumbers(col, rows) + distinctTexts;
      return distinct;
    },
  };
}

/** Distinct numbers among the rows' numeric cells: sorted, then counted (a Set of a million numbers costs ten times as much). */
function distinctNumbers(col: RawColumn, rows: ArrayLike<number>): number {
  const values = new Float32Array(rows.length);
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (!col.codes || col.codes[r] === NUMBER) values[n++] = col.numbers[r]!;
  }
  const sorted = values.subarray(0, n).sort();
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  return distinct;
}

/** Options of {@link inferKind}. */
export interface KindOptions {
  /** Read the column as categories even when every value is a number. */
  categorical?: boolean;
  /** At most this many categories are one-hot encoded (default 32); more distinct text values than that, nearly all distinct, is free text. */
  maxCategories?: number;
}

/** The kind of a column, from its training rows (ascending row indices, in file order). */
export function inferKind(col: RawColumn, rows: ArrayLike<number>, p: ColumnProfile, options: KindOptions = {}): ColumnKind {
  const used = p.rows - p.missing;
  if (used === 0) return 'empty';
  if (options.categorical) return 'categorical';
  if (p.texts === 0) return isIdentifier(col, rows, p) ? 'identifier' : 'numeric';
  if (p.overflow) return 'text';
  const textValues = distinctTexts(col, rows);
  // a measurement with a few stray words ('unknown', 'n.a.'): the words are read as missing
  if (p.numbers > 0 && p.texts <= 0.05 * used && textValues.length <= 3 && !textValues.every((t) => booleanOf(t) !== null)) return 'numeric';
  if (textValues.every((t) => booleanOf(t) !== null) && numbersAreBits(col, rows)) return 'boolean';
  if (p.numbers === 0 && textValues.every((t) => parseDate(t) !== null)) return 'date';
  // nearly every value distinct, and more of them than one-hot encoding keeps: names, ids, comments
  const maxCategories = options.maxCategories ?? 32;
  if (p.distinct > maxCategories && p.distinct >= 0.5 * used) return 'text';
  return 'categorical';
}

// id, ID, row_id, row-no, index, idx, key, row, "row number"; customerId (camel case)
const ID_NAME = /(^|[^a-z])(id|idx|index|key|row|no|number)$/i;
const CAMEL_ID = /[a-z](Id|ID|Idx|Index|Key|No)$/;

/**
 * An integer column named like an identifier whose values are all distinct:
 * a row number or a key, not a measurement. (By values alone a sorted input
 * such as x = 0, 1, 2, … looks the same, and is a feature.)
 */
function isIdentifier(col: RawColumn, rows: ArrayLike<number>, p: ColumnProfile): boolean {
  if (!(ID_NAME.test(col.name) || CAMEL_ID.test(col.name)) || p.missing > 0 || p.distinct !== p.rows || p.rows < 20) return false;
  for (let i = 0; i < rows.length; i++) if (!Number.isInteger(col.numbers[rows[i]!]!)) return false;
  return true;
}

function numbersAreBits(col: RawColumn, rows: ArrayLike<number>): boolean {
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if ((col.codes ? col.codes[r]! : NUMBER) === NUMBER && col.numbers[r] !== 0 && col.numbers[r] !== 1) return false;
  }
  return true;
}

/** The distinct text values among the rows, in order of first appearance in the column. */
export function distinctTexts(col: RawColumn, rows: ArrayLike<number>): string[] {
  if (!col.codes) return [];
  const seen = new Uint8Array(col.texts.length);
  for (let i = 0; i < rows.length; i++) {
    const c = col.codes[rows[i]!]!;
    if (c >= 0) seen[c] = 1;
  }
  return col.texts.filter((_, c) => seen[c] === 1);
}
