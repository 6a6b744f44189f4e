/**
 * fromBrainJS: brain.js `NeuralNetwork#toJSON()` to a Network, in both
 * formats brain.js has written: 2.0 (`layers[l].weights[j][k]`, the
 * activation in `trainOpts`) and 1.x (`layers[l][node] = { bias, weights:
 * { [prev]: w } }`, the activation at the top). One activation for every
 * layer, output included, as brain.js computes.
 */

import { DataError, ValueError, type ActivationName, type Network, type Runtime } from 'simdnet';
import { buildNetwork, checkFinite, type DenseLayer } from '../spec.js';
import { shortestF32 } from '../../float32.js';

export interface FromBrainJSOptions {
  /** The runtime the network lives in (default: the one set by the last `init()`). */
  runtime?: Runtime;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const ACTIVATIONS: Record<string, ActivationName> = { sigmoid: 'sigmoid', relu: 'relu', 'leaky-relu': 'leaky_relu', tanh: 'tanh' };

/**
 * Reads a brain.js NeuralNetwork's JSON (an object or its text).
 *
 * brain.js 1.x's 'leaky-relu' computes 0 for a negative sum and α·sum
 * otherwise (not a leaky ReLU); it comes in as ReLU on weights scaled by α,
 * which computes the same. Input names (`inputLookup`) become feature
 * names; output names are kept in `trainingSummary.outputNames` for
 * toBrainJS.
 *
 * @throws DataError naming the field (`brain.js layers[2].weights[0]`) that
 *   does not fit the sizes, an unknown activation, non-finite weights.
 */
export function fromBrainJS(json: unknown, options: FromBrainJSOptions = {}): Network {
  let m = json;
  if (typeof m === 'string') {
    try {
      m = JSON.parse(m);
    } catch (e) {
      throw new DataError(`brain.js: expected JSON text, got text that does not parse (${(e as Error).message})`);
    }
  }
  if (!isObj(m)) throw new ValueError(`json: expected brain.js NeuralNetwork#toJSON() output (an object with sizes and layers), got ${m === null ? 'null' : Array.isArray(m) ? 'an array' : typeof m}`);
  const sizes = m.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1 || s > 1 << 20)) {
    throw new DataError(`brain.js sizes: expected the layer sizes (at least 2 positive integers), got ${JSON.stringify(sizes)?.slice(0, 80)}`);
  }
  const layers = m.layers;
  if (!Array.isArray(layers) || layers.length !== sizes.length) throw new DataError(`brain.js layers: expected ${sizes.length} layers (one per size, the input's first), got ${Array.isArray(layers) ? layers.length : typeof layers}`);
  const v2 = isObj(layers[1]) && Array.isArray(layers[1].weights);
  const trainOpts = isObj(m.trainOpts) ? m.trainOpts : {};
  const name = v2 ? trainOpts.activation ?? 'sigmoid' : m.activation ?? 'sigmoid';
  if (typeof name !== 'string' || !own(ACTIVATIONS, name)) throw new DataError(`brain.js activation: expected 'sigmoid', 'relu', 'leaky-relu' or 'tanh', got ${JSON.stringify(name)}`);
  const alpha = (v2 ? trainOpts.leakyReluAlpha : m.leakyReluAlpha) ?? 0.01;
  if (typeof alpha !== 'number' || !Number.isFinite(alpha)) throw new DataError(`brain.js leakyReluAlpha: expected a number, got ${JSON.stringify(alpha)}`);
  let activation = ACTIVATIONS[name]!;
  // 1.x's 'leaky-relu' is sum < 0 ? 0 : α·sum = relu(α·sum) for α > 0
  const scale = !v2 && activation === 'leaky_relu' ? alpha : 1;
  if (activation === 'leaky_relu') {
    if (v2 && !(alpha >= 0 && alpha <= 1)) throw new DataError(`brain.js trainOpts.leakyReluAlpha: expected a slope from 0 to 1 (brain.js computes max(x, α·x)), got ${alpha}`);
    if (!v2 && !(alpha > 0)) throw new DataError(`brain.js leakyReluAlpha: expected a value > 0 (brain.js 1.x computes sum < 0 ? 0 : α·sum), got ${alpha}`);
    if (!v2) activation = 'relu';
  }
  const out: DenseLayer[] = [];
  let inputNames: string[] | null = null;
  let outputNames: string[] | null = null;
  if (v2) {
    inputNames = lookupNames(m.inputLookup, sizes[0], 'inputLookup');
    outputNames = lookupNames(m.outputLookup, sizes[sizes.length - 1], 'outputLookup');
  } else {
    const keys = (l: number) => (isObj(layers[l]) ? Object.keys(layers[l] as Obj) : []);
    const named = (l: number) => keys(l).some((k, i) => k !== String(i));
    if (keys(0).length !== sizes[0]) throw new DataError(`brain.js layers[0]: expected ${sizes[0]} input nodes, got ${keys(0).length}`);
    if (named(0) || m.inputLookup === true) inputNames = keys(0);
    if (named(sizes.length - 1) || m.outputLookup === true) outputNames = keys(sizes.length - 1);
  }
  for (let l = 1; l < sizes.length; l++) {
    const n = sizes[l] as number;
    const k = sizes[l - 1] as number;
    const W = new Float32Array(k * n);
    const b = new Float32Array(n);
    const where = `brain.js layers[${l}]`;
    const layer = layers[l];
    if (!isObj(layer)) throw new DataError(`${where}: expected an object, got ${typeof layer}`);
    const nodes = v2 ? null : Object.keys(layer);
    if (v2 ? !Array.isArray(layer.weights) || layer.weights.length !== n || !Array.isArray(layer.biases) || layer.biases.length !== n : nodes!.length !== n) {
      throw new DataError(`${where}: expected ${n} nodes (sizes[${l}]) with weights and biases, got ${v2 ? `${Array.isArray(layer.weights) ? layer.weights.length : 'no'} weight rows and ${Array.isArray(layer.biases) ? layer.biases.length : 'no'} biases` : `${nodes!.length} nodes`}`);
    }
    const prev = v2 ? null : Object.keys(layers[l - 1] as Obj);
    for (let j = 0; j < n; j++) {
      const node = v2 ? null : (layer[nodes![j]!] as Obj);
      if (!v2 && (!isObj(node) || !isObj(node.weights))) throw new DataError(`${where}['${nodes![j]}']: expected { bias, weights }`);
      const row = v2 ? (layer.weights as unknown[])[j] : prev!.map((p) => (own(node!.weights as Obj, p) ? (node!.weights as Obj)[p] : undefined));
      if (!Array.isArray(row) || row.length !== k) throw new DataError(`${where}.weights[${j}]: expected ${k} weights (one per node of layer ${l - 1}), got ${Array.isArray(row) ? row.length : typeof row}`);
      for (let i = 0; i < k; i++) {
        const w = row[i];
        if (typeof w !== 'number') throw new DataError(`${where}.weights[${j}][${i}]: expected a number, got ${JSON.stringify(w) ?? 'nothing'}`);
        W[i * n + j] = scale * w;
      }
      const bias = v2 ? (layer.biases as unknown[])[j] : node!.bias;
      if (typeof bias !== 'number') throw new DataError(`${where}.biases[${j}]: expected a number, got ${JSON.stringify(bias) ?? 'nothing'}`);
      b[j] = scale * bias;
    }
    checkFinite(W, `${where}.weights`);
    checkFinite(b, `${where}.biases`);
    out.push({ W, b, units: n, activation, alpha: activation === 'leaky_relu' ? shortestF32(alpha) : 0.01 });
  }
  const net = buildNetwork(
    { inputs: sizes[0] as number, layers: out, scaler: null, targetScaler: null, featureNames: inputNames, classes: null, targetName: null },
    'brain.js',
    options.runtime,
  );
  if (outputNames) net.trainingSummary = { source: 'brain.js', outputNames };
  return net;
}

/** A lookup { name: index } as names in index order; null for none. */
function lookupNames(v: unknown, size: number, field: string): string[] | null {
  if (v === null || v === undefined) return null;
  if (!isObj(v)) throw new DataError(`brain.js ${field}: expected null or an object { name: index }, got ${typeof v}`);
  const names = new Array<string | undefined>(size);
  const keys = Object.keys(v);
  if (keys.length !== size) throw new DataError(`brain.js ${field}: expected ${size} names, got ${keys.length}`);
  for (const k of keys) {
    const i = v[k];
    if (!Number.isInteger(i) || (i as number) < 0 || (i as number) >= size || names[i as number] !== undefined) {
      throw new DataError(`brain.js ${field}['${k}']: expected a distinct index from 0 to ${size - 1}, got ${JSON.stringify(i)}`);
    }
    names[i as number] = k;
  }
  return names as string[];
}
