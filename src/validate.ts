import { describe } from './describe.js';
import { ShapeError, SimdnetError, ValueError } from './errors.js';

// the pure helpers live apart so that simdnet/csv can carry them without the core
export { describe } from './describe.js';
export { F32_MAX, shortestF32 } from './float32.js';

/** A batch of rows: nested arrays, or row-major numbers with the row width implied by the network. */
export type MatrixInput = ArrayLike<number> | ArrayLike<ArrayLike<number>>;

export interface Matrix {
  data: Float32Array;
  rows: number;
  cols: number;
}

function isNested(x: unknown): x is ArrayLike<ArrayLike<number>> {
  return Array.isArray(x) && x.length > 0 && typeof x[0] === 'object' && x[0] !== null;
}

/**
 * Copies `x` into a fresh row-major Float32Array of `cols` columns, checking
 * the shape (ragged rows, a width that doesn't divide) and that every value
 * is finite. The copy means later mutation of the caller's array cannot
 * change anything. `checkFinite = false` leaves the finiteness check to the
 * caller (fit checks its copy in linear memory with a kernel, much faster).
 */
export function toMatrix(x: MatrixInput, cols: number, name: string, what: string, copy = true, checkFinite = true): Matrix {
  try {
    return readMatrix(x, cols, name, what, copy, checkFinite);
  } catch (e) {
    // a getter or Proxy trap of the caller's array that throws is bad input too
    if (e instanceof SimdnetError) throw e;
    const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new ValueError(`${name}: reading it threw (${text.length > 80 ? `${text.slice(0, 80)}…` : text})`, { cause: e });
  }
}

function readMatrix(x: MatrixInput, cols: number, name: string, what: string, copy: boolean, checkFinite: boolean): Matrix {
  if (x === null || typeof x !== 'object' || typeof (x as ArrayLike<unknown>).length !== 'number') {
    throw new ShapeError(`${name}: expected an array of numbers or of rows, got ${describe(x)}`);
  }
  let data: Float32Array;
  let rows: number;
  if (isNested(x)) {
    rows = x.length;
    data = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      const row = x[r];
      if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
        throw new ShapeError(`${name}: expected row ${r} to be an array of ${cols} numbers (${what}), got ${describe(row)}`);
      }
      if (row.length !== cols) {
        throw new ShapeError(`${name}: expected ${cols} columns per row (${what}), got ${row.length} at row ${r}`);
      }
      for (let c = 0; c < cols; c++) data[r * cols + c] = numberAt(row, c, name, r);
    }
  } else {
    const flat = x as ArrayLike<number>;
    if (flat.length === 0) throw new ShapeError(`${name}: expected at least one row of ${cols} values (${what}), got an empty array`);
    if (flat.length % cols !== 0) {
      throw new ShapeError(
        `${name}: expected a multiple of ${cols} values (${what}: rows × ${cols}, row-major), got ${flat.length}`,
      );
    }
    rows = flat.length / cols;
    // copy = false: the caller copies the rows elsewhere before returning (fit copies them into linear memory)
    if (flat instanceof Float32Array) data = copy ? flat.slice() : flat;
    else {
      data = new Float32Array(flat.length);
      for (let i = 0; i < flat.length; i++) data[i] = numberAt(flat, i, name, -1);
    }
  }
  if (rows === 0) throw new ShapeError(`${name}: expected at least one row of ${cols} values (${what}), got none`);
  if (checkFinite) assertFinite(data, cols, name);
  return { data, rows, cols };
}

function numberAt(arr: ArrayLike<unknown>, i: number, name: string, row: number): number {
  const v = arr[i];
  if (typeof v !== 'number') {
    const where = row >= 0 ? `row ${row}, column ${i}` : `index ${i}`;
    throw new ValueError(`${name}: expected a number at ${where}, got ${describe(v)}`);
  }
  return v;
}

/** Throws a ValueError with the count of non-finite values and the first (row, column). */
export function assertFinite(data: Float32Array, cols: number, name: string): void {
  if (allFinite(data)) return;
  let count = 0;
  let first = -1;
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    // v − v is 0 for finite values and NaN for NaN and ±Infinity
    if (v - v !== 0) {
      if (first < 0) first = i;
      count++;
    }
  }
  if (count > 0) {
    const r = Math.floor(first / cols);
    const c = first % cols;
    throw new ValueError(
      `${name}: expected finite numbers, got ${count} non-finite value${count === 1 ? '' : 's'} (first: ${String(data[first])} at row ${r}, column ${c})` +
        (Number.isNaN(data[first]) ? '' : '; a value beyond the float32 range (±3.4e38) becomes ±Infinity'),
    );
  }
}

// x·0 is 0 for finite x and NaN for NaN and ±Infinity; four independent sums
// keep the loop free of a long dependency chain (about 3× the speed of a
// compare-and-branch per value on large batches).
function allFinite(d: Float32Array): boolean {
  let a = 0, b = 0, c = 0, e = 0;
  const n = d.length - (d.length % 4);
  let i = 0;
  for (; i < n; i += 4) {
    a += d[i]! * 0;
    b += d[i + 1]! * 0;
    c += d[i + 2]! * 0;
    e += d[i + 3]! * 0;
  }
  for (; i < d.length; i++) a += d[i]! * 0;
  return a + b + c + e === 0;
}

export function checkPositiveInt(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new ValueError(`${name}: expected a positive integer, got ${describe(v)}`);
  }
  return v;
}

export function checkNumberIn(v: unknown, name: string, lo: number, hi: number, loOpen = false, hiOpen = false): number {
  const ok =
    typeof v === 'number' &&
    Number.isFinite(v) &&
    (loOpen ? v > lo : v >= lo) &&
    (hiOpen ? v < hi : v <= hi);
  if (!ok) {
    // an unbounded side reads as a comparison: "(0, Infinity]" would promise Infinity
    const range = hi === Infinity
      ? `a finite number ${loOpen ? '>' : '≥'} ${lo}`
      : `a number in ${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`;
    throw new ValueError(`${name}: expected ${range}, got ${describe(v)}`);
  }
  return v as number;
}

/** Throws a ValueError unless `v` is a seed: an integer from 0 to 2^32 − 1 (undefined gives `fallback`). */
export function checkSeed(v: unknown, name: string, fallback = 0): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new ValueError(`${name}: expected an integer from 0 to 4294967295, got ${describe(v)}`);
  }
  return v;
}
