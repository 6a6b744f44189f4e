/**
 * Which separator a CSV file uses, from its first lines: the candidate that
 * splits the header into at least two fields and gives the most records the
 * header's field count (quotes respected, so a `;` inside a quoted text does
 * not count).
 */

import { CsvTokenizer } from './csv-tokenizer.js';

/** The separators detected: comma, semicolon (decimal-comma locales), tab and pipe. */
export type CsvSeparator = ',' | ';' | '\t' | '|';

export const SEPARATORS: readonly CsvSeparator[] = [',', ';', '\t', '|'];

/** Bytes of the input the detection looks at, at most. */
export const SAMPLE_BYTES = 64 * 1024;

/** Records of the sample the detection looks at, at most. */
const SAMPLE_RECORDS = 100;

/**
 * The separator of the CSV whose first bytes are `sample`.
 *
 * A separator qualifies when it splits the first record (the header) into at
 * least two fields; among those the one matching the header's field count in
 * the largest share of the sampled records wins, then the one with more
 * fields, then the earlier in {@link SEPARATORS}. `null` when none qualifies
 * (a one-column file, or a separator not among the four).
 *
 * @param complete - `sample` is the whole input (its last record needs no line end).
 */
export function detectSeparator(sample: Uint8Array, complete: boolean): CsvSeparator | null {
  let best: CsvSeparator | null = null;
  let bestShare = -1;
  let bestFields = 0;
  for (const sep of SEPARATORS) {
    const counts: number[] = [];
    const tokenizer = new CsvTokenizer({
      separator: sep.charCodeAt(0),
      onRecord: (r) => {
        counts.push(r.fields);
        return counts.length < SAMPLE_RECORDS;
      },
    });
    try {
      tokenizer.push(sample);
      // a header longer than the sample is counted as far as it goes
      if (complete || counts.length === 0) tokenizer.end();
    } catch {
      // a syntax error further on: the records before it are the sample
    }
    const header = counts[0] ?? 0;
    if (header < 2) continue;
    const share = counts.filter((n) => n === header).length / counts.length;
    if (share > bestShare || (share === bestShare && header > bestFields)) {
      best = sep;
      bestShare = share;
      bestFields = header;
    }
  }
  return best;
}
