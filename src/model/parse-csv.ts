/**
 * CSV text or bytes → {@link Dataset}. Browser-safe: no file system here (see
 * load-csv.ts for reading a file in Node).
 */

import { DataError, ValueError, type Task } from 'simdnet';
import { TableSink } from '../table/csv-sink.js';
import type { PreprocessOptions } from '../table/preprocessor.js';
import { datasetFromTable, type TableDataset } from './table-dataset.js';
import type { CsvEncoding } from '../table/csv-encoding.js';
import { CsvReader, type CsvFormat } from '../table/csv-reader.js';
import { readCsvOptions, type CheckedCsvOptions } from './csv-options.js';
import { describe } from '../describe.js';
import type { CsvSeparator } from '../table/csv-separator.js';

export type { CsvFormat } from '../table/csv-reader.js';
export type { CsvEncoding } from '../table/csv-encoding.js';
export type { CsvSeparator } from '../table/csv-separator.js';

/** A Dataset read from CSV: the table as people have it, encoded, with its schema and how the CSV was read. */
export interface CsvDataset extends TableDataset {
  /** The separator and encoding used, and whether they were detected. */
  readonly csv: CsvFormat;
}

/** Options of {@link parseCsv} and loadCsv. */
export interface CsvOptions extends Omit<PreprocessOptions, 'features'> {
  /** The target column: its header name, or its 0-based index. Default: the last column. */
  target?: string | number;
  /**
   * Drop rows with the wrong number of fields, or a missing feature cell,
   * instead of refusing the file or imputing the cell; their number is
   * reported in `dataset.dropped`. Default false.
   */
  dropInvalid?: boolean;
  /**
   * What the target is. Default `'auto'`: classification when the target holds
   * any non-numeric label, or only integers with at most 20 distinct values
   * (binary for 2 classes, multiclass for more); regression otherwise.
   */
  task?: 'auto' | Task;
  /** What to call the input in error messages (loadCsv passes the file path). Default `'text'`. */
  source?: string;
  /**
   * The feature columns, by name or 0-based index; the network takes them
   * in the header's order, whatever order they are listed in. Default: every
   * column but the target and the `ignore`d ones. Other columns are ignored.
   */
  features?: ReadonlyArray<string | number>;
  /**
   * The field separator. Default: detected from the first 64 KiB among `,`
   * `;` tab and `|` — the one under which the most records have the header's
   * field count (two or more), quotes respected; `,` when none splits the
   * header. `dataset.csv.separator` says which was used.
   */
  separator?: CsvSeparator;
  /**
   * How bytes are decoded (a Uint8Array or a file; a string is already text).
   * Default: detected — valid UTF-8 is UTF-8 (a UTF-8 byte-order mark fixes
   * it), otherwise Windows-1252 if every non-ASCII byte fits it; a file that
   * mixes the two is refused, naming the row, line and byte offset.
   * `dataset.csv.encoding` says which was used.
   */
  encoding?: CsvEncoding;
}

/** Characters of a string encoded per push: bounds the bytes held at once for a long text. */
const TEXT_CHUNK = 1 << 20;

/**
 * Parses CSV (one header row, then one example per row) into a
 * {@link Dataset}, reading the table as people have it: each column's kind
 * is inferred — numeric, categorical, boolean, date, or left out (free text,
 * an identifier, no values) — and encoded: gaps (empty, NA, N/A, null, NaN,
 * ?, ., -) imputed with the median plus a missing-indicator feature,
 * categories one-hot (the 32 most frequent, then "(other)", and missing as
 * its own category), dates as the parts that vary (year, month, day,
 * weekday, day of year, hour). `dataset.schema` says what each column
 * became; `dataset.table` keeps the raw cells so that `trainModel` fits the
 * encoders on its training part only.
 *
 * Reads CSV as people write it: RFC 4180 quoting, LF, CRLF or CR line ends,
 * a UTF-8 byte-order mark, blank lines skipped, unquoted fields trimmed; the
 * separator and (for bytes) the encoding detected unless given.
 *
 * The target (default: the last column): rows without one are left out and
 * counted (`dataset.missingTarget`). Class labels (strings or numbers) become
 * indices 0..k−1 in sorted order — numeric order when every label is a
 * number, code-unit order otherwise — and `dataset.classes[i]` gives the
 * label back (a numeric label in its shortest form: `1.0` becomes `'1'`).
 *
 * @param input - the CSV as a string, or as bytes (a Uint8Array; encoding detected).
 * @returns the dataset, with `csv`: the separator and encoding used.
 * @throws DataError for an empty input, no data rows, empty or duplicate
 *   header names, a row with the wrong number of fields (unless
 *   `dropInvalid`), no usable feature column, a target with fewer than 2
 *   classes, invalid CSV (a quote left open), bytes in no consistent
 *   encoding, or a string that is not valid Unicode (a lone surrogate);
 *   ValueError for bad options (naming `options.<key>`, before any byte is
 *   read). Every DataError message starts with `source`.
 */
