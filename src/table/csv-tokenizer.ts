/**
 * The CSV tokenizer: bytes in, records out as field offsets over a byte
 * buffer — no string and no object per field or per row.
 *
 * Works on bytes, not text: every byte it looks at (separator, quote, CR, LF,
 * ASCII spaces) means the same in UTF-8, Windows-1252 and Latin-1, so
 * decoding is left to whoever reads a field as text (csv-encoding.ts), and
 * numbers are parsed straight from the bytes (csv-number.ts).
 *
 * Rules (RFC 4180, plus what files in the wild need):
 * - a field is quoted when its first byte after ASCII spaces is `"`; inside,
 *   separators and line ends are data and `""` is one quote; after the closing
 *   quote only ASCII spaces may come before the separator or the line end;
 * - a quote inside an unquoted field is an ordinary character (`5'11"`);
 * - records end at LF, CRLF or a lone CR (lines are counted the same way,
 *   inside quoted fields too);
 * - unquoted fields are trimmed of ASCII spaces (space, VT, FF, and tab when
 *   tab is not the separator); quoted content is kept as written;
 * - a record that is one empty unquoted field (a blank or all-space line) is
 *   skipped; `""` alone is a record with one empty field.
 *
 * Push-driven and resumable: `push` may split the input anywhere (inside a
 * quoted field, between CR and LF, inside a multi-byte character). A chunk is
 * scanned where it lies when no record is pending, else appended to the
 * pending record's bytes; scanning resumes where it stopped, so each byte is
 * scanned once and copied at most twice whatever the chunking (a record
 * longer than many chunks included).
 */

import { DataError } from 'simdnet';
import { ESCAPED, QUOTED, type CsvRecord } from './csv-record.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const SPACE = 0x20;
const TAB = 0x09;
const VT = 0x0b;
const FF = 0x0c;

// Scanner states between bytes (kept across pushes)
const FIELD = 0; // at a field's start, skipping spaces
const UNQUOTED = 1; // inside an unquoted field
const IN_QUOTES = 2; // inside a quoted field
const QUOTE_SEEN = 3; // a quote inside a quoted field: doubled, or the closing one
const AFTER_QUOTE = 4; // after a closing quote: spaces until the separator or the line end
const AFTER_CR = 5; // a CR ended the record: an LF right after it belongs to it

/** Options of {@link CsvTokenizer}. */
export interface CsvTokenizerOptions {
  /** The separator byte (`,` `;` tab `|` are the ones detected; any ASCII byte but `"`, CR, LF works). */
  separator: number;
  /** Called for every record, in order; return `false` to stop (later pushes are ignored). */
  onRecord: (record: CsvRecord) => boolean | void;
  /**
   * Where a record is, for syntax errors: e.g. `data.csv: row 3 (line 4)`.
   * Default `line <line>`.
   */
  where?: (index: number, line: number) => string;
  /** Offset of the first pushed byte in the input (e.g. 3 after a byte-order mark). Default 0. */
  offset?: number;
}

/** Push tokenizer; see the module comment for the rules. */
export class CsvTokenizer {
  private readonly sep: number;
  private readonly onRecord: (record: CsvRecord) => boolean | void;
  private readonly where: (index: number, line: number) => string;
  private readonly record: CsvRecord;

  // Bytes of the unfinished record, carried from one push to the next.
  private carry = new Uint8Array(0);
  private carryLength = 0;
  /** Input offset of the next pushed byte. */
  private consumed: number;
  private stopped = false;

  // Scanner state, in offsets of the buffer being scanned (rebased when carried)
  private state = FIELD;
  private scanned = 0; // carry[0, scanned) has been scanned
  private recordStart = 0;
  private recordLine = 1;
  private fieldStart = 0;
  private fieldFlags = 0;
  private quoteAt = 0; // where the quote of QUOTE_SEEN is
  private fields = 0;
  private line = 1;
  private nonAscii = 0;
  private records = 0;

  constructor(options: CsvTokenizerOptions) {
    this.sep = options.separator;
    this.onRecord = options.onRecord;
    this.where = options.where ?? ((_, line) => `line ${line}`);
    this.consumed = options.offset ?? 0;
    this.record = {
      bytes: this.carry,
      fields: 0,
      starts: new Int32Array(16),
      ends: new Int32Array(16),
      flags: new Uint8Array(16),
      start: 0,
      end: 0,
      base: 0,
      line: 1,
      index: 0,
      nonAscii: false,
    };
  }

