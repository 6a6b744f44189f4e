import { describe, expect, it } from 'vitest';
import { classCounts, makeDataset, oneHot, subset } from '../../src/data/dataset.js';
import { DataError, ShapeError, SimdnetError, ValueError } from '../../src/errors.js';
import { expectError } from '../support/expect-error.js';

/** A float32 holding the given bit pattern (both NaN signs, ±Infinity). */
function fromBits(bits: number): number {
  return new Float32Array(new Uint32Array([bits]).buffer)[0]!;
}
const NAN_POSITIVE = fromBits(0x7fc00000);
const NAN_NEGATIVE = fromBits(0xffc00000); // the sign a Wasm NaN can carry

describe('errors', () => {
  it('have their class names and a common base', () => {
    for (const [Type, name] of [[ShapeError, 'ShapeError'], [ValueError, 'ValueError'], [DataError, 'DataError']] as const) {
      const err = new Type('m', { cause: 1 });
      expect(err).toBeInstanceOf(SimdnetError);
      expect(err).toBeInstanceOf(Error);
      expect(err.name).toBe(name);
      expect(err.cause).toBe(1);
      expect(String(err)).toBe(`${name}: m`);
    }
    expect(new SimdnetError('m').name).toBe('SimdnetError');
  });
});

describe('makeDataset', () => {
  it('builds from number[][] and from a flat Float32Array', () => {
    const nested = makeDataset([[1, 2], [3, 4], [5, 6]], [0, 1, 0]);
    const flat = makeDataset(new Float32Array([1, 2, 3, 4, 5, 6]), [0, 1, 0], { rows: 3 });
    for (const ds of [nested, flat]) {
      expect(ds.rows).toBe(3);
      expect(ds.features).toBe(2);
      expect(Array.from(ds.x)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(ds.task).toBe('binary');
      expect(ds.classes).toEqual(['0', '1']);
      expect(ds.featureNames).toEqual(['x0', 'x1']);
      expect(ds.targetName).toBe('target');
      expect(ds.dropped).toBe(0);
    }
  });

  it('infers the task, or takes it from the options', () => {
    expect(makeDataset([[1], [2], [3]], [0, 1, 2]).task).toBe('multiclass');
    expect(makeDataset([[1], [2]], [0.5, 2]).task).toBe('regression');
    expect(makeDataset([[1], [2]], [1990, 2000]).task).toBe('regression');
    expect(makeDataset([[1], [2]], [-1, 1]).task).toBe('regression');
    expect(makeDataset([[1], [2]], [0, 1], { task: 'regression' }).classes).toBeNull();
    const named = makeDataset([[1], [2]], [0, 2], { classes: ['a', 'b', 'c'], featureNames: ['f'], targetName: 'y' });
    expect(named.task).toBe('multiclass');
    expect(named.classes).toEqual(['a', 'b', 'c']);
    expect(named.featureNames).toEqual(['f']);
    expect(named.targetName).toBe('y');
    expect(makeDataset([[1], [2]], [0, 1], { task: 'multiclass' }).task).toBe('multiclass');
  });

  it('copies its inputs, and accepts views with an offset', () => {
    const rows = [[1, 2], [3, 4]];
    const y = [0, 1];
    const ds = makeDataset(rows, y);
    rows[0]![0] = 99;
    y[0] = 1;
    expect(ds.x[0]).toBe(1);
    expect(ds.y[0]).toBe(0);
    const backing = new Float32Array([9, 9, 1, 2, 3, 4, 9]);
    const view = backing.subarray(2, 6);
    const fromView = makeDataset(view, new Float32Array([7, 8, 0, 1]).subarray(2), { rows: 2 });
    backing[2] = 42;
    expect(Array.from(fromView.x)).toEqual([1, 2, 3, 4]);
    expect(Array.from(fromView.y)).toEqual([0, 1]);
  });

  it('rejects bad shapes with a ShapeError (and a valid call afterwards still works)', () => {
    const cases: [() => unknown, string][] = [
      [() => makeDataset([[1, 2], [3, 4], [5]], [0, 1, 0]), 'x: expected 2 columns per row (as row 0 has), got 1 at row 2'],
      [() => makeDataset([[1, 2], [3, 4]], [0, 1, 0]), 'y: expected 2 values (one per row of x), got 3'],
      [() => makeDataset(new Float32Array(5), [0, 1]), 'x: expected rows × features values with rows = 2 (one row per value of y), i.e. a multiple of 2, got 5'],
      [() => makeDataset(new Float32Array(4), []), 'y: expected one target per row of x (4 values), got 0'],
      [() => makeDataset(new Float32Array(6), [0, 1], { features: 2 }), 'x: expected rows × features = 2 × 2 = 4 values, got 6'],
      [() => makeDataset([[1, 2]], [0], { features: 3 }), 'x: expected 3 columns per row (options.features), got 2 at row 0'],
      [() => makeDataset(new Float32Array(6), [0, 1], { rows: 3 }), 'y: expected 3 values (one per row of x), got 2'],
      [() => makeDataset([[], []], [0, 1]), 'x: expected at least one feature per row, got 0 columns'],
      [() => makeDataset([[1]], [0], { featureNames: ['a', 'b'] }), 'options.featureNames: expected 1 names (one per feature), got 2'],
    ];
    for (const [fn, message] of cases) expectError(fn, ShapeError, message);
    expect(makeDataset([[1, 2]], [0]).rows).toBe(1);
  });

  it('rejects an empty dataset with a DataError', () => {
    expectError(() => makeDataset([], []), DataError, 'x: expected at least one row, got an empty dataset (0 rows)');
    expectError(() => makeDataset(new Float32Array(0), []), DataError, 'empty dataset');
  });

  it('reports NaN and ±Infinity in x with the count and the first (row, column), for both NaN signs', () => {
    for (const bad of [NAN_POSITIVE, NAN_NEGATIVE, Infinity, -Infinity]) {
      const x = new Float32Array([1, 2, 3, 4, 5, 6]);
      x[3] = bad;
      x[5] = bad;
      const name = Number.isNaN(bad) ? 'NaN' : String(bad);
      expectError(() => makeDataset(x, [0, 1, 0], { rows: 3 }), ValueError, 'x: expected finite numbers, found 2 NaN or ±Infinity values', `the first (${name}) at row 1, column 1`);
    }
    expectError(() => makeDataset([[1, 1e39]], [0]), ValueError, 'found 1 NaN or ±Infinity value;', 'the first (Infinity) at row 0, column 1');
  });

  it('reports NaN and ±Infinity in y', () => {
    expectError(() => makeDataset([[1], [2], [3]], [0.5, NAN_NEGATIVE, 1]), ValueError, 'y: expected finite numbers, found 1 NaN or ±Infinity value; the first (NaN) at row 1');
    expectError(() => makeDataset([[1], [2]], [0, -Infinity], { task: 'regression' }), ValueError, 'the first (-Infinity) at row 1');
  });

  it.each([
    { y: [0, 3, 1], options: { classes: 3 }, message: 'y: expected class indices 0..2 (3 classes), got 3 at row 1' },
    { y: [0, -1, 1], options: { classes: 3 }, message: 'got -1 at row 1' },
    { y: [0, 1, 2], options: { task: 'binary' as const }, message: 'y: expected class indices 0..1 (2 classes), got 2 at row 2' },
    { y: [0, 1.5, 2.5], options: { classes: 3 }, message: 'got 1.5 (not an integer) at row 1 (2 invalid labels in all)' },
    { y: [-2, 0, 1], options: { task: 'multiclass' as const }, message: 'got -2 at row 0' },
  ])('labels out of range, negative or non-integer: $message', ({ y, options, message }) => {
    expectError(() => makeDataset([[1], [2], [3]], y, options), ValueError, message);
  });

  it('rejects contradictory options', () => {
    expectError(() => makeDataset([[1], [2]], [0, 1], { task: 'regression', classes: 2 }), ValueError, "options.classes: expected none for task 'regression', got 2 classes");
    expectError(() => makeDataset([[1], [2]], [0, 1], { task: 'binary', classes: 3 }), ValueError, "task 'binary' expects exactly 2 classes, got 3");
    expectError(() => makeDataset([[1], [2]], [0, 0], { classes: 1 }), ValueError, 'options.classes: expected an integer ≥ 2, got 1');
  });
});

describe('oneHot', () => {
  it('encodes class indices row by row', () => {
    expect(Array.from(oneHot(new Float32Array([2, 0, 1]), 3))).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    expect(oneHot(new Float32Array(0), 4)).toHaveLength(0);
  });

  it('rejects bad labels and widths', () => {
    expectError(() => oneHot(new Float32Array([0, 3]), 3), ValueError, 'labels: expected class indices 0..2 (3 classes), got 3 at row 1');
    expectError(() => oneHot(new Float32Array([NAN_NEGATIVE]), 3), ValueError, 'got NaN at row 0');
    expectError(() => oneHot(new Float32Array([0]), 0), ValueError, 'classes: expected an integer ≥ 1, got 0');
  });
});

describe('subset', () => {
  const ds = makeDataset([[0, 0], [1, 10], [2, 20], [3, 30]], [0, 1, 2, 1], { classes: ['a', 'b', 'c'] });

  it('takes rows in the given order, copying them', () => {
    const s = subset(ds, [3, 1, 1]);
    expect(s.rows).toBe(3);
    expect(Array.from(s.x)).toEqual([3, 30, 1, 10, 1, 10]);
    expect(Array.from(s.y)).toEqual([1, 1, 1]);
    expect(s.classes).toEqual(['a', 'b', 'c']);
    s.x[0] = 99;
    expect(ds.x[6]).toBe(3);
    expect(subset(ds, new Uint32Array(0)).rows).toBe(0);
  });

  it('rejects indices out of range', () => {
    expectError(() => subset(ds, [0, 4]), ValueError, 'indices: expected row indices 0..3, got 4 at position 1');
    expectError(() => subset(ds, [0.5]), ValueError, 'got 0.5 at position 0');
  });

  it('classCounts counts rows per class', () => {
    expect(classCounts(ds)).toEqual([1, 2, 1]);
    const reg = makeDataset([[1]], [0.5]);
    expectError(() => classCounts(reg), ValueError, "ds: expected a classification dataset, got task 'regression'");
  });
});
