/**
 * CSV as people have it, through parseCsv and loadCsv: separators, byte-order
 * marks, line ends, quoting, encodings (detected, given, refused), header
 * names, and what error messages show of a cell.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv, tableReader, type CsvDataset } from '../../src/model/parse-csv.js';
import { loadCsv } from '../../src/model/load-csv.js';
import { DataError, ValueError } from '../../src/errors.js';
import { expectError, expectRejection } from '../support/expect-error.js';

/** Bytes of `text` one per character (every character below U+0100): Latin-1 / Windows-1252 bytes. */
function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => {
    const code = c.charCodeAt(0);
    if (code > 0xff) throw new Error(`not Latin-1: ${c}`);
    return code;
  });
}
const utf8 = (text: string) => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const labels = (ds: CsvDataset) => Array.from(ds.y, (i) => ds.classes![i]);

describe('separators', () => {
  it.each([
    [';', 'a;b;t\n1,5;2;x\n3;4;y\n'.replace('1,5', '1')],
    ['\t', 'a\tb\tt\n1\t2\tx\n3\t4\ty\n'],
    ['|', 'a|b|t\n1|2|x\n3|4|y\n'],
    [',', 'a,b,t\n1,2,x\n3,4,y\n'],
  ])('detects %j and says so on the dataset', (sep, text) => {
    const ds = parseCsv(text);
    expect(ds.csv.separator).toBe(sep);
    expect(ds.csv.separatorDetected).toBe(true);
    expect(ds.featureNames).toEqual(['a', 'b']);
    expect(Array.from(ds.x)).toEqual([1, 2, 3, 4]);
    expect(ds.classes).toEqual(['x', 'y']);
  });

  it("';' with decimal commas in quoted text is not mistaken for ','", () => {
    const ds = parseCsv('a;b;note\n1;2;"x, y"\n3;4;"z, w"\n');
    expect(ds.csv.separator).toBe(';');
    expect(ds.classes).toEqual(['x, y', 'z, w']);
  });

  it('a separator inside quotes does not count towards detection', () => {
    const ds = parseCsv('a,b,t\n1,2,"p;q;r"\n3,4,"s;t"\n');
    expect(ds.csv.separator).toBe(',');
    expect(ds.classes).toEqual(['p;q;r', 's;t']);
  });

  it('an explicit separator overrides detection', () => {
    // both split every line in two: ',' wins the tie
    const text = 'a,b;c\n1,x;2\n3,y;4\n';
    const detected = parseCsv(text);
    expect(detected.csv).toMatchObject({ separator: ',', separatorDetected: true });
    expect(detected.classes).toEqual(['x;2', 'y;4']);
    const ds = parseCsv(text, { separator: ';', target: 0 });
    expect(ds.csv).toMatchObject({ separator: ';', separatorDetected: false });
    expect(ds.featureNames).toEqual(['c']);
    expect(ds.classes).toEqual(['1,x', '3,y']);
  });

  it('one column: the error says no separator splits the header', () => {
    expectError(() => parseCsv('a:b:t\n1:2:x\n'), DataError, "text: expected at least 2 columns (features and a target), got 1 ('a:b:t')", "no separator among ',', ';', tab and '|' splits the header");
  });

  it("one column under a separator given: the error names the one the header holds (it said no separator splits it, though ';' does)", () => {
    expectError(() => parseCsv('a;b;t\n1;2;x\n', { separator: ',' }), DataError, "text: expected at least 2 columns (features and a target), got 1 ('a;b;t'); it was read with the separator ',', but it holds ';'");
    expectError(() => parseCsv('a\tb\tt\n1\t2\tx\n', { separator: '|' }), DataError, "it was read with the separator '|', but it holds '\\t'");
  });

  it('refuses a separator outside the four', () => {
    // @ts-expect-error: a JavaScript caller can pass anything
    expectError(() => parseCsv('a:t\n1:x\n', { separator: ':' }), ValueError, "options.separator: expected ',', ';', '\\t' or '|', got ':'");
  });
});

