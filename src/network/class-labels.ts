/**
 * Class labels in: targets given as the labels themselves (`['cat', 'dog']`,
 * or numbers read as labels), mapped through the network's `classes` to the
 * class indices the kernels train on. A network without classes takes them
 * from the labels, in the order parseCsv gives them: text in code-unit order
 * (never the locale's), numbers in numeric order, named `String(value)`.
 */

import { ShapeError, ValueError } from '../errors.js';
import { classCountOf } from '../io/model-rules.js';
import { guardRead } from '../options.js';
import { describe } from '../validate.js';
import type { LayerShape } from './plan.js';

/** Labels as class indices, and the classes a network without any should take (null when it has them). */
export interface LabelTargets {
  /** Per row: the class index (one sigmoid unit) or the one-hot row (softmax). */
  targets: Float32Array;
  /** The classes the labels made, for a network without classes; null when `classes` was given. */
  newClasses: string[] | null;
}

/** Whether `y` holds labels: its first value is a string (numbers are labels only when asked). */
export function isStringLabels(y: unknown): boolean {
  return Array.isArray(y) && y.length > 0 && typeof y[0] === 'string';
}

/**
 * Maps `y` (one label per row: strings, or numbers when `numbersAreLabels`)
 * to training targets through `classes` (or classes made from the labels when
 * null). Returns null when `y` does not hold labels, so the caller reads it as
 * numeric targets.
 */
export function labelTargets(
  y: unknown, rows: number, shapes: readonly LayerShape[], classes: readonly string[] | null, name: string, numbersAreLabels: boolean,
): LabelTargets | null {
  // the caller's labels may be a Proxy or have getters: what they throw is a ValueError naming them
  return guardRead(name, () => readLabelTargets(y, rows, shapes, classes, name, numbersAreLabels));
}

function readLabelTargets(
  y: unknown, rows: number, shapes: readonly LayerShape[], classes: readonly string[] | null, name: string, numbersAreLabels: boolean,
): LabelTargets | null {
  const strings = isStringLabels(y);
  if (!strings && !numbersAreLabels) return null;
  const count = classCountOf(shapes);
  const last = shapes[shapes.length - 1]!;
  if (count === null) {
    throw new ValueError(`${name}: class labels need a classifier (a softmax output layer, or one sigmoid unit), got an output layer of ${last.outputs} '${last.activation}' unit${last.outputs === 1 ? '' : 's'}`);
  }
  if (!Array.isArray(y) && !(ArrayBuffer.isView(y) && numbersAreLabels)) {
    throw new ShapeError(`${name}: expected an array of ${rows} class labels (one per row), got ${describe(y)}`);
  }
  const labels = y as ArrayLike<unknown>;
  if (labels.length !== rows) throw new ShapeError(`${name}: expected ${rows} class labels (one per row of x), got ${labels.length}`);
  const text = readLabels(labels, strings, name);
  let newClasses: string[] | null = null;
  if (classes === null) {
    newClasses = distinctSorted(labels, text, strings);
    if (newClasses.length !== count) {
      const shown = newClasses.slice(0, 10).map((c) => JSON.stringify(c)).join(', ') + (newClasses.length > 10 ? ', …' : '');
      throw new ValueError(
        `${name}: expected labels of ${count} classes (the output layer's), got ${newClasses.length} distinct labels (${shown}); ` +
          `with labels of fewer classes than the network has, set net.classes first`,
      );
    }
  }
  const known = newClasses ?? classes!;
  const index = new Map(known.map((c, i) => [c, i]));
  const k = last.outputs;
  const targets = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const c = index.get(text[r]!);
    if (c === undefined) {
      const list = known.map((l) => JSON.stringify(l)).join(', ');
      throw new ValueError(`${name}: expected one of the network's classes (${list}), got ${describe(labels[r])} at row ${r}`);
    }
    // one sigmoid unit: the target is the probability of class 1; softmax: one-hot
    if (k === 1) targets[r] = c;
    else targets[r * k + c] = 1;
  }
  return { targets, newClasses };
}

/** Each label as the class name it stands for; mixed or non-finite labels refused. */
function readLabels(labels: ArrayLike<unknown>, strings: boolean, name: string): string[] {
  const out = new Array<string>(labels.length);
  for (let r = 0; r < labels.length; r++) {
    const v = labels[r];
    if (strings ? typeof v !== 'string' : typeof v !== 'number' || !Number.isFinite(v)) {
      const kind = strings ? 'strings (as row 0 is)' : 'finite numbers';
      throw new ValueError(`${name}: expected class labels that are all ${kind}, got ${describe(v)} at row ${r}`);
    }
    out[r] = strings ? (v as string) : String(v);
  }
  return out;
}

function distinctSorted(labels: ArrayLike<unknown>, text: readonly string[], strings: boolean): string[] {
  if (strings) return [...new Set(text)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // keyed by value, so 1 and 1.0 are one class; -0 and 0 too (String gives '0' for both)
  const values = [...new Set(Array.from(labels as ArrayLike<number>, (v) => (v === 0 ? 0 : v)))].sort((a, b) => a - b);
  return values.map(String);
}
