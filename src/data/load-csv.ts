/**
 * Reading a CSV file in Node. Kept apart from csv.ts so that importing the
 * parser never pulls `node:fs` into a browser or edge bundle.
 */

import { readFile } from 'node:fs/promises';
import { DataError } from '../errors.js';
import { parseCsv, type CsvOptions } from './csv.js';
import type { Dataset } from './dataset.js';

/**
 * Reads a UTF-8 CSV file and parses it with {@link parseCsv}; error messages
 * name the file instead of `text`.
 *
 * @param path - a file path or `file:` URL.
 * @throws DataError when the file cannot be read (with the system error as
 *   `cause`), and everything parseCsv throws.
 */
export async function loadCsv(path: string | URL, options: CsvOptions = {}): Promise<Dataset> {
  const name = typeof path === 'string' ? path : path.href;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? ` (${String(err.code)})` : '';
    throw new DataError(`path: could not read '${name}'${code}`, { cause: err });
  }
  return parseCsv(text, { source: name, ...options });
}
