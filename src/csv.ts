/**
 * simdnet/csv — tables from CSV text, bytes or files into a Dataset. A
 * separate entry so the core stays small; it has no dependencies either.
 */
export { parseCsv, type CsvOptions, type CsvDataset, type CsvFormat, type CsvEncoding, type CsvSeparator } from './data/csv.js';
export { loadCsv } from './data/load-csv.js';
