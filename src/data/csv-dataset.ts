/**
 * CSV records → a {@link Dataset}: the sink parseCsv and loadCsv feed the
 * reader's records into. Feature cells are parsed from bytes straight into
 * float32 rows; the target is kept as numbers and as raw bytes, because
 * whether it holds class labels or values is known only once every row is in.
 */

import { DataError, ValueError } from '../errors.js';
import { BytesColumn, Float32Rows, Float64Column } from './csv-columns.js';
import { decodeBytes } from './csv-encoding.js';
import { quoteCell, quoteList } from './csv-message.js';
import { decimal, parseDecimalBytes } from './csv-number.js';
import type { CsvFormat, CsvReader, CsvSink } from './csv-reader.js';
import { ESCAPED, type CsvRecord } from './csv-record.js';
import { AUTO_MAX_CLASSES, type Dataset, type Task } from './dataset.js';

/** A Dataset read from CSV, with how the CSV was read. */
export interface CsvDataset extends Dataset {
  /** The separator and encoding used, and whether they were detected. */
  readonly csv: CsvFormat;
}

/** What the sink needs of parseCsv's options, checked. */
export interface DatasetSinkOptions {
  source: string;
  target: string | number | undefined;
  features: ReadonlyArray<string | number> | undefined;
  task: 'auto' | Task;
  dropInvalid: boolean;
  /** The input's length in bytes, when known: sizes the feature storage once the first rows show their length. */
  inputBytes?: number;
}

/** Rows read before the input's length is turned into an estimate of the row count. */
const ESTIMATE_AFTER = 1024;

const RANGE = 'expected a number within the float32 range (±3.4e38), got';

/** Builds a Dataset from the records of a {@link CsvReader}. */
export class DatasetSink implements CsvSink {
  private readonly o: DatasetSinkOptions;
  private names: readonly string[] = [];
  private columns = 0;
  private featureColumns = new Int32Array(0);
  private target = 0;
  private x: Float32Rows | null = null;
  private readonly y = new Float64Column();
  /** The target cells' bytes, needed only if some label is not a number (not kept for task 'regression'). */
  private readonly labels = new BytesColumn();
  private nonNumeric = 0;
  /** The first target beyond the float32 range, in case 'auto' makes the task regression. */
  private firstHuge: string | null = null;
  private rowsSeen = 0;
  private dropped = 0;
  private firstProblem = '';

  constructor(options: DatasetSinkOptions) {
    this.o = options;
  }

  header(names: readonly string[], reader: CsvReader): void {
    const { source } = this.o;
    this.names = names;
    this.columns = names.length;
    if (names.length < 2) {
      const why = reader.format.separatorDetected ? '' : "; no separator among ',', ';', tab and '|' splits the header";
      throw new DataError(`${source}: expected at least 2 columns (features and a target), got ${names.length} (${quoteList(names)})${why}`);
    }
    this.target = this.o.target === undefined ? names.length - 1 : resolveColumn(names, this.o.target, source, 'options.target');
    const featureColumns: number[] = [];
    if (this.o.features === undefined) {
      for (let c = 0; c < names.length; c++) if (c !== this.target) featureColumns.push(c);
    } else {
      const features = this.o.features;
      if (!Array.isArray(features) || features.length === 0) {
        throw new ValueError(`options.features: expected a non-empty array of column names or indices, got ${String(features)}`);
      }
      features.forEach((f, i) => {
        const c = resolveColumn(names, f, source, `options.features[${i}]`);
        if (c === this.target) throw new ValueError(`options.features[${i}]: ${quoteCell(names[c] as string)} is the target column; a feature must be another column`);
        if (featureColumns.includes(c)) throw new ValueError(`options.features[${i}]: column ${quoteCell(names[c] as string)} is listed twice`);
        featureColumns.push(c);
      });
    }
    this.featureColumns = Int32Array.from(featureColumns);
    this.x = new Float32Rows(featureColumns.length);
  }

