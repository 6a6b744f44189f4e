/**
 * What every reader produces and every writer consumes: a dense network as
 * plain data (layers with row-major weights, the scalers, the labels), and
 * the one place that turns it into a Network, so that a file is checked in
 * full before any runtime memory is taken and nothing half-built survives.
 */

import { DataError, MemoryError, Network, StateError, Scaler, SimdnetError, ValueError, type ActivationName, type Runtime, type ScalerJSON } from 'simdnet';

export interface DenseLayer {
  /** W[i·units + j]: from input i to unit j (inputs × units, row-major), float32. */
  W: Float32Array;
  b: Float32Array;
  units: number;
  activation: ActivationName;
  /** leaky_relu's negative slope. */
  alpha: number;
}

export interface NetworkSpec {
  inputs: number;
  layers: DenseLayer[];
  scaler: ScalerJSON | null;
  targetScaler: ScalerJSON | null;
  classes: string[] | null;
  featureNames: string[] | null;
  targetName: string | null;
}

/** Throws a DataError naming the first value that is not finite. */
export function checkFinite(values: ArrayLike<number>, label: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v - v !== 0) throw new DataError(`${label}: expected finite numbers, got ${v} at index ${i}`);
  }
}

/** Float32 weights that stay finite (a float64 fold can overflow float32). */
export function toF32(values: ArrayLike<number>, label: string): Float32Array {
  const out = Float32Array.from(values);
  checkFinite(out, label);
  return out;
}

/**
 * Builds the Network a spec describes in `runtime` (default: the one set by
 * the last `init()`). Every problem is a DataError that starts with `what`;
 * on failure nothing stays allocated.
 */
export function buildNetwork(spec: NetworkSpec, what: string, runtime?: Runtime): Network {
  let scaler: Scaler | null = null;
  let targetScaler: Scaler | null = null;
  try {
    scaler = spec.scaler && Scaler.fromJSON(spec.scaler);
    targetScaler = spec.targetScaler && Scaler.fromJSON(spec.targetScaler);
  } catch (e) {
    if (e instanceof SimdnetError) throw new DataError(`${what}: the input or target scaling is not usable: ${e.message}`, { cause: e });
    throw e;
  }
  checkLabels(spec, what);
  let net: Network | null = null;
  try {
    net = new Network({
      inputs: spec.inputs,
      layers: spec.layers.map((l) => (l.activation === 'leaky_relu' ? { units: l.units, activation: l.activation, alpha: l.alpha } : { units: l.units, activation: l.activation })),
      runtime,
    });
    net.setWeights(spec.layers.map((l) => ({ W: l.W, b: l.b })));
  } catch (e) {
    net?.dispose();
    // a network too large for memory stays a MemoryError; anything else is the file's fault
    if (e instanceof SimdnetError && !(e instanceof MemoryError) && !(e instanceof StateError)) throw new DataError(`${what}: ${e.message}`, { cause: e });
    throw e;
  }
  net.scaler = scaler;
  net.targetScaler = targetScaler;
  net.classes = spec.classes;
  net.featureNames = spec.featureNames;
  net.targetName = spec.targetName;
  return net;
}

/** Feature names and class labels that fit the network: the right count, strings, no duplicate labels. */
function checkLabels(spec: NetworkSpec, what: string): void {
  const strings = (v: unknown, n: number | null, field: string, per: string) => {
    if (v === null) return;
    if (!Array.isArray(v) || (n !== null && v.length !== n) || v.some((s) => typeof s !== 'string')) {
      throw new DataError(`${what}: ${field}: expected ${n ?? 'some'} strings (${per}), got ${Array.isArray(v) ? `${v.length} values` : typeof v}`);
    }
  };
  strings(spec.featureNames, spec.inputs, 'feature names', 'one per input');
  const last = spec.layers[spec.layers.length - 1]!;
  const classCount = last.activation === 'softmax' ? last.units : last.activation === 'sigmoid' && last.units === 1 ? 2 : null;
  strings(spec.classes, classCount, 'class labels', classCount === null ? 'labels' : 'one per class of the output layer');
  if (spec.classes && new Set(spec.classes).size !== spec.classes.length) throw new DataError(`${what}: class labels: expected distinct labels, got duplicates in ${JSON.stringify(spec.classes).slice(0, 80)}`);
  if (spec.targetName !== null && typeof spec.targetName !== 'string') throw new DataError(`${what}: target name: expected a string, got ${typeof spec.targetName}`);
}

