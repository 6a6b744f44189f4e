/**
 * Feature scaling: per-column affine maps, fitted on the training part only
 * so that no statistic of the validation or test rows leaks into training.
 */

import { DataError, ShapeError, ValueError } from '../errors.js';
import type { MatrixInput } from '../validate.js';
import { inForm, readRows } from './row-forms.js';
import { fitOptions, type ScaledRows, type ScalerFitOptions, type ScalerFitTransform } from './scaler-options.js';
import { checkFinite, checkInteger } from './validate.js';
import { readError } from '../options.js';
import { describe } from '../describe.js';
import { readScaler, type ScalerJSON } from './scaler-json.js';

/** `minmax`: training range → [0, 1]; `standard`: zero mean, unit variance; `none`: identity. */
export type ScalerKind = 'minmax' | 'standard' | 'none';

/** The kinds, in the order messages list them. */
export const KINDS: readonly ScalerKind[] = ['minmax', 'standard', 'none'];
/**
 * Below this a column's spread is rounding noise, and dividing by it would
 * blow every other input up to ±Infinity: such a column is scaled as a
 * constant one (scikit-learn treats scales under 10·ε the same way).
 */
export const MIN_SCALE = 10 * Number.EPSILON;

export type { ScalerJSON } from './scaler-json.js';

/**
 * The private constructor, for the code that makes scalers. Set once by the
 * class itself: code that names the class inside its own body makes bundlers
 * rename it (`class _Scaler`), and the name stack traces and console.log show with it.
 */
let construct: (kind: ScalerKind, offset: Float64Array, scale: Float64Array) => Scaler;

/** A scaler of these statistics (for the code that makes scalers: fitColumns below, scaler-json.ts). */
export function scalerOf(kind: ScalerKind, offset: Float64Array, scale: Float64Array): Scaler {
  return construct(kind, offset, scale);
}

/**
 * A fitted per-column scaling, `scaled = (value − offset) / scale`, computed
 * and stored in float64 (the scaled values are float32). A constant column —
 * or one whose spread is rounding noise, under 10·ε — gets scale 1, so it maps
 * to 0 (minmax, standard) instead of NaN or ±Infinity.
 */
export class Scaler {
  static {
    construct = (kind, offset, scale) => new this(kind, offset, scale);
  }

  /** Which scaling this is. */
  readonly kind: ScalerKind;
  /** Number of columns it was fitted on; inputs must have exactly this many. */
  readonly features: number;
  private readonly offset: Float64Array;
  private readonly scale: Float64Array;

  private constructor(kind: ScalerKind, offset: Float64Array, scale: Float64Array) {
    this.kind = kind;
    this.features = offset.length;
    this.offset = offset;
    this.scale = scale;
  }

  /**
   * Fits a scaler to rows as the rest of the API takes them — nested rows,
   * or row-major values with `features` — pass the training rows only.
   * `standard` (the default) uses the population standard deviation (divide
   * by rows, as scikit-learn's StandardScaler does).
   *
   * @throws ValueError for an unknown kind or option, NaN/±Infinity in x;
   *   ShapeError for ragged rows or a length that is not a multiple of features.
   */
  static fit(x: MatrixInput, options?: ScalerFitOptions | ScalerKind): Scaler;
  /**
   * Fits a scaler to a row-major Float32Array of `rows` × `features` values —
   * pass the training rows only.
   *
   * @throws ValueError for an unknown kind, bad sizes or NaN/±Infinity in x;
   *   ShapeError when x does not hold rows × features values; DataError for 0 rows.
   */
  static fit(x: Float32Array, rows: number, features: number, kind: ScalerKind): Scaler;
  static fit(x: MatrixInput, a?: ScalerFitOptions | ScalerKind | number, features?: number, kind?: ScalerKind): Scaler {
    // four arguments are the sized form whatever the second is: a string there is a bad row count, not a kind
    if (typeof a === 'number' || features !== undefined || kind !== undefined) return fitColumns(x as Float32Array, a as number, features as number, kind as ScalerKind);
    const { kind: k, features: f } = fitOptions(a);
    const m = readRows(x, f, 'x', 'the rows to fit the scaler on');
    return fitColumns(m.data, m.rows, m.cols, k);
  }

