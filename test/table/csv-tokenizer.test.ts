/**
 * The byte tokenizer against a small reference parser that works on a JS
 * string one character at a time, on fixed cases and on random tables
 * (random separators, quoting, line ends, blank lines, multi-byte text) fed
 * in random chunks — splits inside quoted fields, between CR and LF, inside
 * a UTF-8 character.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ESCAPED, QUOTED } from '../../src/table/csv-record.js';
import { CsvTokenizer } from '../../src/table/csv-tokenizer.js';
import { DataError } from '../../src/errors.js';
import { expectError } from '../support/expect-error.js';

interface Rec {
  fields: string[];
  quoted: boolean[];
  line: number;
}

const SEPS = [',', ';', '\t', '|'] as const;

/**
 * The reading rules of csv-tokenizer.ts, written as plainly as possible on a
 * string: 'error' where the tokenizer must throw.
 */
function reference(text: string, sep: string): Rec[] | 'error' {
  const out: Rec[] = [];
  const space = (c: string | undefined) => c === ' ' || c === '\v' || c === '\f' || (c === '\t' && sep !== '\t');
  const lineEnd = (c: string | undefined) => c === '\n' || c === '\r';
  const afterLineEnd = (i: number) => (text[i] === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1);
  let i = 0;
  let line = 1;
  while (i < text.length) {
    const rec: Rec = { fields: [], quoted: [], line };
    for (;;) {
      while (space(text[i])) i++;
      if (text[i] === '"') {
        let value = '';
        i++;
        for (;;) {
          if (i >= text.length) return 'error';
          if (text[i] === '"') {
            if (text[i + 1] === '"') {
              value += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (lineEnd(text[i])) {
            const j = afterLineEnd(i);
            value += text.slice(i, j);
            line++;
            i = j;
            continue;
          }
          value += text[i++];
        }
        while (space(text[i])) i++;
        if (i < text.length && text[i] !== sep && !lineEnd(text[i])) return 'error';
        rec.fields.push(value);
        rec.quoted.push(true);
      } else {
        let value = '';
        while (i < text.length && text[i] !== sep && !lineEnd(text[i])) value += text[i++];
        while (space(value[value.length - 1])) value = value.slice(0, -1);
        rec.fields.push(value);
        rec.quoted.push(false);
      }
      if (text[i] === sep) {
        i++;
        continue;
      }
      break;
    }
    if (i < text.length) {
      i = afterLineEnd(i);
      line++;
    }
    const blank = rec.fields.length === 1 && !rec.quoted[0] && rec.fields[0] === '';
    if (!blank) out.push(rec);
  }
  return out;
}

const utf8 = new TextDecoder();

/** Tokenizes `bytes` pushed in pieces cut at `cuts`; 'error' if it throws a DataError. */
function tokenize(bytes: Uint8Array, sep: string, cuts: readonly number[] = []): Rec[] | 'error' {
  const out: Rec[] = [];
  const t = new CsvTokenizer({
    separator: sep.charCodeAt(0),
    onRecord: (r) => {
      const fields: string[] = [];
      const quoted: boolean[] = [];
      for (let k = 0; k < r.fields; k++) {
        const s = utf8.decode(r.bytes.subarray(r.starts[k], r.ends[k]));
        fields.push((r.flags[k]! & ESCAPED) !== 0 ? s.replaceAll('""', '"') : s);
        quoted.push((r.flags[k]! & QUOTED) !== 0);
      }
      expect(r.index).toBe(out.length);
      out.push({ fields, quoted, line: r.line });
    },
  });
  const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
  try {
    let from = 0;
    for (const p of [...points, bytes.length]) {
      // a fresh copy, then scribbled over: the tokenizer must not keep a pushed chunk
      const chunk = bytes.slice(from, p);
      t.push(chunk);
      chunk.fill(0x58);
      from = p;
    }
    t.end();
  } catch (err) {
    if (err instanceof DataError) return 'error';
    throw err;
  }
  return out;
}

const enc = (s: string) => new TextEncoder().encode(s);
const fields = (recs: Rec[] | 'error') => (recs === 'error' ? recs : recs.map((r) => r.fields));

describe('CsvTokenizer: fixed cases', () => {
  it('RFC 4180 quoting: separators, doubled quotes and line breaks inside quoted fields', () => {
    const recs = tokenize(enc('a,"b,c","say ""hi""","x\r\ny"\n1,2,3,4\n'), ',');
    expect(fields(recs)).toEqual([
      ['a', 'b,c', 'say "hi"', 'x\r\ny'],
      ['1', '2', '3', '4'],
    ]);
    expect((recs as Rec[]).map((r) => r.line)).toEqual([1, 3]);
    expect((recs as Rec[])[0]!.quoted).toEqual([false, true, true, true]);
  });

  it('LF, CRLF and lone CR line ends, mixed; lines counted alike', () => {
    const recs = tokenize(enc('a,b\r\n1,2\r3,4\n5,6'), ',') as Rec[];
    expect(fields(recs)).toEqual([['a', 'b'], ['1', '2'], ['3', '4'], ['5', '6']]);
    expect(recs.map((r) => r.line)).toEqual([1, 2, 3, 4]);
  });

  it('skips blank and all-space lines but keeps a line of one quoted empty field', () => {
    const recs = tokenize(enc('\n\na,b\n   \n\r\n""\n1,2\n\n'), ',') as Rec[];
    expect(fields(recs)).toEqual([['a', 'b'], [''], ['1', '2']]);
    expect(recs.map((r) => r.line)).toEqual([3, 6, 7]);
  });

  it('trims unquoted fields of ASCII spaces (tab too, unless tab separates), keeps quoted content', () => {
    expect(fields(tokenize(enc(' a ,\t b\t, " c " ,d\n'), ','))).toEqual([['a', 'b', ' c ', 'd']]);
    expect(fields(tokenize(enc(' a \t b \t\tc\n'), '\t'))).toEqual([['a', 'b', '', 'c']]);
  });

  it('a quote inside an unquoted field is an ordinary character', () => {
    expect(fields(tokenize(enc('5\'11",x"y\n'), ','))).toEqual([['5\'11"', 'x"y']]);
  });

  it('empty fields, a trailing separator, no final line end', () => {
    expect(fields(tokenize(enc(',,\na,'), ','))).toEqual([['', '', ''], ['a', '']]);
  });

  it('flags each field: quoted, and quoted with doubled quotes', () => {
    const flags: number[] = [];
    const t = new CsvTokenizer({ separator: 0x2c, onRecord: (r) => void flags.push(...r.flags.subarray(0, r.fields)) });
    t.push(enc('a,"b","c""d"'));
    t.end();
    expect(flags).toEqual([0, QUOTED, QUOTED | ESCAPED]);
  });

  it('gives each record its input offset, through chunks', () => {
    const starts: number[] = [];
    const t = new CsvTokenizer({ separator: 0x2c, offset: 3, onRecord: (r) => void starts.push(r.base + r.start) });
    for (const piece of ['ab,c\n', 'de', 'f\r', '\ngh']) t.push(enc(piece));
    t.end();
    expect(starts).toEqual([3, 8, 13]);
  });

  it('stops when the callback returns false', () => {
    let n = 0;
    const t = new CsvTokenizer({ separator: 0x2c, onRecord: () => ++n < 2 });
    t.push(enc('a\nb\nc\n'));
    t.push(enc('d\n'));
    t.end();
    expect(n).toBe(2);
  });

  it('a record longer than any chunk, one byte at a time', () => {
    const big = `"${'x,'.repeat(5000)}",${'y'.repeat(7000)}\n1,2\n`;
    const bytes = enc(big);
    expect(fields(tokenize(bytes, ',', Array.from({ length: bytes.length }, (_, i) => i)))).toEqual([
      ['x,'.repeat(5000), 'y'.repeat(7000)],
      ['1', '2'],
    ]);
  });

  it('invalid CSV: a quote left open, text after a closing quote; named with the line and byte offset', () => {
    const where = (index: number, line: number) => `f.csv: row ${index} (line ${line})`;
    const run = (text: string) => () => {
      const t = new CsvTokenizer({ separator: 0x2c, where, onRecord: () => {} });
      t.push(enc(text));
      t.end();
    };
    expectError(run('a,b\n1,"x\ny\n'), DataError, 'f.csv: row 1 (line 2): invalid CSV: the quoted field opened at byte offset 6 is not closed by the end of the input', '""');
    expectError(run('a,b\n1,"x"y\n'), DataError, "f.csv: row 1 (line 2): invalid CSV: unexpected 'y' at line 2, byte offset 9, after the closing quote of field 2 (counted from 1)");
  });
});

describe('CsvTokenizer: property tests against the reference', () => {
  const sep = fc.constantFrom(...SEPS);
  // random chunk boundaries anywhere in the bytes, as fractions of their length
  const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });
  const at = (bytes: Uint8Array, fractions: number[]) => fractions.map((f) => Math.floor(f * bytes.length));

  it('random character soup (mostly malformed): the same records, or both refuse', () => {
    const soup = fc.array(fc.constantFrom('a', 'b', ' ', '"', '"', ',', ';', '\t', '|', '\r', '\n', '\r\n', '\v', 'é', '😀', '1'), { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(soup, sep, cuts, (text, s, c) => {
        const bytes = enc(text);
        expect(tokenize(bytes, s, at(bytes, c))).toEqual(reference(text, s));
      }),
      { seed: 4180, numRuns: 3000 },
    );
  });

  it('random tables, randomly quoted, with random line ends: the table back, as the reference reads it', () => {
    const cell = fc.array(fc.constantFrom('x', 'Y', '0', '.', ' ', '"', ',', ';', '\t', '|', '\r', '\n', '\r\n', 'é', '€', '😀'), { maxLength: 6 }).map((a) => a.join(''));
    const table = fc.record({
      sep,
      rows: fc.array(fc.array(fc.tuple(cell, fc.boolean()), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }),
      ends: fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 8, maxLength: 8 }),
      blank: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      final: fc.boolean(),
    });
    fc.assert(
      fc.property(table, cuts, ({ sep: s, rows, ends, blank, final }, c) => {
        const space = (ch: string | undefined) => ch === ' ' || (ch === '\t' && s !== '\t');
        const expected: string[][] = [];
        let text = '';
        rows.forEach((row, r) => {
          const out = row.map(([value, quote]) => {
            // quoting is needed for separators, quotes, line ends, edge spaces and a lone empty field
            const must = value.includes(s) || /["\r\n]/.test(value) || space(value[0]) || space(value[value.length - 1]) || (row.length === 1 && value === '');
            return quote || must ? `"${value.replaceAll('"', '""')}"` : value;
          });
          expected.push(row.map(([value]) => value));
          if (blank[r]) text += ends[r]!;
          text += out.join(s);
          if (r < rows.length - 1 || final) text += ends[r]!;
        });
        const bytes = enc(text);
        const got = tokenize(bytes, s, at(bytes, c));
        expect(fields(got)).toEqual(expected);
        expect(got).toEqual(reference(text, s));
      }),
      { seed: 1997, numRuns: 2000 },
    );
  });
});
