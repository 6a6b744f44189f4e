/**
 * simdnet/csv — tables from CSV text, bytes or files into a Dataset. A
 * separate entry so the core stays small; it has no dependencies either.
 */
export { parseCsv, type CsvOptions, type CsvDataset, type CsvFormat, type CsvEncoding, type CsvSeparator } from './model/parse-csv.js';
export { loadCsv } from './model/load-csv.js';
export { streamCsv, type StreamCsvOptions, type StreamingCsvDataset } from './model/csv-stream.js';
export { Model, type TableRecord, type ModelPredictions } from './model/model.js';
export type { ColumnSchema, PreprocessOptions } from './table/preprocessor.js';
export type { ColumnKind } from './table/kinds.js';
