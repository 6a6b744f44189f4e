import { describe, expect, it } from 'vitest';
import {
  accuracy,
  binaryScores,
  classificationReport,
  confusionMatrix,
  macroAverage,
  perClassScores,
  scoresFromConfusion,
  weightedAverage,
} from '../../src/metrics/classification.js';
import { DataError, ShapeError, ValueError } from '../../src/errors.js';
import { expectError } from '../support/expect-error.js';

/** |a − e| ≤ 1e-12 + 1e-12·|e|, per field. */
function expectClose(actual: Record<string, number>, expected: Record<string, number>): void {
  for (const [key, e] of Object.entries(expected)) {
    const a = actual[key]!;
    expect(Math.abs(a - e), `${key}: ${a} vs ${e}`).toBeLessThanOrEqual(1e-12 + 1e-12 * Math.abs(e));
  }
}

describe('three classes, class 2 never predicted', () => {
  // row:    0  1  2  3  4  5  6  7
  const yTrue = [0, 0, 0, 1, 1, 2, 2, 2];
  const yPred = [0, 0, 1, 1, 1, 0, 1, 0];
  // By hand, rows = truth, columns = prediction:
  //   true 0: rows 0,1 → 0; row 2 → 1          [2, 1, 0]
  //   true 1: rows 3,4 → 1                     [0, 2, 0]
  //   true 2: rows 5,7 → 0; row 6 → 1          [2, 1, 0]
  const matrix = [
    [2, 1, 0],
    [0, 2, 0],
    [2, 1, 0],
  ];

  it('confusion matrix and accuracy', () => {
    expect(confusionMatrix(yTrue, yPred, 3)).toEqual(matrix);
    expect(accuracy(yTrue, yPred)).toBe(4 / 8);
  });

  it('per-class scores, with 0 for the class never predicted', () => {
    // class 0: tp 2, predicted 4 (column sum), support 3 → P 1/2, R 2/3, F1 2·2/(3+4) = 4/7
    // class 1: tp 2, predicted 4, support 2            → P 1/2, R 1,   F1 4/(2+4)   = 2/3
    // class 2: tp 0, predicted 0 (0/0 → 0), support 3  → P 0,   R 0,   F1 0
    const scores = perClassScores(yTrue, yPred, 3);
    expectClose({ ...scores[0]! }, { precision: 1 / 2, recall: 2 / 3, f1: 4 / 7, support: 3 });
    expectClose({ ...scores[1]! }, { precision: 1 / 2, recall: 1, f1: 2 / 3, support: 2 });
    expect(scores[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 3 });
  });

  it('macro and weighted averages', () => {
    const report = classificationReport(yTrue, yPred, 3);
    expect(report.confusion).toEqual(matrix);
    expect(report.accuracy).toBe(0.5);
    expect(report.support).toBe(8);
    // macro: P (1/2 + 1/2 + 0)/3 = 1/3; R (2/3 + 1 + 0)/3 = 5/9; F1 (4/7 + 2/3 + 0)/3 = 26/63
    expectClose({ ...report.macro }, { precision: 1 / 3, recall: 5 / 9, f1: 26 / 63 });
    // weighted by support 3, 2, 3 of 8: P (3/2 + 1)/8 = 5/16; R (2 + 2)/8 = 1/2; F1 (12/7 + 4/3)/8 = 8/21
    expectClose({ ...report.weighted }, { precision: 5 / 16, recall: 1 / 2, f1: 8 / 21 });
    expect(macroAverage(report.perClass)).toEqual(report.macro);
    expect(weightedAverage(report.perClass)).toEqual(report.weighted);
  });
});

