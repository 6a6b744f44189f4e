/**
 * The words of the schema report: for each column, what the training rows
 * showed (categories, range, dates) or why it was left out.
 */

import { MISSING, NUMBER, type RawColumn } from './column.js';
import { numberText, type ColumnEncoding } from './encoders.js';
import { parseDate } from './dates.js';
import type { ColumnProfile } from './kinds.js';

const cut = (s: string, n = 24): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** One line about a fitted column. */
export function describeColumn(e: ColumnEncoding, col: RawColumn, rows: ArrayLike<number>, p: ColumnProfile): string {
  switch (e.kind) {
    case 'empty':
      return 'left out: no values in the training rows';
    case 'identifier':
      return 'left out: an identifier (named like one, every value a distinct integer)';
    case 'text':
      return `left out: free text (${p.overflow ? 'over 10,000' : p.distinct} distinct values in ${p.rows - p.missing} cells)`;
    case 'categorical': {
      const shown = e.levels.slice(0, 6).map((l) => cut(l)).join(', ');
      const more = e.levels.length > 6 ? `, … (${e.levels.length} kept)` : '';
      const rare = e.rare.length > 0 ? `; ${p.distinct - e.levels.length} rarer ones as (other)` : '';
      return `${e.levels.length} categor${e.levels.length === 1 ? 'y' : 'ies'}: ${shown}${more}${rare}${e.missing ? '; missing is its own category' : ''}`;
    }
    case 'date': {
      const [lo, hi] = dateRange(col, rows);
      const parts = e.parts.length > 0 ? e.parts.join(', ') : 'none (every date the same)';
      return `${lo} to ${hi}; features: ${parts}${e.indicator ? '; gaps: training median + indicator' : ''}`;
    }
    default: {
      const [lo, hi] = numericRange(col, rows);
      const stray = p.texts > 0 && e.kind === 'numeric' ? `; ${p.texts} word cell${p.texts === 1 ? '' : 's'} read as missing` : '';
      const range = e.kind === 'boolean' ? 'true/false as 1/0' : `${numberText(lo)} to ${numberText(hi)}`;
      return `${range}${e.indicator ? `; gaps: median ${numberText(Math.fround(e.fill))} + indicator` : ''}${stray}`;
    }
  }
}

function numericRange(col: RawColumn, rows: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if ((col.codes ? col.codes[r]! : NUMBER) !== NUMBER) continue;
    const v = col.numbers[r]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 0];
}

function dateRange(col: RawColumn, rows: ArrayLike<number>): [string, string] {
  let lo: [number, string] | null = null;
  let hi: [number, string] | null = null;
  const seen = new Set<number>();
  for (let i = 0; i < rows.length; i++) {
    const code = col.codes ? col.codes[rows[i]!]! : MISSING;
    if (code < 0 || seen.has(code)) continue;
    seen.add(code);
    const text = col.texts[code]!;
    const ms = parseDate(text)?.ms;
    if (ms === undefined) continue;
    if (lo === null || ms < lo[0]) lo = [ms, text];
    if (hi === null || ms > hi[0]) hi = [ms, text];
  }
  return [lo?.[1] ?? '?', hi?.[1] ?? '?'];
}
