/**
 * Train / validation / test splits, stratified by class (or by target
 * quantile for regression) so that every part sees the same mix of examples.
 */

import { DataError, ValueError } from '../errors.js';
import { Random } from '../random.js';
import { apportion } from './apportion.js';
import { subset, type Dataset } from './dataset.js';
import { checkDataset } from './check-dataset.js';
import { checkInteger, checkLabels, formatValue } from './validate.js';
import { optionalBoolean, readOptions } from '../options.js';
import { checkSeed } from '../validate.js';

/**
 * Options of {@link split}. Fractions left out fill up to 1: the test part
 * takes what train and validation leave; when test is given, a missing train
 * fraction takes what is left (or, when only validation is missing, it
 * does); the others default to train 0.8 and validation 0.1. So
 * `{ train: 0.8, validation: 0.2 }` leaves no test part, and `{ test: 0.2 }`
 * gives 0.7 / 0.1 / 0.2.
 */
export interface SplitOptions {
  /** Fraction of rows for training, in [0, 1]. Default 0.8, or what the others leave when test is given. */
  train?: number;
  /** Fraction of rows for validation (early stopping, tuning), in [0, 1]. Default 0.1, or what the others leave when only it is missing. */
  validation?: number;
  /** Fraction of rows held out for the final test, in [0, 1]. Default: what train and validation leave. */
  test?: number;
  /**
   * Keep each class's share in every part. Default true for classification;
   * for regression, true exactly when `quantileBins` > 0.
   */
  stratify?: boolean;
  /** Seed of the shuffles: the same seed gives the same split. Default 0. */
  seed?: number;
  /**
   * Regression only: stratify on this many equal-count bins of the sorted
   * target (e.g. 10 for deciles). Default 0 (no stratification).
   */
  quantileBins?: number;
}

/** The three parts of a {@link split}; a part whose fraction is 0 has 0 rows. */
export interface Split {
  /** The training rows. */
  train: Dataset;
  /** The validation rows. */
  validation: Dataset;
  /** The test rows. */
  test: Dataset;
}

const PART_NAMES = ['train', 'validation', 'test'] as const;

/**
 * Splits a dataset into train, validation and test parts.
 *
 * The parts never share a row and together hold every row. With
 * stratification each class (or quantile bin) is shuffled and divided so that
 * its count in each part is within one row of its share, and it appears in
 * every part whose fraction is non-zero; the part sizes are then as close to
 * the fractions as that allows. Without it, the whole dataset is one group,
 * divided the same way. Rows within each part come in shuffled order. The
 * same seed always gives the same split.
 *
 * @throws ValueError for fractions outside [0, 1], fractions that do not sum
 *   to 1 (±1e-9) or leave less than nothing for the one left out, a bad
 *   seed, or contradictory options; DataError for an empty
 *   dataset, a class (or bin) too small to appear in every non-empty part
 *   (naming it, its count and the count needed), or a dataset too small to
 *   give every non-empty part a row; ShapeError for an inconsistent dataset.
 */
export function split(ds: Dataset, options: SplitOptions = {}): Split {
  const [train, validation, test] = splitRows(ds, options).map((rows) => subset(ds, rows)) as [Dataset, Dataset, Dataset];
  return { train, validation, test };
}

/**
 * The rows of each part of {@link split} (train, validation, test), in the
 * order the parts hold them: for callers that keep other data per row (the
 * raw table behind a CSV dataset). `readX`: see checkDataset.
 */
export function splitRows(ds: Dataset, options: SplitOptions = {}, name = 'ds', readX = true): [Uint32Array, Uint32Array, Uint32Array] {
  const o = readOptions(options, 'options', ['train', 'validation', 'test', 'stratify', 'seed', 'quantileBins'], '{ train, validation, test, stratify, seed, quantileBins }') as SplitOptions;
  // undefined is left out (filled in); null is a value, refused like any non-number
  const fractions = splitFractions([o.train, o.validation, o.test]);
  const sum = fractions.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-9) {
    throw new ValueError(
      `options: expected train + validation + test = 1, got ${fractions.map(formatValue).join(' + ')} = ${formatValue(Number(sum.toPrecision(12)))}`,
    );
  }
  const rng = new Random(checkSeed(o.seed, 'options.seed'));
  const stratify = optionalBoolean(o.stratify, 'options.stratify');
  const bins = o.quantileBins === undefined ? 0 : o.quantileBins;
  checkInteger('options.quantileBins', bins, 0);

  checkDataset(ds, name, 'to split', readX);

  const grouping = groupRows(ds, stratify, bins, name);
  const fractionText = fractions.map((f, p) => `${PART_NAMES[p]} ${formatValue(f)}`).join(' / ');
  const result = apportion(grouping.groups.map((g) => g.length), fractions);
  if (!result.ok) {
    if (grouping.label === null) {
      throw new DataError(
        `${name}: expected enough rows for every non-empty part of the split (${fractionText}), got ${result.size}; ` +
          `it needs at least ${result.needed} rows, or set the fraction of an unwanted part to 0`,
      );
    }
    const group = grouping.label(result.group);
    throw new DataError(
      `${name}: ${group} has ${result.size} row${result.size === 1 ? '' : 's'}, too few for a stratified split (${fractionText}) ` +
        `that puts it in every non-empty part within one row of its share; it needs at least ${result.needed} rows` +
        grouping.advice,
    );
  }

  const parts: number[][] = [[], [], []];
  grouping.groups.forEach((rows, g) => {
    rng.shuffle(rows);
    let offset = 0;
    const counts = result.counts[g] as number[];
    counts.forEach((count, p) => {
      const part = parts[p] as number[];
      for (let i = offset; i < offset + count; i++) part.push(rows[i] as number);
      offset += count;
    });
  });
  // Groups were laid out one after another; shuffle so no part is sorted by class.
  return parts.map((rows) => rng.shuffle(Uint32Array.from(rows))) as [Uint32Array, Uint32Array, Uint32Array];
}

