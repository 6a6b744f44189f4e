/**
 * A table as people have it, held column by column in typed storage: every
 * cell is a number, a text value, or missing. Kinds (numeric, categorical,
 * date, …) are decided later, on the training rows only; a column keeps what
 * every kind needs, with no object per row.
 */

/** `codes` value of a cell that is a number (see `numbers`). */
export const NUMBER = -1;
/** `codes` value of a missing cell (an empty cell or a missing-value token). */
export const MISSING = -2;
/** `codes` value of a text cell past the column's distinct-text cap (the column is then free text). */
export const OVERFLOW = -3;

/** What counts as a missing cell by default (compared case-insensitively, after trimming). */
export const DEFAULT_NA = ['', 'NA', 'N/A', 'null', 'NaN', '?', '.', '-'] as const;

/** Distinct text values a column keeps before it is treated as free text. */
export const TEXT_CAP = 10_000;
/** Characters of distinct text a column keeps, in all, before it is treated as free text (a bound on memory). */
export const TEXT_CHARS_CAP = 1 << 25;

/** One column of raw cells. */
export interface RawColumn {
  readonly name: string;
  /** Per row: the cell's value when it is a plain decimal number, NaN otherwise. */
  readonly numbers: Float32Array;
  /**
   * Per row: NUMBER, MISSING, OVERFLOW, or an index into `texts`. null when
   * every cell is a number (the common case costs no second array).
   */
  readonly codes: Int32Array | null;
  /** Distinct text values in order of first appearance (at most TEXT_CAP). */
  readonly texts: readonly string[];
  /** Whether some text values were past TEXT_CAP or TEXT_CHARS_CAP (their codes are OVERFLOW). */
  readonly overflow: boolean;
}

/** Columns of equal length, by header name. */
export interface RawTable {
  readonly names: readonly string[];
  readonly rows: number;
  readonly columns: readonly RawColumn[];
}

// Plain decimal notation only: Number() alone would also accept '0x1F',
// 'Infinity' or ' ', which are never meant as data.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A cell's number, or null when it is not plain decimal notation. */
export function parseDecimal(cell: string): number | null {
  return DECIMAL.test(cell) ? Number(cell) : null;
}

/** The test for missing cells from a list of tokens (case-insensitive, trimmed). */
export function missingTest(tokens: readonly string[] = DEFAULT_NA): (cell: string) => boolean {
  const set = new Set(tokens.map((t) => t.trim().toLowerCase()));
  return (cell) => set.has(cell.trim().toLowerCase());
}

/**
 * Builds one column cell by cell. Storage grows by doubling; `finish` trims
 * it. The CSV reader calls `number` straight from bytes for numeric cells
 * and `text` only for the rest.
 */
export class ColumnBuilder {
  private numbers: Float32Array;
  private codes: Int32Array | null = null;
  private readonly texts: string[] = [];
  private readonly index = new Map<string, number>();
  private overflow = false;
  private textChars = 0;
  private n = 0;

  constructor(readonly name: string, capacity = 1024) {
    this.numbers = new Float32Array(Math.max(16, capacity));
  }

  get length(): number {
    return this.n;
  }

  /** A cell that is a number. */
  number(v: number): void {
    if (this.n === this.numbers.length) this.grow();
    this.numbers[this.n] = v;
    if (this.codes) this.codes[this.n] = NUMBER;
    this.n++;
  }

  /** A missing cell. */
  missing(): void {
    this.code(MISSING);
  }

  /** A text cell (not a number, not missing). */
  text(s: string): void {
    let c = this.index.get(s);
    if (c === undefined) {
      if (this.texts.length >= TEXT_CAP || this.textChars + s.length > TEXT_CHARS_CAP) {
        this.overflow = true;
        c = OVERFLOW;
      } else {
        c = this.texts.length;
        this.textChars += s.length;
        this.texts.push(s);
        this.index.set(s, c);
      }
    }
    this.code(c);
  }

