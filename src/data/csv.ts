/**
 * CSV text → {@link Dataset}. Browser-safe: no file system here (see
 * load-csv.ts for reading a file in Node).
 */

import { CsvError, parse } from 'csv-parse/sync';
import { DataError, ValueError } from '../errors.js';
import { AUTO_MAX_CLASSES, type Dataset, type Task } from './dataset.js';
import { formatList } from './validate.js';

/** Options of {@link parseCsv}. */
export interface CsvOptions {
  /** The target column: its header name, or its 0-based index. Default: the last column. */
  target?: string | number;
  /**
   * Drop rows with a missing or non-numeric feature (or an unusable target)
   * instead of throwing; their number is reported in `dataset.dropped`. Default false.
   */
  dropInvalid?: boolean;
  /**
   * What the target is. Default `'auto'`: classification when the target holds
   * any non-numeric label, or only integers with at most 20 distinct values
   * (binary for 2 classes, multiclass for more); regression otherwise.
   */
  task?: 'auto' | Task;
  /** What to call the input in error messages (loadCsv passes the file path). Default `'text'`. */
  source?: string;
  /**
   * The feature columns, by name or 0-based index, in the order the network
   * takes them. Default: every column but the target. Other columns are ignored.
   */
  features?: ReadonlyArray<string | number>;
}

// Plain decimal notation only: Number() alone would also accept '', ' ',
// '0x1F', 'Infinity' and '1_000'-free oddities that are never meant as data.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The cell as a number, or null when it is not plain decimal notation. */
function decimal(cell: string): number | null {
  const s = cell.trim();
  return DECIMAL.test(s) ? Number(s) : null;
}

/** Why a cell cannot be a feature value, or null if it can. `value` is the parsed number. */
function featureProblem(cell: string, value: number | null): string | null {
  if (cell.trim() === '') return 'expected a number, got an empty cell (missing value)';
  if (value === null) return `expected a number, got '${cell}'`;
  // A finite double such as 1e39 becomes Infinity in the f32 table.
  if (!Number.isFinite(Math.fround(value))) return `expected a number within the float32 range (±3.4e38), got '${cell}'`;
  return null;
}

/**
 * Parses CSV text (comma-separated, one header row, then one example per row)
 * into a {@link Dataset}: every column but the target is a numeric feature.
 *
 * Class labels (strings or numbers) become indices 0..k−1 in sorted order —
 * numeric order when every label is a number, code-unit order otherwise — and
 * `dataset.classes[i]` gives the label back (a numeric label in its shortest
 * form: `1.0` becomes `'1'`).
 *
 * @throws DataError for an empty input, no data rows, a row with the wrong
 *   number of fields, a missing or non-numeric feature cell (naming the 1-based
 *   data row, its line and the column; unless `dropInvalid`), a missing target,
 *   or a target with fewer than 2 classes; ValueError for bad options.
 */
