import { describe, expect, it } from 'vitest';
import { loadCsv } from '../../src/model/load-csv.js';
import { Scaler, type ScalerJSON } from '../../src/data/scaler.js';
import { split } from '../../src/data/split.js';
import { DataError, ShapeError, ValueError } from '../../src/errors.js';
import { expectError } from '../support/expect-error.js';
import { dataPath } from '../support/data.js';

describe('Scaler', () => {
  it('is fitted on the training part only: validation and test data never change it', async () => {
    const ds = await loadCsv(dataPath('breast_cancer'));
    const { train, validation, test } = split(ds, { seed: 1 });
    for (const kind of ['minmax', 'standard'] as const) {
      const scaler = Scaler.fit(train.x, train.rows, train.features, kind);
      const before = JSON.stringify(scaler.toJSON());
      const validationCopy = validation.x.slice();
      scaler.transform(validation.x, validation.rows);
      scaler.transform(test.x, test.rows);
      expect(JSON.stringify(scaler.toJSON())).toBe(before);
      expect(validation.x).toEqual(validationCopy);
      // Refitting on the same training rows after wrecking the held-out rows gives the same statistics.
      validation.x.fill(1e6);
      test.x.fill(-1e6);
      expect(JSON.stringify(Scaler.fit(train.x, train.rows, train.features, kind).toJSON())).toBe(before);
      // ...and differs from a fit on every row, which would leak held-out statistics.
      expect(JSON.stringify(Scaler.fit(ds.x, ds.rows, ds.features, kind).toJSON())).not.toBe(before);
    }
  });

  it('minmax maps the training range onto [0, 1] exactly', async () => {
    const ds = await loadCsv(dataPath('digits'));
    const { train } = split(ds, { seed: 2 });
    const scaler = Scaler.fit(train.x, train.rows, train.features, 'minmax');
    const out = scaler.transform(train.x, train.rows);
    for (let c = 0; c < train.features; c++) {
      let min = Infinity;
      let max = -Infinity;
      for (let r = 0; r < train.rows; r++) {
        const v = out[r * train.features + c]!;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      expect(min).toBe(0);
      // digits has always-zero pixels: those constant columns map to 0.
      expect(max === 1 || max === 0).toBe(true);
    }
    expect(out.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('standard gives zero mean and unit (population) variance per column', () => {
    const x = new Float32Array([1, 10, 2, 20, 3, 30, 4, 40]);
    const scaler = Scaler.fit(x, 4, 2, 'standard');
    // mean 2.5, population std √1.25 for column 0; ×10 for column 1.
    expect(scaler.toJSON().offset).toEqual([2.5, 25]);
    expect(scaler.toJSON().scale[0]).toBeCloseTo(Math.sqrt(1.25), 12);
    const out = scaler.transform(x, 4);
    const expected = [-1.5, -0.5, 0.5, 1.5].map((d) => Math.fround(d / Math.sqrt(1.25)));
    expect([out[0], out[2], out[4], out[6]]).toEqual(expected);
    expect([out[1], out[3], out[5], out[7]]).toEqual(expected);
  });

  it('leaves a constant column finite (scale 1, values 0)', () => {
    const x = new Float32Array([5, 1, 5, 2, 5, 3]);
    for (const kind of ['minmax', 'standard'] as const) {
      const scaler = Scaler.fit(x, 3, 2, kind);
      const out = scaler.transform(x, 3);
      expect(out.every(Number.isFinite)).toBe(true);
      expect([out[0], out[2], out[4]]).toEqual([0, 0, 0]);
      expect(scaler.toJSON().scale[0]).toBe(1);
    }
  });

  it("'none' is the identity", () => {
    const x = new Float32Array([1.5, -2, 3, 4]);
    const scaler = Scaler.fit(x, 2, 2, 'none');
    expect(scaler.transform(x, 2)).toEqual(x);
    expect(scaler.transform(x, 2)).not.toBe(x);
  });

  it('transformRow equals a row of transform, and can reuse an output array', () => {
    const x = new Float32Array([1, 2, 3, 4, 5, 7]);
    const scaler = Scaler.fit(x, 3, 2, 'standard');
    const all = scaler.transform(x, 3);
    const out = new Float32Array(2);
    expect(scaler.transformRow([3, 4], out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(all.subarray(2, 4)));
    expect(Array.from(scaler.transformRow(x.subarray(4, 6)))).toEqual(Array.from(all.subarray(4, 6)));
    const inPlace = new Float32Array([5, 7]);
    scaler.transformRow(inPlace, inPlace);
    expect(Array.from(inPlace)).toEqual(Array.from(all.subarray(4, 6)));
  });

  it('round-trips through JSON exactly', () => {
    const x = new Float32Array([0.1, 3, 0.7, -2, 0.3, 9]);
    for (const kind of ['minmax', 'standard', 'none'] as const) {
      const scaler = Scaler.fit(x, 3, 2, kind);
      const copy = Scaler.fromJSON(JSON.parse(JSON.stringify(scaler)));
      expect(copy.kind).toBe(kind);
      expect(copy.features).toBe(2);
      expect(copy.transform(x, 3)).toEqual(scaler.transform(x, 3));
    }
  });

  it('rejects bad input with errors naming the argument', () => {
    const x = new Float32Array([1, 2, 3, 4]);
    expectError(() => Scaler.fit(x, 3, 2, 'minmax'), ShapeError, 'x: expected rows × features = 3 × 2 = 6 values, got 4');
    expectError(() => Scaler.fit(new Float32Array(0), 0, 2, 'minmax'), DataError, 'x: expected at least one row to fit the scaler on, got 0 rows');
    expectError(() => Scaler.fit(new Float32Array([1, Number.NaN, 3, 4]), 2, 2, 'standard'), ValueError, 'x: expected finite numbers, found 1 NaN or ±Infinity value; the first (NaN) at row 0, column 1');
    // @ts-expect-error: a JavaScript caller can pass anything
    expectError(() => Scaler.fit(x, 2, 2, 'robust'), ValueError, "kind: expected 'minmax', 'standard' or 'none', got 'robust'");
    const scaler = Scaler.fit(x, 2, 2, 'minmax');
    expectError(() => scaler.transform(new Float32Array(6), 2), ShapeError, 'x: expected rows × features = 2 × 2 = 4 values (the scaler was fitted on 2 features), got 6');
    expectError(() => scaler.transformRow([1, 2, 3]), ShapeError, "row: expected 2 values (the scaler's features), got 3");
    expectError(() => scaler.transformRow([1, 2], new Float32Array(3)), ShapeError, "out: expected 2 values (the scaler's features), got 3");
  });

  it.each<[string, unknown, typeof DataError | typeof ShapeError | typeof ValueError, string]>([
    ['not an object', 'scaler', DataError, "scaler: expected an object with kind, features, offset and scale, got \"scaler\""],
    ['an array', [], DataError, 'got an array of length 0'],
    ['missing kind', { features: 1, offset: [0], scale: [1] }, DataError, 'scaler.kind: expected a string, got undefined'],
    ['unknown kind', { kind: 'robust', features: 1, offset: [0], scale: [1] }, ValueError, "scaler.kind: expected 'minmax', 'standard' or 'none', got 'robust'"],
    ['features not a number', { kind: 'minmax', features: '2', offset: [0], scale: [1] }, DataError, "scaler.features: expected a number, got \"2\""],
    ['features zero', { kind: 'minmax', features: 0, offset: [], scale: [] }, ValueError, 'scaler.features: expected an integer ≥ 1, got 0'],
    ['offset missing', { kind: 'minmax', features: 2, scale: [1, 1] }, DataError, 'scaler.offset: expected an array of 2 numbers, got undefined'],
    ['offset too short', { kind: 'minmax', features: 2, offset: [0], scale: [1, 1] }, ShapeError, 'scaler.offset: expected 2 numbers (one per feature), got 1'],
    ['scale too long', { kind: 'minmax', features: 2, offset: [0, 0], scale: [1, 1, 1] }, ShapeError, 'scaler.scale: expected 2 numbers (one per feature), got 3'],
    ['scale not numbers', { kind: 'minmax', features: 2, offset: [0, 0], scale: [1, null] }, DataError, 'scaler.scale[1]: expected a number, got null'],
    ['scale zero', { kind: 'minmax', features: 2, offset: [0, 0], scale: [1, 0] }, ValueError, 'scaler.scale[1]: expected a finite number > 0, got 0'],
    ['scale negative', { kind: 'standard', features: 1, offset: [0], scale: [-2] }, ValueError, 'scaler.scale[0]: expected a finite number > 0, got -2'],
    ['offset NaN', { kind: 'standard', features: 1, offset: [Number.NaN], scale: [1] }, ValueError, 'scaler.offset[0]: expected a finite number, got NaN'],
    ["'none' not identity", { kind: 'none', features: 2, offset: [0, 3], scale: [1, 1] }, ValueError, "scaler.offset/scale[1]: expected 0 and 1 for kind 'none', got 3 and 1"],
  ])('fromJSON rejects %s', (_, obj, type, message) => {
    expectError(() => Scaler.fromJSON(obj), type, message);
  });

  it('fromJSON accepts a valid object', () => {
    const json: ScalerJSON = { kind: 'minmax', features: 2, offset: [1, 2], scale: [2, 4] };
    expect(Array.from(Scaler.fromJSON(json).transformRow([3, 6]))).toEqual([1, 1]);
  });
});

describe('Scaler on rows as the rest of the API takes them', () => {
  const rows = [[1, 10, -3], [2, 30, -3], [6, 20, -3], [3, 40, -3]];
  const flat = Float32Array.from(rows.flat());

  it('fit on nested rows, a plain array or a Float32Array (with features) gives the scaler of the row-major form', () => {
    for (const kind of ['standard', 'minmax', 'none'] as const) {
      const reference = Scaler.fit(flat, 4, 3, kind).toJSON();
      expect(Scaler.fit(rows, kind).toJSON()).toEqual(reference);
      expect(Scaler.fit(rows, { kind }).toJSON()).toEqual(reference);
      expect(Scaler.fit(rows.flat(), { kind, features: 3 }).toJSON()).toEqual(reference);
      expect(Scaler.fit(flat, { kind, features: 3 }).toJSON()).toEqual(reference);
    }
    // the default is standard scaling
    expect(Scaler.fit(rows).kind).toBe('standard');
    // population statistics, computed here: column 1 has mean 25 and variance 125
    const s = Scaler.fit(rows).toJSON();
    expect(s.offset[1]).toBe(25);
    expect(s.scale[1]).toBeCloseTo(Math.sqrt(125), 12);
    expect(s.scale[2]).toBe(1); // a constant column
  });

  it('transform and inverseTransform give rows back in the form they came in', () => {
    const scaler = Scaler.fit(rows, 'minmax');
    const nested = scaler.transform(rows);
    expect(nested).toEqual([[0, 0, 0], [0.2, 2 / 3, 0], [1, 1 / 3, 0], [0.4, 1, 0]].map((r) => r.map(Math.fround)));
    const plain = scaler.transform(rows.flat());
    expect(Array.isArray(plain)).toBe(true);
    expect(plain).toEqual(nested.flat());
    const typed = scaler.transform(flat);
    expect(typed).toBeInstanceOf(Float32Array);
    expect(Array.from(typed)).toEqual(nested.flat());
    // the old form, rows given, still works and agrees
    expect(scaler.transform(flat, 4)).toEqual(typed);
    expect(scaler.inverseTransform(nested)).toEqual(rows);
    expect(Array.from(scaler.inverseTransform(typed))).toEqual(rows.flat());
  });

  it('fitTransform: the fitted scaler and the rows it scaled', () => {
    const { scaler, scaled } = Scaler.fitTransform(rows, { kind: 'standard' });
    expect(scaler.toJSON()).toEqual(Scaler.fit(rows).toJSON());
    expect(scaled).toEqual(scaler.transform(rows));
    const typed = Scaler.fitTransform(flat, { features: 3 });
    expect(typed.scaled).toBeInstanceOf(Float32Array);
    expect(Array.from(typed.scaled)).toEqual(scaled.flat());
  });

  it('refuses row-major values without features, ragged rows, other widths and non-finite values', () => {
    expectError(() => Scaler.fit(rows.flat()), ValueError, 'x: row-major values need their row width; pass features (the number of columns)');
    expectError(() => Scaler.fit([[1, 2], [3]]), ShapeError, 'x: expected 2 columns per row (the rows to fit the scaler on), got 1 at row 1');
    expectError(() => Scaler.fit(rows, { kind: 'robust' as never }), ValueError, 'options.kind: expected one of minmax, standard, none, got "robust"');
    expectError(() => Scaler.fit(rows, { features: 2, kind: 'minmax' }), ShapeError, 'x: expected 2 columns per row');
    expectError(() => Scaler.fit(rows, { scale: 1 } as never), ValueError, "options: unknown option \"scale\"");
    const scaler = Scaler.fit(rows);
    expectError(() => scaler.transform([[1, 2]]), ShapeError, "x: expected 3 columns per row (the scaler's 3 features), got 2 at row 0");
    expectError(() => scaler.transform([1, 2, 3, 4]), ShapeError, 'x: expected a multiple of 3 values');
    expectError(() => scaler.transform([[1, NaN, 3]]), ValueError, 'x: expected finite numbers, got 1 non-finite value (first: NaN at row 0, column 1)');
  });
});
