/**
 * Input checks shared by the data and metrics modules. They run before any
 * work starts and throw the library's errors with messages that name the
 * argument, what was expected and what was found.
 */

import { ShapeError, ValueError } from '../errors.js';
import { describe } from '../validate.js';

/**
 * Formats a number for an error message so that the two NaN bit patterns
 * and ±Infinity read plainly, and a huge or tiny value keeps its exponent.
 */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Object.is(value, -0)) return '-0';
  return String(value);
}

/** Joins up to `max` quoted strings for a message, eliding the rest with a count. */
export function formatList(items: readonly string[], max = 8): string {
  const shown = items.slice(0, max).map((s) => `'${s}'`);
  const rest = items.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

/**
 * Throws a ValueError unless `value` is an integer ≥ `min`.
 * @param name - the argument's name, as the caller wrote it.
 */
export function checkInteger(name: string, value: number, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ValueError(`${name}: expected an integer ≥ ${min}, got ${typeof value === 'number' ? formatValue(value) : String(value)}`);
  }
}

/**
 * Throws a ShapeError unless `values` holds exactly `expected` numbers.
 * @param what - says what the expected count is, e.g. `rows × features = 3 × 4`.
 */
export function checkLength(name: string, values: ArrayLike<number>, expected: number, what: string): void {
  if (values.length !== expected) {
    throw new ShapeError(`${name}: expected ${what} = ${expected} values, got ${values.length}`);
  }
}

/**
 * Throws a ValueError if any value is NaN or ±Infinity, giving the count and
 * the first (row, column). `Number.isNaN` catches both NaN sign bits, so a NaN
 * coming out of Wasm (0xffc00000) is caught like JavaScript's (0x7fc00000).
 *
 * @param values - a row-major matrix with `cols` columns (1 for a vector).
 */
export function checkFinite(name: string, values: ArrayLike<number>, cols: number): void {
  let count = 0;
  let first = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    // v - v is 0 for every finite number and NaN for NaN and ±Infinity.
    if (v - v !== 0) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (count === 0) return;
  const where = cols === 1 ? `at row ${first}` : `at row ${Math.floor(first / cols)}, column ${first % cols}`;
  throw new ValueError(
    `${name}: expected finite numbers, found ${count} NaN or ±Infinity value${count === 1 ? '' : 's'}; ` +
      `the first (${formatValue(values[first] as number)}) ${where}`,
  );
}

/**
 * Throws a ValueError unless every label is an integer class index in
 * [0, classes), naming the first offending value, its row and the valid
 * range, with the count of bad labels.
 *
 * @param classes - the number of classes; `Infinity` checks only "non-negative integer".
 * @param hint - appended to the message, e.g. advice on what to pass instead.
 */
export function checkLabels(name: string, labels: ArrayLike<number>, classes: number, hint = ''): void {
  let count = 0;
  let first = -1;
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i] as number;
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (count === 0) return;
  const range = Number.isFinite(classes)
    ? `class indices 0..${classes - 1} (${classes} classes)`
    : 'class indices (non-negative integers)';
  const bad = labels[first] as number;
  const why = Number.isInteger(bad) ? '' : bad - bad === 0 ? ' (not an integer)' : '';
  throw new ValueError(
    `${name}: expected ${range}, got ${formatValue(bad)}${why} at row ${first}` +
      (count > 1 ? ` (${count} invalid labels in all)` : '') +
      hint,
  );
}

/**
 * The values of a flat array as float32, each read once and required to be a
 * number: a string would be coerced ('0.5' → 0.5), null read as 0, a hole as NaN.
 */
export function float32Values(values: ArrayLike<unknown>, name: string): Float32Array {
  if (ArrayBuffer.isView(values)) {
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) throw new ValueError(`${name}: expected numbers, got a ${values.constructor.name}`);
    return Float32Array.from(values as ArrayLike<number>);
  }
  const out = new Float32Array(values.length);
  for (let i = 0; i < out.length; i++) {
    const v = values[i];
    if (typeof v !== 'number') throw new ValueError(`${name}: expected a number at index ${i}, got ${describe(v)}`);
    out[i] = v;
  }
  return out;
}

/** Throws a ValueError unless every item is a string and no two are equal. */
export function checkDistinctStrings(items: readonly unknown[], name: string): void {
  const seen = new Set<unknown>();
  // a plain loop: forEach would skip a hole
  for (let i = 0; i < items.length; i++) {
    const v = items[i];
    if (typeof v !== 'string') throw new ValueError(`${name}[${i}]: expected a string, got ${describe(v)}`);
    if (seen.has(v)) throw new ValueError(`${name}: expected distinct names, got ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)} twice`);
    seen.add(v);
  }
}