export function parseCsv(text: string, options: CsvOptions = {}): Dataset {
  const source = options.source ?? 'text';
  const task = options.task ?? 'auto';
  if (!['auto', 'binary', 'multiclass', 'regression'].includes(task)) {
    throw new ValueError(`options.task: expected 'auto', 'binary', 'multiclass' or 'regression', got '${String(task)}'`);
  }
  if (typeof text !== 'string') {
    throw new ValueError(`${source}: expected CSV text as a string, got ${typeof text}`);
  }

  const lines: number[] = [];
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      // Rows with the wrong number of fields are reported (or dropped) below,
      // with the row and line, like every other bad row.
      relax_column_count: true,
      on_record: (record: string[], context) => {
        lines.push(context.lines);
        return record;
      },
    });
  } catch (err) {
    if (err instanceof CsvError) throw new DataError(`${source}: invalid CSV: ${err.message}`, { cause: err });
    throw err;
  }

  const header = records[0];
  if (header === undefined) throw new DataError(`${source}: expected a header row, got no rows (empty input)`);
  const columns = header.length;
  if (columns < 2) {
    throw new DataError(`${source}: expected at least 2 columns (features and a target), got ${columns} (${formatList(header)})`);
  }
  if (records.length < 2) throw new DataError(`${source}: expected at least one data row after the header, got none`);

  const targetIndex = resolveTarget(header, options.target, source);
  const featureColumns: number[] = [];
  if (options.features === undefined) {
    for (let c = 0; c < columns; c++) if (c !== targetIndex) featureColumns.push(c);
  } else {
    if (!Array.isArray(options.features) || options.features.length === 0) {
      throw new ValueError(`options.features: expected a non-empty array of column names or indices, got ${String(options.features)}`);
    }
    options.features.forEach((f, i) => {
      const c = resolveColumn(header, f, source, `options.features[${i}]`);
      if (c === targetIndex) throw new ValueError(`options.features[${i}]: '${header[c]}' is the target column; a feature must be another column`);
      if (featureColumns.includes(c)) throw new ValueError(`options.features[${i}]: column '${header[c]}' is listed twice`);
      featureColumns.push(c);
    });
  }
  const features = featureColumns.length;
  const dataRows = records.length - 1;

  const dropInvalid = options.dropInvalid ?? false;
  let dropped = 0;
  let firstProblem = '';
  const reject = (row: number, problem: string): void => {
    const where = `row ${row} (line ${lines[row] ?? '?'}): ${problem}`;
    if (!dropInvalid) throw new DataError(`${source}: ${where}; pass dropInvalid: true to drop such rows`);
    if (dropped === 0) firstProblem = where;
    dropped++;
  };

  const x = new Float32Array(dataRows * features);
  const targetCells: string[] = [];
  const keptRows: number[] = [];
  rows: for (let row = 1; row <= dataRows; row++) {
    const record = records[row] as string[];
    if (record.length !== columns) {
      reject(row, `expected ${columns} fields (as in the header), got ${record.length}`);
      continue;
    }
    const base = keptRows.length * features;
    for (let j = 0; j < features; j++) {
      const c = featureColumns[j] as number;
      const cell = record[c] as string;
      const value = decimal(cell);
      const problem = featureProblem(cell, value);
      if (problem !== null) {
        reject(row, `column '${header[c]}': ${problem}`);
        continue rows;
      }
      x[base + j] = value as number;
    }
    const target = record[targetIndex] as string;
    if (target === '') {
      reject(row, `column '${header[targetIndex]}': expected a target value, got an empty cell (missing value)`);
      continue;
    }
    keptRows.push(row);
    targetCells.push(target);
  }

  const targetName = header[targetIndex] as string;
  const allDropped = (): DataError =>
    new DataError(`${source}: expected at least one valid data row, got none: all ${dataRows} rows were dropped; the first: ${firstProblem}`);
  if (keptRows.length === 0) throw allDropped();

  const labels = targetCells.map(decimal);
  const allNumeric = labels.every((v) => v !== null);
  const isClassification = task === 'auto' ? !allNumeric || isSmallIntegerSet(labels as number[]) : task !== 'regression';
  let keep = keptRows.map((_, i) => i);
  let y: Float32Array;
  let classes: string[] | null = null;
  let finalTask: Task;
  if (!isClassification) {
    // Only now is it known that targets must be numbers; a bad one makes a bad row like any other.
    keep = [];
    for (let i = 0; i < labels.length; i++) {
      const problem = featureProblem(targetCells[i] as string, labels[i] as number | null);
      if (problem !== null) reject(keptRows[i] as number, `column '${targetName}' (regression target): ${problem}`);
      else keep.push(i);
    }
    if (keep.length === 0) throw allDropped();
    y = Float32Array.from(keep, (i) => labels[i] as number);
    finalTask = 'regression';
  } else {
    const mapped = mapClasses(targetCells, labels, allNumeric);
    classes = mapped.classes;
    y = mapped.y;
    const k = classes.length;
    const found = `found ${k} (${formatList(classes)}) in column '${targetName}'`;
    if (k < 2) {
      throw new DataError(
        `${source}: expected at least 2 classes in the target, ${found}` +
          (allNumeric ? "; pass task: 'regression' for a numeric target" : ''),
      );
    }
    if (task === 'binary' && k !== 2) throw new DataError(`${source}: task 'binary' expects exactly 2 classes, ${found}`);
    finalTask = task === 'multiclass' || k > 2 ? 'multiclass' : 'binary';
  }

  const rowsOut = keep.length;
  const xOut = keep.length === keptRows.length ? x.slice(0, rowsOut * features) : gatherRows(x, features, keep);
  return {
    x: xOut,
    rows: rowsOut,
    features,
    featureNames: featureColumns.map((c) => header[c] as string),
    targetName,
    task: finalTask,
    classes,
    y,
    dropped,
  };
}

function resolveTarget(header: string[], target: string | number | undefined, source: string): number {
  if (target === undefined) return header.length - 1;
  return resolveColumn(header, target, source, 'options.target');
}

function resolveColumn(header: string[], column: string | number, source: string, name: string): number {
  if (typeof column === 'number') {
    if (!Number.isInteger(column) || column < 0 || column >= header.length) {
      throw new ValueError(`${name}: expected a column index 0..${header.length - 1}, got ${String(column)}`);
    }
    return column;
  }
  const matches = header.reduce((n, h) => (h === column ? n + 1 : n), 0);
  if (matches === 0) {
    throw new ValueError(`${name}: expected a column name from the header of ${source} (${formatList(header)}), got '${column}'`);
  }
  if (matches > 1) {
    throw new DataError(`${source}: the header names column '${column}' ${matches} times; pass ${name} as a column index`);
  }
  return header.indexOf(column);
}

/** The 'auto' rule for numeric targets: integers only, at most AUTO_MAX_CLASSES distinct values. */
function isSmallIntegerSet(values: readonly number[]): boolean {
  const seen = new Set<number>();
  for (const v of values) {
    if (!Number.isInteger(v)) return false;
    seen.add(v);
    if (seen.size > AUTO_MAX_CLASSES) return false;
  }
  return true;
}

/** Sorted distinct labels and each row's index among them. */
function mapClasses(cells: readonly string[], numbers: readonly (number | null)[], numeric: boolean): { classes: string[]; y: Float32Array } {
  const y = new Float32Array(cells.length);
  if (numeric) {
    // Keyed by value so that '1' and '1.0' are one class.
    const distinct = [...new Set(numbers as number[])].sort((a, b) => a - b);
    const index = new Map(distinct.map((v, i) => [v, i]));
    for (let i = 0; i < cells.length; i++) y[i] = index.get(numbers[i] as number) as number;
    return { classes: distinct.map(String), y };
  }
  // Code-unit order, not localeCompare: the class order must not depend on the user's locale.
  const distinct = [...new Set(cells)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(distinct.map((v, i) => [v, i]));
  for (let i = 0; i < cells.length; i++) y[i] = index.get(cells[i] as string) as number;
  return { classes: distinct, y };
}

function gatherRows(x: Float32Array, features: number, keep: readonly number[]): Float32Array {
  const out = new Float32Array(keep.length * features);
  keep.forEach((src, dst) => out.set(x.subarray(src * features, src * features + features), dst * features));
  return out;
}