/**
 * The three fractions, those left out filled in: test takes what the others
 * leave; if test is given, train does (or validation, when only it is
 * missing); any other missing one takes its default (train 0.8, validation 0.1).
 */
function splitFractions(given: unknown[]): number[] {
  given.forEach((f, p) => {
    if (f !== undefined && (typeof f !== 'number' || !(f >= 0 && f <= 1))) {
      throw new ValueError(`options.${PART_NAMES[p]}: expected a fraction in [0, 1], got ${typeof f === 'number' ? formatValue(f) : String(f)}`);
    }
  });
  const [train, validation, test] = given as (number | undefined)[];
  const rest = test === undefined ? 2 : train === undefined ? 0 : validation === undefined ? 1 : -1;
  if (rest < 0) return given as number[];
  const defaults = [0.8, 0.1, 0.1];
  const out = (given as (number | undefined)[]).map((f, p) => (p === rest ? 0 : f ?? defaults[p]!));
  const left = 1 - out.reduce((a, b) => a + b, 0);
  // decimal round-off (0.7 + 0.2 leaves 0.09999…) is not a part of its own
  if (left < -1e-9) {
    const others = out.map((f, p) => (p === rest ? null : `${PART_NAMES[p]} ${formatValue(f)}`)).filter((t) => t !== null).join(' + ');
    throw new ValueError(`options.${PART_NAMES[rest as 0 | 1 | 2]}: left out, it takes what the other parts leave, but ${others} = ${formatValue(Number((1 - left).toPrecision(12)))} leaves nothing; give fractions that sum to 1`);
  }
  out[rest] = Math.max(0, Number(left.toPrecision(12)));
  return out;
}

interface Grouping {
  /** Row indices of each group, ascending. */
  groups: number[][];
  /** Describes group g in an error message; null when the dataset is one group. */
  label: ((g: number) => string) | null;
  /** Appended to the too-small error. */
  advice: string;
}

function groupRows(ds: Dataset, stratifyOption: boolean | undefined, bins: number, name: string): Grouping {
  const all = (): Grouping => ({ groups: [Array.from({ length: ds.rows }, (_, i) => i)], label: null, advice: '' });
  if (ds.classes !== null) {
    if (bins > 0) {
      throw new ValueError(`options.quantileBins: expected 0 for a classification dataset (it applies to regression targets), got ${bins}`);
    }
    if (stratifyOption === false) return all();
    const classes = ds.classes;
    checkLabels(`${name}.y`, ds.y, classes.length);
    const groups: number[][] = classes.map(() => []);
    for (let i = 0; i < ds.rows; i++) (groups[ds.y[i] as number] as number[]).push(i);
    return {
      groups,
      label: (g) => `class '${classes[g]}'`,
      advice: '; merge or remove the class, set a fraction to 0, or pass stratify: false',
    };
  }
  if (stratifyOption === true && bins === 0) {
    throw new ValueError('options.stratify: a regression target is stratified on quantile bins; expected options.quantileBins > 0, got 0');
  }
  if (stratifyOption === false && bins > 0) {
    throw new ValueError(`options.quantileBins: expected 0 when options.stratify is false, got ${bins}`);
  }
  if (bins === 0) return all();
  // Equal-count bins of the target's rank; ties are broken by row so the bins are deterministic.
  const order = Array.from({ length: ds.rows }, (_, i) => i).sort((a, b) => (ds.y[a] as number) - (ds.y[b] as number) || a - b);
  const groups: number[][] = Array.from({ length: bins }, () => []);
  order.forEach((row, rank) => (groups[Math.floor((rank * bins) / ds.rows)] as number[]).push(row));
  for (const g of groups) g.sort((a, b) => a - b);
  return {
    groups,
    label: (g) => {
      const ys = (groups[g] as number[]).map((r) => ds.y[r] as number);
      const min = ys.reduce((a, b) => Math.min(a, b), Infinity);
      const max = ys.reduce((a, b) => Math.max(a, b), -Infinity);
      const range = ys.length === 0 ? 'no targets' : `targets ${formatValue(min)} to ${formatValue(max)}`;
      return `quantile bin ${g + 1} of ${bins} (${range})`;
    },
    advice: '; use fewer quantileBins',
  };
}
