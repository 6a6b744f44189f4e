/**
 * A scaler's saved form, read back: every field checked against what
 * Scaler.fit can produce from float32 data, so a scaler loaded from a file
 * maps every input to a finite value.
 */

import { DataError, ShapeError, ValueError } from '../errors.js';
import { describe } from '../describe.js';
import { F32_MAX } from '../float32.js';
import { KINDS, MIN_SCALE, scalerOf, type Scaler, type ScalerKind } from './scaler.js';
import { checkInteger, formatValue } from './validate.js';

/** The saved form of a {@link Scaler}: `scaled = (value − offset[c]) / scale[c]` for column c. */
export interface ScalerJSON {
  /** Which scaling. */
  kind: ScalerKind;
  /** Columns. */
  features: number;
  /** Per column: the training minimum (minmax), mean (standard) or 0 (none). */
  offset: number[];
  /** Per column: the training range (minmax), standard deviation (standard) or 1; 1 for a constant column. */
  scale: number[];
}

/** The scaler `obj` describes (Scaler.fromJSON's work). */
export function readScaler(obj: unknown): Scaler {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new DataError(`scaler: expected an object with kind, features, offset and scale, got ${describe(obj)}`);
  }
  // own fields only, each read once: an inherited 'kind' is none (see options.ts)
  const field = (key: string): unknown => (Object.prototype.hasOwnProperty.call(obj, key) ? (obj as Record<string, unknown>)[key] : undefined);
  const record: Record<string, unknown> = { kind: field('kind'), features: field('features'), offset: field('offset'), scale: field('scale') };
  const kind = record['kind'];
  if (typeof kind !== 'string') throw new DataError(`scaler.kind: expected a string, got ${describe(kind)}`);
  if (!(KINDS as readonly string[]).includes(kind)) {
    throw new ValueError(`scaler.kind: expected 'minmax', 'standard' or 'none', got '${kind}'`);
  }
  const features = record['features'];
  if (typeof features !== 'number') throw new DataError(`scaler.features: expected a number, got ${describe(features)}`);
  checkInteger('scaler.features', features, 1);
  const offset = numberArray(record, 'offset', features);
  const scale = numberArray(record, 'scale', features);
  // The ranges Scaler.fit can produce from float32 data: an offset within
  // float32, a scale from MIN_SCALE to twice the largest float32. Outside
  // them a scaler maps nearly every input to ±Infinity or NaN.
  offset.forEach((v, c) => {
    if (!Number.isFinite(v)) throw new ValueError(`scaler.offset[${c}]: expected a finite number, got ${formatValue(v)}`);
    if (!(Math.abs(v) <= F32_MAX)) throw new ValueError(`scaler.offset[${c}]: expected a number within the float32 range (±3.4e38), got ${formatValue(v)}`);
  });
  scale.forEach((v, c) => {
    if (!(Number.isFinite(v) && v > 0)) throw new ValueError(`scaler.scale[${c}]: expected a finite number > 0, got ${formatValue(v)}`);
    if (!(v >= MIN_SCALE && v <= 2 * F32_MAX)) {
      throw new ValueError(`scaler.scale[${c}]: expected a number from ${MIN_SCALE} to 6.8e38 (what Scaler.fit gives for float32 data), got ${formatValue(v)}`);
    }
  });
  if (kind === 'none') {
    const c = offset.findIndex((v, i) => v !== 0 || scale[i] !== 1);
    if (c >= 0) {
      throw new ValueError(`scaler.offset/scale[${c}]: expected 0 and 1 for kind 'none', got ${formatValue(offset[c] as number)} and ${formatValue(scale[c] as number)}`);
    }
  }
  return scalerOf(kind as ScalerKind, offset, scale);
}

function numberArray(record: Record<string, unknown>, field: string, length: number): Float64Array {
  const value = record[field];
  if (!Array.isArray(value)) throw new DataError(`scaler.${field}: expected an array of ${length} numbers, got ${describe(value)}`);
  if (value.length !== length) {
    throw new ShapeError(`scaler.${field}: expected ${length} numbers (one per feature), got ${value.length}`);
  }
  const out = new Float64Array(length);
  // a plain loop: forEach would skip a hole, leaving 0
  for (let i = 0; i < length; i++) {
    const v: unknown = value[i];
    if (typeof v !== 'number') throw new DataError(`scaler.${field}[${i}]: expected a number, got ${describe(v)}`);
    out[i] = v;
  }
  return out;
}
