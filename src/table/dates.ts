/**
 * Dates and times as tables hold them — ISO 8601 (`2024-03-05`,
 * `2024-03-05T14:30`, `2024-03-05 14:30:00Z`, `2024-03-05T14:30:00+01:00`)
 * and `YYYY/MM/DD` — parsed by hand into UTC so that the result never depends
 * on the machine's time zone or the engine's Date.parse, and turned into
 * numeric features a network can use.
 */

const ISO = /^(\d{4})[-/](\d{2})[-/](\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** A parsed date: UTC milliseconds since 1970, and whether it had a time of day. */
export interface ParsedDate {
  ms: number;
  hasTime: boolean;
}

/** The date in `s`, or null when it is not one of the accepted forms or not a real calendar date. */
export function parseDate(s: string): ParsedDate | null {
  const m = ISO.exec(s);
  if (m === null) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const fraction = m[7] === undefined ? 0 : Number(`0.${m[7]}`) * 1000;
  // setUTCFullYear, unlike Date.UTC, keeps years 0..99 as they are
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  let ms = d.getTime() + fraction;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
    if (offset > 18 * 60) return null;
    ms -= sign * offset * 60_000;
  }
  return { ms, hasTime: m[4] !== undefined };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

import type { DatePart } from '../io/preprocess-json.js';

export { DATE_PARTS, type DatePart } from '../io/preprocess-json.js';

/**
 * One part of a date (UTC): year with its fraction (2024.5 is early July, so
 * the trend over years is smooth), month 1–12, day of the month 1–31, weekday
 * 0–6 (Monday 0, as ISO 8601 counts), day of the year 1–366, hour of the day
 * with minutes as a fraction.
 */
export function datePart(ms: number, part: DatePart): number {
  const d = new Date(ms);
  switch (part) {
    case 'year': {
      const y = d.getUTCFullYear();
      const start = startOfYear(y);
      return y + (ms - start) / (startOfYear(y + 1) - start);
    }
    case 'month':
      return d.getUTCMonth() + 1;
    case 'day':
      return d.getUTCDate();
    case 'weekday':
      return (d.getUTCDay() + 6) % 7;
    case 'day_of_year':
      return Math.floor((ms - startOfYear(d.getUTCFullYear())) / 86_400_000) + 1;
    case 'hour':
      return d.getUTCHours() + d.getUTCMinutes() / 60 + d.getUTCSeconds() / 3600;
  }
}

function startOfYear(y: number): number {
  const d = new Date(0);
  d.setUTCFullYear(y, 0, 1);
  return d.getTime();
}