describe('binary, positive class 1', () => {
  it('counts and scores by hand', () => {
    const yTrue = [1, 1, 1, 0, 0, 0, 0, 1];
    const yPred = [1, 0, 1, 0, 1, 0, 0, 0];
    // tp: rows 0, 2; fn: rows 1, 7; fp: row 4; tn: rows 3, 5, 6.
    const s = binaryScores(yTrue, yPred);
    expect({ tp: s.tp, fp: s.fp, fn: s.fn, tn: s.tn }).toEqual({ tp: 2, fp: 1, fn: 2, tn: 3 });
    // P 2/3, R 2/4, F1 2·2/(2·2 + 1 + 2) = 4/7, accuracy 5/8
    expectClose({ ...s }, { precision: 2 / 3, recall: 1 / 2, f1: 4 / 7, accuracy: 5 / 8 });
    expect(confusionMatrix(yTrue, yPred, 2)).toEqual([
      [3, 1],
      [2, 2],
    ]);
  });

  it('never predicting the positive class gives 0, not NaN', () => {
    const s = binaryScores(new Float32Array([0, 1, 0]), new Float32Array([0, 0, 0]));
    expect(s).toEqual({ precision: 0, recall: 0, f1: 0, accuracy: 2 / 3, tp: 0, fp: 0, fn: 1, tn: 2 });
    const none = binaryScores([0, 0], [0, 0]);
    expect([none.precision, none.recall, none.f1, none.accuracy]).toEqual([0, 0, 0, 1]);
  });
});

describe('a class absent from yTrue but predicted', () => {
  it('has support 0 and scores 0, counts in macro but not in weighted', () => {
    const report = classificationReport([0, 0, 1, 1], [0, 2, 1, 1], 3);
    // [[1, 0, 1], [0, 2, 0], [0, 0, 0]]
    expect(report.confusion).toEqual([
      [1, 0, 1],
      [0, 2, 0],
      [0, 0, 0],
    ]);
    expect(report.perClass[2]).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    // class 0: P 1/1, R 1/2, F1 2/3; class 1: P 1, R 1, F1 1
    expectClose({ ...report.perClass[0]! }, { precision: 1, recall: 1 / 2, f1: 2 / 3 });
    expectClose({ ...report.macro }, { precision: 2 / 3, recall: 1 / 2, f1: 5 / 9 });
    expectClose({ ...report.weighted }, { precision: 1, recall: 3 / 4, f1: 5 / 6 });
  });
});

describe('errors', () => {
  it('lengths that differ, no rows', () => {
    expectError(() => accuracy([0, 1], [0]), ShapeError, 'yPred: expected 2 predictions (one per value of yTrue), got 1');
    expectError(() => confusionMatrix([], [], 2), DataError, 'yTrue: expected at least one row, got none');
  });

  it.each([
    { yTrue: [0, 3], yPred: [0, 1], message: 'yTrue: expected class indices 0..2 (3 classes), got 3 at row 1' },
    { yTrue: [0, 1], yPred: [-1, 1], message: 'yPred: expected class indices 0..2 (3 classes), got -1 at row 0' },
    { yTrue: [0, 1], yPred: [0.73, 1], message: 'yPred: expected class indices 0..2 (3 classes), got 0.73 (not an integer) at row 0; pass predicted class indices, not probabilities' },
    { yTrue: [Number.NaN, 1], yPred: [0, 1], message: 'yTrue: expected class indices 0..2 (3 classes), got NaN at row 0' },
  ])('labels: $message', ({ yTrue, yPred, message }) => {
    expectError(() => confusionMatrix(yTrue, yPred, 3), ValueError, message);
  });

  it('accuracy checks labels are class indices; binaryScores that they are 0 or 1', () => {
    expectError(() => accuracy([0, 1], [0, 0.5]), ValueError, 'yPred: expected class indices (non-negative integers), got 0.5');
    expectError(() => binaryScores([0, 2], [0, 1]), ValueError, 'yTrue: expected class indices 0..1 (2 classes), got 2 at row 1');
    expectError(() => confusionMatrix([0], [0], 0), ValueError, 'classes: expected an integer ≥ 1, got 0');
    expectError(() => scoresFromConfusion([[1, 2], [3]]), ShapeError, 'matrix: expected 2 columns per row (a square matrix), got 1 at row 1');
  });
});
