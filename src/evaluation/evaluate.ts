import type { LossName } from '../backend/abi.js';
import type { Dataset, Task } from '../data/dataset.js';
import { ShapeError, ValueError } from '../errors.js';
import { binaryScores, classificationReport, type BinaryScores, type ClassificationReport } from '../metrics/classification.js';
import { mae, mse, r2 } from '../metrics/regression.js';
import { Network } from '../network/network.js';
import { outputLossAndScore } from '../network/batch-loss.js';
import { describe, toMatrix, type MatrixInput } from '../validate.js';
import { checkLabels } from '../data/validate.js';
import type { TargetInput } from '../network/targets.js';
import { guardRead, optionalBoolean, readOptions } from '../options.js';
import { isStringLabels, labelTargets } from '../network/class-labels.js';

/**
 * The metrics of a classifier. The regression metrics (`mse`, `mae`, `r2`)
 * are `undefined` here, so that `evaluate(...).accuracy` compiles on an
 * {@link Evaluation} without narrowing first.
 */
export interface ClassificationEvaluation extends ClassificationReport {
  /** `'binary'` (one sigmoid unit) or `'multiclass'` (softmax). */
  task: 'binary' | 'multiclass';
  /** Mean loss (bce or cce) on these rows. */
  loss: number;
  /** Class labels by index (from the network, or '0', '1', … when it has none). */
  classes: string[];
  /** Binary only: scores with class index 1 as the positive class. */
  binary: BinaryScores | null;
  /** Predicted class index per row. */
  predictions: Int32Array;
  /** Regression only: always undefined here. */
  mse?: undefined;
  /** Regression only: always undefined here. */
  mae?: undefined;
  /** Regression only: always undefined here. */
  r2?: undefined;
}

/**
 * The metrics of a regressor, in target units (the network's target scaler
 * undone). The classification metrics are `undefined` here, so that they
 * read as `number | undefined` on an {@link Evaluation}.
 */
export interface RegressionEvaluation {
  /** `'regression'`. */
  task: 'regression';
  /** Mean loss (mse) in the units the network was trained on (scaled targets when it has a target scaler). */
  loss: number;
  /** Mean squared error, in target units squared. */
  mse: number;
  /** Mean absolute error, in target units. */
  mae: number;
  /** Coefficient of determination R² (1 is perfect; 0 is predicting the mean; can be negative). */
  r2: number;
  /** Rows evaluated. */
  support: number;
  /** Predicted value per row, in target units. */
  predictions: Float32Array;
  /** Classification only: always undefined here. */
  accuracy?: undefined;
  /** Classification only: always undefined here. */
  classes?: undefined;
  /** Classification only: always undefined here. */
  confusion?: undefined;
  /** Classification only: always undefined here. */
  perClass?: undefined;
  /** Classification only: always undefined here. */
  macro?: undefined;
  /** Classification only: always undefined here. */
  weighted?: undefined;
  /** Classification only: always undefined here. */
  binary?: undefined;
}

/**
 * What `evaluate` returns: {@link ClassificationEvaluation} or
 * {@link RegressionEvaluation}, told apart by `task`. Every metric of either
 * kind can be read without narrowing — `e.accuracy` is `number | undefined`,
 * undefined for a regressor — and after `if (e.task !== 'regression')` it is
 * a `number` (`e.mse` likewise after `if (e.task === 'regression')`).
 */
export type Evaluation = ClassificationEvaluation | RegressionEvaluation;

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** Read numeric `y` as class labels (mapped through `net.classes`), as fit's `labels` option does (default false: class indices). */
  labels?: boolean;
}

