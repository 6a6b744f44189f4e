/**
 * A CSV file as a streaming dataset (see trainModelStream): for files whose
 * rows do not fit in linear memory. The file is read once to survey it:
 * every row's target (the split, stratified and seeded as in memory, needs
 * them all; 4 bytes a row) and a systematic sample of whole rows (every
 * k-th, at most 2 × sampleRows), on which the column kinds, the encoders and
 * the input scaler are fitted, restricted to the training rows among them —
 * a sample, not a second pass, because the encoders' statistics (medians,
 * category counts, kinds) settle long before a few GB of rows, and a pass
 * costs as much as an epoch. Then once more to encode the validation and
 * test parts (held in memory), and once per epoch for the training rows,
 * shuffled within chunks of the file by the seed, in batches.
 */

import { DataError, Random, ValueError, type BatchSource, type Dataset, type Network, type PartRows, type StreamBatch, type StreamedParts, type StreamingDataset } from 'simdnet';
import { ColumnBuilder, MISSING, NUMBER, OVERFLOW, type RawColumn, type RawTable } from '../table/column.js';
import { fitPreprocessor, type PreprocessOptions, type Preprocessor } from '../table/preprocessor.js';
import type { ColumnSchema } from '../table/column-schema.js';
import type { CsvFormat } from '../table/csv-reader.js';
import { readTarget } from '../table/target.js';
import { CHUNK_ROWS, csvChunks, type ChunkOptions } from './csv-chunks.js';
import { Model } from './model.js';
import { checkCsvOptions, type CsvOptions } from './parse-csv.js';
import { resolveColumn } from './table-dataset.js';
import { describe } from '../describe.js';

/** Options of {@link streamCsv}: loadCsv's, and how many rows the encoders are fitted on. */
export interface StreamCsvOptions extends CsvOptions {
  /** Rows of the systematic sample the encoders and the scaler are fitted on: between this and twice this (default 65,536). */
  sampleRows?: number;
}

/** A CSV file read as a stream: what loadCsv's dataset says about the table, without its rows in memory. */
export interface StreamingCsvDataset extends StreamingDataset<Model> {
  /** What each column is, on the sample (trainModelStream fits the encoders again on its training rows). */
  readonly schema: ColumnSchema[];
  /** Rows left out because their target cell was missing. */
  readonly missingTarget: number;
  /** The separator and encoding used. */
  readonly csv: CsvFormat;
}

const DEFAULT_SAMPLE_ROWS = 1 << 16;

/**
 * Reads a CSV file as a streaming dataset for trainModelStream (one pass:
 * the targets and a sample), for files too large for loadCsv and
 * trainModel. Reads as loadCsv reads; `features`, `ignore`, `categorical`,
 * `na`, `maxCategories`, `task`, `target`, `separator` and `encoding` as
 * there; `dropInvalid` drops rows with the wrong number of fields (missing
 * cells are imputed). Node only.
 * @throws DataError and ValueError as loadCsv.
 */
