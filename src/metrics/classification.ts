/**
 * Classification metrics over class indices (0..k−1), following
 * scikit-learn's definitions with `zero_division=0`: a ratio whose
 * denominator is 0 — precision of a class never predicted, recall of a class
 * absent from yTrue, F1 when both are 0 — is reported as 0, never NaN.
 */

import { DataError, ShapeError } from '../errors.js';
import { checkInteger, checkLabels } from '../data/validate.js';

/** Precision, recall, F1 and support (rows whose true class it is) of one class. */
export interface ClassScores {
  /** Of the rows predicted as this class, the fraction that are (0 when none is predicted as it). */
  precision: number;
  /** Of the rows of this class, the fraction predicted as it (0 when it has no rows). */
  recall: number;
  /** The harmonic mean of precision and recall (0 when both are 0). */
  f1: number;
  /** Rows of this class. */
  support: number;
}

/** An average of per-class scores. */
export interface AverageScores {
  /** The average precision, in [0, 1]. */
  precision: number;
  /** The average recall, in [0, 1]. */
  recall: number;
  /** The average F1, in [0, 1]. */
  f1: number;
}

/** Everything {@link classificationReport} computes. */
export interface ClassificationReport {
  /** Fraction of rows predicted correctly. */
  accuracy: number;
  /** `confusion[t][p]`: rows of true class t predicted as p. */
  confusion: number[][];
  /** Scores of class i at index i. */
  perClass: ClassScores[];
  /** Unweighted mean over all k classes, including classes with no rows (which score 0). */
  macro: AverageScores;
  /** Mean over classes weighted by support (so classes with no rows do not count). */
  weighted: AverageScores;
  /** Number of rows. */
  support: number;
}

/** Binary scores with class 1 as the positive class. */
export interface BinaryScores {
  /** tp / (tp + fp): of the rows predicted 1, the fraction that are 1 (0 when none is predicted 1). */
  precision: number;
  /** tp / (tp + fn): of the rows that are 1, the fraction predicted 1 (0 when none is 1). */
  recall: number;
  /** The harmonic mean of precision and recall. */
  f1: number;
  /** (tp + tn) / rows. */
  accuracy: number;
  /** True positives: true 1, predicted 1. */
  tp: number;
  /** False positives: true 0, predicted 1. */
  fp: number;
  /** False negatives: true 1, predicted 0. */
  fn: number;
  /** True negatives: true 0, predicted 0. */
  tn: number;
}

/** a / b, or 0 when b is 0 (the zero_division=0 convention of this module). */
function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}

function checkPair(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: number): void {
  if (yPred.length !== yTrue.length) {
    throw new ShapeError(`yPred: expected ${yTrue.length} predictions (one per value of yTrue), got ${yPred.length}`);
  }
  if (yTrue.length === 0) throw new DataError('yTrue: expected at least one row, got none');
  checkLabels('yTrue', yTrue, classes);
  checkLabels('yPred', yPred, classes, '; pass predicted class indices, not probabilities');
}

/**
 * The k × k confusion matrix: `matrix[t][p]` counts rows whose true class is
 * t and predicted class is p (rows: truth, columns: prediction, as in
 * scikit-learn).
 *
 * @throws ShapeError when the lengths differ; DataError when there are no rows;
 *   ValueError for a label that is not an integer in [0, classes).
 */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: number): number[][] {
  checkInteger('classes', classes, 1);
  checkPair(yTrue, yPred, classes);
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const row = matrix[yTrue[i] as number] as number[];
    const p = yPred[i] as number;
    row[p] = (row[p] as number) + 1;
  }
  return matrix;
}

/**
 * Fraction of rows where the prediction equals the truth.
 *
 * @throws ShapeError when the lengths differ; DataError when there are no rows;
 *   ValueError for a label that is not a non-negative integer.
 */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred, Infinity);
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

/**
 * Per-class scores from a confusion matrix (`matrix[true][predicted]`).
 * F1 is 2·tp / (2·tp + fp + fn), equal to the harmonic mean of precision and
 * recall and 0 (not NaN) when tp = 0.
 */
export function scoresFromConfusion(matrix: readonly (readonly number[])[]): ClassScores[] {
  const k = matrix.length;
  return matrix.map((row, c) => {
    if (row.length !== k) throw new ShapeError(`matrix: expected ${k} columns per row (a square matrix), got ${row.length} at row ${c}`);
    const tp = row[c] as number;
    const support = row.reduce((a, b) => a + b, 0);
    let predicted = 0;
    for (let t = 0; t < k; t++) predicted += (matrix[t] as readonly number[])[c] as number;
    return {
      precision: ratio(tp, predicted),
      recall: ratio(tp, support),
      f1: ratio(2 * tp, support + predicted),
      support,
    };
  });
}

/**
 * Precision, recall, F1 and support of every class (index i = class i).
 *
 * @throws as {@link confusionMatrix}.
 */
export function perClassScores(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: number): ClassScores[] {
  return scoresFromConfusion(confusionMatrix(yTrue, yPred, classes));
}

/** Unweighted mean of per-class scores (scikit-learn's `average='macro'`). */
export function macroAverage(scores: readonly ClassScores[]): AverageScores {
  const n = scores.length;
  const sum = (key: keyof AverageScores): number => scores.reduce((a, s) => a + s[key], 0);
  return { precision: ratio(sum('precision'), n), recall: ratio(sum('recall'), n), f1: ratio(sum('f1'), n) };
}

/** Support-weighted mean of per-class scores (scikit-learn's `average='weighted'`); 0 when no class has support. */
export function weightedAverage(scores: readonly ClassScores[]): AverageScores {
  const total = scores.reduce((a, s) => a + s.support, 0);
  const sum = (key: keyof AverageScores): number => scores.reduce((a, s) => a + s[key] * s.support, 0);
  return { precision: ratio(sum('precision'), total), recall: ratio(sum('recall'), total), f1: ratio(sum('f1'), total) };
}

/**
 * Accuracy, confusion matrix, per-class scores and their macro and weighted
 * averages in one pass.
 *
 * @throws as {@link confusionMatrix}.
 */
export function classificationReport(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: number): ClassificationReport {
  const confusion = confusionMatrix(yTrue, yPred, classes);
  const perClass = scoresFromConfusion(confusion);
  const correct = confusion.reduce((a, row, c) => a + (row[c] as number), 0);
  return {
    accuracy: correct / yTrue.length,
    confusion,
    perClass,
    macro: macroAverage(perClass),
    weighted: weightedAverage(perClass),
    support: yTrue.length,
  };
}

/**
 * Binary precision, recall and F1 of the positive class 1, with the four
 * counts. Labels must be 0 or 1.
 *
 * @throws as {@link confusionMatrix} with 2 classes.
 */
export function binaryScores(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): BinaryScores {
  const m = confusionMatrix(yTrue, yPred, 2);
  const [tn, fp] = m[0] as [number, number];
  const [fn, tp] = m[1] as [number, number];
  return {
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
    accuracy: (tp + tn) / yTrue.length,
    tp,
    fp,
    fn,
    tn,
  };
}
