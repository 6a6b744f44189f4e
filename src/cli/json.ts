/**
 * Machine-readable output of `--json`: plain objects with documented shapes.
 * Numbers are as computed (JSON turns a NaN score into null).
 */

import type { Evaluation, History } from '../index.js';

/** Scores of one class in {@link ClassificationMetricsJson}. */
export interface ClassMetricsJson {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Classification metrics: the confusion matrix is indexed [true][predicted] in `classes` order. */
export interface ClassificationMetricsJson {
  task: 'binary' | 'multiclass';
  rows: number;
  loss: number;
  accuracy: number;
  macro: { precision: number; recall: number; f1: number };
  weighted: { precision: number; recall: number; f1: number };
  perClass: ClassMetricsJson[];
  classes: string[];
  confusion: number[][];
  /** Binary only: scores with the second class as the positive one. */
  binary: { positive: string; precision: number; recall: number; f1: number; tp: number; fp: number; fn: number; tn: number } | null;
}

/** Regression metrics in the target's units (`loss` is the MSE on the scaled targets the network trained on). */
export interface RegressionMetricsJson {
  task: 'regression';
  rows: number;
  loss: number;
  mse: number;
  rmse: number;
  mae: number;
  r2: number;
}

export type MetricsJson = ClassificationMetricsJson | RegressionMetricsJson;

/** An evaluation without its per-row predictions. */
export function metricsJson(e: Evaluation): MetricsJson {
  if (e.task === 'regression') {
    return { task: e.task, rows: e.support, loss: e.loss, mse: e.mse, rmse: Math.sqrt(e.mse), mae: e.mae, r2: e.r2 };
  }
  const avg = (a: { precision: number; recall: number; f1: number }): { precision: number; recall: number; f1: number } => ({
    precision: a.precision, recall: a.recall, f1: a.f1,
  });
  return {
    task: e.task,
    rows: e.support,
    loss: e.loss,
    accuracy: e.accuracy,
    macro: avg(e.macro),
    weighted: avg(e.weighted),
    perClass: e.perClass.map((s, i) => ({ label: e.classes[i] ?? String(i), ...avg(s), support: s.support })),
    classes: e.classes,
    confusion: e.confusion,
    binary: e.binary
      ? { positive: e.classes[1] ?? '1', precision: e.binary.precision, recall: e.binary.recall, f1: e.binary.f1, tp: e.binary.tp, fp: e.binary.fp, fn: e.binary.fn, tn: e.binary.tn }
      : null,
  };
}

/** The losses of one epoch. */
export interface EpochJson {
  epoch: number;
  loss: number;
  valLoss: number | null;
  valAccuracy: number | null;
  valMae: number | null;
}

/** What `train --json` says about training. */
export interface HistoryJson {
  epochs: number;
  bestEpoch: number;
  stopReason: History['stopReason'];
  /** Whether the weights were set back to the best epoch's (they are what was saved and tested). */
  restoredBest: boolean;
  final: EpochJson;
  best: EpochJson;
}

export function historyJson(h: History): HistoryJson {
  const at = (epoch: number): EpochJson => ({
    epoch,
    loss: h.loss[epoch - 1] ?? NaN,
    valLoss: h.valLoss[epoch - 1] ?? null,
    valAccuracy: h.valAccuracy[epoch - 1] ?? null,
    valMae: h.valMae[epoch - 1] ?? null,
  });
  return { epochs: h.epochs, bestEpoch: h.bestEpoch, stopReason: h.stopReason, restoredBest: h.restoredBest, final: at(h.epochs), best: at(h.bestEpoch) };
}

/**
 * JSON text indented for reading, with arrays of plain values (a confusion
 * matrix row, the feature names) kept on one line each. Safe for any string:
 * JSON escapes line breaks inside strings, so a raw newline is always
 * between tokens.
 */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\[\n\s*([^[\]{}]*?)\n\s*\]/g, (_, items: string) => `[${items.replace(/,\n\s*/g, ', ')}]`);
}