  /**
   * Fits a scaler to rows and scales them: `Scaler.fit` then `transform`,
   * the rows given back in their form.
   */
  static fitTransform<T extends MatrixInput>(x: T, options?: ScalerFitOptions | ScalerKind): ScalerFitTransform<ScaledRows<T>> {
    const { kind, features } = fitOptions(options);
    const m = readRows(x, features, 'x', 'the rows to fit the scaler on');
    const scaler = fitColumns(m.data, m.rows, m.cols, kind);
    return { scaler, scaled: inForm(scaler.transform(m.data, m.rows), m.cols, m.form) as ScaledRows<T> };
  }

  /**
   * Scales a row-major Float32Array of `rows` rows into a new array; `x` is
   * never modified. NaN stays NaN (the network rejects it with a clear error).
   *
   * @throws ShapeError when x does not hold rows × this.features values.
   */
  transform(x: Float32Array, rows: number): Float32Array;
  /**
   * Scales rows given as the rest of the API gives them (nested rows, or
   * row-major values of `features` columns) into new rows of the same form.
   *
   * @throws ShapeError for rows of another width; ValueError for NaN/±Infinity.
   */
  transform<T extends MatrixInput>(x: T): ScaledRows<T>;
  transform(x: MatrixInput, rows?: number): Float32Array | number[] | number[][] {
    if (rows === undefined) {
      const m = readRows(x, this.features, 'x', `the scaler's ${this.features} features`);
      return inForm(this.transform(m.data, m.rows), m.cols, m.form);
    }
    checkFloat32Array(x, 'x');
    checkInteger('rows', rows, 0);
    const f = this.features;
    if (x.length !== rows * f) {
      throw new ShapeError(`x: expected rows × features = ${rows} × ${f} = ${rows * f} values (the scaler was fitted on ${f} features), got ${x.length}`);
    }
    const out = new Float32Array(x.length);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < f; c++) {
        const i = r * f + c;
        out[i] = ((x[i] as number) - (this.offset[c] as number)) / (this.scale[c] as number);
      }
    }
    return out;
  }

  /**
   * Maps scaled values back: `value = scaled · scale + offset` (a regression
   * network's outputs back to target units). Returns a new array.
   *
   * @throws ShapeError when x does not hold rows × this.features values.
   */
  inverseTransform(x: Float32Array, rows: number): Float32Array;
  /** The same for rows in any form (nested rows, or row-major values), given back in that form. */
  inverseTransform<T extends MatrixInput>(x: T): ScaledRows<T>;
  inverseTransform(x: MatrixInput, rows?: number): Float32Array | number[] | number[][] {
    if (rows === undefined) {
      const m = readRows(x, this.features, 'x', `the scaler's ${this.features} features`);
      return inForm(this.inverseTransform(m.data, m.rows), m.cols, m.form);
    }
    checkFloat32Array(x, 'x');
    checkInteger('rows', rows, 0);
    const f = this.features;
    if (x.length !== rows * f) {
      throw new ShapeError(`x: expected rows × features = ${rows} × ${f} = ${rows * f} values (the scaler was fitted on ${f} features), got ${x.length}`);
    }
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const c = i % f;
      out[i] = (x[i] as number) * (this.scale[c] as number) + (this.offset[c] as number);
    }
    return out;
  }

  /**
   * Scales one row. Pass `out` to reuse an array (no allocation per sample);
   * it may be the input row itself.
   *
   * @throws ShapeError when the row (or `out`) does not hold this.features values.
   */
  transformRow(row: ArrayLike<number>, out: Float32Array = new Float32Array(this.features)): Float32Array {
    const f = this.features;
    checkFloat32Array(out, 'out');
    if (out.length !== f) throw new ShapeError(`out: expected ${f} values (the scaler's features), got ${out.length}`);
    try {
      if (row === null || typeof row !== 'object' || typeof row.length !== 'number') {
        throw new ValueError(`row: expected an array of ${f} numbers, got ${describe(row)}`);
      }
      if (row.length !== f) throw new ShapeError(`row: expected ${f} values (the scaler's features), got ${row.length}`);
      // every value read before any is written: out may be row itself
      for (let c = 0; c < f; c++) {
        const v: unknown = row[c];
        if (typeof v !== 'number') throw new ValueError(`row: expected a number at index ${c}, got ${describe(v)}`);
      }
      for (let c = 0; c < f; c++) out[c] = ((row[c] as number) - (this.offset[c] as number)) / (this.scale[c] as number);
    } catch (e) {
      throw readError('row', e);
    }
    return out;
  }

  /** The saved form: plain numbers, exact (float64) statistics. */
  toJSON(): ScalerJSON {
    return { kind: this.kind, features: this.features, offset: Array.from(this.offset), scale: Array.from(this.scale) };
  }

  /**
   * Rebuilds a scaler from {@link Scaler.toJSON}'s output, checking every field.
   *
   * @throws DataError when `obj` or a field is missing or of the wrong type;
   *   ShapeError when `offset` or `scale` does not hold `features` numbers;
   *   ValueError for an unknown kind or a non-finite offset, a scale that is
   *   not finite and > 0, or a `none` scaler that is not the identity.
   */
  static fromJSON(obj: unknown): Scaler {
    try {
      return readScaler(obj);
    } catch (e) {
      throw readError('scaler', e);
    }
  }
}

