/**
 * The target column of a raw table: class labels or values. Rows without a
 * target are left out (and counted): nothing can be learned from them.
 */

import { DataError, type Task } from 'simdnet';
import { quoteCell, quoteList } from './csv-message.js';
import { MISSING, NUMBER, type RawColumn } from './column.js';
import { numberText } from './encoders.js';

/** The most distinct integer targets that task 'auto' still reads as class labels. */
export const AUTO_MAX_CLASSES = 20;

/** The target, read. */
export interface TargetColumn {
  task: Task;
  /** Class labels (index i = label i), or null for regression. */
  classes: string[] | null;
  /** Per kept row: its class index, or its value. */
  y: Float32Array;
  /** The rows kept (those with a target), ascending. */
  rows: Uint32Array;
  /** Rows left out for a missing target. */
  missing: number;
  /** Rows left out for a target that is not a number, for regression (dropInvalid). */
  invalid: number;
}

/**
 * Reads the target column. Classification when a label is not a number, or
 * every one is an integer with at most AUTO_MAX_CLASSES distinct values
 * (task 'auto'); labels are sorted — numerically when all are numbers,
 * by code unit otherwise (never by locale).
 * @throws DataError for no rows with a target, fewer than 2 classes, a
 *   non-number target for regression, a value beyond float32.
 */
export function readTarget(col: RawColumn, task: 'auto' | Task, source: string, lines?: ArrayLike<number>, dropInvalid = false): TargetColumn {
  const n = col.numbers.length;
  const codes = col.codes;
  let texts = 0;
  let kept = 0;
  const all = new Uint32Array(n);
  for (let r = 0; r < n; r++) {
    const code = codes ? codes[r]! : NUMBER;
    if (code === MISSING) continue;
    if (code !== NUMBER) texts++;
    all[kept++] = r;
  }
  const rows = kept === n ? all : all.slice(0, kept);
  const missing = n - rows.length;
  const name = quoteCell(col.name);
  if (rows.length === 0) throw new DataError(`${source}: expected target values in column ${name}, got none (every cell is missing)`);
  const where = (r: number) => `row ${r + 1}${lines ? ` (line ${lines[r]})` : ''}`;
  const classification = task === 'auto' ? texts > 0 || smallIntegerSet(col, rows) : task !== 'regression';
  if (!classification) {
    const values = new Float32Array(rows.length);
    const numeric = new Uint32Array(rows.length);
    let m = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      const code = codes ? codes[r]! : NUMBER;
      if (code !== NUMBER) {
        if (!dropInvalid) throw new DataError(`${source}: ${where(r)}: column ${name} (regression target): expected a number, got ${quoteCell(col.texts[code] ?? '(text)')}; pass dropInvalid: true to drop such rows`);
        continue;
      }
      values[m] = col.numbers[r]!;
      numeric[m++] = r;
    }
    const invalid = rows.length - m;
    return { task: 'regression', classes: null, y: values.slice(0, m), rows: numeric.slice(0, m), missing, invalid };
  }
  const { classes, y } = texts === 0 ? numericLabels(col, rows) : textLabels(col, rows);
  const k = classes.length;
  const found = `found ${k} (${quoteList(classes)}) in column ${name}`;
  if (k < 2) throw new DataError(`${source}: expected at least 2 classes in the target, ${found}` + (texts === 0 ? "; pass task: 'regression' for a numeric target" : ''));
  if (task === 'binary' && k !== 2) throw new DataError(`${source}: task 'binary' expects exactly 2 classes, ${found}`);
  return { task: task === 'multiclass' || k > 2 ? 'multiclass' : 'binary', classes, y, rows, missing, invalid: 0 };
}

function smallIntegerSet(col: RawColumn, rows: Uint32Array): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < rows.length; i++) {
    const v = col.numbers[rows[i]!]!;
    if (!Number.isInteger(v)) return false;
    if (!seen.has(v)) {
      seen.add(v);
      if (seen.size > AUTO_MAX_CLASSES) return false;
    }
  }
  return true;
}

/** Numeric labels: keyed by value, so '1' and '1.0' are one class; sorted numerically; named in their shortest form. */
function numericLabels(col: RawColumn, rows: Uint32Array): { classes: string[]; y: Float32Array } {
  const index = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) index.set(col.numbers[rows[i]!]!, 0);
  const distinct = [...index.keys()].sort((a, b) => a - b);
  distinct.forEach((v, i) => index.set(v, i));
  const y = new Float32Array(rows.length);
  for (let i = 0; i < rows.length; i++) y[i] = index.get(col.numbers[rows[i]!]!)!;
  return { classes: distinct.map(numberText), y };
}

/** Labels with some text: numbers named in their shortest form, all sorted by code unit. */
function textLabels(col: RawColumn, rows: Uint32Array): { classes: string[]; y: Float32Array } {
  const label = (r: number): string => {
    const code = col.codes ? col.codes[r]! : NUMBER;
    return code === NUMBER ? numberText(col.numbers[r]!) : code >= 0 ? col.texts[code]! : '(text)';
  };
  const labels = Array.from(rows, label);
  const classes = [...new Set(labels)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(classes.map((c, i) => [c, i]));
  return { classes, y: Float32Array.from(labels, (l) => index.get(l)!) };
}
