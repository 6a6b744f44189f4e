/**
 * Model.predict and predictProba read records as own keys only, each cell
 * once, and refuse what could only be a mistake before predicting, naming
 * the record and the column. Before: a Map or an object whose columns were
 * inherited predicted from nothing (every cell missing); a key 'hour' for
 * 'hours' was dropped without a word; [1] or new Number(2) were read as 1
 * and 2, an object as the text '[object Object]', a BigInt as a number, a
 * Symbol as text; 1e39 as the category 'Infinity'; a hole in the array reached the network as NaN ("x:
 * expected finite numbers"); a getter that throws, a revoked Proxy or an
 * array whose length throws escaped as a TypeError or the getter's own error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Model, parseCsv } from '../../src/csv.js';
import { DataError, Network, init, trainModel, ValueError, type Runtime } from '../../src/index.js';
import { expectError } from '../support/expect-error.js';

let runtime: Runtime;
let model: Model;
let bare: Model;

beforeAll(async () => {
  runtime = await init();
  const rows = ['hours,color,label', ...Array.from({ length: 30 }, (_, i) => `${i % 7},${['red', 'blue'][i % 2]},${i % 3 ? 'a' : 'b'}`)];
  model = new Model(trainModel(parseCsv(rows.join('\n')), { runtime, epochs: 2, hidden: [3], seed: 1 }).network as unknown as Network);
  bare = new Model(new Network({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], seed: 3, runtime }));
});

afterAll(() => {
  model?.dispose();
  bare?.dispose();
});

const plain = { hours: 1, color: 'red' };

describe('records: own keys only, each read once, refused by name', () => {
  it('a record as an object of cells, alone or in an array; other keys (an id, the target) ignored', () => {
    const one = model.predict(plain);
    expect(model.predict([plain, { ...plain, id: 7, label: 'a' }])).toEqual([one, one]);
    expect(model.predict(JSON.parse('{"hours": 1, "color": "red", "__proto__": 5}'))).toBe(one);
    expect(model.predict(Object.assign(Object.create(null), plain))).toBe(one);
    expect(model.predict({ hours: null, color: 'red' })).toBeTypeOf('string');
  });

  it('a record that is no object of cells names its kind', () => {
    expectError(() => model.predict(new Map(Object.entries(plain)) as never), ValueError, 'record: expected an object keyed by column name, got a Map');
    expectError(() => model.predict(new Date() as never), ValueError, 'record: expected an object keyed by column name, got a Date');
    expectError(() => model.predict([plain, [1, 'red']] as never), ValueError, 'records[1]: expected an object keyed by column name, got an array of length 2');
    expectError(() => model.predict('hours' as never), ValueError, 'record: expected an object keyed by column name, got "hours"');
    // eslint-disable-next-line no-sparse-arrays
    expectError(() => model.predict([, plain] as never), ValueError, 'records[0]: expected an object keyed by column name, got undefined');
    expectError(() => model.predict([]), ValueError, 'records: expected a record (an object keyed by column name) or a non-empty array of them, got an array of length 0');
  });

  it('a cell of a kind no table holds is refused, not coerced', () => {
    expectError(() => model.predict({ hours: [1], color: 'red' } as never), ValueError, 'record.hours: expected a number, a string, a boolean, a Date, or null for a missing cell, got an array of length 1');
    expectError(() => model.predict({ hours: new Number(2), color: 'red' } as never), ValueError, 'record.hours: ', 'got an object');
    expectError(() => model.predict([plain, { hours: 3n, color: 'red' }] as never), ValueError, 'records[1].hours: ', 'got a BigInt (3n; pass Number(value))');
    expectError(() => model.predict({ hours: 1, color: Symbol('red') } as never), ValueError, 'record.color: ', 'got a Symbol');
    expectError(() => model.predict({ hours: 1, color: { toString: () => 'red' } } as never), ValueError, 'record.color: ', 'got an object');
    expectError(() => bare.predict({ x0: {}, x1: 1 } as never), ValueError, 'record.x0: ', 'got an object');
  });

  it('a typo of a column the record lacks is named with the column; a record with none of the columns is refused', () => {
    expectError(() => model.predict({ hour: 1, color: 'red' }), ValueError, "record: 'hour' is not a column of the model (did you mean 'hours'?); its columns: 'hours', 'color'");
    expectError(() => model.predictProba([plain, { hours: 1, colour: 'red' }]), ValueError, "records[1]: 'colour' is not a column of the model (did you mean 'color'?)");
    expectError(() => model.predict({}), ValueError, "record: expected the model's columns ('hours', 'color') as its own keys, got none of them (a missing cell is a key with null)");
    expectError(() => model.predict(Object.create(plain)), ValueError, "record: expected the model's columns");
    expectError(() => bare.predict({ a: 1 }), ValueError, "record: expected the model's columns ('x0', 'x1')");
  });

  it('a read that throws is refused naming what was read', () => {
    const getter = Object.defineProperty({ color: 'red' }, 'hours', { get() { throw new Error('hostile getter'); }, enumerable: true });
    expectError(() => model.predict(getter), ValueError, 'record.hours: could not be read (Error: hostile getter)');
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expectError(() => model.predict(revoked.proxy), ValueError, 'record: expected an object keyed by column name, got a value that cannot be inspected');
    expectError(() => model.predict([plain, revoked.proxy]), ValueError, 'records[1]: expected an object keyed by column name, got a value that cannot be inspected');
    const length = new Proxy([plain], { get: (t, k) => { if (k === 'length') throw new Error('no length'); return Reflect.get(t, k); } });
    expectError(() => model.predict(length), ValueError, 'records: could not be read (Error: no length)');
  });

  it('a number beyond float32 is refused in every column, naming the cell (a categorical column took 1e39 as the category \'Infinity\')', () => {
    expectError(() => model.predict({ hours: 1e39, color: 'red' }), DataError, 'record.hours: expected a number within the float32 range (±3.4e38), got 1e+39');
    expectError(() => model.predict([plain, { hours: 1, color: -Infinity }]), DataError, 'records[1].color: expected a number within the float32 range (±3.4e38), got -Infinity');
    expectError(() => model.predict({ hours: 1, color: ' 1e39 ' }), DataError, 'record.color: expected a number within the float32 range (±3.4e38), got " 1e39 "');
    expect(model.predict({ hours: 3.4028235e38, color: 'red' })).toBeTypeOf('string');
  });
});
