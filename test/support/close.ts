import { expect } from 'vitest';

export interface Tolerance {
  atol: number;
  rtol: number;
}

/**
 * Elementwise |actual − expected| ≤ atol + rtol·|expected|, with NaN equal
 * only to NaN and ±Infinity only to itself. Reports the first violation with
 * its index path.
 */
export function expectClose(actual: unknown, expected: unknown, tol: Tolerance, label = 'value'): void {
  const a = flatten(actual);
  const e = flatten(expected);
  expect(a.length, `${label}: length`).toBe(e.length);
  for (let i = 0; i < e.length; i++) {
    const x = a[i]!;
    const y = e[i]!;
    if (Number.isNaN(y) || !Number.isFinite(y)) {
      expect(Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y)), `${label}[${i}]: expected ${y}, got ${x}`).toBe(true);
      continue;
    }
    const ok = Number.isFinite(x) && Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y);
    if (!ok) expect.fail(`${label}[${i}]: expected ${y} ± (${tol.atol} + ${tol.rtol}·|e|), got ${x} (|diff| ${Math.abs(x - y)})`);
  }
}

export function flatten(v: unknown): number[] {
  if (typeof v === 'number') return [v];
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return v.flatMap(flatten);
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(flatten);
  throw new Error(`flatten: not numeric: ${String(v)}`);
}
