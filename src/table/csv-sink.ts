/**
 * CSV records → a raw table, column by column: the sink the CSV reader
 * feeds. Plain numbers go from bytes straight into float32 storage; only the
 * other cells are decoded to text (missing-value tokens become gaps).
 */

import { DataError } from 'simdnet';
import { decimal, parseDecimalBytes } from './csv-number.js';
import { quoteCell, quoteList } from './csv-message.js';
import { F32_MAX } from '../float32.js';
import type { CsvReader, CsvSink } from './csv-reader.js';
import type { CsvRecord } from './csv-record.js';
import { SEPARATORS } from './csv-separator.js';
import { ColumnBuilder, missingTest, type RawTable } from './column.js';

/** Options of {@link TableSink}. */
export interface TableSinkOptions {
  /** Names the input in messages. */
  source: string;
  /** Cells that mean "missing" (see column.ts DEFAULT_NA). */
  na?: readonly string[];
  /** Drop rows with the wrong number of fields instead of refusing the file. */
  dropInvalid?: boolean;
  /** The input's length in bytes, when known: sizes the columns once the first rows show their length. */
  inputBytes?: number;
  /** Called every so many bytes with the bytes read so far (a progress bar). */
  onBytes?: (bytes: number) => void;
}

/** Rows read before the input's length is turned into an estimate of the row count. */
const ESTIMATE_AFTER = 1024;
const PROGRESS_EVERY = 1 << 22;

export class TableSink implements CsvSink {
  private names: readonly string[] = [];
  private builders: ColumnBuilder[] = [];
  private readonly isMissing: (s: string) => boolean;
  /** Per data row kept: its 1-based line in the file, for messages. */
  private lines: number[] = [];
  private rowsSeen = 0;
  /** One row's numbers (NaN: not a number), reused. */
  private values = new Float64Array(0);
  private nextProgress = PROGRESS_EVERY;
  /** Rows dropped for the wrong number of fields (dropInvalid). */
  dropped = 0;

  constructor(private readonly o: TableSinkOptions) {
    this.isMissing = missingTest(o.na);
  }

  header(names: readonly string[], reader: CsvReader): void {
    if (names.length < 2) {
      // not detected: none splits the header, or one was given (which does not): a separator it holds is worth naming
      const given = reader.format.separator;
      const other = names.length === 1 ? SEPARATORS.find((s) => s !== given && names[0]!.includes(s)) : undefined;
      const why = reader.format.separatorDetected ? ''
        : other !== undefined ? `; it was read with the separator ${quoteCell(given)}, but it holds ${quoteCell(other)}`
        : "; no separator among ',', ';', tab and '|' splits the header";
      throw new DataError(`${this.o.source}: expected at least 2 columns (features and a target), got ${names.length} (${quoteList(names)})${why}`);
    }
    this.names = names;
    this.builders = names.map((n) => new ColumnBuilder(n));
    this.values = new Float64Array(names.length);
  }

  record(r: CsvRecord, row: number, reader: CsvReader): void {
    this.rowsSeen = row;
    const columns = this.builders.length;
    if (r.fields !== columns) {
      const problem = `row ${row} (line ${r.line}): expected ${columns} fields (as in the header), got ${r.fields}`;
      if (!this.o.dropInvalid) throw new DataError(`${this.o.source}: ${problem}; pass dropInvalid: true to drop such rows`);
      this.dropped++;
      return;
    }
    // numbers first, into a scratch row: one beyond float32 refuses (or drops) the row before any of it is stored
    const values = this.values;
    for (let c = 0; c < columns; c++) {
      const v = this.numberAt(r, c, reader);
      if (v === v && !(Math.abs(Math.fround(v)) <= F32_MAX)) {
        const problem = `row ${row} (line ${r.line}): column ${quoteCell(this.names[c]!)}: expected a number within the float32 range (±3.4e38), got ${reader.show(r, c)}`;
        if (!this.o.dropInvalid) throw new DataError(`${this.o.source}: ${problem}; pass dropInvalid: true to drop such rows`);
        this.dropped++;
        return;
      }
      values[c] = v;
    }
    for (let c = 0; c < columns; c++) {
      const b = this.builders[c]!;
      const v = values[c]!;
      if (v === v) b.number(v);
      else if (r.starts[c] === r.ends[c]) b.missing();
      else {
        const text = reader.text(r, c);
        if (this.isMissing(text)) b.missing();
        else b.text(text); // as the tokenizer gives it: unquoted fields trimmed, quoted ones whole
      }
    }
    this.lines.push(r.line);
    if (row === ESTIMATE_AFTER && this.o.inputBytes !== undefined) {
      const read = r.base + r.end;
      const rows = Math.ceil((row * this.o.inputBytes * 1.02) / read) + 16;
      for (const b of this.builders) b.reserve(rows);
    }
    if (this.o.onBytes && r.base + r.end >= this.nextProgress) {
      this.nextProgress += PROGRESS_EVERY;
      this.o.onBytes(r.base + r.end);
    }
  }

  /** Field c as a number (NaN when it is not one), without decoding it when the bytes are plain ASCII digits. */
  private numberAt(r: CsvRecord, c: number, reader: CsvReader): number {
    const s = r.starts[c]!;
    const e = r.ends[c]!;
    if (s === e) return NaN;
    const v = parseDecimalBytes(r.bytes, s, e);
    if (v === v) return v;
    // long digit strings and exponents beyond the fast path: only those whose bytes could be a number
    const first = r.bytes[s]!;
    if (!((first >= 0x30 && first <= 0x39) || first === 0x2b || first === 0x2d || first === 0x2e || first === 0x20 || first === 0x09)) return NaN;
    return decimal(reader.text(r, c)) ?? NaN;
  }

  /** Rows read since the start or the last {@link drain}. */
  get pending(): number {
    return this.lines.length;
  }

  /**
   * The rows read since the start or the last drain, as a table, and fresh
   * storage for the next ones: a file read a chunk at a time (streamCsv),
   * never held whole. Give no `inputBytes` to such a sink (it sizes the
   * storage for the whole input).
   */
  drain(): RawTable {
    const columns = this.builders.map((b) => b.finish());
    this.builders = this.names.map((n) => new ColumnBuilder(n));
    this.lines = [];
    return { names: this.names.slice(), rows: columns.length > 0 ? columns[0]!.numbers.length : 0, columns };
  }

  /**
   * The table once the input has ended, and the file line of each row.
   * @throws DataError for no header or no data rows.
   */
  finish(reader: CsvReader): { table: RawTable; lines: Int32Array } {
    if (reader.header === null) throw new DataError(`${this.o.source}: expected a header row, got no rows (empty input)`);
    if (this.rowsSeen === 0) throw new DataError(`${this.o.source}: expected at least one data row after the header, got none`);
    const columns = this.builders.map((b) => b.finish());
    return { table: { names: this.names.slice(), rows: columns[0]!.numbers.length, columns }, lines: Int32Array.from(this.lines) };
  }
}
