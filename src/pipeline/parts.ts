/**
 * The training pipeline's parts: train, validation and test rows, encoded.
 * For a dataset read from a table, the column kinds and encoders are fitted
 * on the training part only and applied to the other two. Data that cannot
 * be split as asked is not refused when something sensible can be done: a
 * class too small to appear in every part is left out (with a warning), and
 * a handful of rows trains on all of them (with a warning).
 */

import { apportion } from '../data/apportion.js';
import { subset, type Dataset } from '../data/dataset.js';
import { splitRows } from '../data/split.js';
import { DataError } from '../errors.js';
import { selectRows } from '../table/column.js';
import { fitPreprocessor, type ColumnSchema, type Preprocessor } from '../table/preprocessor.js';
import type { TableDataset } from '../table/table-dataset.js';

/** The parts, encoded, and what was done to get them. */
export interface Parts {
  train: Dataset;
  validation: Dataset;
  test: Dataset;
  /** The encoders fitted on the training part (a dataset read from a table); null otherwise. */
  preprocessor: Preprocessor | null;
  /** What each column became, on the training part (a table dataset); null otherwise. */
  schema: ColumnSchema[] | null;
  /** Classes left out for having too few rows to split, with their row counts. */
  droppedClasses: Array<{ label: string; rows: number }>;
  /** Things the pipeline did differently from what was asked, in words. */
  warnings: string[];
}

export function isTableDataset(ds: Dataset): ds is TableDataset {
  return 'table' in ds && 'preprocessOptions' in ds && (ds as TableDataset).table !== undefined;
}

/**
 * Splits and encodes.
 * @param fractions - [train, validation, test].
 */
export function makeParts(data: Dataset, fractions: readonly [number, number, number], stratify: boolean, seed: number, regression: boolean): Parts {
  const warnings: string[] = [];
  let ds = data;
  let droppedClasses: Parts['droppedClasses'] = [];
  let f = fractions;
  const [, v, t] = fractions;
  // Too few rows to give every non-empty part one: train on all of them.
  const needed = apportion([ds.rows], f);
  if (!needed.ok && (v > 0 || t > 0)) {
    warnings.push(`${ds.rows} rows are too few for a train/validation/test split of ${f.join('/')} (it needs at least ${needed.needed}): trained on all of them, with no validation or test part, so no held-out metrics`);
    f = [1, 0, 0];
  } else if (ds.classes !== null && stratify) {
    ({ ds, droppedClasses } = dropSmallClasses(ds, f));
    for (const c of droppedClasses) {
      warnings.push(`class '${c.label}' has ${c.rows} row${c.rows === 1 ? '' : 's'}, too few to appear in every part of a stratified split: left out (trained on the other classes)`);
    }
  }
  const rows = splitRows(ds, {
    train: f[0], validation: f[1], test: f[2], seed,
    stratify: stratify && f[0] !== 1,
    // (a class-labelled dataset trained as regression is stratified by class)
    quantileBins: regression && stratify && f[0] !== 1 && ds.classes === null ? 10 : 0,
  }, 'data');
  if (!isTableDataset(ds)) {
    const [train, validation, test] = rows.map((r) => subset(ds, r)) as [Dataset, Dataset, Dataset];
    return { train, validation, test, preprocessor: null, schema: null, droppedClasses, warnings };
  }
  const table = ds.table;
  const trainTable = selectRows(table, rows[0]);
  const all = Uint32Array.from({ length: trainTable.rows }, (_, i) => i);
  const { preprocessor, schema } = fitPreprocessor(trainTable, ds.targetName, all, ds.preprocessOptions);
  const encode = (r: Uint32Array): Dataset => {
    const part = r === rows[0] ? trainTable : selectRows(table, r);
    const x = r.length === 0 ? new Float32Array(0) : preprocessor.transform(part, 'data').x;
    return {
      x, rows: r.length, features: preprocessor.features.length, featureNames: preprocessor.features.slice(),
      targetName: ds.targetName, task: ds.task, classes: ds.classes, y: Float32Array.from(r, (i) => ds.y[i]!), dropped: 0,
    };
  };
  const [train, validation, test] = rows.map(encode) as [Dataset, Dataset, Dataset];
  return { train, validation, test, preprocessor, schema, droppedClasses, warnings };
}

/** The dataset without the classes too small for a stratified split of `fractions`, the rest re-indexed. */
function dropSmallClasses(ds: Dataset, fractions: readonly number[]): { ds: Dataset; droppedClasses: Parts['droppedClasses'] } {
  const classes = ds.classes!;
  const counts = new Array<number>(classes.length).fill(0);
  for (let i = 0; i < ds.rows; i++) counts[ds.y[i]!]!++;
  const small = counts.map((c, k) => (c > 0 && !apportion([c], fractions).ok ? k : -1)).filter((k) => k >= 0);
  if (small.length === 0) return { ds, droppedClasses: [] };
  const left = classes.map((_, k) => k).filter((k) => !small.includes(k) && counts[k]! > 0);
  if (left.length < 2) {
    throw new DataError(`target '${ds.targetName}': expected at least 2 classes with enough rows for a stratified split, got ${left.length} (${small.map((k) => `'${classes[k]}' has ${counts[k]}`).join(', ')}); pass stratify: false or change the split`);
  }
  const index = new Map(left.map((k, i) => [k, i]));
  const keep = Uint32Array.from({ length: ds.rows }, (_, i) => i).filter((i) => index.has(ds.y[i]!));
  const base = subset(ds, keep);
  const y = Float32Array.from(base.y, (k) => index.get(k)!);
  const next: Dataset = { ...base, y, classes: left.map((k) => classes[k]!) };
  const out = isTableDataset(ds) ? ({ ...next, table: selectRows(ds.table, keep), preprocessOptions: ds.preprocessOptions } as unknown as Dataset) : next;
  return { ds: out, droppedClasses: small.map((k) => ({ label: classes[k]!, rows: counts[k]! })) };
}
