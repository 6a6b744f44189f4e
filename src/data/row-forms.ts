/**
 * Rows in the forms the rest of the API takes — nested rows (`number[][]`),
 * or row-major values (`number[]`, `Float32Array`) — read into one row-major
 * Float32Array, and results given back in the form that came in.
 */

import { ShapeError, ValueError } from '../errors.js';
import { describe, toMatrix, type MatrixInput } from '../validate.js';

/** Which form rows came in: nested arrays, a plain array of row-major values, or a typed array. */
export type RowForm = 'nested' | 'plain' | 'typed';

/** Rows read: row-major values, their count and width, and the form they came in. */
export interface ReadRows {
  data: Float32Array;
  rows: number;
  cols: number;
  form: RowForm;
}

function isNested(x: unknown): boolean {
  return Array.isArray(x) && x.length > 0 && typeof x[0] === 'object' && x[0] !== null;
}

/**
 * Reads rows, checked (ragged rows, NaN/±Infinity). Nested rows have their
 * own width; row-major values need `cols` (their row width).
 */
export function readRows(x: MatrixInput, cols: number | undefined, name: string, what: string): ReadRows {
  if (x === null || typeof x !== 'object' || typeof (x as ArrayLike<unknown>).length !== 'number') {
    throw new ShapeError(`${name}: expected nested rows or row-major values, got ${describe(x)}`);
  }
  const nested = isNested(x);
  let width = cols;
  if (nested) {
    const first = (x as ArrayLike<ArrayLike<number>>)[0]!;
    width ??= first.length;
  } else if (width === undefined) {
    throw new ValueError(`${name}: row-major values need their row width; pass features (the number of columns)`);
  }
  if (!Number.isInteger(width) || width < 1) throw new ShapeError(`${name}: expected rows of at least one column, got ${describe(width)}`);
  const m = toMatrix(x, width, name, what);
  return { data: m.data, rows: m.rows, cols: width, form: nested ? 'nested' : ArrayBuffer.isView(x) ? 'typed' : 'plain' };
}

/** Row-major values in the form `form`: nested rows, a plain array or a Float32Array. */
export function inForm(data: Float32Array, cols: number, form: RowForm): Float32Array | number[] | number[][] {
  if (form === 'typed') return data;
  if (form === 'plain') return Array.from(data);
  const out: number[][] = [];
  for (let r = 0; r < data.length; r += cols) out.push(Array.from(data.subarray(r, r + cols)));
  return out;
}
