/**
 * The in-memory table every part of the library trains and evaluates on:
 * row-major f32 features plus one target per row.
 */

import { DataError, ShapeError, ValueError } from '../errors.js';
import { checkDistinctStrings, checkFinite, checkInteger, checkLabels, checkLength, float32Values, formatValue } from './validate.js';
import { guardRead, lookupName, readOptions } from '../options.js';
import { describe } from '../validate.js';

/** What the target is: one 0/1 output, one of k > 2 classes, or a real value. */
export type Task = 'binary' | 'multiclass' | 'regression';

/**
 * A table of examples. Build one with {@link makeDataset} or parseCsv (which
 * check it); code that receives a Dataset may assume these invariants hold.
 */
export interface Dataset {
  /** Features, row-major: `rows × features` values, all finite. */
  readonly x: Float32Array;
  /** Number of examples. */
  readonly rows: number;
  /** Number of feature columns. */
  readonly features: number;
  /** One name per feature column. */
  readonly featureNames: string[];
  /** Name of the target column. */
  readonly targetName: string;
  /** Binary and multiclass targets are class indices; regression targets are values. */
  readonly task: Task;
  /**
   * Class labels, `classes[i]` being the original label of class index `i`
   * (sorted: numerically when every label is a number). `null` for regression.
   */
  readonly classes: string[] | null;
  /** One target per row: the class index (0..k−1) for classification, the value for regression. */
  readonly y: Float32Array;
  /** Rows dropped as invalid while building this dataset (parseCsv with `dropInvalid`); 0 otherwise. */
  readonly dropped: number;
}

/** Options of {@link makeDataset}. */
export interface MakeDatasetOptions {
  /** Number of rows; needed only when `x` is flat, and then defaults to `y.length`. */
  rows?: number;
  /** Expected number of features; checked against `x` when given. */
  features?: number;
  /**
   * The task. Default `'auto'`: classification when `classes` is given or when
   * every `y` is an integer in 0..19 (k = largest + 1 classes, binary for 2),
   * else regression. Pass the task explicitly when in doubt.
   */
  task?: Task | 'auto';
  /** Number of classes, or their labels (index i = label i). Default: the largest label + 1. */
  classes?: number | readonly string[];
  /** Feature names; default `x0, x1, …`. */
  featureNames?: readonly string[];
  /** Target name; default `'target'`. */
  targetName?: string;
}

/** The most distinct integer targets that task 'auto' still reads as class labels (shared with parseCsv). */
export const AUTO_MAX_CLASSES = 20;

function isNested(x: ReadonlyArray<ArrayLike<number>> | ArrayLike<number>): x is ReadonlyArray<ArrayLike<number>> {
  return x.length > 0 && typeof x[0] === 'object' && x[0] !== null;
}

/**
 * Builds a {@link Dataset} from plain arrays, copying them (later changes to
 * the caller's arrays do not reach the dataset) and checking everything a
 * network relies on.
 *
 * @param x - one array per row (`number[][]`), or a flat row-major array with `options.rows` rows.
 * @param y - one target per row: class indices for classification, values for regression.
 * @throws DataError when there are no rows;
 *   ShapeError for ragged rows, zero features, or x/y row counts that differ;
 *   ValueError for NaN/±Infinity (with the count and the first row and column),
 *   labels that are negative, not integers or ≥ the number of classes, and bad options.
 */
export function makeDataset(
  x: ReadonlyArray<ArrayLike<number>> | ArrayLike<number>,
  y: ArrayLike<number>,
  options: MakeDatasetOptions = {},
): Dataset {
  const o = readOptions(options, 'options', ['rows', 'features', 'task', 'classes', 'featureNames', 'targetName']) as MakeDatasetOptions;
  for (const [name, v] of [['x', x], ['y', y]] as const) {
    guardRead(name, () => {
      if (v === null || typeof v !== 'object' || typeof (v as ArrayLike<unknown>).length !== 'number') {
        throw new ShapeError(`${name}: expected an array (or typed array), got ${describe(v)}`);
      }
    });
  }
  if (o.rows !== undefined) checkInteger('options.rows', o.rows, 1);
  if (o.features !== undefined) checkInteger('options.features', o.features, 1);
  // y is read once, here, so that an error reading it names y
  const targets = guardRead('y', () => float32Values(y, 'y'));
  return guardRead('x', () => build(x, targets, o));
}

