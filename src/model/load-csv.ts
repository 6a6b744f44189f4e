/**
 * Reading a CSV file in Node. Kept apart from csv.ts so that importing the
 * parser never pulls `node:fs` into a browser or edge bundle.
 */

import { open, type FileHandle } from 'node:fs/promises';
import { DataError } from 'simdnet';
import { attempt, READ_BYTES } from './file-read.js';
import { TableSink } from '../table/csv-sink.js';
import type { RawTable } from '../table/column.js';
import { checkCsvOptions, tableReader, type CsvDataset, type CsvOptions } from './parse-csv.js';
import { checkPath, checkProgress } from './csv-options.js';
import { CsvReader, type CsvFormat } from '../table/csv-reader.js';

/** Bytes read per call: large enough to amortise the calls, small enough to stay in cache while tokenized. */

/**
 * Reads a CSV file and parses it as {@link parseCsv} parses bytes (the
 * encoding detected unless `options.encoding` is given), streaming: the file
 * is read 1 MiB at a time straight into typed storage, never held whole.
 * Error messages name the file instead of `text`.
 *
 * @param path - a file path or `file:` URL.
 * @param onBytes - called now and then with the bytes read and the file's size (a progress bar).
 * @throws ValueError for a path that is no path, bad options or an `onBytes`
 *   that is no function (before the file is opened); DataError when the file
 *   cannot be read (with the system error as `cause`), and everything
 *   parseCsv throws.
 */
export async function loadCsv(path: string | URL, options: CsvOptions = {}, onBytes?: (read: number, size: number) => void): Promise<CsvDataset> {
  const name = checkPath(path);
  const o = checkCsvOptions(options, name); // before the file is touched
  checkProgress(onBytes);
  const file = await attempt(name, () => open(path, 'r'));
  try {
    const { size } = await attempt(name, () => file.stat());
    const { reader, finish } = tableReader(o, o.encoding, size, onBytes && ((read) => onBytes(read, size)));
    await readInto(file, reader, name);
    return finish();
  } finally {
    await file.close();
  }
}

/**
 * Reads a CSV file into a raw table (no target, no kinds: every cell as it
 * is), streaming, for a saved model to encode as it was trained.
 * @internal (the CLI's predict and evaluate)
 */
export async function loadTable(
  path: string, options: Pick<CsvOptions, 'separator' | 'encoding' | 'na' | 'dropInvalid'> = {}, onBytes?: (read: number, size: number) => void,
): Promise<{ table: RawTable; lines: Int32Array; format: CsvFormat; dropped: number }> {
  const o = checkCsvOptions(options, path);
  const file = await attempt(path, () => open(path, 'r'));
  try {
    const { size } = await attempt(path, () => file.stat());
    const sink = new TableSink({ source: path, na: o.na, dropInvalid: o.dropInvalid, inputBytes: size, onBytes: onBytes && ((read) => onBytes(read, size)) });
    const reader = new CsvReader(sink, { source: path, separator: o.separator, encoding: o.encoding });
    await readInto(file, reader, path);
    return { ...sink.finish(reader), format: reader.format, dropped: sink.dropped };
  } finally {
    await file.close();
  }
}

/** Pushes the file's bytes into `reader`, a bounded piece at a time, until its end or until the reader stops. */
async function readInto(file: FileHandle, reader: CsvReader, name: string): Promise<void> {
  const buffer = new Uint8Array(READ_BYTES);
  while (!reader.stopped) {
    const { bytesRead } = await attempt(name, () => file.read(buffer, 0, buffer.length, null));
    if (bytesRead === 0) break;
    reader.push(buffer.subarray(0, bytesRead));
  }
  reader.end();
}
