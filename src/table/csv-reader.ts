/**
 * The CSV reader: bytes in (any chunking), a checked header and then data
 * records out to a sink, as offsets over bytes (csv-tokenizer.ts). Around
 * the tokenizer it decides what the bytes are:
 *
 * - **Byte-order marks.** A UTF-8 one is skipped and fixes the encoding; a
 *   UTF-16 one, or bytes that look like UTF-16, are refused.
 * - **Separator.** `,` `;` tab or `|`, detected from the first 64 KiB
 *   (csv-separator.ts) unless given.
 * - **Encoding, decided as the stream goes.** Unless given, records are
 *   checked as they come: pure-ASCII records decide nothing (all three
 *   encodings read them alike); the first non-ASCII record decides — valid
 *   UTF-8 makes the file UTF-8, anything else Windows-1252. Switching at that
 *   point is lossless because everything read before it was ASCII, so there
 *   is no need to decide from a prefix or to read the input twice. From then
 *   on every non-ASCII record must agree: a byte that is not UTF-8 in a UTF-8
 *   file, a UTF-8 character in a Windows-1252 one, or a byte Windows-1252
 *   leaves unassigned is refused, naming the row, line, column and byte
 *   offset — a file that mixes encodings would otherwise read `café` two
 *   ways and split or merge labels silently.
 * - **Header.** The first record names the columns; empty and duplicate
 *   names are refused with their positions.
 */

import { DataError, ValueError } from 'simdnet';
import { decodeBytes, ENCODINGS, scanUtf8, unassignedIn1252, type CsvEncoding, type Utf8Scan } from './csv-encoding.js';
import { quoteCell, quoteList, SHOWN_BYTES } from './csv-message.js';
import { detectSeparator, SAMPLE_BYTES, SEPARATORS, type CsvSeparator } from './csv-separator.js';
import { ESCAPED, type CsvRecord } from './csv-record.js';
import { CsvTokenizer } from './csv-tokenizer.js';

/** How a CSV input was read: what was detected (or given) and used. */
export interface CsvFormat {
  /** The field separator. */
  separator: CsvSeparator;
  /** Whether `separator` was detected (false: given as an option, or the `,` default when nothing fit). */
  separatorDetected: boolean;
  /** How non-ASCII bytes were decoded (a file of pure ASCII reads as `'utf-8'`). */
  encoding: CsvEncoding;
  /** Whether `encoding` was detected (false: given as an option, fixed by a byte-order mark, or text passed as a string). */
  encodingDetected: boolean;
  /** Whether the input started with a UTF-8 byte-order mark (skipped). */
  bom: boolean;
}

/** Options of {@link CsvReader}. */
export interface CsvReaderOptions {
  /** Names the input at the start of every message (a file path, or `'text'`). */
  source: string;
  /** The separator; detected when left out. */
  separator?: CsvSeparator;
  /** The encoding; detected when left out (see the module comment). parseCsv passes 'utf-8' for a string it encoded. */
  encoding?: CsvEncoding;
}

/** Where the records go. Either method may return `false` to stop reading. */
export interface CsvSink {
  /** The header's column names: decoded, none empty, no two alike. */
  header(names: readonly string[], reader: CsvReader): boolean | void;
  /** A data record; `row` counts data records from 1. The record is only valid during the call. */
  record(record: CsvRecord, row: number, reader: CsvReader): boolean | void;
}

const MIXED = "convert it to one encoding (or pass encoding: 'windows-1252' to read all of it as Windows-1252)";
const SINGLE_BYTE = "pass encoding: 'windows-1252' if the file is Windows-1252 or Latin-1";

const enum Check {
  None, // an explicit single-byte encoding: every byte is a character
  Detect, // only ASCII so far
  Utf8, // UTF-8, decided: every non-ASCII record must be valid UTF-8
  Cp1252, // Windows-1252, detected: no UTF-8 characters, no unassigned bytes
}

/**
 * Checks option values shared by every entry point.
 * @throws ValueError naming the option.
 */
export function checkFormatOptions(options: { separator?: unknown; encoding?: unknown }): void {
  if (options.separator !== undefined && !(SEPARATORS as readonly unknown[]).includes(options.separator)) {
    throw new ValueError(`options.separator: expected ',', ';', '\\t' or '|', got ${typeof options.separator === 'string' ? quoteCell(options.separator) : String(options.separator)}`);
  }
  if (options.encoding !== undefined && !(ENCODINGS as readonly unknown[]).includes(options.encoding)) {
    throw new ValueError(`options.encoding: expected 'utf-8', 'windows-1252' or 'latin1', got ${typeof options.encoding === 'string' ? quoteCell(options.encoding) : String(options.encoding)}`);
  }
}

/** Push reader; see the module comment. */
export class CsvReader {
  readonly source: string;
  private readonly sink: CsvSink;
  private readonly options: CsvReaderOptions;
  private tokenizer: CsvTokenizer | null = null;
  private sample: Uint8Array | null = null;
  private sampleLength = 0;
  private names: string[] | null = null;
  private rows = 0;
  private check: Check;
  private decoding: CsvEncoding;
  private decidedAt = ''; // where the encoding was decided, for messages
  private readonly scan: Utf8Scan = { invalid: -1, multibyte: -1 };
  private formatSeen: CsvFormat;
  private done = false;

