/**
 * Raw table → numeric features: the column kinds and encoders fitted on the
 * training rows, applied to any rows with the same columns. Saved with the
 * model, so the model takes raw rows: a file to predict, or a user's records.
 */

import { DataError, ValueError } from 'simdnet';
import { DEFAULT_NA, type RawColumn, type RawTable } from './column.js';
import { encodeColumn, featureNames, fitEncoding, type ColumnEncoding, type EncodeCounts } from './encoders.js';
import type { PreprocessorJSON } from '../io/preprocess-json.js';
import type { ColumnSchema } from './column-schema.js';
import { inferKind, profile, type ColumnKind, type ColumnProfile } from './kinds.js';
import { describeColumn } from './schema.js';
import { quoteList } from './csv-message.js';

export type { PreprocessorJSON } from '../io/preprocess-json.js';
export type { ColumnSchema } from './column-schema.js';

/** Options of {@link fitPreprocessor}. */
export interface PreprocessOptions {
  /** Columns to use as features (default: every column but the target and the ignored ones). */
  features?: readonly string[];
  /** Columns to leave out. */
  ignore?: readonly string[];
  /** Columns to read as categories even when they hold numbers. */
  categorical?: readonly string[];
  /** Most categories one-hot encoded per column (default 32); the rest share "(other)". */
  maxCategories?: number;
  /** Cells that mean "missing" (default: empty, NA, N/A, null, NaN, ?, ., -; compared case-insensitively). */
  na?: readonly string[];
}

/** What encoding some rows counted. */
export interface EncodeReport {
  /** Per column: cells whose category was never seen in training (encoded as "(other)"). */
  unseen: Record<string, number>;
}

export class Preprocessor {
  readonly na: readonly string[];
  readonly columns: readonly ColumnEncoding[];
  /** Feature names, in the order the network takes them. */
  readonly features: readonly string[];

  constructor(json: PreprocessorJSON) {
    this.na = json.na.slice();
    this.columns = json.columns.map((c) => structuredClone(c));
    this.features = this.columns.flatMap(featureNames);
  }

  /** The raw columns the model reads (the ones left out included, so a file is matched in full). */
  get columnNames(): string[] {
    return this.columns.map((c) => c.name);
  }

  /**
   * Encodes every row of `table` (columns matched by name; others ignored),
   * or the rows `rows` lists, in its order, into a row-major Float32Array of
   * rows × features.
   * @throws DataError naming a column the model needs that the table lacks.
   */
  transform(table: RawTable, source = 'data', rows?: ArrayLike<number>): { x: Float32Array; report: EncodeReport } {
    const missing = this.columns.filter((e) => featureNames(e).length > 0 && !table.names.includes(e.name)).map((e) => e.name);
    if (missing.length > 0) {
      throw new DataError(
        `${source}: missing feature column${missing.length > 1 ? 's' : ''} ${quoteList(missing)} of the model ` +
          `(it reads ${quoteList(this.columns.filter((e) => featureNames(e).length > 0).map((e) => e.name))}; the file has ${quoteList(table.names)})`,
      );
    }
    const stride = this.features.length;
    const n = rows === undefined ? table.rows : rows.length;
    const x = new Float32Array(n * stride);
    const report: EncodeReport = { unseen: {} };
    let offset = 0;
    for (const e of this.columns) {
      const width = featureNames(e).length;
      if (width === 0) continue;
      const c = table.names.indexOf(e.name);
      const counts: EncodeCounts = { unseen: 0 };
      try {
        encodeColumn(e, table.columns[c]!, rows ?? table.rows, x, stride, offset, counts);
      } catch (err) {
        if (err instanceof DataError) throw new DataError(`${source}: ${err.message}`, { cause: err });
        throw err;
      }
      if (counts.unseen > 0) report.unseen[e.name] = counts.unseen;
      offset += width;
    }
    return { x, report };
  }

  toJSON(): PreprocessorJSON {
    return { na: this.na.slice(), columns: this.columns.map((c) => structuredClone(c)) };
  }
}

/**
 * Infers every column's kind and fits its encoding on the training rows.
 * @param target - the target column's name (never a feature).
 * @param trainRows - the training rows' indices, ascending.
 */
export function fitPreprocessor(
  table: RawTable, target: string, trainRows: ArrayLike<number>, options: PreprocessOptions = {},
): { preprocessor: Preprocessor; schema: ColumnSchema[] } {
  const known = new Set(table.names);
  for (const [option, list] of [['features', options.features], ['ignore', options.ignore], ['categorical', options.categorical]] as const) {
    for (const name of list ?? []) {
      if (!known.has(name)) throw new ValueError(`${option}: expected column names from the table, got '${name}' (columns: ${table.names.slice(0, 12).map((n) => `'${n}'`).join(', ')})`);
      if (name === target) throw new ValueError(`${option}: '${name}' is the target column`);
    }
  }
  const chosen = options.features ? new Set(options.features) : null;
  const ignored = new Set(options.ignore ?? []);
  const categorical = new Set(options.categorical ?? []);
  const columns: ColumnEncoding[] = [];
  const schema: ColumnSchema[] = [];
  table.columns.forEach((col: RawColumn, i) => {
    const name = table.names[i]!;
    if (name === target || (chosen && !chosen.has(name)) || ignored.has(name)) return;
    const p: ColumnProfile = profile(col, trainRows);
    const kind = inferKind(col, trainRows, p, { categorical: categorical.has(name), maxCategories: options.maxCategories });
    const e = fitEncoding(col, trainRows, kind, { maxCategories: options.maxCategories });
    columns.push(e);
    schema.push({ name, kind, missing: p.rows === 0 ? 0 : p.missing / p.rows, detail: describeColumn(e, col, trainRows, p), features: featureNames(e) });
  });
  const preprocessor = new Preprocessor({ na: [...(options.na ?? DEFAULT_NA)], columns });
  if (preprocessor.features.length === 0) {
    const others = table.names.length - 1;
    const by = [chosen && 'options.features', ignored.size > 0 && 'options.ignore'].filter(Boolean).join(' and ');
    const why = schema.length > 0 ? schema.map((s) => `'${s.name}' is ${s.kind}`).join(', ')
      : others > 0 ? `the ${others} column${others === 1 ? '' : 's'} besides the target ${others === 1 ? 'is' : 'are'} left out by ${by}`
      : 'the table has only its target';
    throw new DataError(`no usable feature columns: ${why}`);
  }
  return { preprocessor, schema };
}
