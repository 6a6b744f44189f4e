/**
 * Numbers from bytes: the fast path must give exactly the double that
 * `decimal(text)` (the plain-decimal rule, then Number) gives, or NaN to
 * hand over — never another value, never a number for what the rule refuses.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decimal, parseDecimalBytes } from '../../src/table/csv-number.js';

const enc = (s: string) => new TextEncoder().encode(s);

/** What a reader gets: the fast path's value, or the rule's when it hands over. */
function read(text: string): number | null {
  const bytes = enc(` ${text} `); // offsets inside a larger buffer, as in a record
  const v = parseDecimalBytes(bytes, 1, bytes.length - 1);
  return Number.isNaN(v) ? decimal(text) : v;
}

describe('parseDecimalBytes', () => {
  it('reads plain decimals exactly, including signs, -0, a bare point and exponents', () => {
    const cases: [string, number][] = [
      ['0', 0], ['-0', -0], ['+7', 7], ['1.', 1], ['.5', 0.5], ['-.25', -0.25], ['3.14159', 3.14159],
      ['17.99', 17.99], ['0.1189', 0.1189], ['1e3', 1000], ['2.5E-3', 0.0025], ['-4e+2', -400],
      ['123456789012345', 123456789012345], ['0.000001', 0.000001], ['9e22', 9e22], ['1e-22', 1e-22],
    ];
    for (const [text, value] of cases) {
      const bytes = enc(text);
      const v = parseDecimalBytes(bytes, 0, bytes.length);
      expect(Object.is(v, value), `${text} → ${v}`).toBe(true);
    }
  });

  it('hands over (NaN) what it cannot read exactly or at all', () => {
    for (const text of ['', '-', '+', '.', 'e5', '1e', '1e+', '1.2.3', '0x10', 'NaN', 'Infinity', ' 1', '1 ', '1,5', '1234567890123456', '1e23', '1e-23', '1e99999']) {
      const bytes = enc(text);
      expect(parseDecimalBytes(bytes, 0, bytes.length), text).toBeNaN();
    }
  });

  it('property: on plain decimals and near misses, the same number as decimal() (bit for bit), or null', () => {
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '7', '9'), maxLength: 12 });
    const number = fc
      .tuple(fc.constantFrom('', '-', '+'), digits, fc.constantFrom('', '.'), digits, fc.constantFrom('', 'e', 'E', 'e-', 'e+'), fc.string({ unit: fc.constantFrom('0', '1', '3', '8'), maxLength: 4 }))
      .map((parts) => parts.join(''));
    const junk = fc.string({ unit: fc.constantFrom('1', '.', 'e', '-', '+', ' ', 'x', '_', 'é'), maxLength: 8 });
    const printed = fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.nat(20)).map(([v, d]) => v.toExponential(d));
    let fast = 0;
    fc.assert(
      fc.property(fc.oneof(number, junk, fc.double().map(String), printed), (text) => {
        const bytes = enc(text);
        if (!Number.isNaN(parseDecimalBytes(bytes, 0, bytes.length))) fast++;
        const got = read(text);
        const want = decimal(text);
        expect(got === null ? null : Object.is(got, want) ? 'same' : got).toBe(want === null ? null : 'same');
      }),
      { seed: 754, numRuns: 20000 },
    );
    // the fast path does the work, not the fallback
    expect(fast).toBeGreaterThan(1500);
  });
});
