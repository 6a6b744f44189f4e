import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { apportion } from '../../src/data/apportion.js';
import { makeDataset, type Dataset } from '../../src/data/dataset.js';
import { loadCsv } from '../../src/model/load-csv.js';
import { split, type Split } from '../../src/data/split.js';
import { DataError, ValueError } from '../../src/errors.js';
import { expectError } from '../support/expect-error.js';
import { dataPath } from '../support/data.js';

const PARTS = ['train', 'validation', 'test'] as const;

/** Rows carry their own index as the only feature, so every part can be traced back. */
function labelled(sizes: readonly number[], order: 'sorted' | 'interleaved' = 'sorted'): Dataset {
  const labels: number[] = [];
  sizes.forEach((n, c) => {
    for (let i = 0; i < n; i++) labels.push(c);
  });
  if (order === 'interleaved') labels.sort((a, b) => (a * 7919) % 13 - (b * 7919) % 13 || a - b);
  return makeDataset(
    labels.map((_, i) => [i]),
    labels,
    { classes: sizes.map((_, c) => `c${c}`) },
  );
}

function rowIds(ds: Dataset): number[] {
  return Array.from(ds.x);
}

function countsOf(ds: Dataset, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const c of ds.y) counts[c] = (counts[c] ?? 0) + 1;
  return counts;
}

/** The invariants every split must keep, whatever the labels. */
function checkPartition(ds: Dataset, parts: Split): void {
  const ids = PARTS.flatMap((p) => rowIds(parts[p]));
  expect(ids).toHaveLength(ds.rows);
  expect(new Set(ids).size).toBe(ds.rows);
  expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: ds.rows }, (_, i) => i));
  for (const p of PARTS) {
    const part = parts[p];
    // Each row keeps its own label.
    part.y.forEach((label, i) => expect(label).toBe(ds.y[part.x[i]!]));
  }
}

/**
 * Independent oracle: can `m` rows be divided with every part within one row
 * of its share and at least one row in every part whose fraction is non-zero?
 */
function canDivide(m: number, fractions: readonly number[]): boolean {
  const ok = (a: number, f: number): boolean => a >= 0 && Math.abs(a - m * f) <= 1 + 1e-9 && (f === 0 || a >= 1);
  for (let a = 0; a <= m; a++) {
    for (let b = 0; a + b <= m; b++) {
      if (ok(a, fractions[0]!) && ok(b, fractions[1]!) && ok(m - a - b, fractions[2]!)) return true;
    }
  }
  return false;
}

const fractionsArb = fc.constantFrom(
  [0.8, 0.1, 0.1],
  [0.7, 0.15, 0.15],
  [0.6, 0.2, 0.2],
  [0.5, 0.25, 0.25],
  [0.8, 0, 0.2],
  [0.9, 0.1, 0],
  [1, 0, 0],
  [1 / 3, 1 / 3, 1 / 3],
  [0.75, 0.05, 0.2],
);