function build(x: ReadonlyArray<ArrayLike<number>> | ArrayLike<number>, targets: Float32Array, options: MakeDatasetOptions): Dataset {
  const y = targets;
  let rows: number;
  let features: number;
  let flat: Float32Array;
  if (x.length === 0) throw new DataError('x: expected at least one row, got an empty dataset (0 rows)');
  if (isNested(x)) {
    rows = x.length;
    features = (x[0] as ArrayLike<number>).length;
    if (options.rows !== undefined && options.rows !== rows) {
      throw new ShapeError(`x: expected ${options.rows} rows (options.rows), got ${rows}`);
    }
    if (options.features !== undefined && options.features !== features) {
      throw new ShapeError(`x: expected ${options.features} columns per row (options.features), got ${features} at row 0`);
    }
    flat = new Float32Array(rows * features);
    for (let r = 0; r < rows; r++) {
      const row = x[r] as ArrayLike<number> | null | undefined;
      if (row === null || row === undefined || typeof row !== 'object' || row.length !== features) {
        const found = row === null || row === undefined || typeof row !== 'object' ? String(row) : `${row.length}`;
        throw new ShapeError(`x: expected ${features} columns per row (as row 0 has), got ${found} at row ${r}`);
      }
      for (let c = 0; c < features; c++) {
        const v: unknown = row[c];
        if (typeof v !== 'number') throw new ValueError(`x: expected a number at row ${r}, column ${c}, got ${describe(v)}`);
        flat[r * features + c] = v;
      }
    }
  } else {
    if (options.rows !== undefined) {
      rows = options.rows;
    } else {
      rows = y.length;
      if (rows === 0) {
        throw new ShapeError(`y: expected one target per row of x (${x.length} values), got 0 targets`);
      }
    }
    if (options.features !== undefined) {
      checkLength('x', x, rows * options.features, `rows × features = ${rows} × ${options.features}`);
      features = options.features;
    } else {
      if (x.length % rows !== 0) {
        const why = options.rows === undefined ? ' (one row per value of y)' : '';
        throw new ShapeError(`x: expected rows × features values with rows = ${rows}${why}, i.e. a multiple of ${rows}, got ${x.length}`);
      }
      features = x.length / rows;
    }
    flat = float32Values(x, 'x');
  }
  if (features === 0) throw new ShapeError(`x: expected at least one feature per row, got 0 columns`);
  if (y.length !== rows) {
    throw new ShapeError(`y: expected ${rows} values (one per row of x), got ${y.length}`);
  }
  // Checked after the f32 conversion so a finite double beyond the f32 range
  // (which becomes ±Infinity) is caught too.
  checkFinite('x', flat, features);

  checkFinite('y', targets, 1);
  const { task, classes } = resolveTask(targets, options);
  if (classes !== null) checkLabels('y', targets, classes.length);

  // undefined is the default; anything else given must be an array ('ab' would spread into two names)
  if (options.featureNames !== undefined && !Array.isArray(options.featureNames)) {
    throw new ValueError(`options.featureNames: expected an array of ${features} names, got ${describe(options.featureNames)}`);
  }
  const featureNames = options.featureNames !== undefined ? Array.from(options.featureNames) : Array.from({ length: features }, (_, i) => `x${i}`);
  if (featureNames.length !== features) {
    throw new ShapeError(`options.featureNames: expected ${features} names (one per feature), got ${featureNames.length}`);
  }
  checkDistinctStrings(featureNames, 'options.featureNames');
  const targetName = options.targetName === undefined ? 'target' : options.targetName;
  if (typeof targetName !== 'string') throw new ValueError(`options.targetName: expected a string, got ${describe(targetName)}`);
  if (featureNames.includes(targetName)) {
    throw new ValueError(`options.targetName: expected a name that is not also a feature's, got ${JSON.stringify(targetName)}; name the features with options.featureNames`);
  }
  return {
    x: flat,
    rows,
    features,
    featureNames,
    targetName,
    task,
    classes,
    y: targets,
    dropped: 0,
  };
}

