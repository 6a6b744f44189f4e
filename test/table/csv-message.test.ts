/** What messages show of a value: escaped control characters, cut on a character boundary. */
import { describe, expect, it } from 'vitest';
import { quoteCell, quoteList, SHOWN_CHARS } from '../../src/table/csv-message.js';

describe('quoteCell', () => {
  it('quotes short values as they are', () => {
    expect(quoteCell('café')).toBe("'café'");
    expect(quoteCell('')).toBe("''");
    expect(quoteCell('x'.repeat(SHOWN_CHARS))).toBe(`'${'x'.repeat(SHOWN_CHARS)}'`);
  });

  it('cuts after 40 characters (code points: never half a surrogate pair) with …', () => {
    expect(quoteCell('x'.repeat(SHOWN_CHARS + 1))).toBe(`'${'x'.repeat(SHOWN_CHARS)}…'`);
    expect(quoteCell('😀'.repeat(1000))).toBe(`'${'😀'.repeat(SHOWN_CHARS)}…'`);
    expect(quoteCell('ab', true)).toBe("'ab…'");
  });

  it('escapes NUL, tab, CR, LF, other C0 and C1 controls, DEL and the Unicode line separators', () => {
    expect(quoteCell('a\0b\tc\rd\ne')).toBe("'a\\0b\\tc\\rd\\ne'");
    expect(quoteCell('\x07\x1b\x7f\x85\u2028\u2029')).toBe("'\\x07\\x1b\\x7f\\x85\\u2028\\u2029'");
    // an escape is counted as the one character it stands for
    expect(quoteCell('\0'.repeat(50))).toBe(`'${'\\0'.repeat(SHOWN_CHARS)}…'`);
  });
});

describe('quoteList', () => {
  it('lists up to 8 names, each through quoteCell, and counts the rest', () => {
    expect(quoteList(['a', 'b\n'])).toBe("'a', 'b\\n'");
    expect(quoteList(Array.from({ length: 10 }, (_, i) => `c${i}`))).toBe("'c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7' and 2 more");
  });
});
