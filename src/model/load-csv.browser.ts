/**
 * loadCsv in browser and edge builds of `simdnet/csv`: there is no file
 * system there; parseCsv works on text from fetch, a File or a string, and
 * on bytes (`new Uint8Array(await file.arrayBuffer())`, encoding detected).
 */
import { StateError } from 'simdnet';
import type { CsvDataset, CsvOptions } from './parse-csv.js';

export function loadCsv(path: string | URL, _options?: CsvOptions): Promise<CsvDataset> {
  const name = typeof path === 'string' ? path : path.href;
  return Promise.reject(
    new StateError(`loadCsv('${name}'): reading files needs Node; here, get the text (fetch, File.text()) and call parseCsv(text, options)`),
  );
}
