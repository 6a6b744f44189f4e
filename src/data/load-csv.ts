/**
 * Reading a CSV file in Node. Kept apart from csv.ts so that importing the
 * parser never pulls `node:fs` into a browser or edge bundle.
 */

import { open, type FileHandle } from 'node:fs/promises';
import { DataError } from '../errors.js';
import { datasetReader, type CsvDataset, type CsvOptions } from './csv.js';

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
  const { reader, sink } = datasetReader({ source: name, ...options }, options.encoding);
  const cannotRead = (err: unknown): DataError => {
    const code = typeof err === 'object' && err !== null && 'code' in err ? ` (${String(err.code)})` : '';
    return new DataError(`path: could not read '${name}'${code}`, { cause: err });
  };
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (err) {
    throw cannotRead(err);
  }
  try {
    const buffer = new Uint8Array(READ_BYTES);
    while (!reader.stopped) {
      let bytesRead: number;
      try {
        ({ bytesRead } = await file.read(buffer, 0, buffer.length, null));
      } catch (err) {
        throw cannotRead(err);
      }
      if (bytesRead === 0) break;
      reader.push(buffer.subarray(0, bytesRead));
    }
    reader.end();
  } finally {
    await file.close();
  }
  return sink.finish(reader);
}