  /** Tokenizes the next bytes of the input. `chunk` may be reused by the caller once this returns. */
  push(chunk: Uint8Array): void {
    if (this.stopped || chunk.length === 0) return;
    if (this.carryLength === 0) {
      // Nothing pending: scan the chunk where it lies.
      const base = this.consumed;
      this.consumed += chunk.length;
      this.scan(chunk, 0, chunk.length, base);
      this.keepTail(chunk, chunk.length);
      return;
    }
    this.reserve(this.carryLength + chunk.length);
    this.carry.set(chunk, this.carryLength);
    this.carryLength += chunk.length;
    this.consumed += chunk.length;
    this.scan(this.carry, this.scanned, this.carryLength, this.consumed - this.carryLength);
    this.keepTail(this.carry, this.carryLength);
  }

  /**
   * Ends the input: the last record needs no line end.
   * @throws DataError when a quoted field is still open.
   */
  end(): void {
    if (this.stopped) return;
    const buf = this.carry;
    const end = this.carryLength;
    const base = this.consumed - end;
    switch (this.state) {
      case IN_QUOTES:
      case QUOTE_SEEN:
        if (this.state === IN_QUOTES) {
          const quoteLine = this.lineOf(buf, this.fieldStart - 1);
          throw new DataError(
            `${this.where(this.records, this.recordLine)}: invalid CSV: the quoted field opened at byte offset ${base + this.fieldStart - 1}` +
              `${quoteLine === this.recordLine ? '' : ` (line ${quoteLine})`} is not closed by the end of the input; ` +
              'a quote inside a quoted field must be doubled ("")',
          );
        }
        this.addField(this.fieldStart, this.quoteAt, this.fieldFlags | QUOTED);
        this.emit(buf, end, base);
        break;
      case AFTER_QUOTE:
        this.emit(buf, end, base);
        break;
      case UNQUOTED:
        this.addField(this.fieldStart, trimEnd(buf, this.fieldStart, end), 0);
        this.emit(buf, end, base);
        break;
      case FIELD:
        // after a separator, the record's last field is empty; otherwise nothing (or only spaces) is pending
        if (this.fields > 0) {
          this.addField(end, end, 0);
          this.emit(buf, end, base);
        }
        break;
    }
    this.stopped = true;
    this.carryLength = 0;
  }

