/**
 * The values of an ONNX tensor (an initializer or a Constant), from wherever
 * the file keeps them: `raw_data` (little-endian, at any byte offset),
 * `float_data`/`double_data`, or an external file (`data_location =
 * EXTERNAL`, bytes the caller passes in keyed by the `location` the model
 * names). Sizes are checked against the dims before anything is allocated.
 */

import { DataError } from 'simdnet';
import { DataType, type OnnxAttribute, type OnnxTensor } from './decode.js';

/** A constant of the graph: its dims and its values, read on demand. */
export interface Const {
  /** For error messages: the initializer or node it comes from. */
  label: string;
  dims: number[];
  values(): Float32Array | Float64Array;
}

const TYPE_NAMES: Record<number, string> = {
  0: 'UNDEFINED', 1: 'FLOAT', 2: 'UINT8', 3: 'INT8', 4: 'UINT16', 5: 'INT16', 6: 'INT32', 7: 'INT64', 8: 'STRING', 9: 'BOOL',
  10: 'FLOAT16', 11: 'DOUBLE', 12: 'UINT32', 13: 'UINT64', 14: 'COMPLEX64', 15: 'COMPLEX128', 16: 'BFLOAT16',
};

/** The name of an ONNX data type code, e.g. 'FLOAT16 (10)'. */
export function typeName(code: number): string {
  return `${Object.prototype.hasOwnProperty.call(TYPE_NAMES, code) ? TYPE_NAMES[code] : 'type'} (${code})`;
}

/** Most elements a tensor may have: far beyond any dense layer here, far below what would overflow a length. */
const MAX_ELEMENTS = 2 ** 30;

/** Checks dims and returns the element count. */
export function elementCount(dims: readonly number[], label: string): number {
  if (dims.length > 8) throw new DataError(`${label}.dims: expected at most 8 dimensions, got ${dims.length}`);
  let n = 1;
  dims.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 0) throw new DataError(`${label}.dims[${i}]: expected a size ≥ 0, got ${d}`);
    n *= d;
    if (n > MAX_ELEMENTS) throw new DataError(`${label}.dims: expected at most 2^30 elements, got [${dims.join(', ')}] (a corrupt or hostile size)`);
  });
  return n;
}

/**
 * A tensor as a graph constant. FLOAT and DOUBLE only (what dense weights
 * and the scalers simdnet writes use); other types fail when read.
 */
export function tensorConst(t: OnnxTensor, label: string, external: Readonly<Record<string, Uint8Array | ArrayBuffer>> | undefined): Const {
  return { label, dims: t.dims, values: () => tensorValues(t, label, external) };
}

function tensorValues(t: OnnxTensor, label: string, external: Readonly<Record<string, Uint8Array | ArrayBuffer>> | undefined): Float32Array | Float64Array {
  const n = elementCount(t.dims, label);
  if (t.dataType !== DataType.FLOAT && t.dataType !== DataType.DOUBLE) {
    throw new DataError(`${label}.data_type: expected FLOAT (1) or DOUBLE (11), got ${typeName(t.dataType)}`);
  }
  const size = t.dataType === DataType.FLOAT ? 4 : 8;
  const typed = t.dataType === DataType.FLOAT ? t.floatData : t.doubleData;
  let bytes: Uint8Array | null = t.raw;
  if (t.external) bytes = externalBytes(t.external, label, n * size, external);
  if (bytes === null) {
    if (typed.length !== n) {
      const field = size === 4 ? 'float_data' : 'double_data';
      throw new DataError(`${label}.${field}: expected ${n} values (dims [${t.dims.join(', ')}]), got ${typed.length}`);
    }
    return size === 4 ? Float32Array.from(typed) : Float64Array.from(typed);
  }
  if (bytes.length !== n * size) {
    throw new DataError(`${label}.raw_data: expected ${n * size} bytes (dims [${t.dims.join(', ')}] × ${size}), got ${bytes.length}`);
  }
  // raw_data may start at any byte offset (PyTorch writes it unaligned): read through a DataView
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (size === 4) {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
    return out;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = view.getFloat64(8 * i, true);
  return out;
}

const DIGITS = /^\d{1,15}$/;

function externalBytes(entries: Map<string, string>, label: string, expected: number, files: Readonly<Record<string, Uint8Array | ArrayBuffer>> | undefined): Uint8Array {
  const location = entries.get('location');
  if (location === undefined || location === '') throw new DataError(`${label}.external_data: expected a 'location' entry (the file holding the values), got none`);
  const number = (key: string, fallback: number): number => {
    const v = entries.get(key);
    if (v === undefined) return fallback;
    if (!DIGITS.test(v)) throw new DataError(`${label}.external_data.${key}: expected a whole number of bytes, got '${v.slice(0, 40)}'`);
    return Number(v);
  };
  const given: unknown = files !== undefined && Object.prototype.hasOwnProperty.call(files, location) ? files[location] : undefined;
  // an ArrayBuffer too: a Worker's Data module arrives as one
  const file = given instanceof ArrayBuffer ? new Uint8Array(given) : given;
  if (!(file instanceof Uint8Array)) {
    throw new DataError(`${label}: its values are in the external file '${location}': pass that file's bytes as options.externalData['${location}'] (the CLI reads it from beside the model)`);
  }
  const offset = number('offset', 0);
  const length = number('length', Math.max(0, file.length - offset));
  if (length !== expected) throw new DataError(`${label}.external_data.length: expected ${expected} bytes for its dims, got ${length}`);
  if (offset + length > file.length) {
    throw new DataError(`${label}.external_data: expected bytes ${offset} to ${offset + length} of '${location}', got a file of ${file.length} bytes`);
  }
  return file.subarray(offset, offset + length);
}

/** A Constant node's value (attribute value, value_float or value_floats) as a graph constant. */
export function constantNodeValue(attrs: Map<string, OnnxAttribute>, label: string, external: Readonly<Record<string, Uint8Array | ArrayBuffer>> | undefined): Const | null {
  const value = attrs.get('value');
  if (value?.t) return tensorConst(value.t, `${label}.value`, external);
  const f = attrs.get('value_float');
  if (f && f.f !== null) return { label, dims: [], values: () => Float32Array.of(f.f!) };
  const fs = attrs.get('value_floats');
  if (fs) return { label, dims: [fs.floats.length], values: () => Float32Array.from(fs.floats) };
  return null;
}
