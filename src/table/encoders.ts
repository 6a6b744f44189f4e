/**
 * Per-column encoders: fitted on the training rows only, saved with the
 * model, applied to any rows later (validation, test, a file to predict, a
 * user's records). Each turns one raw column into one or more numeric
 * features; what it learned (medians, categories, date parts) is plain JSON.
 */

import { DataError } from 'simdnet';
import { shortestF32 } from '../float32.js';
import { MISSING, NUMBER, type RawColumn } from './column.js';
import { datePart, parseDate } from './dates.js';
import { DATE_PARTS, featureNames, type CategoricalEncoding, type ColumnEncoding, type DatePart } from '../io/preprocess-json.js';

export { featureNames };
export type { CategoricalEncoding, ColumnEncoding, DateEncoding, ExcludedEncoding, NumericEncoding } from '../io/preprocess-json.js';

/** How many rare training levels an encoding remembers, to tell them from levels never seen. */
const MAX_RARE = 1000;
import { booleanOf, type ColumnKind } from './kinds.js';

/** Options of {@link fitEncoding}. */
export interface EncodingOptions {
  /** The most frequent categories kept as features (default 32); the rest share "(other)". */
  maxCategories?: number;
}

/** The number of a cell as a category: the shortest text that gives back the same float32. */
export function numberText(v: number): string {
  return String(shortestF32(v));
}

/** The category of a cell, or null when missing. */
function categoryOf(col: RawColumn, r: number): string | null {
  const code = col.codes ? col.codes[r]! : NUMBER;
  if (code === NUMBER) return numberText(col.numbers[r]!);
  if (code === MISSING) return null;
  return code >= 0 ? col.texts[code]! : '(text)';
}

/** The number a numeric or boolean cell stands for; NaN when missing (stray words in a numeric column count as missing). */
function valueOf(col: RawColumn, r: number, kind: 'numeric' | 'boolean'): number {
  const code = col.codes ? col.codes[r]! : NUMBER;
  if (code === NUMBER) return col.numbers[r]!;
  if (kind === 'boolean' && code >= 0) {
    const b = booleanOf(col.texts[code]!);
    return b === null ? NaN : b ? 1 : 0;
  }
  return NaN;
}

/** The date (UTC ms) of a cell; NaN when missing or not a date. */
function dateOf(col: RawColumn, r: number, cache: Map<number, number>): number {
  const code = col.codes ? col.codes[r]! : NUMBER;
  if (code < 0) return NaN;
  let ms = cache.get(code);
  if (ms === undefined) {
    ms = parseDate(col.texts[code]!)?.ms ?? NaN;
    cache.set(code, ms);
  }
  return ms;
}

/**
 * The median of `values` (reordered in place): the middle value, or the mean
 * of the two middle ones. Selection in linear time, not a sort: a column of
 * millions of training rows takes milliseconds.
 */
export function median(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return 0;
  const m = n >> 1;
  const upper = select(values, m);
  if (n % 2 === 1) return upper;
  // the lower middle is the largest of what selection left below m
  let lower = values[0]!;
  for (let i = 1; i < m; i++) if (values[i]! > lower) lower = values[i]!;
  return (lower + upper) / 2;
}

