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
import { DataError } from '../index.js';
import { CsvReader, type CsvFormat, type CsvSink } from '../table/csv-reader.js';
import type { CsvEncoding } from '../table/csv-encoding.js';
import type { CsvSeparator } from '../table/csv-separator.js';
import { parseChoice, type ParsedArgs } from './args.js';
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

/** A data file's separator and encoding as given by --separator and --encoding (each detected when left out). */
export interface FileFormat {
  separator?: CsvSeparator;
  encoding?: CsvEncoding;
}

/**
 * --separator (',', ';', tab as 'tab' or '\\t', '|') and --encoding
 * ('utf-8', 'windows-1252', 'latin1'), checked before any file is read.
 * @throws CliError naming the flag and the accepted values.
 */
export function fileFormat(args: ParsedArgs): FileFormat {
  const format: FileFormat = {};
  const separator = args.strings.get('separator');
  if (separator !== undefined) format.separator = parseChoice('separator', separator === '\\t' || separator === 'tab' ? '\t' : separator, [',', ';', '\t', '|'] as const);
  const encoding = args.strings.get('encoding');
  if (encoding !== undefined) format.encoding = parseChoice('encoding', encoding, ['utf-8', 'windows-1252', 'latin1'] as const);
  return format;
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
export function readTable(bytes: Uint8Array, source: string, format: FileFormat = {}): Table {
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
  const reader = new CsvReader(sink, { source, ...format });
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
export function readFileHeader(path: string, format: FileFormat = {}): string[] {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    throw new CliError(`cannot read data file '${path}': ${reason(err)}`, { cause: err });
  }
  try {
    const reader = new CsvReader({ header: () => false, record: () => false }, { source: path, ...format });
    const buffer = new Uint8Array(1 << 16);
    while (!reader.stopped) {
      const n = readHeaderBytes(fd, buffer, path);
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

// opening a folder succeeds on Linux: the read is what fails (EISDIR)
function readHeaderBytes(fd: number, buffer: Uint8Array, path: string): number {
  try {
    return readSync(fd, buffer, 0, buffer.length, null);
  } catch (err) {
    throw new CliError(`cannot read data file '${path}': ${reason(err)}`, { cause: err });
  }
}

/**
 * Runs `read` (loadCsv or loadTable on `path`), with a file that cannot be
 * read named as the data file it is on the command line: the library names
 * it as its argument ('path: could not read … (EISDIR)').
 * @throws CliError naming the file and the reason; other errors unchanged.
 */
export async function readingDataFile<T>(path: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    const cause = err instanceof DataError ? err.cause : undefined;
    if (typeof cause === 'object' && cause !== null && 'code' in cause) throw new CliError(`cannot read data file '${path}': ${reason(cause)}`, { cause: err });
    throw err;
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