/** A scaler of the per-column statistics of row-major rows (see Scaler.fit). */
function fitColumns(x: Float32Array, rows: number, features: number, kind: ScalerKind): Scaler {
  checkFloat32Array(x, 'x');
  if (!KINDS.includes(kind)) throw new ValueError(`kind: expected 'minmax', 'standard' or 'none', got '${String(kind)}'`);
  checkInteger('rows', rows, 0);
  checkInteger('features', features, 1);
  if (rows === 0) throw new DataError('x: expected at least one row to fit the scaler on, got 0 rows');
  if (x.length !== rows * features) {
    throw new ShapeError(`x: expected rows × features = ${rows} × ${features} = ${rows * features} values, got ${x.length}`);
  }
  checkFinite('x', x, features);
  const offset = new Float64Array(features);
  const scale = new Float64Array(features).fill(1);
  if (kind === 'none') return construct(kind, offset, scale);
  for (let c = 0; c < features; c++) {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const v = x[r * features + c] as number;
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    // Exact equality, not a tolerance: only a truly constant column has no
    // scale, and then (v − offset) is exactly 0 for every training value.
    const constant = min === max;
    if (kind === 'minmax') {
      offset[c] = min;
      scale[c] = constant || max - min < MIN_SCALE ? 1 : max - min;
    } else {
      const mean = sum / rows;
      // Two passes: the one-pass Σv² − n·mean² loses everything for large means.
      let squares = 0;
      for (let r = 0; r < rows; r++) squares += ((x[r * features + c] as number) - mean) ** 2;
      offset[c] = mean;
      const sd = Math.sqrt(squares / rows);
      scale[c] = constant || sd < MIN_SCALE ? 1 : sd;
    }
  }
  return construct(kind, offset, scale);
}
/** A real Float32Array (a Proxy of one passes instanceof, but its length getter throws; isView answers a revoked Proxy). */
function checkFloat32Array(x: unknown, name: string): void {
  if (!(ArrayBuffer.isView(x) && x instanceof Float32Array)) throw new ValueError(`${name}: expected a row-major Float32Array, got ${describe(x)}`);
}