/** A network's layers as a spec (a writer's starting point). */
export function specOf(net: Network): NetworkSpec {
  const weights = net.getWeights({ flat: true });
  return {
    inputs: net.inputs,
    layers: net.layers.map((l, i) => ({ W: weights[i]!.W, b: weights[i]!.b, units: l.units, activation: l.activation, alpha: l.alpha })),
    scaler: net.scaler ? net.scaler.toJSON() : null,
    targetScaler: net.targetScaler ? net.targetScaler.toJSON() : null,
    classes: net.classes,
    featureNames: net.featureNames,
    targetName: net.targetName,
  };
}

/**
 * The spec with its scalings folded into the weights, for formats that have
 * no place for them (TF.js layers, brain.js): the input scaling into the
 * first layer (W'[i][j] = W[i][j] / s_i, b'_j = b_j − Σ_i o_i / s_i · W[i][j])
 * and the target scaling into a linear output layer (W' = W · s_j,
 * b' = b · s_j + o_j), in float64 with one rounding to float32 — the same
 * function up to float32 rounding, not the same bits.
 * @throws ValueError when the target scaling follows a non-linear output (no layer can hold it).
 */
export function foldScalers(spec: NetworkSpec, format: string): NetworkSpec {
  const layers = spec.layers.map((l) => ({ ...l }));
  const s = spec.scaler;
  if (s && s.kind !== 'none') {
    const l = layers[0]!;
    const W = new Float64Array(l.W.length);
    const b = Float64Array.from(l.b);
    for (let i = 0; i < spec.inputs; i++) {
      for (let j = 0; j < l.units; j++) {
        W[i * l.units + j] = l.W[i * l.units + j]! / s.scale[i]!;
        b[j] -= (s.offset[i]! / s.scale[i]!) * l.W[i * l.units + j]!;
      }
    }
    layers[0] = { ...l, W: toF32(W, `${format}: the first layer with the input scaling folded in`), b: toF32(b, `${format}: the first layer's bias with the input scaling folded in`) };
  }
  const t = spec.targetScaler;
  if (t && t.kind !== 'none') {
    const k = layers.length - 1;
    const l = layers[k]!;
    if (l.activation !== 'linear') {
      throw new ValueError(`net: ${format} has no place for the target scaling after a ${l.activation} output layer (it can be folded into a linear output layer only)`);
    }
    const W = Float64Array.from(l.W, (w, i) => w * t.scale[i % l.units]!);
    const b = Float64Array.from(l.b, (v, j) => v * t.scale[j]! + t.offset[j]!);
    layers[k] = { ...l, W: toF32(W, `${format}: the output layer with the target scaling folded in`), b: toF32(b, `${format}: the output layer's bias with the target scaling folded in`) };
  }
  return { ...spec, layers, scaler: null, targetScaler: null };
}

/**
 * Whether the network's inputs are features its column encoders made
 * (`net.preprocess` with a categorical, date or boolean column, or a
 * missing-value indicator), which no exported format can compute from a raw
 * row; plain numeric columns are the raw features themselves.
 */
export function takesEncodedFeatures(net: Network): boolean {
  const p = net.preprocess;
  return p !== null && p.columns.some((c) => c.kind !== 'text' && c.kind !== 'identifier' && c.kind !== 'empty' && !(c.kind === 'numeric' && !c.indicator));
}
