// Model: raw records in (objects keyed by column name), labels, values and
// probabilities out; the same answers as the network on the encoded rows;
// gaps, unseen categories and missing keys as a file would have them; a cell
// of the wrong type refused by name; saved and loaded, the same predictions.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, init, trainModel, ValueError, type Runtime } from '../../src/index.js';
import { Model, parseCsv, type TableRecord } from '../../src/csv.js';
import { dataPath } from '../support/data.js';
import { expectError } from '../support/expect-error.js';

let rt: Runtime;
let penguins: Model;
let cars: Model;

beforeAll(async () => {
  rt = await init({ setDefault: false });
  const read = (name: string, target: string) => parseCsv(readFileSync(dataPath(name), 'utf8'), { target });
  penguins = trainModel(read('penguins', 'Species'), { seed: 1, epochs: 40, runtime: rt }).model!;
  cars = trainModel(read('cars', 'Miles_per_Gallon'), { seed: 1, epochs: 40, runtime: rt }).model!;
});

const adelie: TableRecord = { Island: 'Torgersen', 'Beak Length (mm)': 39.1, 'Beak Depth (mm)': 18.7, 'Flipper Length (mm)': 181, 'Body Mass (g)': 3750, Sex: 'MALE' };
const gentoo: TableRecord = { Island: 'Biscoe', 'Beak Length (mm)': 47.5, 'Beak Depth (mm)': 14.2, 'Flipper Length (mm)': 209, 'Body Mass (g)': 4600, Sex: 'FEMALE' };