export async function streamCsv(path: string, options: StreamCsvOptions = {}, onBytes?: (read: number) => void): Promise<StreamingCsvDataset> {
  // sampleRows is streamCsv's own; the rest are loadCsv's options, checked as there (null or a non-object refused by name)
  let csvOptions: unknown = options;
  let sampleOption: unknown;
  if (options !== null && typeof options === 'object' && Object.prototype.hasOwnProperty.call(options, 'sampleRows')) {
    const { sampleRows, ...rest } = options;
    sampleOption = sampleRows;
    csvOptions = rest;
  }
  const o = checkCsvOptions(csvOptions, path); // before the file is touched
  const task = o.task;
  const sampleRows = sampleOption === undefined ? DEFAULT_SAMPLE_ROWS : sampleOption;
  if (typeof sampleRows !== 'number' || !Number.isInteger(sampleRows) || sampleRows < 1) throw new ValueError(`options.sampleRows: expected an integer ≥ 1, got ${describe(sampleRows)}`);
  const source = o.source;
  const format: { value: CsvFormat | null } = { value: null };
  const read: ChunkOptions = { source, separator: o.separator, encoding: o.encoding, na: o.na, dropInvalid: o.dropInvalid };
  let names: readonly string[] = [];
  let t = -1;
  let target: ColumnBuilder | null = null;
  let sample: ColumnBuilder[] = [];
  let sampled: number[] = [];
  let stride = 1;
  let rows = 0;
  for await (const { table, first } of csvChunks(path, { ...read, onBytes }, format)) {
    if (target === null) {
      names = table.names;
      t = o.target === undefined ? names.length - 1 : resolveColumn(names, o.target, source, 'options.target');
      target = new ColumnBuilder(names[t]!);
      sample = names.map((n) => new ColumnBuilder(n));
    }
    for (let r = 0; r < table.rows; r++) copyCell(table.columns[t]!, r, target);
    for (let r = 0; r < table.rows; r++) {
      if ((first + r) % stride !== 0) continue;
      table.columns.forEach((col, c) => copyCell(col, r, sample[c]!));
      sampled.push(first + r);
    }
    if (sampled.length >= 2 * sampleRows) {
      // every other sampled row: the sample stays systematic (every stride-th row of the file)
      stride *= 2;
      const old = sample.map((b) => b.finish());
      sample = names.map((n) => new ColumnBuilder(n));
      const kept: number[] = [];
      sampled.forEach((row, i) => {
        if (row % stride !== 0) return;
        old.forEach((col, c) => copyCell(col, i, sample[c]!));
        kept.push(row);
      });
      sampled = kept;
    }
    rows = first + table.rows;
  }
  const y = readTarget(target!.finish(), task, source, undefined, o.dropInvalid);
  const sampleTable: RawTable = { names: names.slice(), rows: sampled.length, columns: sample.map((b) => b.finish()) };
  const preprocessOptions: PreprocessOptions = {
    features: o.features?.map((f, i) => names[resolveColumn(names, f, source, `options.features[${i}]`)]!),
    ignore: o.ignore, categorical: o.categorical, maxCategories: o.maxCategories, na: o.na,
  };
  const survey: Survey = {
    path, source, read: { ...read, separator: format.value!.separator, encoding: format.value!.encoding }, tableRows: rows,
    targetName: names[t]!, sampleTable, sampled: Uint32Array.from(sampled), stride, preprocessOptions,
  };
  // dataset row i is the file's row y.rows[i] (rows without a target are left out)
  return streamingDataset(survey, y.rows, y.y, y.classes, y.task, y.missing, y.invalid, format.value!);
}

/** What the survey pass found, shared by every dataset made from it. */
interface Survey {
  path: string;
  source: string;
  read: ChunkOptions;
  tableRows: number;
  targetName: string;
  sampleTable: RawTable;
  /** The file row of each sample row, ascending. */
  sampled: Uint32Array;
  stride: number;
  preprocessOptions: PreprocessOptions;
}

function streamingDataset(
  s: Survey, fileRows: Uint32Array, y: Float32Array, classes: string[] | null, task: Dataset['task'], missingTarget: number, dropped: number, csv: CsvFormat,
): StreamingCsvDataset {
  const inSample = sampleRowsOf(s, fileRows, new Uint8Array(s.tableRows).fill(1));
  const { preprocessor, schema } = fitPreprocessor(s.sampleTable, s.targetName, inSample, s.preprocessOptions);
  const ds = {
    rows: fileRows.length, y, classes, task, targetName: s.targetName, dropped, missingTarget, schema, csv,
    features: preprocessor.features.length, featureNames: preprocessor.features.slice(),
    encodeParts: (): never => {
      throw new DataError(`${s.source}: this dataset streams from its file (streamCsv); train it with trainModelStream, or read it with loadCsv for trainModel`);
    },
    keepRows: (rows: Uint32Array, kept: string[] | null, ky: Float32Array) =>
      streamingDataset(s, Uint32Array.from(rows, (i) => fileRows[i]!), ky, kept, task, missingTarget, dropped, csv),
    streamParts: (parts: PartRows) => streamParts(s, fileRows, y, task, classes, parts),
  };
  Object.defineProperty(ds, 'x', {
    enumerable: false,
    get: () => {
      throw new DataError(`${s.source}: this dataset streams from its file: its rows are never all in memory (x); trainModelStream reads them`);
    },
  });
  return ds as unknown as StreamingCsvDataset;
}

/** Indices into the sample table of the sample rows whose file row is marked in `part` (1) among `fileRows`. */
function sampleRowsOf(s: Survey, fileRows: Uint32Array, mark: Uint8Array): Uint32Array {
  const chosen = new Uint8Array(s.tableRows);
  for (const r of fileRows) chosen[r] = mark[r]!;
  const out: number[] = [];
  s.sampled.forEach((row, i) => {
    if (chosen[row]) out.push(i);
  });
  return Uint32Array.from(out);
}