  record(r: CsvRecord, row: number, reader: CsvReader): void {
    this.rowsSeen = row;
    if (r.fields !== this.columns) return this.reject(reader, row, r.line, `expected ${this.columns} fields (as in the header), got ${r.fields}`);
    const x = this.x as Float32Rows;
    if (x.pos === x.block.length) x.next();
    const block = x.block;
    const pos = x.pos;
    const { bytes, starts, ends } = r;
    const fc = this.featureColumns;
    for (let j = 0; j < fc.length; j++) {
      const c = fc[j] as number;
      let v = parseDecimalBytes(bytes, starts[c] as number, ends[c] as number);
      if (v !== v) {
        v = this.slowNumber(reader, r, c, row);
        if (v !== v) return;
      }
      const f = Math.fround(v);
      if (f === Infinity || f === -Infinity) return this.reject(reader, row, r.line, `column ${quoteCell(this.names[c] as string)}: ${RANGE} ${reader.show(r, c)}`);
      block[pos + j] = f;
    }
    const t = this.target;
    const ts = starts[t] as number;
    const te = ends[t] as number;
    if (ts === te) return this.reject(reader, row, r.line, `column ${quoteCell(this.names[t] as string)}: expected a target value, got an empty cell (missing value)`);
    let v = parseDecimalBytes(bytes, ts, te);
    if (v !== v) v = decimal(reader.text(r, t)) ?? NaN;
    if (this.o.task === 'regression') {
      // the task is known: a bad target makes a bad row at once
      if (v !== v) return this.reject(reader, row, r.line, `column ${quoteCell(this.names[t] as string)} (regression target): expected a number, got ${reader.show(r, t)}`);
      if (!Number.isFinite(Math.fround(v))) return this.reject(reader, row, r.line, `column ${quoteCell(this.names[t] as string)} (regression target): ${RANGE} ${reader.show(r, t)}`);
    } else {
      if (v !== v) this.nonNumeric++;
      else if (this.firstHuge === null && !Number.isFinite(Math.fround(v))) {
        this.firstHuge = `row ${row} (line ${r.line}): column ${quoteCell(this.names[t] as string)} (regression target): ${RANGE} ${reader.show(r, t)}`;
      }
      this.labels.push(bytes, ts, te, ((r.flags[t] as number) & ESCAPED) !== 0);
    }
    this.y.push(v);
    x.pos = pos + fc.length;
    if (row === ESTIMATE_AFTER && this.o.inputBytes !== undefined) {
      // rows to come ≈ the bytes to come at the bytes per row so far, plus a little
      const read = r.base + r.end;
      x.reserve(Math.ceil((x.rows * this.o.inputBytes * 1.02) / read) + 16);
    }
  }

  /**
   * Builds the dataset once the input has ended: decides the task, maps
   * class labels to indices.
   * @throws DataError for no header, no data rows, every row dropped, or too few classes.
   */
  finish(reader: CsvReader): CsvDataset {
    const { source, task, dropInvalid } = this.o;
    if (reader.header === null) throw new DataError(`${source}: expected a header row, got no rows (empty input)`);
    if (this.rowsSeen === 0) throw new DataError(`${source}: expected at least one data row after the header, got none`);
    const values = this.y.view();
    if (values.length === 0) throw this.allDropped();
    const targetName = this.names[this.target] as string;
    const allNumeric = this.nonNumeric === 0;
    const classification = task === 'auto' ? !allNumeric || isSmallIntegerSet(values) : task !== 'regression';
    const x = (this.x as Float32Rows).toArray();
    const features = this.featureColumns.length;
    const featureNames = Array.from(this.featureColumns, (c) => this.names[c] as string);
    const base = { features, featureNames, targetName, csv: reader.format };

    if (!classification) {
      // 'auto' learns only now that targets must be float32 numbers; explicit 'regression' checked them row by row
      const keep: number[] = [];
      for (let i = 0; i < values.length; i++) if (Number.isFinite(Math.fround(values[i] as number))) keep.push(i);
      if (keep.length < values.length) {
        const first = this.firstHuge as string;
        if (!dropInvalid) throw new DataError(`${source}: ${first}; pass dropInvalid: true to drop such rows`);
        if (this.dropped === 0) this.firstProblem = first;
        this.dropped += values.length - keep.length;
        if (keep.length === 0) throw this.allDropped();
      }
      const all = keep.length === values.length;
      return {
        ...base,
        x: all ? x : gatherRows(x, features, keep),
        rows: keep.length,
        task: 'regression',
        classes: null,
        y: all ? Float32Array.from(values) : Float32Array.from(keep, (i) => values[i] as number),
        dropped: this.dropped,
      };
    }

    const { classes, y } = allNumeric ? numericClasses(values) : this.textClasses(reader.format.encoding);
    const k = classes.length;
    const found = `found ${k} (${quoteList(classes)}) in column ${quoteCell(targetName)}`;
    if (k < 2) throw new DataError(`${source}: expected at least 2 classes in the target, ${found}` + (allNumeric ? "; pass task: 'regression' for a numeric target" : ''));
    if (task === 'binary' && k !== 2) throw new DataError(`${source}: task 'binary' expects exactly 2 classes, ${found}`);
    return { ...base, x, rows: values.length, task: task === 'multiclass' || k > 2 ? 'multiclass' : 'binary', classes, y, dropped: this.dropped };
  }

