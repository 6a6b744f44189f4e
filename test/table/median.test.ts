// The encoders' median (a linear-time selection, not a sort) against the
// definition: the middle of the sorted values, or the mean of the two middle ones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { median } from '../../src/table/encoders.js';

function reference(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

describe('median', () => {
  it('is the sorted middle for any values, duplicates and sorted runs included (fast-check)', () => {
    const value = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => (x === 0 ? 0 : x)));
    fc.assert(
      // (−0 read as 0: which of two equal zeros selection keeps is not the question)
      fc.property(fc.array(value, { maxLength: 200 }), fc.constantFrom('as is', 'sorted', 'reversed'), (values, order) => {
        const v = order === 'as is' ? values : [...values].sort((a, b) => (order === 'sorted' ? a - b : b - a));
        expect(median(Float64Array.from(v))).toBe(reference(v));
      }),
      { seed: 13, numRuns: 2000 },
    );
  });
});