describe('line ends, byte-order mark, quoting', () => {
  it('LF, CRLF and lone CR give the same dataset; lines are counted through each', () => {
    const base = 'a,t\n1,x\n2,y\n3,x\n';
    for (const end of ['\n', '\r\n', '\r']) {
      const ds = parseCsv(base.replaceAll('\n', end));
      expect(Array.from(ds.x)).toEqual([1, 2, 3]);
      expect(labels(ds)).toEqual(['x', 'y', 'x']);
      expectError(() => parseCsv(`a,t${end}1,x${end}${end}9e99,y${end}`), DataError, "text: row 2 (line 4): column 'a': expected a number within the float32 range (±3.4e38), got '9e99'");
    }
  });

  it('a UTF-8 byte-order mark is skipped, in bytes and in a string', () => {
    for (const input of [concat(Uint8Array.of(0xef, 0xbb, 0xbf), utf8('name,t\n1,x\n2,y\n')), '\ufeffname,t\n1,x\n2,y\n']) {
      const ds = parseCsv(input);
      expect(ds.featureNames).toEqual(['name']);
      expect(ds.csv.bom).toBe(true);
      expect(ds.csv.encoding).toBe('utf-8');
      expect(ds.csv.encodingDetected).toBe(false);
    }
  });

  it('quoted separators, line breaks and doubled quotes inside labels', () => {
    const ds = parseCsv('a,t\n1,"x, ""big""\nfish"\n2,plain\n3,"x, ""big""\nfish"\n');
    expect(ds.classes).toEqual(['plain', 'x, "big"\nfish']);
    expect(Array.from(ds.y)).toEqual([1, 0, 1]);
  });

  it('a quote left open is named with its row, line and byte offset', () => {
    expectError(() => parseCsv('a,t\n1,x\n2,"y\n3,z\n'), DataError, 'text: row 2 (line 3): invalid CSV: the quoted field opened at byte offset 10 is not closed by the end of the input');
  });
});