  /** Scans `buf[i, end)`; `base` is the input offset of `buf[0]`. */
  private scan(buf: Uint8Array, i: number, end: number, base: number): void {
    const sep = this.sep;
    let state = this.state;
    let line = this.line;
    let nonAscii = this.nonAscii;
    let fieldStart = this.fieldStart;
    outer: while (i < end) {
      switch (state) {
        case AFTER_CR:
          if (buf[i] === LF) {
            i++;
            this.recordStart = i;
          }
          state = FIELD;
          break;
        case FIELD: {
          let b = buf[i] as number;
          while (b === SPACE || (b === TAB && sep !== TAB) || b === VT || b === FF) {
            if (++i === end) break outer;
            b = buf[i] as number;
          }
          if (b === QUOTE) {
            state = IN_QUOTES;
            fieldStart = ++i;
            this.fieldFlags = 0;
            break;
          }
          fieldStart = i;
          state = UNQUOTED;
        }
        // falls through: the field's first byte is an unquoted one
        case UNQUOTED: {
          let b = buf[i] as number;
          while (b !== sep && b !== LF && b !== CR) {
            nonAscii |= b;
            if (++i === end) break outer;
            b = buf[i] as number;
          }
          this.addField(fieldStart, trimEnd(buf, fieldStart, i), 0);
          i++;
          if (b === sep) {
            state = FIELD;
            break;
          }
          line++;
          this.nonAscii = nonAscii;
          if (!this.emit(buf, i - 1, base)) break outer;
          nonAscii = 0;
          this.recordStart = i;
          this.recordLine = line;
          state = b === CR ? AFTER_CR : FIELD;
          break;
        }
        case IN_QUOTES: {
          let b = buf[i] as number;
          while (b !== QUOTE) {
            if (b === LF) {
              // buf[i − 1] exists: an open quote is part of the unfinished record, which push keeps whole in one buffer
              if (buf[i - 1] !== CR) line++;
            } else if (b === CR) {
              line++;
            }
            nonAscii |= b;
            if (++i === end) break outer;
            b = buf[i] as number;
          }
          this.quoteAt = i++;
          state = QUOTE_SEEN;
          break;
        }
        case QUOTE_SEEN:
          if (buf[i] === QUOTE) {
            this.fieldFlags |= ESCAPED;
            i++;
            state = IN_QUOTES;
            break;
          }
          this.addField(fieldStart, this.quoteAt, this.fieldFlags | QUOTED);
          state = AFTER_QUOTE;
        // falls through: the byte after the closing quote
        case AFTER_QUOTE: {
          let b = buf[i] as number;
          while (b === SPACE || (b === TAB && sep !== TAB) || b === VT || b === FF) {
            if (++i === end) break outer;
            b = buf[i] as number;
          }
          if (b === sep) {
            i++;
            state = FIELD;
            break;
          }
          if (b !== LF && b !== CR) {
            const shown = b >= 0x20 && b < 0x7f ? `'${String.fromCharCode(b)}'` : `byte 0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
            throw new DataError(
              `${this.where(this.records, this.recordLine)}: invalid CSV: unexpected ${shown} at line ${line}, byte offset ${base + i}, ` +
                `after the closing quote of field ${this.fields} (counted from 1); a quote inside a quoted field must be doubled ("")`,
            );
          }
          i++;
          line++;
          this.nonAscii = nonAscii;
          if (!this.emit(buf, i - 1, base)) break outer;
          nonAscii = 0;
          this.recordStart = i;
          this.recordLine = line;
          state = b === CR ? AFTER_CR : FIELD;
          break;
        }
      }
    }
    this.state = state;
    this.line = line;
    this.nonAscii = nonAscii;
    this.fieldStart = fieldStart;
  }

  /** Appends field `[start, end)` to the current record. */
  private addField(start: number, end: number, flags: number): void {
    const r = this.record;
    const n = this.fields;
    if (n === r.starts.length) {
      r.starts = grown(r.starts, new Int32Array(n * 2));
      r.ends = grown(r.ends, new Int32Array(n * 2));
      r.flags = grown(r.flags, new Uint8Array(n * 2));
    }
    r.starts[n] = start;
    r.ends[n] = end;
    r.flags[n] = flags;
    this.fields = n + 1;
  }

  /** Hands the finished record (ending at `end`, before its line end) to the callback; false to stop. */
  private emit(buf: Uint8Array, end: number, base: number): boolean {
    const n = this.fields;
    this.fields = 0;
    const r = this.record;
    // a blank (or all-space) line
    if (n === 1 && r.flags[0] === 0 && r.starts[0] === r.ends[0]) {
      this.nonAscii = 0;
      return true;
    }
    r.bytes = buf;
    r.fields = n;
    r.start = this.recordStart;
    r.end = end;
    r.base = base;
    r.line = this.recordLine;
    r.index = this.records++;
    r.nonAscii = (this.nonAscii & 0x80) !== 0;
    this.nonAscii = 0;
    if (this.onRecord(r) === false) {
      this.stopped = true;
      this.carryLength = 0;
      return false;
    }
    return true;
  }

  /** Moves the unfinished record, `buf[recordStart, end)`, to the start of the carry buffer. */
  private keepTail(buf: Uint8Array, end: number): void {
    if (this.stopped) return;
    const from = this.state === AFTER_CR ? end : this.recordStart;
    const length = end - from;
    if (buf === this.carry) {
      // a record longer than a chunk stays where it is until it ends: no copy per push
      if (from > 0) this.carry.copyWithin(0, from, end);
    } else {
      this.reserve(length);
      this.carry.set(buf.subarray(from, end), 0);
    }
    this.carryLength = length;
    this.scanned = length;
    const r = this.record;
    for (let k = 0; k < this.fields; k++) {
      r.starts[k] = (r.starts[k] as number) - from;
      r.ends[k] = (r.ends[k] as number) - from;
    }
    this.fieldStart -= from;
    this.quoteAt -= from;
    this.recordStart -= from;
  }

  /** Grows the carry buffer to hold `n` bytes, keeping its content. */
  private reserve(n: number): void {
    if (n <= this.carry.length) return;
    const next = new Uint8Array(Math.max(n, this.carry.length * 2, 4096));
    next.set(this.carry.subarray(0, this.carryLength));
    this.carry = next;
  }

  /** The line of `buf[at]`, counted from the current record's start (for messages only). */
  private lineOf(buf: Uint8Array, at: number): number {
    let line = this.recordLine;
    for (let i = this.recordStart; i < at; i++) {
      const b = buf[i];
      if (b === CR || (b === LF && (i === 0 || buf[i - 1] !== CR))) line++;
    }
    return line;
  }
}

/**
 * `end` moved back over the ASCII spaces that end `buf[start, end)` (an
 * unquoted field's content never holds the separator, so a tab here is a space).
 */
function trimEnd(buf: Uint8Array, start: number, end: number): number {
  while (end > start) {
    const b = buf[end - 1];
    if (b !== SPACE && b !== VT && b !== FF && b !== TAB) break;
    end--;
  }
  return end;
}

function grown<T extends Int32Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