  constructor(sink: CsvSink, options: CsvReaderOptions) {
    checkFormatOptions(options);
    this.sink = sink;
    this.options = options;
    this.source = options.source;
    const given = options.encoding;
    this.check = given === undefined ? Check.Detect : given === 'utf-8' ? Check.Utf8 : Check.None;
    this.decoding = given ?? 'utf-8';
    if (given === 'utf-8') this.decidedAt = `encoding: 'utf-8' was passed; ${SINGLE_BYTE}`;
    this.formatSeen = { separator: options.separator ?? ',', separatorDetected: false, encoding: this.decoding, encodingDetected: false, bom: false };
  }

  /** The separator and encoding, as far as they are known (final once the input has ended). */
  get format(): CsvFormat {
    return { ...this.formatSeen, encoding: this.decoding, encodingDetected: this.options.encoding === undefined && !this.formatSeen.bom };
  }

  /** The header's names, once read. */
  get header(): readonly string[] | null {
    return this.names;
  }

  /** Whether the sink stopped the reading (or the input ended): later pushes are ignored. */
  get stopped(): boolean {
    return this.done;
  }

  /** Reads the next bytes of the input; `chunk` may be reused once this returns. */
  push(chunk: Uint8Array): void {
    if (this.done) return;
    if (this.tokenizer !== null) {
      this.tokenizer.push(chunk);
      return;
    }
    if (this.sampleLength === 0 && chunk.length >= SAMPLE_BYTES) {
      this.start(chunk, false);
      return;
    }
    // the first bytes are kept (copied: the caller may reuse its chunk) until there are enough to detect from
    const need = this.sampleLength + chunk.length;
    if (this.sample === null || this.sample.length < need) {
      const grown = new Uint8Array(Math.max(need, SAMPLE_BYTES));
      if (this.sample !== null) grown.set(this.sample.subarray(0, this.sampleLength));
      this.sample = grown;
    }
    this.sample.set(chunk, this.sampleLength);
    this.sampleLength = need;
    if (need >= SAMPLE_BYTES) this.start(this.sample.subarray(0, need), false);
  }

  /**
   * Ends the input.
   * @throws DataError for a quoted field left open, and whatever the sink throws.
   */
  end(): void {
    if (this.done) return;
    if (this.tokenizer === null) this.start((this.sample ?? new Uint8Array(0)).subarray(0, this.sampleLength), true);
    this.tokenizer?.end();
    this.done = true;
  }

  /** Field `k` of `record` as text: decoded, `""` read as `"`. */
  text(record: CsvRecord, k: number): string {
    const s = decodeBytes(record.bytes, record.starts[k] as number, record.ends[k] as number, this.decoding);
    return ((record.flags[k] as number) & ESCAPED) !== 0 ? s.replaceAll('""', '"') : s;
  }

  /** Field `k` of `record` for a message: quoted, escaped and cut (only its first bytes are decoded). */
  show(record: CsvRecord, k: number): string {
    const start = record.starts[k] as number;
    const end = Math.min(record.ends[k] as number, start + SHOWN_BYTES);
    const s = decodeBytes(record.bytes, start, end, this.decoding);
    return quoteCell(((record.flags[k] as number) & ESCAPED) !== 0 ? s.replaceAll('""', '"') : s, end < (record.ends[k] as number));
  }

  /** `source: row r (line l)`, the start of a message about a data row. */
  where(row: number, line: number): string {
    return `${this.source}: row ${row} (line ${line})`;
  }

