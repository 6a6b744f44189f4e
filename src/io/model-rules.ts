/**
 * What a network carries beside its weights — class labels, feature names,
 * the target's name, input and target scaling — and the rules that make them
 * mean something. The same rules guard the network's setters (ValueError) and
 * the model loader (DataError naming the field), so a model the library lets
 * you build is one it can save and load again.
 */

import { Scaler } from '../data/scaler.js';
import type { LayerShape } from '../network/plan.js';

/** Classes of a classifier's output: softmax over k units → k; one sigmoid unit → 2; otherwise not a classifier (null). */
export function classCountOf(shapes: readonly LayerShape[]): number | null {
  const last = shapes[shapes.length - 1]!;
  if (last.activation === 'softmax') return last.outputs;
  if (last.activation === 'sigmoid' && last.outputs === 1) return 2;
  return null;
}

/** Why `v` cannot be the class labels (null when it can): unique strings, one per class, on classifiers only. */
export function classesProblem(v: unknown, classCount: number | null): string | null {
  if (v === null) return null;
  if (classCount === null) return 'null (the output layer is not a classifier: softmax, or one sigmoid unit)';
  return uniqueStringsProblem(v, classCount, `null or an array of ${classCount} strings (distinct labels, one per class of the output layer)`);
}

/** Why `v` cannot be the feature names (null when it can): unique strings, one per input. */
export function featureNamesProblem(v: unknown, inputs: number): string | null {
  if (v === null) return null;
  return uniqueStringsProblem(v, inputs, `null or an array of ${inputs} strings (distinct names, one per input)`);
}

/** Why `v` cannot be the target's name (null when it can): a string that is not also a feature's name. */
export function targetNameProblem(v: unknown, featureNames: readonly string[] | null): string | null {
  if (v === null) return null;
  if (typeof v !== 'string') return 'null or a string';
  if (featureNames?.includes(v)) return `a name that is not also a feature's (the features include ${JSON.stringify(short(v))})`;
  return null;
}

/** Why `v` cannot be the input scaler (null when it can). */
export function scalerProblem(v: unknown, inputs: number): string | null {
  if (v === null) return null;
  if (!(v instanceof Scaler)) return 'null or a Scaler (Scaler.fit, Scaler.fromJSON)';
  if (v.features !== inputs) return `a Scaler of ${inputs} features (one per input), got one of ${v.features}`;
  return null;
}

/** Why `v` cannot be the target scaler (null when it can): regression outputs only. */
export function targetScalerProblem(v: unknown, outputs: number, classCount: number | null): string | null {
  if (v === null) return null;
  if (!(v instanceof Scaler)) return 'null or a Scaler (Scaler.fit, Scaler.fromJSON)';
  if (classCount !== null) return "null: a classifier's outputs are probabilities, which a target scaler would distort";
  if (v.features !== outputs) return `a Scaler of ${outputs} features (one per output), got one of ${v.features}`;
  return null;
}

function uniqueStringsProblem(v: unknown, n: number, expected: string): string | null {
  if (!Array.isArray(v) || v.length !== n) return expected;
  const seen = new Set<string>();
  for (let i = 0; i < v.length; i++) {
    const s: unknown = v[i];
    if (typeof s !== 'string') return `${expected}; item ${i} is not a string`;
    if (seen.has(s)) return `${expected}; ${JSON.stringify(short(s))} appears twice`;
    seen.add(s);
  }
  return null;
}

function short(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** A frozen copy of a list of names: nobody outside can change a network's labels through an array they hold. */
export function frozenCopy(v: readonly string[] | null): readonly string[] | null {
  return v === null ? null : Object.freeze(v.slice());
}