describe('split: stratified, property-based over label multisets', () => {
  it('keeps parts disjoint and complete, each class within ±1 of its share, totals close to the fractions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 2, maxLength: 7 }),
        fractionsArb,
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.constantFrom('sorted' as const, 'interleaved' as const),
        (sizes, fractions, seed, order) => {
          const ds = labelled(sizes, order);
          const [train, validation, test] = fractions as [number, number, number];
          let parts: Split;
          try {
            parts = split(ds, { train, validation, test, seed });
          } catch (err) {
            // Only a class too small for every non-empty part may fail, and the message says which.
            expect(err).toBeInstanceOf(DataError);
            const m = /class 'c(\d+)' has (\d+) rows?, .* it needs at least (\d+) rows/.exec((err as Error).message);
            expect(m).not.toBeNull();
            const [, c, count, needed] = m!.map(Number) as [number, number, number, number];
            expect(count).toBe(sizes[c]);
            expect(needed).toBeGreaterThan(count);
            expect(canDivide(count, fractions)).toBe(false);
            expect(canDivide(needed, fractions)).toBe(true);
            expect(canDivide(needed - 1, fractions)).toBe(false);
            return;
          }
          checkPartition(ds, parts);
          for (const size of sizes) expect(canDivide(size, fractions)).toBe(true);
          const n = ds.rows;
          const k = sizes.length;
          PARTS.forEach((p, pi) => {
            const f = fractions[pi]!;
            const counts = countsOf(parts[p], k);
            counts.forEach((got, c) => {
              const share = sizes[c]! * f;
              expect(Math.abs(got - share)).toBeLessThanOrEqual(1 + 1e-9);
              if (f > 0) expect(got).toBeGreaterThanOrEqual(1);
            });
            const total = parts[p].rows;
            // Every class at least 1/f rows: nothing is forced up to 1, so the
            // totals round like the fractions themselves (controlled rounding).
            // Otherwise a part can give up to one row per class to the parts
            // forced up to 1 (4+4 rows at 75/5/20: train 2+2 against a share of 6).
            const unforced = sizes.every((s) => fractions.every((fr) => fr === 0 || s * fr >= 1));
            if (unforced) expect(Math.abs(total - n * f)).toBeLessThan(1);
            else expect(Math.abs(total - n * f)).toBeLessThanOrEqual(k + 1e-9);
          });
        },
      ),
      { numRuns: Number(process.env.SPLIT_PROPERTY_RUNS ?? 400), examples: [[[4, 4], [0.75, 0.05, 0.2], 0, 'sorted']] },
    );
  });

  it('keeps a 95/5 imbalance in every part, classes sorted in the file', () => {
    for (const seed of [0, 1, 2]) {
      const ds = labelled([950, 50]);
      const parts = split(ds, { seed });
      checkPartition(ds, parts);
      expect(countsOf(parts.train, 2)).toEqual([760, 40]);
      expect(countsOf(parts.validation, 2)).toEqual([95, 5]);
      expect(countsOf(parts.test, 2)).toEqual([95, 5]);
      const small = labelled([95, 5]);
      const smallParts = split(small, { seed });
      checkPartition(small, smallParts);
      // 5 rows of the rare class at 80/10/10 (shares 4, 0.5, 0.5): 3 / 1 / 1.
      expect([smallParts.train, smallParts.validation, smallParts.test].map((d) => countsOf(d, 2)[1])).toEqual([3, 1, 1]);
    }
  });

  it('matches the README class sizes on iris: 40/5/5 of each class', async () => {
    const iris = await loadCsv(dataPath('iris'));
    const parts = split(iris, { seed: 42 });
    expect(countsOf(parts.train, 3)).toEqual([40, 40, 40]);
    expect(countsOf(parts.validation, 3)).toEqual([5, 5, 5]);
    expect(countsOf(parts.test, 3)).toEqual([5, 5, 5]);
    // Rows come shuffled, not grouped by class as in the file.
    const y = Array.from(parts.train.y);
    expect(y).not.toEqual([...y].sort((a, b) => a - b));
    expect(parts.train.classes).toEqual(['0', '1', '2']);
    expect(parts.train.featureNames).toEqual(iris.featureNames);
  });

  it('coordinates the rounding across classes so the part totals stay on target', () => {
    // Ten classes of 14: each class's validation share is 1.4. Rounding each
    // class alone would give 10 rows (or 20); the ideal total is 14.
    const ds = labelled(new Array<number>(10).fill(14));
    const parts = split(ds);
    expect([parts.train.rows, parts.validation.rows, parts.test.rows]).toEqual([112, 14, 14]);
  });
});