  /** A feature cell the fast path could not read: its number, or NaN once the row is rejected. */
  private slowNumber(reader: CsvReader, r: CsvRecord, c: number, row: number): number {
    const column = `column ${quoteCell(this.names[c] as string)}`;
    const text = (r.starts[c] as number) === (r.ends[c] as number) ? '' : reader.text(r, c);
    if (text.trim() === '') {
      this.reject(reader, row, r.line, `${column}: expected a number, got an empty cell (missing value)`);
      return NaN;
    }
    const v = decimal(text);
    if (v === null) {
      this.reject(reader, row, r.line, `${column}: expected a number, got ${reader.show(r, c)}`);
      return NaN;
    }
    return v;
  }

  private reject(reader: CsvReader, row: number, line: number, problem: string): void {
    const where = `row ${row} (line ${line}): ${problem}`;
    if (!this.o.dropInvalid) throw new DataError(`${reader.source}: ${where}; pass dropInvalid: true to drop such rows`);
    if (this.dropped === 0) this.firstProblem = where;
    this.dropped++;
  }

  private allDropped(): DataError {
    return new DataError(`${this.o.source}: expected at least one valid data row, got none: all ${this.rowsSeen} rows were dropped; the first: ${this.firstProblem}`);
  }

  /** String labels: sorted in code-unit order (never the locale's), each row's index among them. */
  private textClasses(encoding: CsvFormat['encoding']): { classes: string[]; y: Float32Array } {
    const { bytes, length } = this.labels;
    const index = new Map<string, number>();
    const first = new Uint32Array(length);
    for (let i = 0; i < length; i++) {
      const label = decodeBytes(bytes, this.labels.start(i), this.labels.ends[i] as number, encoding);
      let id = index.get(label);
      if (id === undefined) index.set(label, (id = index.size));
      first[i] = id;
    }
    const distinct = [...index.keys()];
    const order = distinct.map((_, i) => i).sort((a, b) => (distinct[a]! < distinct[b]! ? -1 : distinct[a]! > distinct[b]! ? 1 : 0));
    const rank = new Uint32Array(order.length);
    order.forEach((id, r) => (rank[id] = r));
    const y = new Float32Array(length);
    for (let i = 0; i < length; i++) y[i] = rank[first[i] as number] as number;
    return { classes: order.map((id) => distinct[id] as string), y };
  }
}

/** Numeric labels: keyed by value, so '1' and '1.0' are one class; sorted numerically; named in their shortest form. */
function numericClasses(values: Float64Array): { classes: string[]; y: Float32Array } {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const index = new Map(distinct.map((v, i) => [v, i]));
  const y = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) y[i] = index.get(values[i] as number) as number;
  return { classes: distinct.map(String), y };
}

/** The 'auto' rule for numeric targets: integers only, at most AUTO_MAX_CLASSES distinct values. */
function isSmallIntegerSet(values: Float64Array): boolean {
  const seen = new Set<number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isInteger(v)) return false;
    if (!seen.has(v)) {
      seen.add(v);
      if (seen.size > AUTO_MAX_CLASSES) return false;
    }
  }
  return true;
}

function resolveColumn(header: readonly string[], column: string | number, source: string, name: string): number {
  if (typeof column === 'number') {
    if (!Number.isInteger(column) || column < 0 || column >= header.length) {
      throw new ValueError(`${name}: expected a column index 0..${header.length - 1}, got ${String(column)}`);
    }
    return column;
  }
  const at = header.indexOf(column);
  if (at < 0) throw new ValueError(`${name}: expected a column name from the header of ${source} (${quoteList(header)}), got ${quoteCell(String(column))}`);
  return at;
}

function gatherRows(x: Float32Array, features: number, keep: readonly number[]): Float32Array {
  const out = new Float32Array(keep.length * features);
  keep.forEach((src, dst) => out.set(x.subarray(src * features, src * features + features), dst * features));
  return out;
}
