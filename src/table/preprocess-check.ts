/**
 * A saved preprocessor, checked field by field before it is used: every
 * encoding's kind, names, levels and fills must make sense, so a file that
 * passes its checksum but was edited by hand is refused with the field's
 * name instead of encoding rows wrongly.
 */

import { DataError } from 'simdnet';
import { DATE_PARTS, featureNames as encodedFeatures, type ColumnEncoding, type DatePart, type PreprocessorJSON } from '../io/preprocess-json.js';

const F32_MAX = 3.4028234663852886e38;
const MAX_COLUMNS = 1 << 16;
const MAX_LEVELS = 1 << 16;

function fail(field: string, expected: string, got: unknown): never {
  const shown = got === undefined ? 'nothing (the field is missing)' : got === null ? 'null' : Array.isArray(got) ? `an array of length ${got.length}`
    : typeof got === 'string' ? JSON.stringify(got.length > 40 ? `${got.slice(0, 40)}…` : got) : typeof got === 'object' ? 'an object' : String(got);
  throw new DataError(`${field}: expected ${expected}, got ${shown}`);
}

const own = (o: object, k: string): unknown => (Object.prototype.hasOwnProperty.call(o, k) ? (o as Record<string, unknown>)[k] : undefined);

function record(v: unknown, field: string, keys: readonly string[]): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(field, `an object { ${keys.join(', ')} }`, v);
  for (const k of Object.keys(v as object)) if (!keys.includes(k)) fail(`${field}.${k}`, `no such field (the fields are ${keys.join(', ')})`, own(v as object, k));
  return v as Record<string, unknown>;
}

function strings(v: unknown, field: string, max: number, distinct: boolean): string[] {
  if (!Array.isArray(v) || v.length > max) fail(field, `an array of at most ${max} strings`, v);
  const seen = new Set<string>();
  (v as unknown[]).forEach((s, i) => {
    if (typeof s !== 'string') fail(`${field}[${i}]`, 'a string', s);
    if (distinct && seen.has(s)) fail(field, 'distinct strings', `${JSON.stringify(s)} twice`);
    seen.add(s);
  });
  return (v as string[]).slice();
}

function f32(v: unknown, field: string): number {
  if (typeof v !== 'number' || !(Math.abs(v) <= F32_MAX)) fail(field, 'a finite number within the float32 range', v);
  return v as number;
}

function bool(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') fail(field, 'true or false', v);
  return v as boolean;
}

function encoding(v: unknown, field: string): ColumnEncoding {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(field, 'an object { name, kind, … }', v);
  const kind = own(v as object, 'kind');
  const name = own(v as object, 'name');
  if (typeof name !== 'string') fail(`${field}.name`, 'a string', name);
  switch (kind) {
    case 'numeric':
    case 'boolean': {
      const o = record(v, field, ['name', 'kind', 'fill', 'indicator']);
      return { name: name as string, kind, fill: f32(o.fill, `${field}.fill`), indicator: bool(o.indicator, `${field}.indicator`) };
    }
    case 'date': {
      const o = record(v, field, ['name', 'kind', 'parts', 'fill', 'indicator']);
      const parts = strings(o.parts, `${field}.parts`, DATE_PARTS.length, true);
      parts.forEach((p, i) => { if (!(DATE_PARTS as readonly string[]).includes(p)) fail(`${field}.parts[${i}]`, `one of ${DATE_PARTS.join(', ')}`, p); });
      if (!Array.isArray(o.fill) || o.fill.length !== parts.length) fail(`${field}.fill`, `${parts.length} numbers (one per part)`, o.fill);
      const fill = (o.fill as unknown[]).map((x, i) => f32(x, `${field}.fill[${i}]`));
      return { name: name as string, kind, parts: parts as DatePart[], fill, indicator: bool(o.indicator, `${field}.indicator`) };
    }
    case 'categorical': {
      const o = record(v, field, ['name', 'kind', 'levels', 'rare', 'missing']);
      const levels = strings(o.levels, `${field}.levels`, MAX_LEVELS, true);
      const rare = strings(o.rare, `${field}.rare`, MAX_LEVELS, true);
      if (rare.some((r) => levels.includes(r))) fail(`${field}.rare`, 'levels not among the kept ones', rare.find((r) => levels.includes(r)));
      return { name: name as string, kind, levels, rare, missing: bool(o.missing, `${field}.missing`) };
    }
    case 'text':
    case 'identifier':
    case 'empty':
      record(v, field, ['name', 'kind']);
      return { name: name as string, kind };
    default:
      return fail(`${field}.kind`, 'one of numeric, boolean, date, categorical, text, identifier, empty', kind);
  }
}

/** A saved preprocessor (`field` names it in messages, e.g. 'model.preprocess'). @throws DataError naming the field. */
export function parsePreprocessorJSON(v: unknown, field: string): PreprocessorJSON {
  const o = record(v, field, ['na', 'columns']);
  const na = strings(o.na, `${field}.na`, 256, false);
  if (!Array.isArray(o.columns) || o.columns.length === 0 || o.columns.length > MAX_COLUMNS) fail(`${field}.columns`, `an array of 1 to ${MAX_COLUMNS} column encodings`, o.columns);
  const columns = (o.columns as unknown[]).map((c, i) => encoding(c, `${field}.columns[${i}]`));
  const names = new Set<string>();
  columns.forEach((c, i) => {
    if (names.has(c.name)) fail(`${field}.columns[${i}].name`, 'a name no other column has', c.name);
    names.add(c.name);
  });
  return { na, columns };
}

/** What a network says about the inputs encoders must give it. */
export interface EncodedInputs {
  inputs: number;
  featureNames: readonly string[] | null;
  targetName: string | null;
}

/**
 * A network's encoders, checked in full and against the network they feed:
 * one feature per input, named as its feature names when it has them, and no
 * encoder of the target's column. The core keeps a network's `preprocess`
 * without looking inside; this is where a hand-edited one is refused.
 * @throws DataError naming the field.
 */
export function checkPreprocess(v: unknown, net: EncodedInputs, field: string): PreprocessorJSON {
  const json = parsePreprocessorJSON(v, field);
  const features = json.columns.flatMap(encodedFeatures);
  if (features.length !== net.inputs) fail(field, `encoders giving ${net.inputs} features (the network's inputs)`, `${features.length} features`);
  const names = net.featureNames;
  if (names !== null && features.some((f, i) => f !== names[i])) fail(field, "encoders giving the network's feature names, in order", `features ${JSON.stringify(features.slice(0, 4))}…`);
  const target = net.targetName;
  if (target !== null && json.columns.some((c) => c.name === target)) fail(field, "encoders of columns other than the target's", JSON.stringify(target));
  return json;
}
