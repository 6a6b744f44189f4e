/** The typed storage a CSV streams into: what goes in comes out, in order, exactly as long, however it was sized. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BytesColumn, Float32Rows, Float64Column } from '../../src/table/csv-columns.js';

/** Appends `rows` rows of `width` values (row r, column c holds r·width + c), reserving `estimate` rows after `at` rows. */
function fill(width: number, rows: number, estimate: number | null, at: number): Float32Rows {
  const x = new Float32Rows(width);
  for (let r = 0; r < rows; r++) {
    if (estimate !== null && r === at) x.reserve(estimate);
    if (x.pos === x.block.length) x.next();
    for (let c = 0; c < width; c++) x.block[x.pos + c] = r * width + c;
    x.pos += width;
  }
  return x;
}

describe('Float32Rows', () => {
  it('property: any width, row count and estimate (none, too low, right, too high) gives the rows back, exactly as long', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 5000 }), fc.option(fc.integer({ min: 0, max: 8000 })), fc.nat(2000), (width, rows, estimate, at) => {
        const x = fill(width, rows, estimate, at);
        expect(x.rows).toBe(rows);
        const out = x.toArray();
        expect(out.length).toBe(rows * width);
        for (let i = 0; i < out.length; i++) if (out[i] !== i) expect(out[i]).toBe(i);
      }),
      { seed: 32, numRuns: 200 },
    );
  });

  it('a close estimate is returned without a copy; a far one or none is copied to the exact length', () => {
    const close = fill(1000, 3000, 3050, 100).toArray();
    expect(close.buffer.byteLength).toBe(3050 * 1000 * 4); // the reserved array itself
    const far = fill(1000, 3000, 4000, 100).toArray();
    expect(far.buffer.byteLength).toBe(3000 * 1000 * 4);
    const blocks = fill(1000, 3000, null, 0).toArray();
    expect(blocks.buffer.byteLength).toBe(3000 * 1000 * 4);
  });
});

describe('Float64Column and BytesColumn', () => {
  it('grow past their first capacity and keep every value, bytes unescaped when asked', () => {
    const v = new Float64Column();
    const b = new BytesColumn();
    const src = new TextEncoder().encode('ab""c' + 'z'.repeat(40));
    for (let i = 0; i < 5000; i++) {
      v.push(i / 3);
      b.push(src, 0, i % 2 === 0 ? 5 : src.length, i % 4 === 0);
    }
    expect(v.view().length).toBe(5000);
    expect(v.view()[4999]).toBe(4999 / 3);
    const text = (i: number) => new TextDecoder().decode(b.bytes.subarray(b.start(i), b.ends[i]));
    expect([text(0), text(1), text(2), text(4999)]).toEqual(['ab"c', 'ab""c' + 'z'.repeat(40), 'ab""c', 'ab""c' + 'z'.repeat(40)]);
  });
});