async function streamParts(
  s: Survey, fileRows: Uint32Array, y: Float32Array, task: Dataset['task'], classes: string[] | null, parts: PartRows,
): Promise<StreamedParts<Model>> {
  // per file row: its part (1 train, 2 validation, 3 test; 0 none) and its target
  const part = new Uint8Array(s.tableRows);
  const target = new Float32Array(s.tableRows);
  parts.forEach((rows, p) => {
    for (const i of rows) {
      part[fileRows[i]!] = p + 1;
      target[fileRows[i]!] = y[i]!;
    }
  });
  const trainMark = Uint8Array.from(part, (p) => (p === 1 ? 1 : 0));
  const inSample = sampleRowsOf(s, fileRows, trainMark);
  const { preprocessor, schema } = fitPreprocessor(s.sampleTable, s.targetName, inSample, s.preprocessOptions);
  const f = preprocessor.features.length;
  const sample = preprocessor.transform(s.sampleTable, s.source, inSample).x;
  const held: Array<{ x: Float32Array[]; y: number[] }> = [{ x: [], y: [] }, { x: [], y: [] }];
  for await (const { table, first } of csvChunks(s.path, s.read)) {
    for (const p of [2, 3]) {
      const local = rowsOfPart(part, first, table.rows, p);
      if (local.length === 0) continue;
      held[p - 2]!.x.push(preprocessor.transform(table, s.source, local).x);
      for (const r of local) held[p - 2]!.y.push(target[first + r]!);
    }
  }
  const dataset = (h: { x: Float32Array[]; y: number[] }): Dataset => ({
    x: concat(h.x, h.y.length * f), y: Float32Array.from(h.y), rows: h.y.length, features: f, featureNames: preprocessor.features.slice(),
    targetName: s.targetName, task, classes, dropped: 0,
  });
  const trainY = Float32Array.from(parts[0], (i) => y[i]!);
  const notes = inSample.length < parts[0].length
    ? [`trained from the file as a stream: the encoders and the input scaler fitted on ${inSample.length} of the ${parts[0].length} training rows (every ${s.stride === 1 ? '' : `${s.stride}th `}row), the training rows shuffled within chunks of ${CHUNK_ROWS} rows`]
    : [`trained from the file as a stream: the training rows shuffled within chunks of ${CHUNK_ROWS} rows`];
  return {
    train: {
      rows: parts[0].length, y: trainY, features: f, featureNames: preprocessor.features.slice(), sample, sampleRows: inSample.length,
      batches: (batchSize, seed) => trainBatches(s, preprocessor, part, target, batchSize, new Random(seed)),
    },
    validation: dataset(held[0]!),
    test: dataset(held[1]!),
    schema,
    notes,
    modelOf: (network: Network) => {
      network.preprocess = preprocessor.toJSON();
      return new Model(network);
    },
  };
}

/** The training rows, a new pass over the file each epoch; `rng` carries on from epoch to epoch, as a Trainer's shuffling does. */
function trainBatches(s: Survey, preprocessor: Preprocessor, part: Uint8Array, target: Float32Array, batchSize: number, rng: Random): BatchSource {
  const f = preprocessor.features.length;
  return async function* epoch(): AsyncGenerator<StreamBatch> {
    let carryX: Float32Array = new Float32Array(0);
    let carryY: Float32Array = new Float32Array(0);
    for await (const { table, first } of csvChunks(s.path, s.read)) {
      const local = rowsOfPart(part, first, table.rows, 1);
      if (local.length === 0) continue;
      rng.shuffle(local);
      let x: Float32Array = preprocessor.transform(table, s.source, local).x;
      let y: Float32Array = Float32Array.from(local, (r) => target[first + r]!);
      if (carryY.length > 0) {
        x = concat([carryX, x], carryX.length + x.length);
        y = concat([carryY, y], carryY.length + y.length);
      }
      const n = y.length;
      let start = 0;
      // views: fitStream copies each batch into linear memory before it asks for the next
      for (; start + batchSize <= n; start += batchSize) yield { x: x.subarray(start * f, (start + batchSize) * f), y: y.subarray(start, start + batchSize) };
      carryX = x.slice(start * f);
      carryY = y.slice(start);
    }
    if (carryY.length > 0) yield { x: carryX, y: carryY };
  };
}

/** The chunk-local indices of the chunk's rows (file rows first..first+n−1) in part `p`. */
function rowsOfPart(part: Uint8Array, first: number, n: number, p: number): Uint32Array {
  let count = 0;
  for (let r = 0; r < n; r++) if (part[first + r] === p) count++;
  const out = new Uint32Array(count);
  let k = 0;
  for (let r = 0; r < n; r++) if (part[first + r] === p) out[k++] = r;
  return out;
}

function concat(pieces: Float32Array[], length: number): Float32Array {
  const out = new Float32Array(length);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Cell r of `col` appended to `b`, as it is (number, gap or text). */
function copyCell(col: RawColumn, r: number, b: ColumnBuilder): void {
  const code = col.codes ? col.codes[r]! : NUMBER;
  if (code === NUMBER) b.number(col.numbers[r]!);
  else if (code === MISSING) b.missing();
  else b.text(code === OVERFLOW ? '(text)' : col.texts[code]!);
}
