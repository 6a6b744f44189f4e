/**
 * A CSV record as the tokenizer hands it over: offsets of its fields in a
 * byte buffer. The contract between csv-tokenizer.ts and whatever reads
 * records (csv-reader.ts, the dataset and table sinks): fields are read as
 * numbers straight from the bytes, or decoded to text when they must be.
 */

/** Field flag: the field was quoted. */
export const QUOTED = 1;
/** Field flag: the quoted content holds doubled quotes (`""`) that read as one. */
export const ESCAPED = 2;

/**
 * One record, as offsets into `bytes`. The tokenizer reuses this object (and
 * `bytes` may be the caller's chunk): read it inside the callback, copy what
 * must outlive it.
 */
export interface CsvRecord {
  /** The buffer the offsets index. */
  bytes: Uint8Array;
  /** Number of fields. */
  fields: number;
  /** Field i is `bytes[starts[i], ends[i])`: trimmed, without its quotes. Longer than `fields`. */
  starts: Int32Array;
  ends: Int32Array;
  /** Per field: {@link QUOTED}, {@link ESCAPED}. */
  flags: Uint8Array;
  /** The record's own bytes: `bytes[start, end)`, without the line end. */
  start: number;
  end: number;
  /** Offset of `bytes[0]` in the whole input, so `bytes[i]` is input byte `base + i`. */
  base: number;
  /** 1-based line the record starts on. */
  line: number;
  /** 0-based index among the records (blank lines are not records). */
  index: number;
  /** Whether a byte of the record is ≥ 0x80 (not ASCII). */
  nonAscii: boolean;
}