  private code(c: number): void {
    if (this.n === this.numbers.length) this.grow();
    if (!this.codes) {
      this.codes = new Int32Array(this.numbers.length).fill(NUMBER);
    }
    this.numbers[this.n] = NaN;
    this.codes[this.n] = c;
    this.n++;
  }

  /** Makes room for `rows` rows in all (a size estimate: storage still grows past it). */
  reserve(rows: number): void {
    if (rows > this.numbers.length) this.resize(rows);
  }

  private grow(): void {
    this.resize(this.numbers.length * 2);
  }

  private resize(capacity: number): void {
    const numbers = new Float32Array(capacity);
    numbers.set(this.numbers);
    this.numbers = numbers;
    if (this.codes) {
      const codes = new Int32Array(numbers.length).fill(NUMBER);
      codes.set(this.codes);
      this.codes = codes;
    }
  }

  finish(): RawColumn {
    const n = this.n;
    return {
      name: this.name,
      numbers: trimmed(this.numbers, n),
      codes: this.codes && trimmed(this.codes, n),
      texts: this.texts,
      overflow: this.overflow,
    };
  }
}

/**
 * The first n values: a view when the unused end is small (the reader sizes
 * columns from an estimate of the row count, usually within a few per cent),
 * else a copy, so that a large column is not briefly held twice.
 */
function trimmed<T extends Float32Array | Int32Array>(a: T, n: number): T {
  if (n === a.length) return a;
  return (a.length - n <= a.length / 16 ? a.subarray(0, n) : a.slice(0, n)) as T;
}

/**
 * A cell as a user or a file gives it, into a builder: numbers (and numeric
 * text) as numbers, missing tokens and null/undefined/NaN as missing, other
 * values as text.
 */
export function pushCell(b: ColumnBuilder, cell: unknown, isMissing: (s: string) => boolean): void {
  if (cell === null || cell === undefined) return b.missing();
  if (typeof cell === 'number') return Number.isNaN(cell) ? b.missing() : b.number(cell);
  if (typeof cell === 'boolean') return b.text(cell ? 'true' : 'false');
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? b.missing() : b.text(cell.toISOString());
  const s = String(cell).trim();
  if (isMissing(s)) return b.missing();
  const v = parseDecimal(s);
  if (v === null) b.text(s);
  else b.number(v);
}

/** A table from string records (a parsed CSV's rows after its header). */
export function tableFromRecords(names: readonly string[], records: readonly (readonly string[])[], na: readonly string[] = DEFAULT_NA): RawTable {
  const isMissing = missingTest(na);
  const builders = names.map((n) => new ColumnBuilder(n, records.length));
  for (const record of records) {
    for (let c = 0; c < builders.length; c++) pushCell(builders[c]!, record[c], isMissing);
  }
  return { names: names.slice(), rows: records.length, columns: builders.map((b) => b.finish()) };
}

/** The text of a cell, for reports and messages: the number, the text, or null when missing. */
export function cellText(col: RawColumn, row: number): string | null {
  const code = col.codes ? col.codes[row]! : NUMBER;
  if (code === NUMBER) return String(col.numbers[row]);
  if (code === MISSING) return null;
  if (code === OVERFLOW) return '(text)';
  return col.texts[code]!;
}

/** The table's rows `rows` (ascending indices), as a new table; the same table when that is every row. */
export function selectRows(table: RawTable, rows: Uint32Array): RawTable {
  if (rows.length === table.rows) return table;
  const columns = table.columns.map((c): RawColumn => ({
    name: c.name,
    numbers: Float32Array.from(rows, (r) => c.numbers[r]!),
    codes: c.codes && Int32Array.from(rows, (r) => c.codes![r]!),
    texts: c.texts,
    overflow: c.overflow,
  }));
  return { names: table.names, rows: rows.length, columns };
}
