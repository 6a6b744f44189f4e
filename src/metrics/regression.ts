/**
 * Regression metrics, accumulated in float64 whatever the input type.
 */

import { DataError, ShapeError } from '../errors.js';
import { checkFinite } from '../data/validate.js';

function checkPair(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): void {
  if (yPred.length !== yTrue.length) {
    throw new ShapeError(`yPred: expected ${yTrue.length} predictions (one per value of yTrue), got ${yPred.length}`);
  }
  if (yTrue.length === 0) throw new DataError('yTrue: expected at least one row, got none');
  checkFinite('yTrue', yTrue, 1);
  checkFinite('yPred', yPred, 1);
}

/**
 * Mean squared error, mean of (yTrue − yPred)².
 *
 * @throws ShapeError when the lengths differ; DataError when there are no rows;
 *   ValueError for NaN or ±Infinity (with the count and the first row).
 */
export function mse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred);
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += ((yTrue[i] as number) - (yPred[i] as number)) ** 2;
  return sum / yTrue.length;
}

/**
 * Mean absolute error, mean of |yTrue − yPred|.
 *
 * @throws as {@link mse}.
 */
export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred);
  let sum = 0;
  for (let i = 0; i < yTrue.length; i++) sum += Math.abs((yTrue[i] as number) - (yPred[i] as number));
  return sum / yTrue.length;
}

/**
 * Coefficient of determination, 1 − Σ(yTrue − yPred)² / Σ(yTrue − mean)².
 * 1 is perfect, 0 is no better than predicting the mean, and it is negative
 * when worse. For a constant yTrue the ratio is 0/0 or x/0; following
 * scikit-learn (`force_finite=True`) the result is then 1 if every prediction
 * is exact and 0 otherwise.
 *
 * @throws as {@link mse}.
 */
export function r2(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred);
  const n = yTrue.length;
  // Tested directly: a rounded mean (0.1 + 0.1 + 0.1 over 3 is not 0.1)
  // would give a constant target a tiny non-zero total and a meaningless r2.
  let constant = true;
  for (let i = 1; i < n && constant; i++) constant = yTrue[i] === yTrue[0];
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i] as number;
  mean /= n;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    residual += ((yTrue[i] as number) - (yPred[i] as number)) ** 2;
    total += ((yTrue[i] as number) - mean) ** 2;
  }
  if (constant || total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}
