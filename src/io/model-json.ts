import { Act, type ActivationName } from '../backend/abi.js';
import { classCountOf, classesProblem, featureNamesProblem, targetNameProblem, targetScalerProblem } from './model-rules.js';
import { Scaler, type ScalerJSON } from '../data/scaler.js';
import { DataError, SimdnetError, ValueError } from '../errors.js';
import { crc32 } from './crc32.js';
import { nearestName } from '../names.js';
import type { PreprocessorJSON } from './preprocess-json.js';

const F32_MAX = 3.4028234663852886e38;

export const MODEL_FORMAT = 'simdnet-model';
/**
 * 2: `preprocess`, the encoders of a model that takes raw table rows. Files of
 * version 1 (no `preprocess`) still load.
 */
export const MODEL_VERSION = 2;

/** The saved form of a network: versioned, self-checking JSON. */
export interface ModelJSON {
  /** Always 'simdnet-model'. */
  format: typeof MODEL_FORMAT;
  /** The format's version (1). */
  version: number;
  /** Input features. */
  inputs: number;
  /** The dense layers, input side first. */
  layers: Array<{
    /** Units (outputs) of the layer. */
    units: number;
    /** The activation after the layer. */
    activation: ActivationName;
    /** leaky_relu's negative slope (0.01 on other layers, where it is unused). */
    alpha: number;
  }>;
  /** Per layer: W row-major (inputs × units, W[i·units + j] from input i to unit j) and b. */
  weights: Array<{
    /** The weights, inputs × units, row-major, float32 values. */
    W: number[];
    /** The biases, one per unit. */
    b: number[];
  }>;
  /** The input scaling (null: raw inputs). */
  scaler: ScalerJSON | null;
  /** Regression: the target scaling (null: none). */
  targetScaler: ScalerJSON | null;
  /** Class labels of a classifier (null: none, or not a classifier). */
  classes: string[] | null;
  /** Names of the input features (null: unknown). */
  featureNames: string[] | null;
  /** Name of the target (null: unknown). */
  targetName: string | null;
  /** Whatever the trainer recorded (config, history summary, test metrics); informational. */
  training: unknown;
  /** How raw table rows become the network's inputs (column kinds and fitted encoders); null for a bare network. */
  preprocess: PreprocessorJSON | null;
  /** CRC-32 of the canonical JSON of every field above: any change to the content is detected. */
  checksum: string;
}

export type ModelContent = Omit<ModelJSON, 'format' | 'version' | 'checksum'>;

/** Nine significant digits round-trip every float32 exactly and keep files small. */
function f32Number(v: number): number {
  return Number(Math.fround(v).toPrecision(9));
}

function canonical(c: ModelContent, version: number = MODEL_VERSION): string {
  // a fixed key order, so the checksum does not depend on how a file orders its keys
  return JSON.stringify([
    MODEL_FORMAT, version, c.inputs,
    c.layers.map((l) => [l.units, l.activation, l.alpha]),
    c.weights.map((w) => [w.W, w.b]),
    c.scaler && [c.scaler.kind, c.scaler.features, c.scaler.offset, c.scaler.scale],
    c.targetScaler && [c.targetScaler.kind, c.targetScaler.features, c.targetScaler.offset, c.targetScaler.scale],
    c.classes, c.featureNames, c.targetName, c.training ?? null,
    // version 1 had no preprocess: its checksum covers the fields above only
    ...(version >= 2 ? [c.preprocess ?? null] : []),
  ]);
}

/** The checksum a file with this content must carry (for tools and tests that edit files on purpose). */
export function modelChecksum(content: ModelContent): string {
  return crc32(canonical(content));
}