describe('encodings', () => {
  const rows = ['f,label', '1,café', '2,cafè', '3,café', '4,cafe'];

  it('Latin-1 café and cafè are two classes (Windows-1252, detected), as in UTF-8', () => {
    for (const [bytes, encoding] of [[latin1(rows.join('\n')), 'windows-1252'], [utf8(rows.join('\n')), 'utf-8']] as const) {
      const ds = parseCsv(bytes);
      expect(ds.classes).toEqual(['cafe', 'cafè', 'café']);
      expect(labels(ds)).toEqual(['café', 'cafè', 'café', 'cafe']);
      expect(ds.csv.encoding).toBe(encoding);
      expect(ds.csv.encodingDetected).toBe(true);
    }
  });

  it('a Windows-1252 header is decoded like the rows (the header decides the encoding when it comes first)', () => {
    const ds = parseCsv(latin1('prix,catégorie\n1,a\n2,b\n'));
    expect(ds.targetName).toBe('catégorie');
    expect(ds.csv.encoding).toBe('windows-1252');
    expectError(() => parseCsv(concat(latin1('prix,catégorie\n'), utf8('1,é\n2,b\n'))), DataError, "text: row 1 (line 2), column 'catégorie': byte 0xC3 at byte offset 17 starts a UTF-8 character, but line 1 (byte offset 8) holds byte 0xE9");
  });

  it('Windows-1252 is detected even when the first non-ASCII byte comes after the first 64 KiB', () => {
    const head = ['f,label', ...Array.from({ length: 20_000 }, (_, i) => `${i},${i % 2 ? 'cafe' : 'the'}`)].join('\n');
    const ds = parseCsv(concat(utf8(head), latin1('\n1,café\n2,cafè\n')));
    expect(ds.csv.encoding).toBe('windows-1252');
    expect(ds.classes).toEqual(['cafe', 'cafè', 'café', 'the']);
  });

  it('Windows-1252 characters beyond Latin-1 (€, curly quotes) are read as such; latin1 maps bytes to U+0000–U+00FF', () => {
    const bytes = latin1('f,t\n1,\x80 5\n2,\x93q\x94\n');
    expect(parseCsv(bytes).classes).toEqual(['\u201cq\u201d', '€ 5']);
    const raw = parseCsv(bytes, { encoding: 'latin1' });
    expect(raw.classes).toEqual(['\x80 5', '\x93q\x94']);
    expect(raw.csv).toMatchObject({ encoding: 'latin1', encodingDetected: false });
  });

  it('an explicit encoding overrides detection', () => {
    const ds = parseCsv(utf8(rows.join('\n')), { encoding: 'windows-1252' });
    expect(ds.classes).toEqual(['cafe', 'cafÃ¨', 'cafÃ©']);
    expect(ds.csv).toMatchObject({ encoding: 'windows-1252', encodingDetected: false });
  });

  it('a file that mixes UTF-8 and Windows-1252 is refused, naming the row, line, column and byte offset', () => {
    const mixed = concat(utf8('f,label\n1,café\n2,x\n'), latin1('3,cafè\n'));
    expectError(() => parseCsv(mixed, { source: 'm.csv' }), DataError, "m.csv: row 3 (line 4), column 'label': byte 0xE8 at byte offset 25 is not valid UTF-8, but line 2 holds UTF-8 text: the file mixes encodings", "encoding: 'windows-1252'");
    const other = concat(latin1('f,label\n1,cafè\n'), utf8('2,café\n'));
    expectError(() => parseCsv(other), DataError, "text: row 2 (line 3), column 'label': byte 0xC3 at byte offset 20 starts a UTF-8 character, but line 2 (byte offset 13) holds byte 0xE8, which is not UTF-8", 'mixes encodings');
    const oneLine = concat(utf8('f,label\n1,é'), latin1('è\n'));
    expectError(() => parseCsv(oneLine), DataError, "row 1 (line 2), column 'label': byte 0xE8 at byte offset 12 is not valid UTF-8, but byte offset 10 before it starts a UTF-8 character");
  });

  it('bytes that are not UTF-8 are refused when UTF-8 is given or fixed by a byte-order mark', () => {
    const bad = latin1('f,label\n1,x\n2,cafè\n');
    expectError(() => parseCsv(bad, { encoding: 'utf-8' }), DataError, "text: row 2 (line 3), column 'label': byte 0xE8 at byte offset 17 is not valid UTF-8, but encoding: 'utf-8' was passed");
    expectError(() => parseCsv(concat(Uint8Array.of(0xef, 0xbb, 0xbf), bad)), DataError, 'byte offset 20 is not valid UTF-8, but the file starts with a UTF-8 byte-order mark');
  });

  it('a byte Windows-1252 leaves unassigned is refused; a quoted field spanning lines names the line of the byte', () => {
    expectError(() => parseCsv(latin1('f,label\n1,"a\nb\x81"\n')), DataError, "text: row 1 (line 2), column 'label': byte 0x81 at line 3, byte offset 14 is neither UTF-8 nor Windows-1252 text", "encoding: 'latin1'");
    expect(parseCsv(latin1('f,label\n1,a\x81\n2,b\n'), { encoding: 'latin1' }).classes).toEqual(['a\x81', 'b']);
  });

  it('UTF-16 is refused with advice', () => {
    const le = Uint8Array.from([0xff, 0xfe, ...Array.from(utf8('a,t\n1,x\n')).flatMap((b) => [b, 0])]);
    expectError(() => parseCsv(le, { source: 'w.csv' }), DataError, 'w.csv: line 1: the input is UTF-16 (it starts with a UTF-16 byte-order mark)', 'save the file as UTF-8');
    expectError(() => parseCsv(le.subarray(2)), DataError, 'UTF-16 (every other byte is 0)');
  });

  it('takes a Buffer or a Uint8Array from another realm; refuses other types', async () => {
    const { runInNewContext } = await import('node:vm');
    const foreign = runInNewContext('new Uint8Array([97, 44, 116, 10, 49, 44, 120, 10, 50, 44, 121])') as Uint8Array;
    expect(foreign instanceof Uint8Array).toBe(false);
    expect(parseCsv(foreign).classes).toEqual(['x', 'y']);
    expect(parseCsv(Buffer.from('a,t\n1,x\n2,y\n')).rows).toBe(2);
    // @ts-expect-error: a JavaScript caller can pass anything
    expectError(() => parseCsv(new Uint16Array(4)), ValueError, 'text: expected CSV as a string or a Uint8Array, got a Uint16Array');
  });

  it('a string holding a lone surrogate is refused naming the line: encoding would turn two such labels into one (U+FFFD)', () => {
    expectError(() => parseCsv('f,label\n1,x\uD800\n2,x\uDC00\n', { source: 's.csv' }), DataError, 's.csv: line 2: a lone surrogate (U+D800) at character 11', 'not valid Unicode');
    expectError(() => parseCsv('f,label\r\n1,a\r\n2,\uDC00x\r\n'), DataError, 'text: line 3: a lone surrogate (U+DC00)');
    // a pair is one character, not two lone halves
    expect(parseCsv('f,label\n1,\uD83D\uDE00\n2,b\n').classes).toEqual(['b', '\uD83D\uDE00']);
  });

  it('encoding is an option for bytes only', () => {
    expectError(() => parseCsv('a,t\n1,x\n', { encoding: 'utf-8' }), ValueError, "options.encoding: applies to bytes (a Uint8Array or a file), got 'utf-8' with a string");
    // @ts-expect-error: a JavaScript caller can pass anything
    expectError(() => parseCsv(utf8('a,t\n1,x\n'), { encoding: 'utf-16' }), ValueError, "options.encoding: expected 'utf-8', 'windows-1252' or 'latin1', got 'utf-16'");
  });
});