describe('split: errors', () => {
  it('names a class too small for a stratified split, with its count and the count needed', () => {
    const ds = makeDataset(
      Array.from({ length: 103 }, (_, i) => [i]),
      Array.from({ length: 103 }, (_, i) => (i < 100 ? 0 : 1)),
      { classes: ['common', 'rare'] },
    );
    expectError(() => split(ds), DataError, "ds: class 'rare' has 3 rows", 'it needs at least 5 rows', 'stratify: false');
    // With two halves its shares are 1.5 and 1.5, so 3 rows are enough.
    const halves = split(ds, { train: 0.5, validation: 0.5, test: 0 });
    expect(countsOf(halves.train, 2)[1]! + countsOf(halves.validation, 2)[1]!).toBe(3);
    expect(countsOf(halves.validation, 2)[1]).toBeGreaterThanOrEqual(1);
  });

  it('a class too small only for the parts requested', () => {
    const ds = labelled([50, 2]);
    expectError(() => split(ds), DataError, "class 'c1' has 2 rows");
    const parts = split(ds, { train: 0.8, validation: 0, test: 0.2 });
    expect(countsOf(parts.test, 2)[1]).toBe(1);
    expect(parts.validation.rows).toBe(0);
  });

  it('an empty dataset, fast', () => {
    const empty: Dataset = { ...labelled([1, 1]), rows: 0, x: new Float32Array(0), y: new Float32Array(0) };
    const start = performance.now();
    expectError(() => split(empty), DataError, 'ds: expected at least one row to split, got an empty dataset (0 rows)');
    expect(performance.now() - start).toBeLessThan(100);
  });

  it('fractions that leave a requested part empty, fast', () => {
    const ds = makeDataset([[1], [2], [3], [4]], [0.5, 1, 2, 3]);
    const start = performance.now();
    expectError(() => split(ds), DataError, 'ds: expected enough rows for every non-empty part of the split (train 0.8 / validation 0.1 / test 0.1), got 4; it needs at least 5 rows');
    expectError(() => split(ds, { train: 0.998, validation: 0.001, test: 0.001 }), DataError, 'got 4', 'needs at least');
    expect(performance.now() - start).toBeLessThan(100);
    const parts = split(ds, { train: 0.5, validation: 0.25, test: 0.25 });
    expect([parts.train.rows, parts.validation.rows, parts.test.rows]).toEqual([2, 1, 1]);
  });

  it('fractions that are negative, do not sum to 1, or leave less than nothing for the one left out', () => {
    const ds = labelled([10, 10]);
    expectError(() => split(ds, { train: 0.7, validation: 0.1, test: 0.1 }), ValueError, 'options: expected train + validation + test = 1, got 0.7 + 0.1 + 0.1 = 0.9');
    expectError(() => split(ds, { train: 0.9, validation: 0.2 }), ValueError, 'options.test: left out, it takes what the other parts leave, but train 0.9 + validation 0.2 = 1.1 leaves nothing');
    expectError(() => split(ds, { validation: 0.3, test: 0.8 }), ValueError, 'options.train: left out', 'validation 0.3 + test 0.8 = 1.1');
    expectError(() => split(ds, { train: 0.9, validation: 0.2, test: -0.1 }), ValueError, 'options.test: expected a fraction in [0, 1], got -0.1');
    expectError(() => split(ds, { validation: Number.NaN }), ValueError, 'options.validation: expected a fraction in [0, 1], got NaN');
    expect(split(ds, { train: 0.8, validation: 0.1, test: 0.1 + 5e-10 }).train.rows).toBe(16);
  });

  it('fractions left out fill up to 1: test takes what is left, else train, else validation; the others default to 0.8 and 0.1', () => {
    const ds = labelled([50, 50]);
    const sizes = (o: Parameters<typeof split>[1]) => {
      const p = split(ds, o);
      return [p.train.rows, p.validation.rows, p.test.rows];
    };
    expect(sizes({})).toEqual([80, 10, 10]);
    expect(sizes({ train: 0.8, validation: 0.2 })).toEqual([80, 20, 0]);
    expect(sizes({ train: 0.7 })).toEqual([70, 10, 20]);
    expect(sizes({ validation: 0.2 })).toEqual([80, 20, 0]);
    expect(sizes({ test: 0.2 })).toEqual([70, 10, 20]);
    expect(sizes({ validation: 0.3, test: 0.2 })).toEqual([50, 30, 20]);
    expect(sizes({ train: 0.6, test: 0.1 })).toEqual([60, 30, 10]);
    // decimal round-off is not a part: 0.7 + 0.3 leaves no test rows, not an error
    expect(sizes({ train: 0.7, validation: 0.3 })).toEqual([70, 30, 0]);
    // every call that was valid before gives the same parts as the same fractions written out
    for (const given of [{ train: 0.8 }, { validation: 0.1 }, { test: 0.1 }, { train: 0.8, test: 0.1 }] as const) {
      const a = split(ds, { ...given, seed: 3 });
      const b = split(ds, { train: 0.8, validation: 0.1, test: 0.1, seed: 3 });
      expect([...a.test.x]).toEqual([...b.test.x]);
      expect([...a.train.y]).toEqual([...b.train.y]);
    }
  });

  it('bad seeds and contradictory options', () => {
    const cls = labelled([10, 10]);
    const reg = makeDataset(Array.from({ length: 20 }, (_, i) => [i]), Array.from({ length: 20 }, (_, i) => i / 2));
    expectError(() => split(cls, { seed: 0.5 }), ValueError, 'options.seed: expected an integer from 0 to 4294967295, got number 0.5');
    expectError(() => split(cls, { quantileBins: 4 }), ValueError, 'options.quantileBins: expected 0 for a classification dataset');
    expectError(() => split(reg, { stratify: true }), ValueError, 'options.stratify', 'expected options.quantileBins > 0, got 0');
    expectError(() => split(reg, { stratify: false, quantileBins: 2 }), ValueError, 'options.quantileBins: expected 0 when options.stratify is false, got 2');
    expectError(() => split(reg, { quantileBins: -1 }), ValueError, 'options.quantileBins: expected an integer ≥ 0, got -1');
  });
});

