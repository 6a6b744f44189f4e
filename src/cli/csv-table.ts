/**
 * CSV files as raw tables of strings, for the commands that must pick
 * columns before anything is numeric: choosing the target by name or index,
 * and matching a file's columns to a saved model's features.
 *
 * Read by the library's CSV reader (src/table/csv-reader.ts), the one
 * parseCsv and loadCsv use, so a file reads the same in every command:
 * separator and encoding detected, header names checked.
 */

import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { CsvReader, type CsvFormat, type CsvSink } from '../table/csv-reader.js';
import { quoteList } from '../table/csv-message.js';
import { CliError } from './errors.js';
import { reason } from './files.js';

/** A CSV file's header and data records, with the file line each record starts on. */
export interface Table {
  source: string;
  header: string[];
  records: string[][];
  /** 1-based line of each data record, for messages. */
  lines: number[];
  /** The separator and encoding the file was read with. */
  format: CsvFormat;
}

/**
 * The bytes of a data file (the reader detects their encoding).
 * @throws CliError naming the file and the reason.
 */
export function readDataFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new CliError(`cannot read data file '${path}': ${reason(err)}`, { cause: err });
  }
}

/**
 * Parses CSV with a header row into strings.
 * @throws DataError for CSV that cannot be read (naming the row and line);
 *   CliError for a file without a header.
 */
export function readTable(bytes: Uint8Array, source: string): Table {
  const records: string[][] = [];
  const lines: number[] = [];
  const sink: CsvSink = {
    header: () => {},
    record: (r, _row, reader) => {
      const record = new Array<string>(r.fields);
      for (let k = 0; k < r.fields; k++) record[k] = reader.text(r, k);
      records.push(record);
      lines.push(r.line);
    },
  };
  const reader = new CsvReader(sink, { source });
  reader.push(bytes);
  reader.end();
  if (reader.header === null) throw new CliError(`${source}: expected a header row, got an empty file`);
  return { source, header: [...reader.header], records, lines, format: reader.format };
}

/**
 * The header row of a file, read from its start only (a large file is not
 * read whole for it).
 * @throws CliError naming the file and the reason.
 */
export function readFileHeader(path: string): string[] {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new CliError(`cannot read data file '${path}': ${reason(err)}`, { cause: err });
  }
  try {
    const reader = new CsvReader({ header: () => false, record: () => false }, { source: path });
    const buffer = new Uint8Array(1 << 16);
    while (!reader.stopped) {
      const n = readSync(fd, buffer, 0, buffer.length, null);
      if (n === 0) break;
      reader.push(buffer.subarray(0, n));
    }
    reader.end();
    if (reader.header === null) throw new CliError(`${path}: expected a header row, got an empty file`);
    return [...reader.header];
  } finally {
    closeSync(fd);
  }
}

/** The header row alone (the first record), without parsing the rest of the file. */
export function readHeader(bytes: Uint8Array, source: string): string[] {
  const reader = new CsvReader({ header: () => false, record: () => false }, { source });
  reader.push(bytes);
  reader.end();
  if (reader.header === null) throw new CliError(`${source}: expected a header row, got an empty file`);
  return [...reader.header];
}

/**
 * The index of the column an option names: a header name, or else a 0-based
 * column index.
 * @param option - the option, for messages, e.g. '--target'.
 * @throws CliError when the header has no such column.
 */
export function resolveColumn(header: readonly string[], raw: string, source: string, option: string): number {
  // the reader refuses a header that names a column twice, so a name matches one column at most
  const at = header.indexOf(raw);
  if (at >= 0) return at;
  if (/^\d+$/.test(raw) && Number(raw) < header.length) return Number(raw);
  throw new CliError(`${option}: no column '${raw}' in ${source} (columns: ${quoteList(header)}; or a 0-based index 0..${header.length - 1})`);
}
