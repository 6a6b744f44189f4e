/**
 * Reading a data file in Node, shared by loadCsv and streamCsv: the size of
 * each read, and a failure of the file system as a DataError naming the file.
 */

import { DataError } from 'simdnet';

/** Bytes per read: large enough that the calls do not count, small enough to stay in cache. */
export const READ_BYTES = 1 << 20;

/** `io()`, with a failure of the file system as a DataError naming the file and the system's code. */
export async function attempt<T>(name: string, io: () => Promise<T>): Promise<T> {
  try {
    return await io();
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? ` (${String(err.code)})` : '';
    throw new DataError(`path: could not read '${name}'${code}`, { cause: err });
  }
}