describe('header names', () => {
  it('duplicate names are refused, with every position (x,x,target no longer trains a model predict refuses)', () => {
    expectError(() => parseCsv('x,x,target\n1,2,a\n3,4,b\n', { source: 'd.csv' }), DataError, "d.csv: header (line 1): duplicate column names: 'x' at columns 1, 2 (columns counted from 1, of 3: 'x', 'x', 'target'); every column needs its own name");
    expectError(() => parseCsv('a,b,a,c,b,t\n1,2,3,4,5,x\n'), DataError, "duplicate column names: 'a' at columns 1, 3; 'b' at columns 2, 5");
  });

  it('empty names are refused, with their positions, together with duplicates', () => {
    expectError(() => parseCsv('a,,t\n1,2,x\n'), DataError, 'text: header (line 1): empty column name at column 2 (columns counted from 1');
    expectError(() => parseCsv('\n\na," ",a,\n1,2,3,4\n'), DataError, "header (line 3): duplicate column names: 'a' at columns 1, 3; empty column names at columns 2, 4");
  });
});

describe('messages: the source, row and line first; cells cut and escaped', () => {
  // where a cell is quoted in a message: a regression target that is not a number
  const target = (cell: string) => () => parseCsv(`a,t\n1,0.5\n2,${cell}\n`, { task: 'regression' });

  it('a 1 MB cell is cut to 40 characters and …', () => {
    const big = 'y'.repeat(1 << 20);
    const err = expectError(target(big), DataError, `text: row 2 (line 3): column 't' (regression target): expected a number, got '${'y'.repeat(40)}…'`);
    expect(err.message.length).toBeLessThan(300);
  });

  it('a long multi-byte cell is cut on a character, not inside one', () => {
    const err = expectError(target('é😀'.repeat(100)), DataError, `got '${'é😀'.repeat(20)}…'`);
    expect(err.message).not.toContain('\ufffd');
  });

  it('NUL and other control characters are escaped', () => {
    expectError(target('"1\x002\x07\t\r\n"'), DataError, "row 2 (line 3): column 't' (regression target): expected a number, got '1\\02\\x07\\t\\r\\n'");
    expectError(() => parseCsv('a\x00b,t\n1,x\n', { target: 'nope' }), ValueError, "('a\\0b', 't')");
  });

  it('loadCsv: every message starts with the file name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'simdnet-csv-'));
    try {
      const file = join(dir, 'bad.csv');
      await writeFile(file, concat(utf8('f,label\n1,café\n'), latin1('2,cafè\n')));
      await expectRejection(() => loadCsv(file), DataError, `${file}: row 2 (line 3), column 'label': byte 0xE8 at byte offset 21 is not valid UTF-8`);
      await writeFile(file, 'x,x,t\n1,2,3\n');
      await expectRejection(() => loadCsv(file), DataError, `${file}: header (line 1): duplicate column names`);
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});

describe('loadCsv streams a file larger than one read', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'simdnet-csv-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true });
  });

  it('a CRLF split across the 1 MiB read boundary, a quoted field across it, Windows-1252 after it', async () => {
    // the CR of row 1's line end is the last byte of the first read
    const head = 'a,t\n1,"';
    const pad = 'p'.repeat((1 << 20) - 2 - head.length);
    const text = `${head}${pad}"\r\n2,"q\r\nr"\r\n`;
    expect(text.indexOf('\r')).toBe((1 << 20) - 1);
    const file = join(dir, 'big.csv');
    await writeFile(file, concat(utf8(text), latin1('3,cafè\r\n4,café\r\n9e99,z\r\n')));
    await expectRejection(() => loadCsv(file), DataError, `${file}: row 5 (line 7): column 'a': expected a number within the float32 range (±3.4e38), got '9e99'`);
    const ds = await loadCsv(file, { dropInvalid: true });
    expect(ds.rows).toBe(4);
    expect(ds.csv.encoding).toBe('windows-1252');
    expect(ds.classes!.map((c) => (c === pad ? 'the pad' : c))).toEqual(['cafè', 'café', 'the pad', 'q\r\nr']);
    expect(Array.from(ds.y)).toEqual([2, 3, 0, 1]);
  });
});

