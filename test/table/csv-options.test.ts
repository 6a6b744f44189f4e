/**
 * parseCsv and loadCsv read their options once, own keys only, every value
 * of its documented type, before any byte is read (issue 11; found by the
 * reliability battery: `{ tsk: 'auto' }` was taken silently, `task: null`
 * read as the default, `dropInvalid: 'yes'` as true, `na: 5` a TypeError).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCsv, parseCsv, type CsvOptions } from '../../src/csv.js';
import { DataError, ValueError } from '../../src/index.js';
import { expectError, expectRejection } from '../support/expect-error.js';

const T = 'a,b,t\n1,2,x\n3,4,y\n5,6,x\n';
const KNOWN = "expected 'target', 'features', 'ignore', 'categorical', 'maxCategories', 'na', 'task', 'dropInvalid', 'separator', 'encoding', 'source'";
const parse = (options: unknown) => () => parseCsv(T, options as CsvOptions);

describe('parseCsv options', () => {
  it('an unknown key is refused with the nearest known one and the list; prototype keys are unknown keys', () => {
    expectError(parse({ tsk: 'auto' }), ValueError, `options: unknown option "tsk" (did you mean 'task'?); ${KNOWN}`);
    expectError(parse({ dropinvalid: true }), ValueError, "options: unknown option \"dropinvalid\" (did you mean 'dropInvalid'?)");
    for (const key of ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf']) {
      expectError(parse(JSON.parse(`{"${key}": {"task": "regression"}}`)), ValueError, `options: unknown option "${key}"; ${KNOWN}`);
    }
    // a key set to undefined gives nothing that could be ignored
    expect(parseCsv(T, { tsk: undefined } as never).rows).toBe(3);
  });

  it('options that are no options object are refused, null included (it is not "every default")', () => {
    for (const [v, got] of [[null, 'null'], ['task', '"task"'], [[1], 'an array of length 1'], [new Map(), 'an object']] as const) {
      expectError(parse(v), ValueError, `options: expected an options object {`, `got ${got}`);
    }
    const keys = new Proxy({}, { ownKeys() { throw new Error('trap'); } });
    expectError(parse(keys), ValueError, 'options: its keys could not be listed (Error: trap)');
    expectError(parse(Object.defineProperty({}, 'task', { get() { throw new Error('getter'); }, enumerable: true })), ValueError, 'options.task: reading it threw (Error: getter)');
    // inherited keys are no options: the defaults
    expect(parseCsv(T, Object.create({ task: 'regression' }) as CsvOptions).task).toBe('binary');
  });

  it('values of the wrong type are refused by name, never coerced or read as the default', () => {
    expectError(parse({ task: null }), ValueError, "options.task: expected 'auto', 'binary', 'multiclass' or 'regression', got null");
    expectError(parse({ task: 'toString' }), ValueError, "options.task: expected 'auto', 'binary', 'multiclass' or 'regression', got 'toString'");
    expectError(parse({ task: 'binray' }), ValueError, "got 'binray' (did you mean 'binary'?)");
    expectError(parse({ dropInvalid: 'yes' }), ValueError, 'options.dropInvalid: expected true or false, got "yes"');
    expectError(parse({ dropInvalid: 1 }), ValueError, 'options.dropInvalid: expected true or false, got number 1');
    expectError(parse({ na: 5 }), ValueError, 'options.na: expected an array of missing-value tokens, got number 5');
    expectError(parse({ na: ['NA', 0] }), ValueError, 'options.na[1]: expected a string, got number 0');
    expectError(parse({ ignore: 'a' }), ValueError, 'options.ignore: expected an array of column names, got "a"');
    expectError(parse({ categorical: [null] }), ValueError, 'options.categorical[0]: expected a string, got null');
    expectError(parse({ features: [, 'a'] }), ValueError, 'options.features[0]: expected one of the column names or 0-based indices, got a hole');
    expectError(parse({ features: [] }), ValueError, 'options.features: expected a non-empty array of column names or indices, got an empty array');
    expectError(parse({ features: [0.5] }), ValueError, 'options.features[0]: expected a column name (a string) or a 0-based column index, got number 0.5');
    expectError(parse({ target: null }), ValueError, 'options.target: expected a column name (a string) or a 0-based column index, got null');
    expectError(parse({ maxCategories: 0 }), ValueError, 'options.maxCategories: expected an integer ≥ 1, got number 0');
    expectError(parse({ maxCategories: '32' }), ValueError, 'options.maxCategories: expected an integer ≥ 1, got "32"');
    expectError(parse({ source: 5 }), ValueError, 'options.source: expected a non-empty string (what messages call the input), got number 5');
    expectError(parse({ separator: 'tab' }), ValueError, "options.separator: expected ',', ';', '\\t' or '|', got 'tab'");
    expectError(parse({ features: new Proxy([], { get() { throw new Error('trap'); } }) }), ValueError, 'options.features: reading it threw (Error: trap)');
  });

  it('column names in ignore and categorical must name a column that is read (else they would be ignored)', () => {
    expectError(parse({ ignore: ['zz'] }), ValueError, "options.ignore[0]: expected a column name from the header of text ('a', 'b', 't'), got 'zz'");
    expectError(parse({ ignore: ['t'] }), ValueError, "options.ignore[0]: 't' is the target column");
    expectError(parse({ categorical: ['a'], features: ['b'] }), ValueError, "options.categorical[0]: 'a' is not one of options.features, so it is not read");
    expectError(parse({ categorical: ['a'], ignore: ['a'] }), ValueError, "options.categorical[0]: 'a' is also in options.ignore, so it is not read");
    expect(parseCsv(T, { categorical: ['a'] }).schema.map((s) => s.kind)).toEqual(['categorical', 'numeric']);
  });

  it('a column both in features and in ignore is refused; every column left out names the options that did it and the input', () => {
    expectError(parse({ features: ['a', 'b'], ignore: ['a'] }), ValueError, "options.ignore[0]: 'a' is also in options.features: a column is read or ignored, not both");
    // it said 'the table has only its target', without the input's name
    expectError(parse({ ignore: ['a', 'b'], source: 'd.csv' }), DataError, 'd.csv: no usable feature columns: the 2 columns besides the target are left out by options.ignore');
    expectError(() => parseCsv('a,t\n1,x\n2,y\n', { ignore: ['a'] }), DataError, 'text: no usable feature columns: the 1 column besides the target is left out by options.ignore');
  });

  it("lists are copied: the caller's arrays changed afterwards change nothing", () => {
    const features = ['a', 'b'];
    const ds = parseCsv(T, { features });
    features[0] = 'zz';
    expect(ds.featureNames).toEqual(['a', 'b']);
    expect(ds.preprocessOptions.features).not.toBe(features);
  });

  it('the input: a revoked Proxy or a typed array of another kind is refused naming the source', () => {
    const r = Proxy.revocable({}, {});
    r.revoke();
    expectError(() => parseCsv(r.proxy as never), ValueError, 'text: expected CSV as a string or a Uint8Array, got a value that cannot be inspected');
    expectError(() => parseCsv(new Int8Array(4) as never, { source: 'd.csv' }), ValueError, 'd.csv: expected CSV as a string or a Uint8Array, got a Int8Array');
  });
});

describe('loadCsv arguments', () => {
  let dir = '';
  let file = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'simdnet-csv-options-'));
    file = join(dir, 'd.csv');
    await writeFile(file, T);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a path that is no path is a ValueError naming it, before the file system is asked', async () => {
    await expectRejection(() => loadCsv(5 as never), ValueError, 'path: expected a file path (a string) or a file: URL, got number 5');
    await expectRejection(() => loadCsv(''), ValueError, "path: expected a file path, got ''");
    await expectRejection(() => loadCsv('a\0b'), ValueError, "path: expected a file path, got 'a\\0b', which holds a NUL character");
    await expectRejection(() => loadCsv(new URL('https://example.com/d.csv')), ValueError, "path: expected a file path (a string) or a file: URL, got the URL 'https://example.com/d.csv'");
    expect((await loadCsv(new URL(`file://${file}`))).rows).toBe(3);
  });

  it('options and the progress callback are checked before the file is opened; messages name the file', async () => {
    await expectRejection(() => loadCsv(join(dir, 'missing.csv'), { tsk: 'auto' } as never), ValueError, 'options: unknown option "tsk"');
    await expectRejection(() => loadCsv(join(dir, 'missing.csv'), {}, 5 as never), ValueError, 'onBytes: expected a function (read, size) => void, got number 5');
    await expectRejection(() => loadCsv(file, { target: 'zz' }), ValueError, `options.target: expected a column name from the header of ${file}`);
  });
});
