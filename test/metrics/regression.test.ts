import { describe, expect, it } from 'vitest';
import { mae, mse, r2 } from '../../src/metrics/regression.js';
import { DataError, ShapeError, ValueError } from '../../src/errors.js';
import { expectError } from '../support/expect-error.js';

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(1e-12 + 1e-12 * Math.abs(expected));
}

describe('regression metrics by hand', () => {
  // Errors: 0.5, −0.5, 0, −1.  Mean of yTrue 11.5 / 4 = 2.875.
  // Σ(y − mean)² = 0.125² + 3.375² + 0.875² + 4.125² = 29.1875; Σ residual² = 1.5.
  const yTrue = [3, -0.5, 2, 7];
  const yPred = [2.5, 0, 2, 8];

  it('mse = 1.5 / 4, mae = 2 / 4', () => {
    expect(mse(yTrue, yPred)).toBe(0.375);
    expect(mae(yTrue, yPred)).toBe(0.5);
  });

  it('r2 = 1 − 1.5 / 29.1875', () => {
    expectClose(r2(yTrue, yPred), 1 - 1.5 / 29.1875);
    expect(r2(yTrue, yTrue)).toBe(1);
    // Predicting the mean scores 0; worse than that is negative.
    expectClose(r2(yTrue, yTrue.map(() => 2.875)), 0);
    expectClose(r2([1, 2, 3], [3, 2, 1]), 1 - 8 / 2);
  });

  it('accepts typed arrays and accumulates in float64', () => {
    const t = new Float32Array([1, 2, 3]);
    const p = new Float32Array([1.5, 2, 2]);
    expect(mse(t, p)).toBe((0.25 + 1) / 3);
    expect(mae(t, p)).toBe(1.5 / 3);
  });

  it('r2 of a constant target: 1 if every prediction is exact, else 0 (scikit-learn)', () => {
    expect(r2([2, 2, 2], [2, 2, 2])).toBe(1);
    expect(r2([2, 2, 2], [2, 2, 3])).toBe(0);
    // 0.1 · 3 / 3 is not 0.1 in floating point; the result must not depend on that.
    expect(r2([0.1, 0.1, 0.1], [0.1, 0.1, 0.1])).toBe(1);
    expect(r2([0.1, 0.1, 0.1], [0.1, 0.1, 0.2])).toBe(0);
    expect(r2([5], [4])).toBe(0);
  });
});

describe('errors', () => {
  it('lengths, emptiness and non-finite values', () => {
    for (const f of [mse, mae, r2]) {
      expectError(() => f([1, 2], [1]), ShapeError, 'yPred: expected 2 predictions (one per value of yTrue), got 1');
      expectError(() => f([], []), DataError, 'yTrue: expected at least one row, got none');
      expectError(() => f([1, Number.NaN, Infinity], [1, 2, 3]), ValueError, 'yTrue: expected finite numbers, found 2 NaN or ±Infinity values; the first (NaN) at row 1');
      expectError(() => f([1, 2], [1, -Infinity]), ValueError, 'yPred', 'the first (-Infinity) at row 1');
    }
  });
});
