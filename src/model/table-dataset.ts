/**
 * A raw table → a Dataset: the target read (rows without one left out and
 * counted), every other column's kind inferred and encoded. The Dataset
 * keeps the raw table, so the training pipeline can fit the encoders again
 * on its training part only.
 */

import { DataError, ValueError, type Dataset, type EncodedParts, type EncodingDataset, type PartRows, type Task } from 'simdnet';
import { quoteCell, quoteList } from '../table/csv-message.js';
import { MISSING, selectRows, type RawTable } from '../table/column.js';
import { fitPreprocessor, type ColumnSchema, type PreprocessOptions, type Preprocessor } from '../table/preprocessor.js';
import { Model } from './model.js';
import { readTarget } from '../table/target.js';

/** A Dataset read from a table as people have it. */
export interface TableDataset extends EncodingDataset<Model> {
  /** Per column: its kind, share of missing cells, categories or range, the features it gives. */
  readonly schema: ColumnSchema[];
  /** The raw table (rows with a target only), for fitting the encoders on a training part. */
  readonly table: RawTable;
  /** The encoders fitted on every row here, which turned `table` into `x`. */
  readonly preprocessor: Preprocessor;
  /** Rows left out because their target cell was missing. */
  readonly missingTarget: number;
  /** How the table was read (features, ignored and categorical columns, missing-value tokens): the training pipeline fits its encoders the same way. */
  readonly preprocessOptions: PreprocessOptions;
}

/** Options of {@link datasetFromTable}. */
export interface TableDatasetOptions extends PreprocessOptions {
  /** Names the input in messages. */
  source: string;
  /** The target column: name or 0-based index (default: the last column). */
  target?: string | number;
  /** The feature columns by name or 0-based index (default: every other column, minus `ignore`). */
  columns?: ReadonlyArray<string | number>;
  task?: 'auto' | Task;
  /** Leave out rows with a missing feature cell instead of imputing it. */
  dropInvalid?: boolean;
}

export function datasetFromTable(table: RawTable, o: TableDatasetOptions, lines?: ArrayLike<number>, dropped = 0): TableDataset {
  const t = o.target === undefined ? table.names.length - 1 : resolveColumn(table.names, o.target, o.source, 'options.target');
  const targetName = table.names[t]!;
  let features: string[] | undefined;
  if (o.columns !== undefined) {
    if (!Array.isArray(o.columns) || o.columns.length === 0) {
      throw new ValueError(`options.features: expected a non-empty array of column names or indices, got ${String(o.columns)}`);
    }
    features = o.columns.map((f, i) => {
      const c = resolveColumn(table.names, f, o.source, `options.features[${i}]`);
      if (c === t) throw new ValueError(`options.features[${i}]: ${quoteCell(table.names[c]!)} is the target column; a feature must be another column`);
      return table.names[c]!;
    });
    const twice = features.find((f, i) => features!.indexOf(f) !== i);
    if (twice !== undefined) throw new ValueError(`options.features: column ${quoteCell(twice)} is listed twice`);
  }
  // names that match no column, or the target, would be ignored: refused here with the option's name
  for (const [option, names] of [['ignore', o.ignore], ['categorical', o.categorical]] as const) {
    names?.forEach((n, i) => {
      const c = table.names.indexOf(n);
      if (c < 0) throw new ValueError(`options.${option}[${i}]: expected a column name from the header of ${o.source} (${quoteList(table.names)}), got ${quoteCell(n)}`);
      if (c === t) throw new ValueError(`options.${option}[${i}]: ${quoteCell(n)} is the target column`);
      if (option === 'categorical' && features && !features.includes(n)) throw new ValueError(`options.categorical[${i}]: ${quoteCell(n)} is not one of options.features, so it is not read`);
      if (option === 'categorical' && o.ignore?.includes(n)) throw new ValueError(`options.categorical[${i}]: ${quoteCell(n)} is also in options.ignore, so it is not read`);
      if (option === 'ignore' && features?.includes(n)) throw new ValueError(`options.ignore[${i}]: ${quoteCell(n)} is also in options.features: a column is read or ignored, not both`);
    });
  }
  const target = readTarget(table.columns[t]!, o.task ?? 'auto', o.source, lines, o.dropInvalid);
  dropped += target.invalid;
  let rows = target.rows;
  let y = target.y;
  if (o.dropInvalid) {
    const used = table.columns.filter((c, i) => i !== t && (features ? features.includes(c.name) : !(o.ignore ?? []).includes(c.name)));
    const complete = Array.from(rows).map((r, i) => [r, i] as const).filter(([r]) => used.every((c) => !c.codes || c.codes[r] !== MISSING));
    dropped += rows.length - complete.length;
    rows = Uint32Array.from(complete, ([r]) => r);
    y = Float32Array.from(complete, ([, i]) => target.y[i]!);
  }
  if (rows.length === 0) {
    throw new DataError(`${o.source}: expected at least one valid data row, got none: all ${dropped + target.missing} rows were dropped (${dropped} invalid, with dropInvalid; ${target.missing} without a target)`);
  }
  const kept = selectRows(table, rows);
  const preprocessOptions: PreprocessOptions = { features, ignore: o.ignore, categorical: o.categorical, maxCategories: o.maxCategories, na: o.na };
  const { preprocessor, schema } = named(o.source, () => fitPreprocessor(kept, targetName, identity(kept.rows), preprocessOptions));
  return tableDataset({
    rows: kept.rows, features: preprocessor.features.length, featureNames: preprocessor.features.slice(), targetName,
    task: target.task, classes: target.classes, y, dropped, schema, table: kept, preprocessor, missingTarget: target.missing, preprocessOptions,
  }, o.source);
}

