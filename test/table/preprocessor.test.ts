import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DataError, ValueError } from '../../src/errors.js';
import { tableFromRecords, type RawTable } from '../../src/table/column.js';
import { recordsTable } from '../../src/model/records.js';
import { fitPreprocessor, Preprocessor } from '../../src/table/preprocessor.js';
import { dataPath } from '../support/data.js';
import { expectError } from '../support/expect-error.js';

function read(name: string): RawTable {
  const [header, ...records] = parse(readFileSync(dataPath(name), 'utf8')) as string[][];
  return tableFromRecords(header!, records);
}
const all = (t: RawTable) => Uint32Array.from({ length: t.rows }, (_, i) => i);

describe('column kinds and encoders on real tables', () => {
  it('penguins: categories, numbers with gaps, missing as its own category', () => {
    const t = read('penguins');
    const { preprocessor, schema } = fitPreprocessor(t, 'Species', all(t));
    const kinds = Object.fromEntries(schema.map((s) => [s.name, s.kind]));
    expect(kinds).toEqual({
      Island: 'categorical', 'Beak Length (mm)': 'numeric', 'Beak Depth (mm)': 'numeric',
      'Flipper Length (mm)': 'numeric', 'Body Mass (g)': 'numeric', Sex: 'categorical',
    });
    const sex = schema.find((s) => s.name === 'Sex')!;
    // 10 empty cells and one '.', all missing: 11 of 344
    expect(sex.missing).toBeCloseTo(11 / 344, 12);
    expect(sex.features).toEqual(['Sex=MALE', 'Sex=FEMALE', 'Sex=(other)', 'Sex=(missing)']);
    expect(schema[1]!.features).toEqual(['Beak Length (mm)', 'Beak Length (mm) (missing)']);
    const { x } = preprocessor.transform(t);
    const f = preprocessor.features.length;
    expect(x.length).toBe(t.rows * f);
    // row 3 (Torgersen, all measurements missing): medians and indicators
    const row3 = Array.from(x.subarray(3 * f, 4 * f));
    const beak = preprocessor.features.indexOf('Beak Length (mm)');
    expect(row3[beak + 1]).toBe(1);
    expect(row3[preprocessor.features.indexOf('Island=Torgersen')]).toBe(1);
    expect(row3[preprocessor.features.indexOf('Sex=(missing)')]).toBe(1);
  });

  it('cars: free text left out, a date turned into the parts that vary, the target never a feature', () => {
    const t = read('cars');
    const { preprocessor, schema } = fitPreprocessor(t, 'Miles_per_Gallon', all(t));
    const byName = Object.fromEntries(schema.map((s) => [s.name, s]));
    expect(byName.Name!.kind).toBe('text');
    expect(byName.Name!.features).toEqual([]);
    expect(byName.Name!.detail).toMatch(/^left out: free text \(\d+ distinct values in 406 cells\)$/);
    expect(byName.Year!.kind).toBe('date');
    expect(byName.Year!.features).toEqual(['Year year']);
    expect(byName.Year!.detail).toBe('1970-01-01 to 1982-01-01; features: year');
    expect(byName.Origin!.kind).toBe('categorical');
    expect(byName.Horsepower!.features).toEqual(['Horsepower', 'Horsepower (missing)']);
    expect(preprocessor.features).not.toContain('Miles_per_Gallon');
  });
});

describe('encoding rows the model has not seen', () => {
  const names = ['color', 'size', 'when', 'label'];
  const train = tableFromRecords(names, [
    ['red', '1', '2024-01-01', 'a'], ['blue', '2', '2024-02-01', 'b'], ['red', '', '2024-03-01', 'a'], ['green', '4', '', 'b'],
  ]);
  const { preprocessor } = fitPreprocessor(train, 'label', all(train));

  it('unseen categories go to (other) and are counted; gaps take the training median', () => {
    const test = tableFromRecords(names, [['purple', '', '2024-02-15', 'a'], ['red', '3', 'NA', 'b']]);
    const { x, report } = preprocessor.transform(test, 'test.csv');
    expect(report.unseen).toEqual({ color: 1 });
    const f = preprocessor.features;
    const at = (r: number, name: string) => x[r * f.length + f.indexOf(name)];
    expect(at(0, 'color=(other)')).toBe(1);
    expect(at(0, 'size')).toBe(2); // median of 1, 2, 4
    expect(at(0, 'size (missing)')).toBe(1);
    expect(at(1, 'when (missing)')).toBe(1);
    expect(at(1, 'color=red')).toBe(1);
  });

  it('records: objects keyed by column name, a missing key a missing cell', () => {
    const table = recordsTable([{ color: 'blue', size: 2, when: new Date(Date.UTC(2024, 1, 1)) }, { color: 'red' }], preprocessor.columnNames, preprocessor.na);
    const { x } = preprocessor.transform(table);
    const viaText = preprocessor.transform(tableFromRecords(names, [['blue', '2', '2024-02-01T00:00:00.000Z', ''], ['red', '', '', '']])).x;
    expect(Array.from(x)).toEqual(Array.from(viaText));
  });

  it('a model saved and loaded encodes the same', () => {
    const again = new Preprocessor(JSON.parse(JSON.stringify(preprocessor.toJSON())));
    expect(again.transform(train).x).toEqual(preprocessor.transform(train).x);
  });

  it('a missing column is named; bad option names are named', () => {
    const partial = tableFromRecords(['color', 'label'], [['red', 'a']]);
    expectError(() => preprocessor.transform(partial, 'new.csv'), DataError, "new.csv: missing feature columns 'size', 'when' of the model (it reads 'color', 'size', 'when'; the file has 'color', 'label')");
    expectError(() => fitPreprocessor(train, 'label', all(train), { ignore: ['colour'] }), ValueError, "ignore: expected column names from the table, got 'colour'");
  });
});

describe('kind rules', () => {
  const kindOf = (cells: string[], options = {}, name = 'c') => {
    const t = tableFromRecords([name, 'z', 'y'], cells.map((c, i) => [c, String(i % 3), String(i % 2)]));
    return fitPreprocessor(t, 'y', all(t), options).schema[0]!.kind;
  };
  it('numbers, booleans, dates, identifiers, free text, empty; --categorical', () => {
    expect(kindOf(['1.5', '2', '', '3e2'])).toBe('numeric');
    expect(kindOf(['yes', 'no', 'YES', ''])).toBe('boolean');
    expect(kindOf(['2020-01-01', '2021-06-30T12:00', '2020/02/29', 'NA'])).toBe('date');
    expect(kindOf(Array.from({ length: 30 }, (_, i) => String(i + 1)), {}, 'customer_id')).toBe('identifier');
    expect(kindOf(Array.from({ length: 30 }, (_, i) => String(i + 1)), {}, 'RowId')).toBe('identifier');
    // the same values under another name are a sorted input, a feature
    expect(kindOf(Array.from({ length: 30 }, (_, i) => String(i + 1)), {}, 'dose')).toBe('numeric');
    expect(kindOf(Array.from({ length: 40 }, (_, i) => `comment number ${i}`))).toBe('text');
    expect(kindOf(['', 'NA', 'null', '?'])).toBe('empty');
    expect(kindOf(['4', '6', '8', '4'], { categorical: ['c'] })).toBe('categorical');
    // a measurement with one stray word: the word is read as missing
    expect(kindOf([...Array.from({ length: 40 }, (_, i) => String(i % 7)), 'unknown'])).toBe('numeric');
    expect(kindOf(['2020-02-30', '2020-01-01'])).toBe('categorical'); // not a real date
  });
});
