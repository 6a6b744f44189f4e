/**
 * Text for people: numbers, aligned tables, the metrics report and the
 * confusion matrix. Everything returns strings; the commands decide where
 * they go.
 */

import type { ClassificationEvaluation, ColumnSchema, Evaluation, Network } from '../index.js';
import { shortestF32 } from '../validate.js';

/** A metric with `digits` decimals; 'n/a' for NaN (e.g. precision of a class never predicted). */
export function fixed(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toFixed(digits) : Number.isNaN(v) ? 'n/a' : String(v);
}

/** A loss or error value: four decimals, or four significant digits when very large or small. */
export function short(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'n/a' : String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e4 || a < 1e-3) ? v.toPrecision(4) : v.toFixed(4);
}

/** The shortest decimal that reads back as the same float32: what the model computed, without float64 noise. */
export function f32(v: number): string {
  return String(shortestF32(v));
}

/** A whole number with thousands separators, independent of the locale. */
export function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Lays out rows in columns separated by two spaces; `align[c]` is 'r' for
 * right-aligned (numbers), else left. Trailing spaces are trimmed.
 */
export function table(rows: readonly (readonly string[])[], align: string, indent = '  '): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, c) => (widths[c] = Math.max(widths[c] ?? 0, [...cell].length)));
  return rows
    .map((row) => {
      const cells = row.map((cell, c) => {
        const pad = ' '.repeat(widths[c]! - [...cell].length);
        return align[c] === 'r' ? pad + cell : cell + pad;
      });
      return (indent + cells.join('  ')).trimEnd();
    })
    .join('\n');
}

/** Label/value lines such as `data      iris.csv: 150 rows`. */
export function fields(entries: readonly (readonly [string, string])[]): string {
  return table(entries.map(([k, v]) => [k, v]), 'll', '');
}

/** `4 → 64 relu → 32 relu → 3 softmax`. */
export function architecture(net: Network): string {
  return [String(net.inputs), ...net.layers.map((l) => `${l.units} ${l.activation}`)].join(' → ');
}

/** The metrics of an evaluation as a report: per-class table or regression errors, then the confusion matrix. */
export function metricsReport(e: Evaluation, title: string): string {
  if (e.task === 'regression') {
    return [
      `${title} (${count(e.support)} rows)`,
      table([
        ['MSE', short(e.mse)],
        ['RMSE', short(Math.sqrt(e.mse))],
        ['MAE', short(e.mae)],
        ['R²', fixed(e.r2, 4)],
      ], 'lr'),
    ].join('\n');
  }
  return [`${title} (${count(e.support)} rows)`, classTable(e), '', confusionTable(e)].join('\n');
}

function classTable(e: ClassificationEvaluation): string {
  const correct = e.confusion.reduce((sum, row, i) => sum + (row[i] ?? 0), 0);
  const rows: string[][] = [['class', 'precision', 'recall', 'f1', 'support']];
  e.perClass.forEach((s, i) => rows.push([e.classes[i] ?? String(i), fixed(s.precision), fixed(s.recall), fixed(s.f1), String(s.support)]));
  rows.push(['macro avg', fixed(e.macro.precision), fixed(e.macro.recall), fixed(e.macro.f1), String(e.support)]);
  rows.push(['weighted avg', fixed(e.weighted.precision), fixed(e.weighted.recall), fixed(e.weighted.f1), String(e.support)]);
  rows.push(['', '', '', '', '']);
  rows.push(['accuracy', '', '', fixed(e.accuracy), `${correct}/${e.support}`]);
  rows.push(['macro F1', '', '', fixed(e.macro.f1), '']);
  rows.push(['loss', '', '', short(e.loss), '']);
  return table(rows, 'lrrrr');
}

function confusionTable(e: ClassificationEvaluation): string {
  const rows: string[][] = [['true \\ predicted', ...e.classes]];
  e.confusion.forEach((row, i) => rows.push([e.classes[i] ?? String(i), ...row.map(String)]));
  return ['Confusion matrix (rows: true class, columns: predicted class)', table(rows, 'l' + 'r'.repeat(e.classes.length))].join('\n');
}

/** The columns of a table and what each became: kind, share of missing cells, features given, categories or range. */
export function schemaReport(schema: readonly ColumnSchema[]): string {
  const rows: string[][] = [['column', 'kind', 'missing', 'features', 'details']];
  for (const c of schema) {
    const missing = c.missing === 0 ? '0' : c.missing < 0.001 ? '<0.1%' : `${(c.missing * 100).toFixed(1)}%`;
    rows.push([c.name, c.kind, missing, String(c.features.length), c.detail]);
  }
  const used = schema.reduce((n, c) => n + c.features.length, 0);
  return [`Columns (kinds and encodings fitted on the training rows; ${count(used)} features in all)`, table(rows, 'llrrl')].join('\n');
}