/** `f()`, with a DataError about the table as a whole ('no usable feature columns') saying which input it is about. */
function named<T>(source: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DataError && !e.message.startsWith(`${source}: `)) throw new DataError(`${source}: ${e.message}`, { cause: e });
    throw e;
  }
}

type TableFields = Omit<TableDataset, 'x' | 'encodeParts' | 'keepRows'>;

/**
 * The dataset, with what trainModel calls on it: fit the encoders on a
 * training part, keep some rows. Its `x` (every row, by the encoders fitted
 * on all of them) is encoded when first read: trainModel never reads it (it
 * encodes each part by encoders fitted on the training part), so a large
 * table is not held encoded twice.
 */
function tableDataset(fields: TableFields, source: string): TableDataset {
  const encodeParts = (rows: PartRows): EncodedParts<Model> => {
    // fitted and encoded through row indices: the training part's cells are never copied out of the table
    const { preprocessor, schema } = fitPreprocessor(fields.table, fields.targetName, rows[0], fields.preprocessOptions);
    const encode = (r: Uint32Array): Dataset => {
      const y = new Float32Array(r.length);
      for (let i = 0; i < r.length; i++) y[i] = fields.y[r[i]!]!;
      return {
        x: r.length === 0 ? new Float32Array(0) : preprocessor.transform(fields.table, 'data', r).x,
        rows: r.length, features: preprocessor.features.length, featureNames: preprocessor.features.slice(),
        targetName: fields.targetName, task: fields.task, classes: fields.classes, y, dropped: 0,
      };
    };
    return {
      parts: rows.map(encode) as [Dataset, Dataset, Dataset],
      schema,
      modelOf: (network) => {
        network.preprocess = preprocessor.toJSON();
        return new Model(network);
      },
    };
  };
  const keepRows = (rows: Uint32Array, classes: string[] | null, y: Float32Array): TableDataset =>
    tableDataset({ ...fields, rows: rows.length, y, classes, table: selectRows(fields.table, rows) }, source);
  let x: Float32Array | null = null;
  const ds = { ...fields, encodeParts, keepRows } as TableFields & Pick<TableDataset, 'encodeParts' | 'keepRows'>;
  Object.defineProperty(ds, 'x', {
    enumerable: true,
    get: () => (x ??= fields.preprocessor.transform(fields.table, source).x),
  });
  return ds as TableDataset;
}

/** 0, 1, …, n − 1. */
function identity(n: number): Uint32Array {
  const all = new Uint32Array(n);
  for (let i = 0; i < n; i++) all[i] = i;
  return all;
}

export function resolveColumn(header: readonly string[], column: string | number, source: string, name: string): number {
  if (typeof column === 'number') {
    if (!Number.isInteger(column) || column < 0 || column >= header.length) {
      throw new ValueError(`${name}: expected a column index 0..${header.length - 1}, got ${String(column)}`);
    }
    return column;
  }
  const at = header.indexOf(column);
  if (at < 0) throw new ValueError(`${name}: expected a column name from the header of ${source} (${quoteList(header)}), got ${quoteCell(String(column))}`);
  return at;
}