describe('Model on records', () => {
  it('predicts a label from one record and an array, the same as the network on the encoded row', () => {
    expect(penguins.task).toBe('multiclass');
    expect(penguins.classes).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(penguins.predict(adelie)).toBe('Adelie');
    expect(penguins.predict([adelie, gentoo])).toEqual(['Adelie', 'Gentoo']);
    const table = penguins.tableOf([adelie, gentoo]);
    const { x } = penguins.encode(table);
    const out = penguins.network.predict(x);
    const argmax = (r: number) => [0, 1, 2].reduce((b, c) => (out[r * 3 + c]! > out[r * 3 + b]! ? c : b), 0);
    expect([argmax(0), argmax(1)].map((i) => penguins.classes![i])).toEqual(['Adelie', 'Gentoo']);
  });

  it('gives class probabilities keyed by label that sum to 1, those of the network; regression refuses them', () => {
    const one = penguins.predictProba(gentoo);
    expect(Object.keys(one)).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(Object.values(one).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(one.Gentoo).toBeGreaterThan(0.5);
    const both = penguins.predictProba([adelie, gentoo]);
    expect(both[1]).toEqual(one);
    const out = penguins.network.predict(penguins.encode(penguins.tableOf([gentoo])).x);
    expect([one.Adelie, one.Chinstrap, one.Gentoo]).toEqual(Array.from(out));
    expectError(() => cars.predictProba({ Cylinders: 4 }), ValueError, 'predictProba: this model is a regression model');
  });

  it('regression: a number in the target\'s units; a date, a category and free text as the file has them', () => {
    const car = { Name: 'a car never seen', Cylinders: 4, Displacement: 97, Horsepower: 88, Weight_in_lbs: 2130, Acceleration: 14.5, Year: '1982-01-01', Origin: 'Japan' };
    const mpg = cars.predict(car) as number;
    expect(typeof mpg).toBe('number');
    expect(mpg).toBeGreaterThan(20);
    expect(mpg).toBeLessThan(50);
    const heavy = cars.predict({ ...car, Cylinders: 8, Displacement: 400, Horsepower: 190, Weight_in_lbs: 4500, Year: '1970-01-01', Origin: 'USA' }) as number;
    expect(heavy).toBeLessThan(mpg);
    // free text is read by no feature: any name gives the same value
    expect(cars.predict({ ...car, Name: 'another' })).toBe(mpg);
    // a Date object is a date cell
    expect(cars.predict({ ...car, Year: new Date('1982-01-01T00:00:00Z') })).toBe(mpg);
  });

  it('a missing key, null, undefined, NaN, "" and the NA tokens are all the same missing cell', () => {
    const { Sex: _, ...noSex } = gentoo;
    const forms: TableRecord[] = [noSex, { ...gentoo, Sex: null }, { ...gentoo, Sex: undefined }, { ...gentoo, Sex: '' }, { ...gentoo, Sex: 'NA' }, { ...gentoo, Sex: '?' }];
    const p = penguins.predictProba(forms);
    for (const q of p.slice(1)) expect(q).toEqual(p[0]);
    expect(p[0]).not.toEqual(penguins.predictProba(gentoo));
    const numbers: TableRecord[] = [{ ...gentoo, 'Body Mass (g)': null }, { ...gentoo, 'Body Mass (g)': Number.NaN }, { ...gentoo, 'Body Mass (g)': 'N/A' }];
    const q = penguins.predictProba(numbers);
    expect(q[1]).toEqual(q[0]);
    expect(q[2]).toEqual(q[0]);
    // a record of nothing but gaps (every column a key with null) still gets a label
    expect(penguins.classes).toContain(penguins.predict(gaps(penguins)));
  });

  it('an unseen category is "(other)", counted per column, never an error', () => {
    const table = penguins.tableOf([{ ...gentoo, Island: 'Atlantis' }, { ...gentoo, Island: 'Lemuria' }, gentoo]);
    const p = penguins.predictTable(table);
    expect(p.unseen).toEqual({ Island: 2 });
    expect(p.labels).toHaveLength(3);
    // both unseen islands encode alike
    expect(penguins.predictProba({ ...gentoo, Island: 'Atlantis' })).toEqual(penguins.predictProba({ ...gentoo, Island: 'Lemuria' }));
  });

  it('refuses a cell of the wrong type by record and column, before predicting', () => {
    expectError(() => penguins.predict({ ...gentoo, 'Body Mass (g)': 'heavy' }), DataError, `record.Body Mass (g): expected a number (the model reads column 'Body Mass (g)' as numbers), got "heavy"`);
    expectError(() => penguins.predict([gentoo, { ...adelie, Island: { name: 'Dream' } }]), ValueError, 'records[1].Island: expected a number, a string, a boolean, a Date, or null for a missing cell, got an object');
    expectError(() => cars.predict({ Year: 'last year' }), DataError, `record.Year: expected a date (YYYY-MM-DD or ISO 8601) for column 'Year', got "last year"`);
    expectError(() => penguins.predict([gentoo, 42 as never]), ValueError, 'records[1]: expected an object keyed by column name, got number');
    expectError(() => penguins.predict([]), ValueError, 'records: expected a record (an object keyed by column name) or a non-empty array of them, got an array of length 0');
    // a number in a numeric column may come as text, as a file gives it
    expect(penguins.predictProba({ ...gentoo, 'Body Mass (g)': ' 4600 ' })).toEqual(penguins.predictProba(gentoo));
  });

  it('saved and loaded, predicts the same labels, values and probabilities bit for bit', () => {
    const records = [adelie, gentoo, { ...gentoo, Island: 'Atlantis', Sex: null }, gaps(penguins)];
    const again = Model.fromJSON(JSON.parse(JSON.stringify(penguins.toJSON())), { runtime: rt });
    expect(again.predict(records)).toEqual(penguins.predict(records));
    expect(again.predictProba(records)).toEqual(penguins.predictProba(records));
    const car = { Cylinders: 6, Displacement: 200, Horsepower: '', Weight_in_lbs: 3000, Acceleration: 15, Year: '1976-01-01', Origin: 'Europe' };
    const carsAgain = Model.fromJSON(JSON.parse(JSON.stringify(cars.toJSON())), { runtime: rt });
    expect(carsAgain.predict([car, gaps(cars)])).toEqual(cars.predict([car, gaps(cars)]));
    again.dispose();
    carsAgain.dispose();
  });
});

/** A record with every column of the model as a gap (a record with none of its columns is refused as a mistake). */
function gaps(model: { columns: string[] }): TableRecord {
  return Object.fromEntries(model.columns.map((c) => [c, null]));
}
