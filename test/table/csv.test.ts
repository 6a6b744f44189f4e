import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/model/parse-csv.js';
import { classCounts } from '../../src/data/dataset.js';
import { loadCsv } from '../../src/model/load-csv.js';
import { DataError, ValueError } from '../../src/errors.js';
import { expectError, expectRejection } from '../support/expect-error.js';
import { DATA_DIR } from '../support/data.js';


describe('parseCsv on the public datasets in examples/data (numbers from their README)', () => {
  const cases = [
    { file: 'digits.csv', rows: 1797, features: 64, task: 'multiclass', first: 'pixel_0_0', counts: null, countRange: [174, 183] },
    { file: 'breast_cancer.csv', rows: 569, features: 30, task: 'binary', first: 'mean_radius', counts: [212, 357], countRange: null },
    { file: 'iris.csv', rows: 150, features: 4, task: 'multiclass', first: 'sepal_length_cm', counts: [50, 50, 50], countRange: null },
    { file: 'students.csv', rows: 400, features: 2, task: 'binary', first: 'hours_studied', counts: [213, 187], countRange: null },
  ] as const;

  for (const c of cases) {
    it(`${c.file}: ${c.rows} rows, ${c.features} features, ${c.task}`, async () => {
      const ds = await loadCsv(join(DATA_DIR, c.file));
      expect(ds.rows).toBe(c.rows);
      expect(ds.features).toBe(c.features);
      expect(ds.x.length).toBe(c.rows * c.features);
      expect(ds.y.length).toBe(c.rows);
      expect(ds.task).toBe(c.task);
      expect(ds.targetName).toBe('target');
      expect(ds.featureNames).toHaveLength(c.features);
      expect(ds.featureNames[0]).toBe(c.first);
      expect(ds.dropped).toBe(0);
      const counts = classCounts(ds);
      if (c.counts !== null) expect(counts).toEqual(c.counts);
      if (c.countRange !== null) {
        expect(counts).toHaveLength(10);
        for (const n of counts) expect(n >= c.countRange[0] && n <= c.countRange[1]).toBe(true);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(1797);
      }
      // Integer labels 0..k−1 map to themselves.
      expect(ds.classes).toEqual(counts.map((_, i) => String(i)));
    });
  }

  it('keeps the values (as float32) and the row order of the file', async () => {
    const iris = await loadCsv(join(DATA_DIR, 'iris.csv'));
    expect(Array.from(iris.x.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    expect(Array.from(iris.x.subarray(149 * 4))).toEqual([5.9, 3.0, 5.1, 1.8].map(Math.fround));
    expect([iris.y[0], iris.y[50], iris.y[149]]).toEqual([0, 1, 2]);
    const cancer = await loadCsv(join(DATA_DIR, 'breast_cancer.csv'));
    expect(cancer.x[0]).toBe(Math.fround(17.99));
    expect(cancer.x[29]).toBe(Math.fround(0.1189));
    expect(cancer.y[0]).toBe(0);
  });
});

describe('parseCsv: targets and tasks', () => {
  it('maps string labels to sorted indices and back', () => {
    const text = 'a,b,animal\n1,2,dog\n3,4,cat\n5,6,bird\n7,8,cat\n';
    const ds = parseCsv(text);
    expect(ds.task).toBe('multiclass');
    expect(ds.classes).toEqual(['bird', 'cat', 'dog']);
    expect(Array.from(ds.y)).toEqual([2, 1, 0, 1]);
    expect(Array.from(ds.y, (i) => ds.classes![i])).toEqual(['dog', 'cat', 'bird', 'cat']);
  });

  it('sorts numeric labels numerically and merges 1 with 1.0', () => {
    const ds = parseCsv('f,t\n0,10\n1,9\n2,2\n3,9.0\n');
    expect(ds.classes).toEqual(['2', '9', '10']);
    expect(Array.from(ds.y)).toEqual([2, 1, 0, 1]);
  });

  it('reads two string labels as binary, in code-unit order', () => {
    const ds = parseCsv('f,t\n0,yes\n1,no\n2,Yes\n');
    expect(ds.task).toBe('multiclass');
    expect(ds.classes).toEqual(['Yes', 'no', 'yes']);
    const bin = parseCsv('f,t\n0,yes\n1,no\n2,no\n');
    expect(bin.task).toBe('binary');
    expect(bin.classes).toEqual(['no', 'yes']);
    expect(Array.from(bin.y)).toEqual([1, 0, 0]);
  });

  it('selects the target by name or by index', () => {
    const text = 'label,u,v\nb,1,2\na,3,4\n';
    const byName = parseCsv(text, { target: 'label' });
    const byIndex = parseCsv(text, { target: 0 });
    for (const ds of [byName, byIndex]) {
      expect(ds.targetName).toBe('label');
      expect(ds.featureNames).toEqual(['u', 'v']);
      expect(Array.from(ds.x)).toEqual([1, 2, 3, 4]);
      expect(ds.classes).toEqual(['a', 'b']);
      expect(Array.from(ds.y)).toEqual([1, 0]);
    }
    const middle = parseCsv('p,q,r\n1,2,3\n4,5,6\n', { target: 'q', task: 'regression' });
    expect(middle.featureNames).toEqual(['p', 'r']);
    expect(Array.from(middle.x)).toEqual([1, 3, 4, 6]);
    expect(Array.from(middle.y)).toEqual([2, 5]);
  });

  it("'auto' reads non-integers, or more than 20 integers, as regression", () => {
    expect(parseCsv('f,t\n1,0.5\n2,1.5\n').task).toBe('regression');
    const many = ['f,t', ...Array.from({ length: 21 }, (_, i) => `${i},${i}`)].join('\n');
    const ds = parseCsv(many);
    expect(ds.task).toBe('regression');
    expect(ds.classes).toBeNull();
    expect(ds.y[20]).toBe(20);
    const twenty = ['f,t', ...Array.from({ length: 20 }, (_, i) => `${i},${i}`)].join('\n');
    expect(parseCsv(twenty).task).toBe('multiclass');
  });

  it('honours an explicit task', () => {
    expect(parseCsv('f,t\n1,0\n2,1\n3,2\n', { task: 'regression' }).task).toBe('regression');
    expect(parseCsv('f,t\n1,0\n2,1\n', { task: 'multiclass' }).task).toBe('multiclass');
    expect(parseCsv('f,t\n1,0.5\n2,1.5\n', { task: 'binary' }).classes).toEqual(['0.5', '1.5']);
  });

  it('accepts quoted fields, CRLF, a byte-order mark, blank lines and spaces', () => {
    const ds = parseCsv('\ufeff"a", b ,t\r\n"1.5", 2 ,x\r\n\r\n 3 ,"4",y\r\n');
    expect(ds.featureNames).toEqual(['a', 'b']);
    expect(Array.from(ds.x)).toEqual([1.5, 2, 3, 4]);
    expect(ds.classes).toEqual(['x', 'y']);
  });
});

describe('parseCsv: tables as people have them', () => {
  it('a missing feature cell is imputed with the median, and a missing-indicator feature says so', () => {
    const ds = parseCsv('a,b,t\n1,2,0\n3,,1\n5,4,0\n');
    expect(ds.featureNames).toEqual(['a', 'b', 'b (missing)']);
    expect(Array.from(ds.x)).toEqual([1, 2, 0, 3, 3, 1, 5, 4, 0]);
    expect(ds.schema.map((c) => c.kind)).toEqual(['numeric', 'numeric']);
  });

  it('cells that are not plain decimal numbers are text: NaN is a missing value, Infinity or hex a category', () => {
    const ds = parseCsv('a,b,t\n1,0x10,0\n2,Infinity,1\n3,NaN,0\n4,1e,1\n');
    expect(ds.schema.find((c) => c.name === 'b')!.kind).toBe('categorical');
    expect(ds.featureNames).toEqual(['a', 'b=0x10', 'b=Infinity', 'b=1e', 'b=(other)', 'b=(missing)']);
  });

  it('a value beyond the float32 range names the row, line, column and cell', () => {
    expectError(() => parseCsv('a,t\n1e39,0\n1,1\n'), DataError, "row 1 (line 2): column 'a'", 'float32 range', "'1e39'");
  });

  it('counts lines through blank lines and multi-line quoted fields', () => {
    expectError(() => parseCsv('a,b,t\n\n1,2,"x\ny"\n3,-4e40,z\n'), DataError, "row 2 (line 5): column 'b'", "got '-4e40'");
  });

  it('a row with the wrong number of fields', () => {
    expectError(() => parseCsv('a,b,t\n1,2,0\n3,4\n'), DataError, 'row 2 (line 3): expected 3 fields (as in the header), got 2');
  });

  it('rows without a target are left out and counted', () => {
    const ds = parseCsv('a,t\n1,0\n2,\n3,1\n4,NA\n');
    expect(ds.rows).toBe(2);
    expect(ds.missingTarget).toBe(2);
    expect(Array.from(ds.x)).toEqual([1, 3]);
  });

  it('a non-numeric regression target', () => {
    expectError(() => parseCsv('a,t\n1,0.5\n2,high\n', { task: 'regression' }), DataError, "row 2 (line 3): column 't' (regression target): expected a number, got 'high'");
  });

  it('dropInvalid drops rows with the wrong number of fields, a missing feature cell or a value beyond float32, and counts them', () => {
    const ds = parseCsv('a,b,t\n1,2,0\n3,,1\n4,?,0\n5,6\n7,8,1\n9,10,\n11,1e39,0\n', { dropInvalid: true });
    expect(ds.rows).toBe(2);
    expect(ds.dropped).toBe(4);
    expect(ds.missingTarget).toBe(1);
    expect(Array.from(ds.x)).toEqual([1, 2, 7, 8]);
    expect(Array.from(ds.y)).toEqual([0, 1]);
    const reg = parseCsv('a,t\n1,0.5\n2,high\n3,1.5\n', { task: 'regression', dropInvalid: true });
    expect(reg.rows).toBe(2);
    expect(reg.dropped).toBe(1);
    expect(Array.from(reg.y)).toEqual([0.5, 1.5]);
    expect(Array.from(reg.x)).toEqual([1, 3]);
  });

  it('all rows invalid, even with dropInvalid', () => {
    expectError(() => parseCsv('a,t\n,0\n?,1\n', { dropInvalid: true }), DataError, 'expected at least one valid data row, got none: all 2 rows were dropped (2 invalid');
  });

  it('empty input, header only, a single column', () => {
    expectError(() => parseCsv(''), DataError, 'text: expected a header row, got no rows (empty input)');
    expectError(() => parseCsv('a,b,t\n'), DataError, 'expected at least one data row after the header, got none');
    expectError(() => parseCsv('t\n1\n'), DataError, "expected at least 2 columns (features and a target), got 1 ('t')");
  });

  it('broken CSV syntax', () => {
    expectError(() => parseCsv('a,t\n1,"0\n'), DataError, 'text: row 1 (line 2): invalid CSV: the quoted field opened at byte offset 6 is not closed by the end of the input');
  });

  it('too few classes, or the wrong number for binary', () => {
    expectError(() => parseCsv('a,t\n1,1\n2,1\n'), DataError, "expected at least 2 classes in the target, found 1 ('1') in column 't'", "task: 'regression'");
    expectError(() => parseCsv('a,t\n1,x\n2,y\n3,z\n', { task: 'binary' }), DataError, "task 'binary' expects exactly 2 classes, found 3 ('x', 'y', 'z')");
  });

  it('bad options give a ValueError naming the option', () => {
    expectError(() => parseCsv('a,t\n1,0\n', { target: 'label' }), ValueError, "options.target: expected a column name from the header of text ('a', 't'), got 'label'");
    expectError(() => parseCsv('a,t\n1,0\n', { target: 2 }), ValueError, 'options.target: expected a column index 0..1, got 2');
    expectError(() => parseCsv('a,t\n1,0\n', { target: -1 }), ValueError, 'options.target: expected a column name (a string) or a 0-based column index, got number -1');
    // a header naming a column twice is refused before any option is looked at
    expectError(() => parseCsv('a,a,t\n1,2,0\n', { target: 'a' }), DataError, "text: header (line 1): duplicate column names: 'a' at columns 1, 2");
    // @ts-expect-error: a JavaScript caller can pass anything
    expectError(() => parseCsv('a,t\n1,0\n', { task: 'ranking' }), ValueError, "options.task: expected 'auto', 'binary', 'multiclass' or 'regression', got 'ranking'");
  });
});

describe('loadCsv', () => {
  it('names the file in read and parse errors', async () => {
    await expectRejection(() => loadCsv('/nonexistent/simdnet.csv'), DataError, "path: could not read '/nonexistent/simdnet.csv' (ENOENT)");
    const dir = await mkdtemp(join(tmpdir(), 'simdnet-'));
    try {
      const file = join(dir, 'bad.csv');
      await writeFile(file, 'a,t\n1,0\n2e40,1\n3,0.5\n');
      await expectRejection(() => loadCsv(file), DataError, `${file}: row 2 (line 3): column 'a'`);
      const ds = await loadCsv(new URL(`file://${file}`), { dropInvalid: true, task: 'regression' });
      expect(ds.dropped).toBe(1);
      expect(ds.rows).toBe(2);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
