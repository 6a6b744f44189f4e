/**
 * A CSV file read for a saved model: its feature columns picked by the
 * model's feature names (or by count for a model without names), and its
 * class labels mapped to the model's class indices by label, so a file whose
 * classes are a subset or come in another order still means the same classes.
 */

import type { Network } from '../index.js';
import { quoteCell } from '../table/csv-message.js';
import { formatList } from '../data/validate.js';
import { taskOf } from '../evaluation/evaluate.js';
import type { Task } from '../data/dataset.js';
import { decimal } from './args.js';
import { resolveColumn, type Table } from './csv-table.js';
import { CliError } from './errors.js';

/** Rows ready for the model: raw (unscaled) features, and targets when the file has them. */
export interface ModelRows {
  /** Row-major, `rows × net.inputs`, in the model's feature order. */
  x: Float32Array;
  rows: number;
  /** Class indices of the model (classification) or values (regression); null without a target column or when not required. */
  y: Float32Array | null;
  /** Name of the target column used, or null. */
  target: string | null;
  /** Columns that are neither a feature of the model nor the target. */
  ignored: string[];
}

/** How to read the file. */
export interface ModelRowsOptions {
  /** `--target`: a column name or 0-based index. */
  target?: string;
  /** evaluate needs the target; predict takes files with or without it. */
  requireTarget: boolean;
}

/** The model's class labels (its own, or '0', '1', … when it has none), and its task. */
export function modelLabels(net: Network): { task: Task; labels: string[] | null } {
  const { task } = taskOf(net);
  if (task === 'regression') return { task, labels: null };
  const k = task === 'binary' ? 2 : net.outputs;
  return { task, labels: net.classes ?? Array.from({ length: k }, (_, i) => String(i)) };
}

/**
 * Picks and parses the columns of `table` that `net` needs.
 * @throws CliError naming the file, and the row, line and column of a bad cell,
 *   a label the model does not know (with the ones it knows), or the feature
 *   columns that are missing.
 */
export function rowsForModel(net: Network, table: Table, options: ModelRowsOptions): ModelRows {
  const { source, header } = table;
  const names = net.featureNames;
  let target = findTarget(net, table, options);
  let features: number[];
  if (names) {
    if (target !== null && names.includes(header[target]!)) {
      // (given with --target, the advice to pass --target would go in a circle)
      if (options.target !== undefined) throw new CliError(`--target: '${header[target]}' is a column the model reads as a feature`);
      throw new CliError(`${source}: the target column '${header[target]}' is one of the model's features; pass --target to name the target column`);
    }
    const missing = names.filter((n) => !header.includes(n));
    if (missing.length > 0) {
      throw new CliError(
        `${source}: missing feature column${missing.length > 1 ? 's' : ''} ${formatList(missing)} of the model ` +
          `(it was trained on ${formatList(names)}; the file has ${formatList(header)})`,
      );
    }
    features = names.map((n) => {
      const count = header.filter((h) => h === n).length;
      if (count > 1) throw new CliError(`${source}: the header names feature column '${n}' ${count} times`);
      return header.indexOf(n);
    });
  } else {
    // Without names only the count can be checked; a predict file whose one
    // extra column is last is taken to end with the target, as in training.
    if (target === null && !options.requireTarget && header.length === net.inputs + 1) target = header.length - 1;
    features = header.map((_, c) => c).filter((c) => c !== target);
    if (features.length !== net.inputs) {
      const besides = target === null ? '' : ` besides the target '${header[target]}'`;
      throw new CliError(`${source}: expected ${net.inputs} feature columns (the model's inputs)${besides}, got ${features.length} (${formatList(features.map((c) => header[c]!))})`);
    }
  }

  const rows = table.records.length;
  if (rows === 0) throw new CliError(`${source}: expected at least one data row after the header, got none`);
  const { labels } = modelLabels(net);
  const labelIndex = labels ? new Map(labels.map((l, i) => [l, i])) : null;
  const x = new Float32Array(rows * features.length);
  // predict ignores the target column: its cells need not even be labels the model knows
  const y = target === null || !options.requireTarget ? null : new Float32Array(rows);
  table.records.forEach((record, r) => {
    const where = `${source}: row ${r + 1} (line ${table.lines[r] ?? '?'})`;
    if (record.length !== header.length) throw new CliError(`${where}: expected ${header.length} fields (as in the header), got ${record.length}`);
    features.forEach((c, j) => {
      const cell = record[c]!;
      const v = decimal(cell);
      if (cell === '') throw new CliError(`${where}: column '${header[c]}': expected a number, got an empty cell (missing value)`);
      if (v === null) throw new CliError(`${where}: column '${header[c]}': expected a number, got ${quoteCell(cell)}`);
      if (!Number.isFinite(Math.fround(v))) throw new CliError(`${where}: column '${header[c]}': expected a number within the float32 range (±3.4e38), got ${quoteCell(cell)}`);
      x[r * features.length + j] = v;
    });
    if (y === null || target === null) return;
    const cell = record[target]!;
    const name = header[target];
    if (cell === '') throw new CliError(`${where}: column '${name}': expected a target value, got an empty cell (missing value)`);
    if (labelIndex === null) {
      const v = decimal(cell);
      if (v === null || !Number.isFinite(Math.fround(v))) throw new CliError(`${where}: column '${name}': expected a number (the model is a regression model), got ${quoteCell(cell)}`);
      y[r] = v;
      return;
    }
    // '1.0' in the file is the model's class '1', as parseCsv reads it when training
    const numeric = decimal(cell);
    const index = labelIndex.get(cell) ?? (numeric === null ? undefined : labelIndex.get(String(numeric)));
    if (index === undefined) {
      throw new CliError(`${where}: column '${name}': label ${quoteCell(cell)} is not a class of the model (its classes: ${formatList(labels!, 20)})`);
    }
    y[r] = index;
  });
  const used = new Set(target === null ? features : [...features, target]);
  return { x, rows, y, target: target === null ? null : header[target]!, ignored: header.filter((_, c) => !used.has(c)) };
}

function findTarget(net: Network, table: Table, options: ModelRowsOptions): number | null {
  const { header, source } = table;
  if (options.target !== undefined) return resolveColumn(header, options.target, source, '--target');
  if (net.targetName !== null && header.includes(net.targetName)) return header.indexOf(net.targetName);
  if (!options.requireTarget) return null;
  const last = header.length - 1;
  if (net.featureNames?.includes(header[last]!)) {
    throw new CliError(
      `${source}: no target column: the model's target ${net.targetName === null ? '(unnamed)' : `'${net.targetName}'`} is not in the header and the last column '${header[last]}' is a feature; pass --target`,
    );
  }
  return last;
}