export function parseCsv(input: string | Uint8Array, options?: CsvOptions): CsvDataset {
  const o = checkCsvOptions(options);
  const text = typeof input === 'string';
  if (!text && !isBytes(input)) throw new ValueError(`${o.source}: expected CSV as a string or a Uint8Array, got ${describe(input)}`);
  if (text && o.encoding !== undefined) {
    throw new ValueError(`options.encoding: applies to bytes (a Uint8Array or a file), got '${o.encoding}' with a string, which is already text`);
  }
  if (text) checkWellFormed(input, o.source);
  const { reader, finish } = tableReader(o, text ? 'utf-8' : o.encoding, input.length);
  if (text) pushText(reader, input);
  else reader.push(input);
  reader.end();
  return finish();
}

/**
 * A Uint8Array by tag as well as by class: one from another realm (a vm
 * context, an iframe) fails instanceof; a revoked Proxy is none.
 */
function isBytes(input: unknown): input is Uint8Array {
  try {
    return input instanceof Uint8Array || (ArrayBuffer.isView(input) && Object.prototype.toString.call(input) === '[object Uint8Array]');
  } catch {
    return false;
  }
}

/**
 * A reader feeding a table sink (shared with loadCsv); `finish()` turns
 * what it read into the dataset.
 * @param options - checked here (already checked ones pass unchanged).
 * @param inputBytes - the input's length, when known (it sizes the storage).
 * @param onBytes - called now and then with the bytes read so far (a progress bar).
 */
export function tableReader(
  csvOptions: CsvOptions | CheckedCsvOptions, encoding: CsvEncoding | undefined, inputBytes?: number, onBytes?: (bytes: number) => void,
): { reader: CsvReader; finish: () => CsvDataset } {
  const options = checkCsvOptions(csvOptions);
  const { source, task } = options;
  const sink = new TableSink({ source, na: options.na, dropInvalid: options.dropInvalid, inputBytes, onBytes });
  const reader = new CsvReader(sink, { source, separator: options.separator, encoding });
  const finish = (): CsvDataset => {
    const { table, lines } = sink.finish(reader);
    const ds = datasetFromTable(table, { ...options, source, task, columns: options.features, features: undefined }, lines, sink.dropped);
    // assigned, not spread: a spread would read (and so encode) the lazy x
    return Object.assign(ds, { csv: reader.format });
  };
  return { reader, finish };
}

/**
 * Reads and checks the options of parseCsv or loadCsv before any byte is
 * read (see csv-options.ts).
 * @param source - what messages call the input unless `options.source` says otherwise.
 * @throws ValueError naming the option.
 */
export function checkCsvOptions(options: unknown, source = 'text'): CheckedCsvOptions {
  return readCsvOptions(options, source);
}

// a high surrogate not followed by a low one, or a low one not preceded by a high one
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Refuses a string holding a lone surrogate (not valid Unicode): encoding it
 * would write U+FFFD in its place, so labels that differ only there
 * ('x\uD800', 'x\uDC00') would merge silently.
 * @throws DataError naming the line and the character.
 */
function checkWellFormed(text: string, source: string): void {
  const wellFormed = (text as { isWellFormed?: () => boolean }).isWellFormed;
  if (typeof wellFormed === 'function' ? wellFormed.call(text) : !LONE_SURROGATE.test(text)) return;
  const at = LONE_SURROGATE.exec(text)!.index;
  let line = 1;
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) line++;
  }
  const code = text.charCodeAt(at).toString(16).toUpperCase();
  throw new DataError(`${source}: line ${line}: a lone surrogate (U+${code}) at character ${at}: the text is not valid Unicode, and reading it would change it (to U+FFFD); fix the text where it was made`);
}

/** Pushes `text` as UTF-8, a bounded piece at a time. */
function pushText(reader: CsvReader, text: string): void {
  const encoder = new TextEncoder();
  const buffer = new Uint8Array(Math.min(text.length, TEXT_CHUNK) * 3);
  for (let i = 0; i < text.length && !reader.stopped; ) {
    let j = Math.min(text.length, i + TEXT_CHUNK);
    const last = text.charCodeAt(j - 1);
    // never between the two halves of a surrogate pair
    if (j < text.length && last >= 0xd800 && last <= 0xdbff) j--;
    const { written } = encoder.encodeInto(text.slice(i, j), buffer);
    reader.push(buffer.subarray(0, written));
    i = j;
  }
}