/** Rearranges `v` so that `v[k]` is its k-th smallest value, smaller ones before it (Hoare's selection, middle pivot). */
function select(v: Float64Array, k: number): number {
  let lo = 0;
  let hi = v.length - 1;
  while (lo < hi) {
    const pivot = v[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i]! < pivot) i++;
      while (v[j]! > pivot) j--;
      if (i <= j) {
        const t = v[i]!;
        v[i] = v[j]!;
        v[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return v[k]!;
}

/** Fits the encoding of a column of the given kind on the training rows. */
export function fitEncoding(col: RawColumn, rows: ArrayLike<number>, kind: ColumnKind, options: EncodingOptions = {}): ColumnEncoding {
  const name = col.name;
  if (kind === 'text' || kind === 'identifier' || kind === 'empty') return { name, kind };
  if (kind === 'numeric' || kind === 'boolean') {
    const present = new Float64Array(rows.length);
    let n = 0;
    for (let i = 0; i < rows.length; i++) {
      const v = valueOf(col, rows[i]!, kind);
      if (v === v) present[n++] = v;
    }
    return { name, kind, fill: median(present.subarray(0, n)), indicator: n < rows.length };
  }
  if (kind === 'date') {
    const cache = new Map<number, number>();
    const dates: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const ms = dateOf(col, rows[i]!, cache);
      if (!Number.isNaN(ms)) dates.push(ms);
    }
    const hasTime = [...cache.keys()].some((c) => parseDate(col.texts[c]!)?.hasTime);
    // A date recorded by the month (always the 1st) or by the year (always
    // January 1st) has no meaningful day or weekday; parts that are the same
    // on every training row say nothing either.
    const monthly = dates.every((ms) => datePart(ms, 'day') === 1 && datePart(ms, 'hour') === 0);
    const yearly = monthly && dates.every((ms) => datePart(ms, 'month') === 1);
    const coarse = new Set<DatePart>(monthly ? ['day', 'weekday', 'day_of_year', 'hour', ...(yearly ? ['month' as const] : [])] : []);
    const parts = DATE_PARTS.filter((part) => (part !== 'hour' || hasTime) && !coarse.has(part) && !constant(dates.map((ms) => datePart(ms, part))));
    return { name, kind, parts, fill: parts.map((part) => median(Float64Array.from(dates, (ms) => datePart(ms, part)))), indicator: dates.length < rows.length };
  }
  // categorical: the most frequent levels, ties in order of first appearance
  const counts = new Map<string, number>();
  let missing = false;
  for (let i = 0; i < rows.length; i++) {
    const c = categoryOf(col, rows[i]!);
    if (c === null) missing = true;
    else counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const max = options.maxCategories ?? 32;
  const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([level]) => level);
  return { name, kind, levels: ranked.slice(0, max), rare: ranked.slice(max, max + MAX_RARE), missing };
}

function constant(values: number[]): boolean {
  return values.every((v) => v === values[0]);
}

/** What encoding a column counted: cells in a category never seen in training, which went to "(other)". */
export interface EncodeCounts {
  unseen: number;
}

/**
 * Writes the encoding's features of rows of `col` into `out` (row-major,
 * `stride` features a row, this encoding's first at `offset`): rows
 * 0..rows−1, or, when `rows` is an array, the rows it lists, in its order
 * (a part of a table encoded without copying the part's cells first).
 * @throws DataError for a number beyond the float32 range.
 */
export function encodeColumn(
  e: ColumnEncoding, col: RawColumn, rows: number | ArrayLike<number>, out: Float32Array, stride: number, offset: number, counts: EncodeCounts,
): void {
  const index = typeof rows === 'number' ? null : rows;
  const n = index === null ? (rows as number) : index.length;
  if (e.kind === 'numeric' || e.kind === 'boolean') {
    const plain = col.codes === null && !e.indicator;
    for (let r = 0; r < n; r++) {
      const src = index === null ? r : index[r]!;
      // a column of numbers only, without gaps in training: its cells as they are (the common case, kept short)
      const v = plain ? col.numbers[src]! : valueOf(col, src, e.kind);
      if (v === Infinity || v === -Infinity) {
        throw new DataError(`column '${e.name}', row ${src + 1}: expected a number within the float32 range (±3.4e38), got one beyond it`);
      }
      const gap = v !== v;
      out[r * stride + offset] = gap ? e.fill : v;
      if (e.indicator) out[r * stride + offset + 1] = gap ? 1 : 0;
    }
  } else if (e.kind === 'date') {
    const cache = new Map<number, number>();
    const k = e.parts.length;
    for (let r = 0; r < n; r++) {
      const ms = dateOf(col, index === null ? r : index[r]!, cache);
      const gap = Number.isNaN(ms);
      for (let p = 0; p < k; p++) out[r * stride + offset + p] = gap ? e.fill[p]! : datePart(ms, e.parts[p]!);
      if (e.indicator) out[r * stride + offset + k] = gap ? 1 : 0;
    }
  } else if (e.kind === 'categorical') {
    const levelAt = new Map(e.levels.map((l, i) => [l, i]));
    const rare = new Set(e.rare);
    const other = e.levels.length;
    const width = other + 1 + (e.missing ? 1 : 0);
    for (let r = 0; r < n; r++) {
      const c = categoryOf(col, index === null ? r : index[r]!);
      let slot: number;
      if (c === null) slot = e.missing ? other + 1 : other;
      else {
        slot = levelAt.get(c) ?? other;
        if (slot === other && !rare.has(c)) counts.unseen++;
      }
      const base = r * stride + offset;
      for (let j = 0; j < width; j++) out[base + j] = j === slot ? 1 : 0;
    }
  }
}