function resolveTask(y: Float32Array, options: MakeDatasetOptions): { task: Task; classes: string[] | null } {
  const requested = options.task === undefined ? 'auto' : lookupName({ auto: 0, binary: 1, multiclass: 2, regression: 3 }, options.task, 'options.task');
  let classes: string[] | null = null;
  if (options.classes !== undefined) {
    if (typeof options.classes === 'number') {
      checkInteger('options.classes', options.classes, 2);
      classes = Array.from({ length: options.classes }, (_, i) => String(i));
    } else {
      if (!Array.isArray(options.classes)) throw new ValueError(`options.classes: expected a number of classes or an array of labels, got ${describe(options.classes)}`);
      if (options.classes.length < 2) {
        throw new ValueError(`options.classes: expected at least 2 class labels, got ${options.classes.length}`);
      }
      classes = [...options.classes];
      checkDistinctStrings(classes, 'options.classes');
    }
  }
  if (requested === 'regression') {
    if (classes !== null) {
      throw new ValueError(`options.classes: expected none for task 'regression', got ${classes.length} classes`);
    }
    return { task: 'regression', classes: null };
  }
  if (requested === 'auto' && classes === null && !looksLikeClassIndices(y)) {
    return { task: 'regression', classes: null };
  }
  if (classes === null) {
    if (requested === 'binary') {
      classes = ['0', '1'];
    } else {
      let max = 0;
      for (let i = 0; i < y.length; i++) if ((y[i] as number) > max) max = y[i] as number;
      // Non-integer labels are reported by checkLabels; here only the count matters.
      const k = Math.max(2, Math.floor(max) + 1);
      classes = Array.from({ length: k }, (_, i) => String(i));
    }
  }
  if (requested === 'binary' && classes.length !== 2) {
    throw new ValueError(`options.classes: task 'binary' expects exactly 2 classes, got ${classes.length}`);
  }
  return { task: classes.length === 2 && requested !== 'multiclass' ? 'binary' : 'multiclass', classes };
}

/**
 * The 'auto' rule for targets that are already indices: integers in
 * [0, AUTO_MAX_CLASSES). Bounding the values (not just their count) keeps
 * targets such as years from becoming thousands of mostly empty classes.
 */
function looksLikeClassIndices(y: Float32Array): boolean {
  for (let i = 0; i < y.length; i++) {
    const v = y[i] as number;
    if (!(Number.isInteger(v) && v >= 0 && v < AUTO_MAX_CLASSES)) return false;
  }
  return true;
}

/**
 * One-hot encodes class indices: row r of the result (`labels.length × classes`,
 * row-major) is 1 at column `labels[r]` and 0 elsewhere.
 *
 * @throws ValueError when `classes` is not an integer ≥ 1 or a label is not an
 *   integer in [0, classes).
 */
export function oneHot(labels: Float32Array, classes: number): Float32Array {
  checkInteger('classes', classes, 1);
  checkLabels('labels', labels, classes);
  const out = new Float32Array(labels.length * classes);
  for (let r = 0; r < labels.length; r++) out[r * classes + (labels[r] as number)] = 1;
  return out;
}

/**
 * The rows of `ds` at `indices`, in that order, as a new dataset with copied
 * arrays (repeats are allowed, e.g. for a bootstrap sample). Class labels and
 * names are kept; `dropped` is 0 because a subset drops nothing.
 *
 * @throws ValueError when an index is not an integer in [0, ds.rows).
 */
export function subset(ds: Dataset, indices: Uint32Array | readonly number[]): Dataset {
  const n = indices.length;
  const f = ds.features;
  for (let i = 0; i < n; i++) {
    const r = indices[i] as number;
    if (!(Number.isInteger(r) && r >= 0 && r < ds.rows)) {
      throw new ValueError(`indices: expected row indices 0..${ds.rows - 1}, got ${formatValue(r)} at position ${i}`);
    }
  }
  const x = new Float32Array(n * f);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const r = indices[i] as number;
    x.set(ds.x.subarray(r * f, r * f + f), i * f);
    y[i] = ds.y[r] as number;
  }
  return {
    x,
    rows: n,
    features: f,
    featureNames: [...ds.featureNames],
    targetName: ds.targetName,
    task: ds.task,
    classes: ds.classes === null ? null : [...ds.classes],
    y,
    dropped: 0,
  };
}

/**
 * Rows per class of a classification dataset: `counts[i]` rows have class index i.
 *
 * @throws ValueError for a regression dataset or a label outside [0, classes).
 */
export function classCounts(ds: Dataset): number[] {
  if (ds.classes === null) {
    throw new ValueError(`ds: expected a classification dataset, got task '${ds.task}'`);
  }
  const k = ds.classes.length;
  checkLabels('ds.y', ds.y, k);
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < ds.rows; i++) {
    const c = ds.y[i] as number;
    counts[c] = (counts[c] as number) + 1;
  }
  return counts;
}
