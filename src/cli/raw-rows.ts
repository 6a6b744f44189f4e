/**
 * A CSV file for a model that takes raw rows (one trained on a table with
 * categories, dates or gaps): read as a raw table, encoded by the model's own
 * encoders; the target column's labels mapped to the model's classes by label.
 */

import type { Model } from '../model/model.js';
import { loadTable } from '../model/load-csv.js';
import { quoteCell, quoteList } from '../table/csv-message.js';
import { MISSING, NUMBER, selectRows, type RawTable } from '../table/column.js';
import { numberText } from '../table/encoders.js';
import { readingDataFile, type FileFormat } from './csv-table.js';
import { CliError } from './errors.js';

/** The file read: its table and each row's line. */
export interface RawFile {
  table: RawTable;
  lines: Int32Array;
}

/** Reads `path` as a raw table with the model's missing-value tokens (separator and encoding detected unless `format` gives them). */
export async function readRawFile(path: string, model: Model, format: FileFormat = {}, onBytes?: (read: number, size: number) => void): Promise<RawFile> {
  const { table, lines } = await readingDataFile(path, () => loadTable(path, { na: model.preprocessor?.na, ...format }, onBytes));
  return { table, lines };
}

/** The rows with a target, encoded targets, and what was left out. */
export interface RawTargets {
  /** The file's rows that have a target (all of the table, re-indexed). */
  table: RawTable;
  /** Class indices of the model, or values. */
  y: Float32Array;
  /** The target column's name. */
  target: string;
  /** Rows left out for a missing target. */
  missing: number;
}

/**
 * The target column (`--target`, else the model's target name, else the
 * last column not read by the model) as the model's class indices or values.
 * @throws CliError naming the file, row and line of a label the model does not know.
 */
export function rawTargets(model: Model, file: RawFile, source: string, targetOption: string | undefined): RawTargets {
  const { table, lines } = file;
  const name = findTarget(model, table, source, targetOption);
  const col = table.columns[table.names.indexOf(name)]!;
  const classes = model.classes;
  const index = classes ? new Map(classes.map((c, i) => [c, i])) : null;
  const keep: number[] = [];
  const y: number[] = [];
  for (let r = 0; r < table.rows; r++) {
    const code = col.codes ? col.codes[r]! : NUMBER;
    if (code === MISSING) continue;
    const where = `${source}: row ${r + 1} (line ${lines[r]})`;
    if (index === null) {
      if (code !== NUMBER) throw new CliError(`${where}: column ${quoteCell(name)}: expected a number (the model is a regression model), got ${quoteCell(col.texts[code] ?? '(text)')}`);
      y.push(col.numbers[r]!);
    } else {
      const label = code === NUMBER ? numberText(col.numbers[r]!) : col.texts[code] ?? '(text)';
      const k = index.get(label);
      if (k === undefined) throw new CliError(`${where}: column ${quoteCell(name)}: label ${quoteCell(label)} is not a class of the model (its classes: ${quoteList(classes!, 20)})`);
      y.push(k);
    }
    keep.push(r);
  }
  if (keep.length === 0) throw new CliError(`${source}: expected rows with a target in column ${quoteCell(name)}, got none`);
  return { table: selectRows(table, Uint32Array.from(keep)), y: Float32Array.from(y), target: name, missing: table.rows - keep.length };
}

function findTarget(model: Model, table: RawTable, source: string, option: string | undefined): string {
  const read = new Set(model.columns);
  if (option !== undefined) {
    if (table.names.includes(option)) {
      if (read.has(option)) throw new CliError(`--target: '${option}' is a column the model reads as a feature`);
      return option;
    }
    if (/^\d+$/.test(option) && Number(option) < table.names.length) return table.names[Number(option)]!;
    throw new CliError(`--target: no column '${option}' in ${source} (columns: ${quoteList(table.names)})`);
  }
  const own = model.network.targetName;
  if (own !== null && table.names.includes(own)) return own;
  const last = table.names[table.names.length - 1]!;
  if (read.has(last)) {
    throw new CliError(`${source}: no target column: the model's target ${own === null ? '(unnamed)' : `'${own}'`} is not in the header and the last column '${last}' is one the model reads; pass --target`);
  }
  return last;
}

/**
 * predict's `--target` (a column to leave out, by name or 0-based index):
 * the file may lack it, but one the model reads cannot be left out, so
 * naming it would be ignored.
 * @throws CliError naming the column.
 */
export function predictTarget(model: Model, table: RawTable, option: string): string {
  const byIndex = !table.names.includes(option) && /^\d+$/.test(option) && Number(option) < table.names.length;
  const name = byIndex ? table.names[Number(option)]! : option;
  if (model.columns.includes(name)) throw new CliError(`--target: '${name}' is a column the model reads as a feature; it cannot be left out as the target`);
  return name;
}

/** The file's columns the model does not read (and that are not the target). */
export function ignoredColumns(model: Model, table: RawTable, target: string | null): string[] {
  const read = new Set(model.columns);
  return table.names.filter((n) => !read.has(n) && n !== target);
}

/** One line about unseen categories, or '' when there were none. */
export function unseenNote(unseen: Record<string, number>, source: string): string {
  const entries = Object.entries(unseen);
  if (entries.length === 0) return '';
  const parts = entries.map(([c, n]) => `${n} in ${quoteCell(c)}`);
  return `${source}: categories never seen in training, encoded as (other): ${parts.join(', ')}\n`;
}
