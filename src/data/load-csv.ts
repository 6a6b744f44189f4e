/**
 * Reading a CSV file in Node. Kept apart from csv.ts so that importing the
 * parser never pulls `node:fs` into a browser or edge bundle.
 */

import { open, type FileHandle } from 'node:fs/promises';
import { DataError } from '../errors.js';
import type { CsvReader } from './csv-reader.js';
import { checkCsvOptions, datasetReader, type CsvDataset, type CsvOptions } from './csv.js';

/** Bytes read per call: large enough to amortise the calls, small enough to stay in cache while tokenized. */
const READ_BYTES = 1 << 20;

/**
 * Reads a CSV file and parses it as {@link parseCsv} parses bytes (the
 * encoding detected unless `options.encoding` is given), streaming: the file
 * is read 1 MiB at a time straight into typed storage, never held whole.
 * Error messages name the file instead of `text`.
 *
 * @param path - a file path or `file:` URL.
 * @throws DataError when the file cannot be read (with the system error as
 *   `cause`), and everything parseCsv throws.
 */
export async function loadCsv(path: string | URL, options: CsvOptions = {}): Promise<CsvDataset> {
  const name = typeof path === 'string' ? path : path.href;
  checkCsvOptions(options); // before the file is touched
  const file = await attempt(name, () => open(path, 'r'));
  try {
    const { size } = await attempt(name, () => file.stat());
    const { reader, sink } = datasetReader({ source: name, ...options }, options.encoding, size);
    await readInto(file, reader, name);
    return sink.finish(reader);
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

/** `io()`, with a failure of the file system as a DataError naming the file and the system's code. */
async function attempt<T>(name: string, io: () => Promise<T>): Promise<T> {
  try {
    return await io();
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? ` (${String(err.code)})` : '';
    throw new DataError(`path: could not read '${name}'${code}`, { cause: err });
  }
}
