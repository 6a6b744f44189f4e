/**
 * The training pipeline's parts: train, validation and test rows, encoded.
 * For a dataset read from a table (simdnet/csv), the column kinds and
 * encoders are fitted on the training part only and applied to the other
 * two — by the dataset itself (its `encodeParts`), so that the core carries
 * none of the table code. Data that cannot be split as asked is not refused
 * when something sensible can be done: a class too small to appear in every
 * part is left out (with a warning), and a handful of rows trains on all of
 * them (with a warning).
 */

import { apportion } from '../data/apportion.js';
import { subset, type Dataset } from '../data/dataset.js';
import { splitRows } from '../data/split.js';
import { DataError } from '../errors.js';
import type { Network } from '../network/network.js';
import type { ColumnSchema } from '../table/column-schema.js';

/** Three row sets, as indices of a dataset's rows: train, validation, test. */
export type PartRows = readonly [Uint32Array, Uint32Array, Uint32Array];

/** What a dataset that encodes itself gives for its parts. */
export interface EncodedParts<M> {
  /** The parts, encoded by encoders fitted on the first (training) rows only. */
  parts: [Dataset, Dataset, Dataset];
  /** What each column became, on the training rows. */
  schema: ColumnSchema[];
  /** The trained network with those encoders: a model that takes raw records. */
  modelOf(network: Network): M;
}

/**
 * A dataset that fits its own encoders on the training part, so that no
 * statistic of the validation or test rows leaks into training (simdnet/csv's
 * datasets are; see model/table-dataset.ts). `x` holds every row encoded by
 * encoders fitted on all of them, for looking at; trainModel uses the parts.
 * `M` is the model trainModel returns beside the network.
 */
export interface EncodingDataset<M> extends Dataset {
  /** Encoders fitted on `rows[0]`, applied to each part. */
  readonly encodeParts: (rows: PartRows) => EncodedParts<M>;
  /** The dataset's rows `rows` only, with the classes and class indices (or targets) given. */
  readonly keepRows: (rows: Uint32Array, classes: string[] | null, y: Float32Array) => EncodingDataset<M>;
}

/** The parts, encoded, and what was done to get them. */
export interface Parts {
  train: Dataset;
  validation: Dataset;
  test: Dataset;
  /** What each column became, on the training part (a table dataset); null otherwise. */
  schema: ColumnSchema[] | null;
  /** The trained network as a model that takes raw records (a table dataset); null otherwise. */
  modelOf: ((network: Network) => unknown) | null;
  /** Classes left out for having too few rows to split, with their row counts. */
  droppedClasses: Array<{ label: string; rows: number }>;
  /** Things the pipeline did differently from what was asked, in words. */
  warnings: string[];
}

export function isEncodingDataset(ds: Dataset): ds is EncodingDataset<unknown> {
  const hooks = ds as Partial<EncodingDataset<unknown>>;
  return typeof hooks.encodeParts === 'function' && typeof hooks.keepRows === 'function';
}

/**
 * Splits and encodes.
 * @param fractions - [train, validation, test].
 */
export function makeParts(data: Dataset, fractions: readonly [number, number, number], stratify: boolean, seed: number, regression: boolean): Parts {
  const { ds, rows, droppedClasses, warnings } = splitParts(data, fractions, stratify, seed, regression);
  if (!isEncodingDataset(ds)) {
    const [train, validation, test] = rows.map((r) => subset(ds, r)) as [Dataset, Dataset, Dataset];
    return { train, validation, test, schema: null, modelOf: null, droppedClasses, warnings };
  }
  const encoded = ds.encodeParts(rows);
  const [train, validation, test] = encoded.parts;
  return { train, validation, test, schema: encoded.schema, modelOf: encoded.modelOf, droppedClasses, warnings };
}

/**
 * The rows of each part, before anything is encoded: classes too small to
 * split left out (the dataset `ds` returned is then without them), a
 * handful of rows kept whole.
 */
export function splitParts(
  data: Dataset, fractions: readonly [number, number, number], stratify: boolean, seed: number, regression: boolean,
): { ds: Dataset; rows: PartRows; droppedClasses: Parts['droppedClasses']; warnings: string[] } {
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
  }, 'data', !isEncodingDataset(ds));
  return { ds, rows, droppedClasses, warnings };
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
    throw new DataError(`data.y: expected at least 2 classes with enough rows for a stratified split (of the target '${ds.targetName}'), got ${left.length} (${small.map((k) => `'${classes[k]}' has ${counts[k]}`).join(', ')}); pass stratify: false or change the split`);
  }
  const index = new Map(left.map((k, i) => [k, i]));
  const keep = Uint32Array.from({ length: ds.rows }, (_, i) => i).filter((i) => index.has(ds.y[i]!));
  const kept = left.map((k) => classes[k]!);
  const y = Float32Array.from(keep, (i) => index.get(ds.y[i]!)!);
  const next: Dataset = isEncodingDataset(ds) ? ds.keepRows(keep, kept, y) : { ...subset(ds, keep), y, classes: kept };
  return { ds: next, droppedClasses: small.map((k) => ({ label: classes[k]!, rows: counts[k]! })) };
}
