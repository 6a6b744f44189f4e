/**
 * What an ONNX graph cannot say about a simdnet model, kept in the model's
 * `metadata_props` under `simdnet.*` keys: feature names, class labels, the
 * target's name, the kinds of the scalings (the graph holds their numbers),
 * and what the input is. Readers of other tools ignore them; fromONNX reads
 * them back, checked.
 */

import { DataError, type ScalerKind } from 'simdnet';

export const META = {
  featureNames: 'simdnet.feature_names',
  classes: 'simdnet.classes',
  targetName: 'simdnet.target_name',
  scalerKind: 'simdnet.scaler_kind',
  targetScalerKind: 'simdnet.target_scaler_kind',
  /**
   * What the graph's input is: 'raw features' (the same numbers `predict`
   * takes; the scaling is in the graph) or 'encoded features' (the model's
   * preprocessing could not be written as ONNX ops, so the graph starts after
   * it; the real-tables encoders of a later issue will set this).
   */
  input: 'simdnet.input',
} as const;

export interface SimdnetMetadata {
  featureNames: string[] | null;
  classes: string[] | null;
  targetName: string | null;
  scalerKind: ScalerKind | null;
  targetScalerKind: ScalerKind | null;
}

const KINDS: readonly string[] = ['standard', 'minmax', 'none'];

function stringList(meta: Map<string, string>, key: string): string[] | null {
  const text = meta.get(key);
  if (text === undefined) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new DataError(`onnx metadata_props '${key}': expected a JSON array of strings, got text that does not parse`);
  }
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) throw new DataError(`onnx metadata_props '${key}': expected a JSON array of strings, got ${text.slice(0, 60)}`);
  return v as string[];
}

function kind(meta: Map<string, string>, key: string): ScalerKind | null {
  const v = meta.get(key);
  if (v === undefined) return null;
  if (!KINDS.includes(v)) throw new DataError(`onnx metadata_props '${key}': expected 'standard', 'minmax' or 'none', got '${v.slice(0, 40)}'`);
  return v as ScalerKind;
}

/** The simdnet.* entries of a model's metadata, checked; null where absent. */
export function readMetadata(meta: Map<string, string>): SimdnetMetadata {
  return {
    featureNames: stringList(meta, META.featureNames),
    classes: stringList(meta, META.classes),
    targetName: meta.get(META.targetName) ?? null,
    scalerKind: kind(meta, META.scalerKind),
    targetScalerKind: kind(meta, META.targetScalerKind),
  };
}