export function buildModelJSON(content: ModelContent): ModelJSON {
  const problem = trainingProblem(content.training ?? null);
  if (problem !== null) throw new ValueError(`training: expected ${problem}`);
  const c: ModelContent = {
    ...content,
    layers: content.layers.map((l) => ({ units: l.units, activation: l.activation, alpha: f32Number(l.alpha) })),
    weights: content.weights.map((w) => ({ W: w.W.map(f32Number), b: w.b.map(f32Number) })),
    training: content.training === undefined ? null : JSON.parse(JSON.stringify(content.training)),
  };
  return { format: MODEL_FORMAT, version: MODEL_VERSION, ...c, checksum: crc32(canonical(c)) };
}

const fail = (field: string, expected: string, got: unknown): never => {
  throw new DataError(`model.${field}: expected ${expected}, got ${show(got)}`);
};

function show(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}

function posInt(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1 << 24) fail(field, 'a positive integer', v);
  return v as number;
}

function f32Array(v: unknown, n: number, field: string, what: string): number[] {
  if (!Array.isArray(v)) return fail(field, `an array of ${n} numbers (${what})`, v);
  if (v.length !== n) fail(field, `${n} numbers (${what})`, v.length);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    // the network holds float32: a finite double beyond it would load as Infinity
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${field}[${i}]`, 'a finite number', x);
    if (!(Math.abs(Math.fround(x as number)) <= F32_MAX)) fail(`${field}[${i}]`, 'a number within the float32 range (±3.4e38)', x);
  }
  return (v as number[]).slice();
}

/** A copy of a checked list of names (classes, featureNames), or null. */
function names(v: unknown, field: string, problem: string | null): string[] | null {
  check(field, problem, v);
  return v === null || v === undefined ? null : (v as string[]).slice();
}

function check(field: string, problem: string | null, got: unknown): void {
  if (problem !== null) fail(field, problem, got);
}

/** Deeper than this, `training` is not a summary; a recursive JSON.stringify would overflow the stack. */
const MAX_DEPTH = 64;

/** Why a training summary cannot be saved (null when it can): JSON values only, nested at most MAX_DEPTH deep, no cycles. */
export function trainingProblem(v: unknown): string | null {
  // depth-first with exit markers, so `onPath` holds exactly the ancestors (a cycle) and not shared parts
  const stack: Array<{ x: unknown; depth: number; exit?: object }> = [{ x: v, depth: 0 }];
  const onPath = new Set<object>();
  let visited = 0;
  while (stack.length > 0) {
    const { x, depth, exit } = stack.pop()!;
    if (exit) {
      onPath.delete(exit);
      continue;
    }
    if (x === null || x === undefined || typeof x === 'string' || typeof x === 'boolean') continue;
    if (typeof x === 'number') {
      if (!Number.isFinite(x)) return 'JSON values (finite numbers only)';
      continue;
    }
    if (typeof x !== 'object') return `JSON values, not a ${typeof x}`;
    if (depth >= MAX_DEPTH) return `JSON values nested at most ${MAX_DEPTH} deep`;
    if (onPath.has(x)) return 'JSON values without cycles';
    if (++visited > MAX_NODES) return `at most ${MAX_NODES} JSON objects and arrays`;
    onPath.add(x);
    stack.push({ x: null, depth, exit: x });
    for (const child of Array.isArray(x) ? x : Object.values(x)) stack.push({ x: child, depth: depth + 1 });
  }
  return null;
}

/** A summary is a few numbers and strings; a million objects in one is a mistake (or an attack). */
const MAX_NODES = 1_000_000;

function scalerFrom(v: unknown, features: number, field: string): Scaler | null {
  if (v === null || v === undefined) return null;
  let s: Scaler;
  try {
    s = Scaler.fromJSON(v);
  } catch (e) {
    if (e instanceof SimdnetError) throw new DataError(`model.${field}: ${e.message}`, { cause: e });
    throw e;
  }
  if (s.features !== features) fail(`${field}.features`, `${features}`, s.features);
  return s;
}

/** A model file, checked field by field: everything needed to rebuild the network. */
export interface ParsedModel {
  content: ModelContent;
  scaler: Scaler | null;
  targetScaler: Scaler | null;
}

/**
 * Parses and validates a saved model (text or an already parsed object).
 * Every error is a DataError naming the field; nothing is allocated in any
 * runtime until everything has been checked.
 */
export function parseModelJSON(json: unknown): ParsedModel {
  try {
    return parse(json);
  } catch (e) {
    if (e instanceof SimdnetError) throw e;
    // a getter or Proxy trap of the caller's object that threw (JSON text has neither)
    const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new DataError(`model: reading it threw (${text.length > 80 ? `${text.slice(0, 80)}…` : text})`, { cause: e });
  }
}

/** The fields of a record the file gives, own ones only and each read once: an inherited `weights` is no field of the file. */
function ownFields<K extends string>(o: object, keys: readonly K[]): Partial<Record<K, unknown>> {
  const out: Partial<Record<K, unknown>> = {};
  for (const k of keys) if (Object.prototype.hasOwnProperty.call(o, k)) out[k] = (o as Record<K, unknown>)[k];
  return out;
}

const MODEL_KEYS = ['format', 'version', 'inputs', 'layers', 'weights', 'scaler', 'targetScaler', 'classes', 'featureNames', 'targetName', 'training', 'preprocess', 'checksum'] as const;
/** The slope every layer but leaky_relu saves (unused there): another value would be silently ignored. */
const DEFAULT_ALPHA = Math.fround(0.01);

function parse(json: unknown): ParsedModel {
  let obj: unknown = json;
  if (typeof json === 'string') {
    try {
      obj = JSON.parse(json);
    } catch (e) {
      throw new DataError(`model: expected JSON text, got text that does not parse (${(e as Error).message}); the file may be truncated`, { cause: e });
    }
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new DataError(`model: expected a JSON object, got ${show(obj)}`);
  const m = ownFields(obj, MODEL_KEYS);
  // a field no version of the format has is a mistake (a typo would otherwise lose what it holds)
  for (const key of Object.keys(obj)) {
    if (!(MODEL_KEYS as readonly string[]).includes(key)) {
      const near = nearestName(key, MODEL_KEYS);
      throw new DataError(`model.${key.length > 40 ? `${key.slice(0, 40)}…` : key}: expected no such field (a model file has ${MODEL_KEYS.join(', ')})${near ? `; did you mean '${near}'?` : ''}`);
    }
  }
  if (m.format !== MODEL_FORMAT) fail('format', `"${MODEL_FORMAT}"`, m.format);
  if (m.version !== 1 && m.version !== MODEL_VERSION) {
    const newer = typeof m.version === 'number' && m.version > MODEL_VERSION ? ' (written by a newer simdnet)' : '';
    fail('version', `1 or ${MODEL_VERSION}${newer}`, m.version);
  }
  const inputs = posInt(m.inputs, 'inputs');
  if (!Array.isArray(m.layers) || m.layers.length === 0) fail('layers', 'a non-empty array of { units, activation, alpha }', m.layers);
  const layerList = m.layers as unknown[];
  const layers = layerList.map((l, i) => {
    if (l === null || typeof l !== 'object') return fail(`layers[${i}]`, '{ units, activation, alpha }', l);
    const o = ownFields(l, ['units', 'activation', 'alpha']);
    const units = posInt(o.units, `layers[${i}].units`);
    if (typeof o.activation !== 'string' || !Object.prototype.hasOwnProperty.call(Act, o.activation)) fail(`layers[${i}].activation`, `one of ${Object.keys(Act).join(', ')}`, o.activation);
    if (o.activation === 'softmax' && i !== layerList.length - 1) fail(`layers[${i}].activation`, 'softmax only on the output layer', o.activation);
    if (o.activation === 'softmax' && units < 2) fail(`layers[${i}].units`, 'at least 2 units under softmax', units);
    if (typeof o.alpha !== 'number' || !(o.alpha >= 0 && Math.fround(o.alpha) <= F32_MAX)) fail(`layers[${i}].alpha`, 'a finite number ≥ 0 within the float32 range', o.alpha);
    if (o.activation !== 'leaky_relu' && Math.fround(o.alpha as number) !== DEFAULT_ALPHA) {
      fail(`layers[${i}].alpha`, `0.01 on a '${o.activation as string}' layer (only leaky_relu layers use alpha)`, o.alpha);
    }
    return { units, activation: o.activation as ActivationName, alpha: o.alpha as number };
  });
  if (!Array.isArray(m.weights) || m.weights.length !== layers.length) fail('weights', `an array of ${layers.length} layers ({ W, b })`, m.weights);
  let fanIn = inputs;
  const weights = layers.map((l, i) => {
    const w = (m.weights as unknown[])[i];
    if (w === null || typeof w !== 'object') return fail(`weights[${i}]`, '{ W, b }', w);
    const o = ownFields(w, ['W', 'b']);
    const W = f32Array(o.W, fanIn * l.units, `weights[${i}].W`, `${fanIn} inputs × ${l.units} units, row-major`);
    const b = f32Array(o.b, l.units, `weights[${i}].b`, `one per unit`);
    fanIn = l.units;
    return { W, b };
  });
  const outputs = fanIn;
  const scaler = scalerFrom(m.scaler, inputs, 'scaler');
  const targetScaler = scalerFrom(m.targetScaler, outputs, 'targetScaler');
  const classCount = classCountOf(layers.map((l, i) => ({ inputs: i === 0 ? inputs : layers[i - 1]!.units, outputs: l.units, activation: l.activation, alpha: l.alpha })));
  const classes = names(m.classes, 'classes', classesProblem(m.classes ?? null, classCount));
  const featureNames = names(m.featureNames, 'featureNames', featureNamesProblem(m.featureNames ?? null, inputs));
  check('targetName', targetNameProblem(m.targetName ?? null, featureNames), m.targetName);
  check('targetScaler', targetScalerProblem(targetScaler, outputs, classCount), m.targetScaler);
  check('training', trainingProblem(m.training ?? null), m.training);
  const preprocess = preprocessFrom(m);
  const content: ModelContent = {
    inputs, layers, weights,
    scaler: scaler ? scaler.toJSON() : null,
    targetScaler: targetScaler ? targetScaler.toJSON() : null,
    classes, featureNames,
    targetName: (m.targetName as string | null | undefined) ?? null,
    // a copy: the caller's object must not alias the network's summary
    training: m.training === undefined || m.training === null ? null : JSON.parse(JSON.stringify(m.training)),
    preprocess,
  };
  if (typeof m.checksum !== 'string') fail('checksum', 'a string of 8 hex digits', m.checksum);
  const sum = crc32(canonical(content, m.version as number));
  if (m.checksum !== sum) {
    throw new DataError(`model.checksum: expected ${sum} (computed from the content), got ${show(m.checksum)}: the file was changed or corrupted`);
  }
  return { content, scaler, targetScaler };
}

/**
 * The file's preprocess (version 2): any JSON object, kept as it is. Only
 * simdnet/csv's Model applies encoders, and it checks them in full when it
 * is made (table/preprocess-check.ts); the core carries none of that code.
 */
function preprocessFrom(m: Record<string, unknown>): PreprocessorJSON | null {
  if (m.version === 1 && m.preprocess !== undefined) fail('preprocess', 'no such field in a version 1 file', m.preprocess);
  if (m.preprocess === null || m.preprocess === undefined) return null;
  check('preprocess', preprocessProblem(m.preprocess), m.preprocess);
  return JSON.parse(JSON.stringify(m.preprocess)) as PreprocessorJSON;
}

/** Why `v` cannot be a network's encoders (null when it can): a JSON object, or null. */
export function preprocessProblem(v: unknown): string | null {
  if (v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) return "null or the encoders' JSON object ({ na, columns })";
  return trainingProblem(v);
}