// instanceof throws on a revoked Proxy: no Network either
function isNetwork(v: unknown): v is Network {
  try {
    return v instanceof Network;
  } catch {
    return false;
  }
}

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
export function evaluate(
  net: Network, data: Dataset | { x: MatrixInput; y: TargetInput | readonly string[] }, options: EvaluateOptions = {},
): Evaluation {
  if (!isNetwork(net)) throw new ValueError(`net: expected a Network, got ${describe(net)}`);
  net.plan; // a disposed network is refused first: its sizes would blame the data
  const d = readOptions(data, 'data', ['x', 'y'], 'a Dataset or { x, y }', 'skip');
  if (d.x === undefined || d.y === undefined) throw new ValueError(`data: expected a Dataset or { x, y }, got no ${d.x === undefined ? 'x' : 'y'}`);
  const numbersAreLabels = optionalBoolean(readOptions(options, 'options', ['labels'], '{ labels }').labels, 'options.labels') ?? false;
  const { task, loss } = taskOf(net);
  if (net.outputs !== 1 && task === 'regression') {
    throw new ShapeError(`net: expected a network with one output for regression, got ${net.outputs} outputs`);
  }
  // the caller's rows read once; the loss and the predictions both come from this copy
  const x = toMatrix(d.x as MatrixInput, net.inputs, 'data.x', "the network's inputs");
  // x is already this function's own copy: scaling makes the only other one
  const m = net.prepareInputs(x.data, 'data.x', false);
  const netClasses = net.classes;
  if (task !== 'regression' && netClasses === null && (numbersAreLabels || guardRead('data.y', () => isStringLabels(d.y)))) {
    throw new ValueError('data.y: class labels are mapped through net.classes, but this network has none; set net.classes, or give class indices');
  }
  const mapped = netClasses === null ? null : labelTargets(d.y, m.rows, net.shapes, netClasses, 'data.y', numbersAreLabels);
  const y = mapped ? mapped.targets : (d.y as TargetInput);
  const labels = guardRead('data.y', () => labelsOf(y, m.rows, task === 'multiclass' ? net.outputs : 1));
  // the metrics take class indices: checked here, where the argument has its name
  if (task !== 'regression') guardRead('data.y', () => checkLabels('data.y', labels, task === 'binary' ? 2 : net.outputs));
  const targets = net.prepareTargets(labels as TargetInput, m.rows, loss, true, 'data.y');
  net.plan.ensureCapacity(Math.min(m.rows, 1024));
  const { loss: lossValue } = outputLossAndScore(net, loss, m.data, targets, m.rows);
  // the prepared rows predicted as they are (predict would copy and scale them
  // again); one sample takes predict's own path, which a tiny network answers
  // by its generated code
  const raw = m.rows === 1 ? net.predict(x.data) : net.forwardRows(m, new Float32Array(m.rows * net.outputs));
  const bad = raw.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    // metrics of NaN or infinite outputs mean nothing: the rows lie far outside what the network was trained on
    throw new ValueError(`data.x: the network's output for row ${Math.floor(bad / net.outputs)} is ${raw[bad]}; its inputs lie too far outside the range the network was trained on`);
  }
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
    classes: netClasses ?? Array.from({ length: classes }, (_, i) => String(i)),
    binary: task === 'binary' ? binaryScores(labels, predictions) : null,
    predictions,
    ...report,
  };
}

/**
 * One target per row, as the metrics take them: class indices or values as
 * given, nested one-value rows flattened, or — as fit accepts — one-hot rows
 * (nested, or row-major rows × k) turned into their class index.
 */
function labelsOf(y: TargetInput, rows: number, k: number): ArrayLike<number> {
  if (y === null || typeof y !== 'object' || typeof (y as ArrayLike<unknown>).length !== 'number') {
    throw new ShapeError(`data.y: expected ${rows} targets (one per row of data.x), got ${describe(y)}`);
  }
  const nested = Array.isArray(y) && y.length > 0 && typeof y[0] === 'object' && y[0] !== null;
  if (!nested && y.length === rows) return Array.from(y as ArrayLike<number>); // read once
  const expected = `${rows} targets (one per row of data.x)${k > 1 ? ` or ${rows} one-hot rows of ${k}` : ''}`;
  if (nested ? y.length !== rows : y.length !== rows * k) {
    throw new ShapeError(`data.y: expected ${expected}, got ${nested ? `${y.length} rows` : `${y.length} values`}`);
  }
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = nested ? (y as ArrayLike<ArrayLike<number>>)[r] : null;
    if (nested && (row === null || typeof row !== 'object' || row!.length !== k)) {
      throw new ShapeError(`data.y: expected ${expected}, got ${describe(row)} at row ${r}`);
    }
    const at = (c: number): unknown => (row ? row[c] : (y as ArrayLike<number>)[r * k + c]);
    if (k === 1) {
      out[r] = at(0) as number; // checked with the other targets by prepareTargets
      continue;
    }
    let hot = -1;
    for (let c = 0; c < k; c++) {
      const v = at(c);
      if (v === 1 && hot < 0) hot = c;
      else if (v !== 0) throw new ValueError(`data.y: expected one-hot rows (a single 1, the rest 0), got ${describe(v)} at row ${r}, column ${c}`);
    }
    if (hot < 0) throw new ValueError(`data.y: expected one-hot rows (a single 1, the rest 0), got a row of zeros at row ${r}`);
    out[r] = hot;
  }
  return out;
}