describe('split: determinism, order, regression', () => {
  it('gives the same parts for the same seed and different ones for another', () => {
    const ds = labelled([30, 40, 30]);
    const a = split(ds, { seed: 7 });
    const b = split(ds, { seed: 7 });
    const c = split(ds, { seed: 8 });
    for (const p of PARTS) expect(rowIds(a[p])).toEqual(rowIds(b[p]));
    expect(rowIds(a.train)).not.toEqual(rowIds(c.train));
  });

  it('shuffles rows within a non-stratified split too', () => {
    const ds = labelled([60, 40]);
    const parts = split(ds, { stratify: false, seed: 3 });
    checkPartition(ds, parts);
    expect([parts.train.rows, parts.validation.rows, parts.test.rows]).toEqual([80, 10, 10]);
    const ids = rowIds(parts.train);
    expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
  });

  it('splits a regression dataset at random, or on target quantiles', () => {
    const n = 200;
    const ds = makeDataset(Array.from({ length: n }, (_, i) => [i]), Array.from({ length: n }, (_, i) => (i * i) / 7), { task: 'regression' });
    const plain = split(ds, { seed: 1 });
    checkPartition(ds, plain);
    expect([plain.train.rows, plain.validation.rows, plain.test.rows]).toEqual([160, 20, 20]);
    const binned = split(ds, { seed: 1, quantileBins: 10 });
    checkPartition(ds, binned);
    // Rows are sorted by target, so decile d is rows 20d..20d+19: 16 / 2 / 2 of each.
    for (const p of PARTS) {
      const perDecile = new Array<number>(10).fill(0);
      for (const id of binned[p].x) perDecile[Math.floor(id / 20)]! += 1;
      expect(perDecile).toEqual(new Array<number>(10).fill(p === 'train' ? 16 : 2));
    }
    expectError(() => split(ds, { quantileBins: 60 }), DataError, 'quantile bin 1 of 60 (targets 0 to', 'has 4 rows', 'needs at least 5 rows', 'use fewer quantileBins');
  });
});

describe('apportion', () => {
  it('terminates on a denormal fraction', () => {
    const start = performance.now();
    expect(apportion([1], [0.5, 5e-324, 0.5])).toEqual({ ok: false, group: 0, size: 1, needed: 3 });
    expect(apportion([2, 2], [1, 5e-324, 0])).toEqual({ ok: true, counts: [[1, 1, 0], [1, 1, 0]] });
    expect(performance.now() - start).toBeLessThan(100);
  });

  it('always meets its guarantees or names a group that cannot (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60 }), { minLength: 1, maxLength: 12 }),
        fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })).filter(([a, b, c]) => a + b + c > 0),
        (sizes, weights) => {
          const sum = weights[0] + weights[1] + weights[2];
          const fractions = weights.map((w) => w / sum);
          const result = apportion(sizes, fractions);
          if (!result.ok) {
            expect(result.size).toBe(sizes[result.group]);
            expect(result.needed).toBeGreaterThan(result.size);
            expect(canDivide(result.size, fractions)).toBe(false);
            expect(canDivide(result.needed - 1, fractions)).toBe(false);
            // The size named as needed does work for that group.
            expect(apportion([result.needed], fractions).ok).toBe(true);
            return;
          }
          for (const size of sizes) if (size > 0) expect(canDivide(size, fractions)).toBe(true);
          const n = sizes.reduce((a, b) => a + b, 0);
          result.counts.forEach((row, g) => {
            expect(row.reduce((a, b) => a + b, 0)).toBe(sizes[g]);
            row.forEach((v, p) => {
              expect(Number.isInteger(v) && v >= 0).toBe(true);
              expect(Math.abs(v - sizes[g]! * fractions[p]!)).toBeLessThanOrEqual(1 + 1e-9);
              if (sizes[g]! > 0 && fractions[p]! > 0) expect(v).toBeGreaterThanOrEqual(1);
            });
          });
          const unforced = sizes.every((s) => s === 0 || fractions.every((f) => f === 0 || s * f >= 1 - 1e-12));
          if (unforced) {
            fractions.forEach((f, p) => {
              const total = result.counts.reduce((a, row) => a + row[p]!, 0);
              expect(Math.abs(total - n * f)).toBeLessThan(1);
            });
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