  private start(bytes: Uint8Array, complete: boolean): void {
    let skip = 0;
    const b0 = bytes[0];
    const b1 = bytes[1];
    if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff) || (bytes.length >= 4 && ((b1 === 0 && bytes[3] === 0) || (b0 === 0 && bytes[2] === 0)))) {
      throw new DataError(
        `${this.source}: line 1: the input is UTF-16 (${b0 === 0xff || b0 === 0xfe ? 'it starts with a UTF-16 byte-order mark' : 'every other byte is 0'}); ` +
          'simdnet reads UTF-8, Windows-1252 and Latin-1: save the file as UTF-8',
      );
    }
    if (b0 === 0xef && b1 === 0xbb && bytes[2] === 0xbf && this.decoding === 'utf-8') {
      skip = 3;
      this.formatSeen.bom = true;
      this.check = Check.Utf8;
      this.decidedAt = `the file starts with a UTF-8 byte-order mark; ${SINGLE_BYTE}`;
    }
    const body = bytes.subarray(skip);
    let separator = this.options.separator;
    if (separator === undefined) {
      const found = detectSeparator(body.subarray(0, SAMPLE_BYTES), complete && body.length <= SAMPLE_BYTES);
      this.formatSeen.separatorDetected = found !== null;
      separator = found ?? ',';
    }
    this.formatSeen.separator = separator;
    this.tokenizer = new CsvTokenizer({
      separator: separator.charCodeAt(0),
      offset: skip,
      onRecord: (r) => this.onRecord(r),
      where: (index, line) => (index === 0 ? `${this.source}: header (line ${line})` : this.where(index, line)),
    });
    this.tokenizer.push(body);
  }

  private onRecord(r: CsvRecord): boolean {
    if (r.nonAscii && this.check !== Check.None) this.checkEncoding(r);
    let go: boolean | void;
    if (this.names === null) {
      this.names = this.readHeader(r);
      go = this.sink.header(this.names, this);
    } else {
      go = this.sink.record(r, ++this.rows, this);
    }
    if (go === false) this.done = true;
    return go !== false;
  }

  private readHeader(r: CsvRecord): string[] {
    const names = Array.from({ length: r.fields }, (_, k) => this.text(r, k));
    const empty: number[] = [];
    const seen = new Map<string, number[]>();
    names.forEach((name, k) => {
      if (name.trim() === '') empty.push(k + 1);
      else seen.set(name, [...(seen.get(name) ?? []), k + 1]);
    });
    const twice = [...seen].filter(([, at]) => at.length > 1);
    if (empty.length === 0 && twice.length === 0) return names;
    const problems: string[] = [];
    if (twice.length > 0) {
      const listed = twice.slice(0, 8).map(([name, at]) => `${quoteCell(name)} at columns ${at.slice(0, 8).join(', ')}${at.length > 8 ? ', …' : ''}`);
      problems.push(`duplicate column names: ${listed.join('; ')}${twice.length > 8 ? `; and ${twice.length - 8} more` : ''}`);
    }
    if (empty.length > 0) problems.push(`empty column name${empty.length > 1 ? 's' : ''} at column${empty.length > 1 ? 's' : ''} ${empty.slice(0, 8).join(', ')}${empty.length > 8 ? ', …' : ''}`);
    throw new DataError(
      `${this.source}: header (line ${r.line}): ${problems.join('; ')} (columns counted from 1, of ${names.length}: ${quoteList(names)}); every column needs its own name`,
    );
  }

  /** Applies the encoding rules of the module comment to a record holding non-ASCII bytes. */
  private checkEncoding(r: CsvRecord): void {
    const scan = scanUtf8(r.bytes, r.start, r.end, this.scan);
    if (this.check === Check.Utf8) {
      if (scan.invalid >= 0) throw this.encodingError(r, scan.invalid, `is not valid UTF-8, but ${this.decidedAt}`);
      return;
    }
    if (this.check === Check.Detect) {
      if (scan.invalid < 0) {
        this.check = Check.Utf8;
        this.decidedAt = `line ${this.lineAt(r, scan.multibyte)} holds UTF-8 text: the file mixes encodings; ${MIXED}`;
        return;
      }
      if (scan.multibyte >= 0) {
        throw this.encodingError(r, scan.invalid, `is not valid UTF-8, but byte offset ${r.base + scan.multibyte} before it starts a UTF-8 character: the file mixes encodings; ${MIXED}`);
      }
      this.check = Check.Cp1252;
      this.decoding = 'windows-1252';
      this.decidedAt = `line ${this.lineAt(r, scan.invalid)} (byte offset ${r.base + scan.invalid}) holds byte 0x${hex(r.bytes[scan.invalid] as number)}, which is not UTF-8 (so the file was read as Windows-1252)`;
    }
    // Windows-1252, detected: no unassigned byte, no UTF-8 character
    for (let i = r.start; i < r.end; i++) {
      if (unassignedIn1252(r.bytes[i] as number)) {
        throw this.encodingError(r, i, "is neither UTF-8 nor Windows-1252 text (Windows-1252 leaves it unassigned); pass encoding: 'latin1' to read every byte as its ISO-8859-1 character");
      }
    }
    for (let from = r.start; from < r.end; ) {
      scanUtf8(r.bytes, from, r.end, scan);
      if (scan.multibyte >= 0) {
        throw this.encodingError(r, scan.multibyte, `starts a UTF-8 character, but ${this.decidedAt}: the file mixes encodings; ${MIXED}`);
      }
      if (scan.invalid < 0) break;
      from = scan.invalid + 1;
    }
  }

  private encodingError(r: CsvRecord, at: number, problem: string): DataError {
    let k = 0;
    while (k < r.fields - 1 && at >= (r.ends[k] as number)) k++;
    const column = this.names === null ? `column ${k + 1}` : `column ${quoteCell(this.names[k] ?? `${k + 1}`)}`;
    const line = this.lineAt(r, at);
    const where = r.index === 0 ? `${this.source}: header (line ${r.line})` : this.where(r.index, r.line);
    return new DataError(`${where}, ${column}: byte 0x${hex(r.bytes[at] as number)} at ${line === r.line ? '' : `line ${line}, `}byte offset ${r.base + at} ${problem}`);
  }

  /** The line of `r.bytes[at]` (a record can span lines inside quotes). */
  private lineAt(r: CsvRecord, at: number): number {
    let line = r.line;
    for (let i = r.start; i < at; i++) {
      const b = r.bytes[i];
      if (b === 0x0d || (b === 0x0a && r.bytes[i - 1] !== 0x0d)) line++;
    }
    return line;
  }
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}