describe('storage sized from the input length', () => {
  it('rows longer or shorter after the first 1,024 than before: every value in place, x exactly rows × features long', () => {
    for (const [early, late] of [[1, 1e-7], [1e-7, 1]]) {
      const rows = Array.from({ length: 5000 }, (_, i) => [i * (i < 1024 ? early : late), i % 2]);
      const text = ['a,t', ...rows.map(([a, t]) => `${a},${t}`)].join('\n');
      for (const input of [text, utf8(text)]) {
        const ds = parseCsv(input);
        expect(ds.x.length).toBe(5000);
        expect(Array.from(ds.x)).toEqual(rows.map(([a]) => Math.fround(a!)));
        expect(Array.from(ds.y)).toEqual(rows.map(([, t]) => t));
      }
    }
  });
});

describe('property: the same dataset whatever the chunking', () => {
  it('random tables (numbers, quoted labels with separators and line breaks, UTF-8 or Windows-1252, any line end) pushed in random chunks', () => {
    const label = fc.constantFrom('café', 'cafè', 'a,b', 'say "hi"', 'two\nlines', 'plain', '€uro', ' pad ');
    const table = fc.record({
      rows: fc.array(fc.tuple(fc.integer({ min: -999, max: 999 }), label), { minLength: 2, maxLength: 30 }),
      sep: fc.constantFrom(',', ';', '\t', '|'),
      end: fc.constantFrom('\n', '\r\n', '\r'),
      cp1252: fc.boolean(),
      bom: fc.boolean(),
    });
    const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 });
    fc.assert(
      fc.property(table, cuts, ({ rows: random, sep, end, cp1252, bom }, fractions) => {
        const rows: [number, string][] = [...random, [1, 'first'], [2, 'second']]; // at least two classes
        const quote = (s: string) => `"${s.replaceAll('"', '""')}"`;
        const text = [`n${sep}label`, ...rows.map(([n, l]) => `${n / 8}${sep}${quote(l)}`)].join(end);
        const encode = (s: string) => (cp1252 ? Uint8Array.from(s, (c) => (c === '€' ? 0x80 : c.charCodeAt(0))) : utf8(s));
        const bytes = bom && !cp1252 ? concat(Uint8Array.of(0xef, 0xbb, 0xbf), encode(text)) : encode(text);
        const whole = parseCsv(bytes, { task: 'multiclass' });
        const { reader, finish } = tableReader({ task: 'multiclass' }, undefined);
        let from = 0;
        for (const p of [...fractions.map((f) => Math.floor(f * bytes.length)).sort((a, b) => a - b), bytes.length]) {
          reader.push(bytes.slice(from, Math.max(from, p)));
          from = Math.max(from, p);
        }
        reader.end();
        const chunked = finish();
        // (the training hooks are closures over each dataset: equal data, distinct functions)
        const data = (ds: object) => Object.fromEntries(Object.entries(ds).filter(([, v]) => typeof v !== 'function'));
        expect(data(chunked)).toEqual(data(whole));
        expect(labels(whole)).toEqual(rows.map(([, l]) => l));
        expect(Array.from(whole.x)).toEqual(rows.map(([n]) => n / 8));
        expect(whole.csv.separator).toBe(sep);
        const nonAscii = rows.some(([, l]) => /[^\x00-\x7f]/.test(l));
        expect(whole.csv.encoding).toBe(cp1252 && nonAscii ? 'windows-1252' : 'utf-8');
      }),
      { seed: 1252, numRuns: 400 },
    );
  });
});
