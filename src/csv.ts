/**
 * simdnet/csv — tables from CSV text or files into a Dataset. A separate entry
 * so the core stays free of runtime dependencies (this one uses csv-parse).
 */
export { parseCsv, type CsvOptions } from './data/csv.js';
export { loadCsv } from './data/load-csv.js';
