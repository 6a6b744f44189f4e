import type { LossName } from '../backend/abi.js';
import type { Dataset, Task } from '../data/dataset.js';
import { ShapeError, ValueError } from '../errors.js';
import { binaryScores, classificationReport, type BinaryScores, type ClassificationReport } from '../metrics/classification.js';
import { mae, mse, r2 } from '../metrics/regression.js';
import type { Network } from '../network/network.js';
import { outputLossAndScore } from '../training/batch-eval.js';
import { describe, type MatrixInput } from '../validate.js';
import type { TargetInput } from '../training/targets.js';

export interface ClassificationEvaluation extends ClassificationReport {
  task: 'binary' | 'multiclass';
  /** Mean loss (bce or cce) on these rows. */
  loss: number;
  /** Class labels by index (from the network, or '0', '1', … when it has none). */
  classes: string[];
  /** Binary only: scores with class index 1 as the positive class. */
  binary: BinaryScores | null;
  /** Predicted class index per row. */
  predictions: Int32Array;
}

export interface RegressionEvaluation {
  task: 'regression';
  /** Mean loss (mse) in the units the network was trained on (scaled targets when it has a target scaler). */
  loss: number;
  mse: number;
  mae: number;
  r2: number;
  support: number;
  predictions: Float32Array;
}

export type Evaluation = ClassificationEvaluation | RegressionEvaluation;

/** What the output layer implies: softmax → multiclass (cce), one sigmoid unit → binary (bce), else regression (mse). */
export function taskOf(net: Network): { task: Task; loss: LossName } {
  const out = net.layers[net.layers.length - 1]!;
  if (out.activation === 'softmax') return { task: 'multiclass', loss: 'cce' };
  if (out.activation === 'sigmoid' && out.units === 1) return { task: 'binary', loss: 'bce' };
  return { task: 'regression', loss: 'mse' };
}

/**
 * Evaluates a network on labelled rows: the loss, and accuracy, precision,
 * recall, F1 (per class, macro and weighted; binary with class 1 positive)
 * and the confusion matrix for classification, or MSE, MAE and R² for
 * regression. `data` is a Dataset (class indices / values in `y`) or `{ x, y }`
 * with raw inputs; the network's scalers are applied.
 */
export function evaluate(net: Network, data: Dataset | { x: MatrixInput; y: ArrayLike<number> }): Evaluation {
  if (data === null || typeof data !== 'object' || !('x' in data) || !('y' in data)) {
    throw new ValueError(`data: expected a Dataset or { x, y }, got ${describe(data)}`);
  }
  const { task, loss } = taskOf(net);
  const m = net.prepareInputs(data.x, 'data.x');
  const labels = data.y;
  if (!labels || typeof labels.length !== 'number' || labels.length !== m.rows) {
    throw new ShapeError(`data.y: expected ${m.rows} targets (one per row of data.x), got ${labels && typeof labels.length === 'number' ? labels.length : describe(labels)}`);
  }
  if (net.outputs !== 1 && task === 'regression') {
    throw new ShapeError(`evaluate: expected a network with one output for regression, got ${net.outputs} outputs`);
  }
  const targets = net.prepareTargets(labels as TargetInput, m.rows, loss);
  net.plan.ensureCapacity(Math.min(m.rows, 1024));
  const { loss: lossValue } = outputLossAndScore(net, loss, m.data, targets, m.rows);
  const raw = net.predict(rowMajor(data.x, m.rows, net.inputs));
  if (task === 'regression') {
    const y = Float32Array.from(labels);
    return { task, loss: lossValue, mse: mse(y, raw), mae: mae(y, raw), r2: r2(y, raw), support: m.rows, predictions: raw };
  }
  const classes = task === 'binary' ? 2 : net.outputs;
  const predictions = new Int32Array(m.rows);
  for (let r = 0; r < m.rows; r++) {
    if (task === 'binary') predictions[r] = raw[r]! > 0.5 ? 1 : 0;
    else {
      let best = 0;
      for (let c = 1; c < classes; c++) if (raw[r * classes + c]! > raw[r * classes + best]!) best = c;
      predictions[r] = best;
    }
  }
  const report = classificationReport(labels, predictions, classes);
  return {
    task,
    loss: lossValue,
    classes: net.classes ?? Array.from({ length: classes }, (_, i) => String(i)),
    binary: task === 'binary' ? binaryScores(labels, predictions) : null,
    predictions,
    ...report,
  };
}

// predict takes raw rows: hand it the caller's x as one flat array
function rowMajor(x: MatrixInput, rows: number, cols: number): Float32Array {
  if (x instanceof Float32Array) return x;
  const out = new Float32Array(rows * cols);
  const nested = Array.isArray(x) && x.length > 0 && typeof x[0] === 'object';
  if (nested) (x as ArrayLike<ArrayLike<number>>[] as unknown as number[][]).forEach((row, r) => out.set(row, r * cols));
  else out.set(x as ArrayLike<number>);
  return out;
}
