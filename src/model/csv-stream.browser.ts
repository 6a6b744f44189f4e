/**
 * streamCsv in browser and edge builds of `simdnet/csv`: there is no file
 * system there; parseCsv reads text or bytes into memory.
 */
import { StateError } from 'simdnet';
import type { StreamCsvOptions, StreamingCsvDataset } from './csv-stream.js';

export type { StreamCsvOptions, StreamingCsvDataset } from './csv-stream.js';

export function streamCsv(path: string, _options?: StreamCsvOptions): Promise<StreamingCsvDataset> {
  return Promise.reject(new StateError(`streamCsv('${path}'): reading files needs Node; here, get the text (fetch, File.text()) and call parseCsv(text, options)`));
}
