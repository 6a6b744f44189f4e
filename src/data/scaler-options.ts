/**
 * How Scaler.fit and Scaler.fitTransform take rows in the forms the rest of
 * the API takes them, and the form results come back in.
 */

import { lookupName, readOptions } from '../options.js';
import type { Scaler, ScalerKind } from './scaler.js';
import { checkInteger } from './validate.js';

/** How {@link Scaler.fit} and {@link Scaler.fitTransform} fit rows given as the rest of the API gives them. */
export interface ScalerFitOptions {
  /** The scaling (default `'standard'`). */
  kind?: ScalerKind;
  /** Columns per row: needed for row-major values (`number[]`, `Float32Array`), taken from nested rows otherwise. */
  features?: number;
}

/** What {@link Scaler.fitTransform} returns: the fitted scaler and the rows it scaled, in their form. */
export interface ScalerFitTransform<T> {
  /** The scaler, fitted on the rows. */
  scaler: Scaler;
  /** The rows scaled, in the form they came in (nested rows, plain array, Float32Array). */
  scaled: T;
}

/**
 * The form rows come back in for rows of type T, as `predict` gives its
 * results: a typed array gives a Float32Array, nested rows nested rows, a
 * plain array of numbers a plain array.
 */
export type ScaledRows<T> = T extends ArrayBufferView
  ? Float32Array
  : T extends ArrayLike<ArrayLike<number>>
    ? number[][]
    : T extends readonly number[]
      ? number[]
      : Float32Array | number[] | number[][];

const KIND_NAMES = { minmax: 0, standard: 1, none: 2 } as const;

/** The options of Scaler.fit's rows form, checked: a kind (default 'standard') and the row width of row-major values. */
export function fitOptions(v: ScalerFitOptions | ScalerKind | undefined): { kind: ScalerKind; features: number | undefined } {
  if (v === undefined) return { kind: 'standard', features: undefined };
  if (typeof v === 'string') return { kind: lookupName(KIND_NAMES, v, 'kind'), features: undefined };
  const o = readOptions(v, 'options', ['kind', 'features'], "{ kind, features } or a kind ('minmax', 'standard', 'none')");
  if (o.features !== undefined) checkInteger('options.features', o.features as number, 1);
  return { kind: o.kind === undefined ? 'standard' : lookupName(KIND_NAMES, o.kind, 'options.kind'), features: o.features as number | undefined };
}

