/**
 * A CSV file as chunks of rows (raw tables of a few thousand rows each), in
 * file order: what streamCsv reads a file through, once to survey it and
 * again for every epoch, without ever holding the whole of it.
 */

import { open } from 'node:fs/promises';
import { DataError } from 'simdnet';
import { attempt, READ_BYTES } from './file-read.js';
import type { RawTable } from '../table/column.js';
import { TableSink } from '../table/csv-sink.js';
import { CsvReader, type CsvFormat, type CsvSink } from '../table/csv-reader.js';
import type { CsvEncoding } from '../table/csv-encoding.js';
import type { CsvSeparator } from '../table/csv-separator.js';

/** Rows per chunk: small enough to encode in cache-sized pieces, large enough that the per-chunk work does not count. */
export const CHUNK_ROWS = 1 << 14;

/** How a pass reads the file: the same rules every pass, so every pass sees the same rows. */
export interface ChunkOptions {
  source: string;
  separator?: CsvSeparator;
  encoding?: CsvEncoding;
  na?: readonly string[];
  dropInvalid?: boolean;
  onBytes?: (bytes: number) => void;
}

/** One chunk: its rows, and the index of its first row among all the file's rows read. */
export interface Chunk {
  table: RawTable;
  first: number;
}

/**
 * The file's rows, a chunk at a time; `format` (the separator and encoding
 * used) is filled in once the reading has begun.
 * @throws DataError when the file cannot be read, and what the CSV reader refuses.
 */
export async function* csvChunks(path: string, o: ChunkOptions, format: { value: CsvFormat | null } = { value: null }): AsyncGenerator<Chunk> {
  const sink = new TableSink({ source: o.source, na: o.na, dropInvalid: o.dropInvalid, onBytes: o.onBytes });
  const ready: RawTable[] = [];
  const chunker: CsvSink = {
    header: (names, reader) => sink.header(names, reader),
    record: (r, row, reader) => {
      sink.record(r, row, reader);
      if (sink.pending >= CHUNK_ROWS) ready.push(sink.drain());
    },
  };
  const reader = new CsvReader(chunker, { source: o.source, separator: o.separator, encoding: o.encoding });
  const file = await attempt(path, () => open(path, 'r'));
  let first = 0;
  try {
    const buffer = new Uint8Array(READ_BYTES);
    for (;;) {
      const { bytesRead } = await attempt(path, () => file.read(buffer, 0, buffer.length, null));
      if (bytesRead === 0) break;
      reader.push(buffer.subarray(0, bytesRead));
      format.value = reader.format;
      while (ready.length > 0) {
        const table = ready.shift()!;
        yield { table, first };
        first += table.rows;
      }
    }
    reader.end();
    format.value = reader.format;
    if (reader.header === null) throw new DataError(`${o.source}: expected a header row, got no rows (empty input)`);
    if (sink.pending > 0) ready.push(sink.drain());
    if (first === 0 && ready.length === 0) throw new DataError(`${o.source}: expected at least one data row after the header, got none`);
    for (const table of ready) {
      yield { table, first };
      first += table.rows;
    }
  } finally {
    await file.close();
  }
}
