/**
 * CSV files as raw tables of strings, for the commands that must pick
 * columns before anything is numeric: choosing the target by name or index,
 * and matching a file's columns to a saved model's features.
 */

import { CsvError, parse } from 'csv-parse/sync';
import { formatList } from '../data/validate.js';
import { CliError } from './errors.js';

/** A CSV file's header and data records, with the file line each record starts on. */
export interface Table {
  source: string;
  header: string[];
  records: string[][];
  /** 1-based line of each data record, for messages. */
  lines: number[];
}

// The same reading rules as parseCsv, so a file reads the same in every command.
const PARSE_OPTIONS = { bom: true, trim: true, skip_empty_lines: true, relax_column_count: true } as const;

/**
 * Parses CSV text with a header row.
 * @throws CliError for text that is not CSV or has no header.
 */
export function readTable(text: string, source: string): Table {
  const lines: number[] = [];
  let all: string[][];
  try {
    all = parse(text, {
      ...PARSE_OPTIONS,
      on_record: (record: string[], context) => {
        lines.push(context.lines);
        return record;
      },
    });
  } catch (err) {
    if (err instanceof CsvError) throw new CliError(`${source}: invalid CSV: ${err.message}`, { cause: err });
    throw err;
  }
  const header = all[0];
  if (header === undefined) throw new CliError(`${source}: expected a header row, got an empty file`);
  return { source, header, records: all.slice(1), lines: lines.slice(1) };
}

/** The header row alone (the first record), without parsing the rest of the file. */
export function readHeader(text: string, source: string): string[] {
  let first: string[][];
  try {
    first = parse(text, { ...PARSE_OPTIONS, to: 1 });
  } catch (err) {
    if (err instanceof CsvError) throw new CliError(`${source}: invalid CSV: ${err.message}`, { cause: err });
    throw err;
  }
  const header = first[0];
  if (header === undefined) throw new CliError(`${source}: expected a header row, got an empty file`);
  return header;
}

/**
 * The index of the column an option names: a header name, or else a 0-based
 * column index.
 * @param option - the option, for messages, e.g. '--target'.
 * @throws CliError when the header has no such column, or names it twice.
 */
export function resolveColumn(header: readonly string[], raw: string, source: string, option: string): number {
  const matches = header.filter((h) => h === raw).length;
  if (matches > 1) throw new CliError(`${option}: the header of ${source} names column '${raw}' ${matches} times; pass its 0-based index instead`);
  if (matches === 1) return header.indexOf(raw);
  if (/^\d+$/.test(raw) && Number(raw) < header.length) return Number(raw);
  throw new CliError(`${option}: no column '${raw}' in ${source} (columns: ${formatList(header as string[])}; or a 0-based index 0..${header.length - 1})`);
}
