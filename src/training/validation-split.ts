/**
 * `validationSplit`: validation rows held out of the training rows of a fit.
 * Not the last rows (TF.js's rule, which gives a skewed validation set when
 * the rows are sorted by class): a seeded random choice, stratified by class
 * for classification targets, the same rows on every fit of the same data
 * with the same seed.
 */

import type { LossName } from '../backend/abi.js';
import { ValueError } from '../errors.js';
import { Random } from '../random.js';
import { checkNumberIn } from '../validate.js';

/** Prepared rows: row-major inputs and targets. */
export interface Rows {
  x: Float32Array;
  y: Float32Array;
  rows: number;
}

/**
 * Splits `data` into training and validation rows: round(fraction · rows)
 * validation rows (at least 1, leaving at least 1 for training), each class's
 * share as close to its share of all rows as whole rows allow.
 */
export function holdOut(data: Rows, inputs: number, outputs: number, loss: LossName, fraction: unknown, seed: number): { train: Rows; validation: Rows } {
  const f = checkNumberIn(fraction, 'validationSplit', 0, 1, true, true);
  const { rows } = data;
  if (rows < 2) throw new ValueError(`validationSplit: needs at least 2 rows (1 to train on, 1 to validate on), got ${rows}`);
  const total = Math.min(rows - 1, Math.max(1, Math.round(f * rows)));
  const groups = groupByClass(data.y, rows, outputs, loss);
  const rng = new Random(seed);
  // largest remainder: each group's ideal share, floored, then the rows left to the largest fractions
  const ideal = groups.map((g) => (g.length * total) / rows);
  const counts = ideal.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = ideal.map((v, g) => ({ g, r: v - Math.floor(v) })).sort((a, b) => b.r - a.r || a.g - b.g);
  for (const { g } of order) {
    if (left === 0) break;
    counts[g]!++;
    left--;
  }
  const held = new Uint8Array(rows);
  groups.forEach((g, i) => {
    rng.shuffle(g);
    for (let k = 0; k < counts[i]!; k++) held[g[k]!] = 1;
  });
  const pick = (flag: number, n: number): Rows => {
    const x = new Float32Array(n * inputs);
    const y = new Float32Array(n * outputs);
    let o = 0;
    for (let r = 0; r < rows; r++) {
      if (held[r] !== flag) continue;
      x.set(data.x.subarray(r * inputs, (r + 1) * inputs), o * inputs);
      y.set(data.y.subarray(r * outputs, (r + 1) * outputs), o * outputs);
      o++;
    }
    return { x, y, rows: n };
  };
  return { train: pick(0, rows - total), validation: pick(1, total) };
}

/** Row indices per class (one sigmoid output: y > 0.5; cce: the largest target); one group for anything else. */
function groupByClass(y: Float32Array, rows: number, outputs: number, loss: LossName): number[][] {
  const all = (): number[][] => [Array.from({ length: rows }, (_, r) => r)];
  if (loss === 'bce' && outputs === 1) {
    const groups: number[][] = [[], []];
    for (let r = 0; r < rows; r++) groups[y[r]! > 0.5 ? 1 : 0]!.push(r);
    return groups;
  }
  if (loss !== 'cce') return all();
  const groups: number[][] = Array.from({ length: outputs }, () => []);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < outputs; c++) if (y[r * outputs + c]! > y[r * outputs + best]!) best = c;
    groups[best]!.push(r);
  }
  return groups;
}
