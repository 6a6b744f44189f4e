/**
 * fromTFJS: a TensorFlow.js layers model (model.json — or the artifacts of
 * `model.save(tf.io.withSaveHandler(…))` — and the weights' bytes) to a
 * Network: a Sequential of Dense layers (linear, relu, sigmoid, tanh,
 * softmax), LeakyReLU / ReLU / Softmax / Activation layers after them, and
 * InputLayer, Dropout and Flatten, which compute nothing here. Also reads
 * what the Python converter writes (`model_config`, Keras 3 `batch_shape`).
 */

import { DataError, ValueError, type ActivationName, type Network, type Runtime } from 'simdnet';
import { buildNetwork, checkFinite, type DenseLayer } from '../spec.js';
import { shortestF32 } from '../../float32.js';
import { readWeights, type WeightsInput } from './weights.js';

export interface FromTFJSOptions {
  /** The runtime the network lives in (default: the one set by the last `init()`). */
  runtime?: Runtime;
}

type Obj = Record<string, unknown>;

const ACTIVATIONS: Record<string, ActivationName> = { linear: 'linear', relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh', softmax: 'softmax' };
const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads a TF.js layers model.
 *
 * @param model - model.json's content (an object or its text): `modelTopology`
 *   and `weightsManifest`; or artifacts with `modelTopology`, `weightSpecs` and `weightData`.
 * @param weights - the weights' bytes: one buffer (every group's shards
 *   concatenated in manifest order, as tf.io's `weightData`), an array of
 *   buffers, or an object keyed by the manifest's paths (`group1-shard1of1.bin`).
 *   Optional when `model` carries `weightData`. Float32, or quantized by the
 *   converter (uint8/uint16 with scale and min, float16): dequantized as tf.io does.
 * @throws DataError naming the layer (class, name, position) or weight that
 *   is not part of a dense Sequential, or bytes that do not match the manifest.
 */
export function fromTFJS(model: unknown, weights?: WeightsInput, options: FromTFJSOptions = {}): Network {
  let m = model;
  if (typeof m === 'string') {
    try {
      m = JSON.parse(m);
    } catch (e) {
      throw new DataError(`tfjs model.json: expected JSON text, got text that does not parse (${(e as Error).message})`);
    }
  }
  if (!isObj(m)) throw new ValueError(`model: expected model.json's content (an object with modelTopology and weightsManifest), got ${m === null ? 'null' : Array.isArray(m) ? 'an array' : typeof m}`);
  let topology = m.modelTopology;
  if (isObj(topology) && isObj(topology.model_config)) topology = topology.model_config;
  if (!isObj(topology)) throw new DataError(`tfjs modelTopology: expected an object, got ${topology === undefined ? 'nothing (is this a layers model.json?)' : typeof topology}`);
  if (topology.class_name !== 'Sequential') {
    throw new DataError(`tfjs modelTopology.class_name: expected 'Sequential' (a stack of Dense layers), got ${JSON.stringify(topology.class_name)}`);
  }
  const config = topology.config;
  const list = Array.isArray(config) ? config : isObj(config) ? config.layers : undefined;
  if (!Array.isArray(list) || list.length === 0) throw new DataError('tfjs modelTopology.config.layers: expected a non-empty array of layers');
  const store = readWeights(m, weights);

  let features: number | null = null;
  const layers: DenseLayer[] = [];
  let pendingActivation = false; // the last Dense is linear and may take an activation layer
  list.forEach((layer: unknown, k: number) => {
    const where = `tfjs layer ${k} of ${list.length}`;
    if (!isObj(layer) || typeof layer.class_name !== 'string' || !isObj(layer.config)) throw new DataError(`${where}: expected { class_name, config }`);
    const cls = layer.class_name;
    const c = layer.config;
    const name = typeof c.name === 'string' ? c.name : `layer_${k}`;
    const label = `${where} ('${name}', ${cls})`;
    const shape = c.batch_input_shape ?? c.batch_shape;
    if (shape !== undefined && shape !== null) {
      if (!Array.isArray(shape) || shape.length !== 2 || !Number.isInteger(shape[1]) || (shape[1] as number) < 1) {
        throw new DataError(`${label}: expected an input shape [null, features], got ${JSON.stringify(shape)}`);
      }
      if (features !== null || layers.length > 0) throw new DataError(`${label}: expected an input shape on the first layer only`);
      features = shape[1] as number;
    }
    const setActivation = (act: ActivationName, alpha = 0.01) => {
      if (!pendingActivation) throw new DataError(`${label}: expected an activation layer right after a Dense layer with activation 'linear', got it ${layers.length ? 'after an activation' : 'before any Dense layer'}`);
      const l = layers[layers.length - 1]!;
      l.activation = act;
      l.alpha = alpha;
      pendingActivation = false;
    };
    if (cls === 'Dense') {
      const units = c.units;
      if (!Number.isInteger(units) || (units as number) < 1) throw new DataError(`${label}.units: expected a positive integer, got ${JSON.stringify(units)}`);
      const act = activationOf(c.activation, label);
      const inputs = layers.length ? layers[layers.length - 1]!.units : features;
      const kernel = store.take(name, 'kernel', label);
      if (kernel.shape.length !== 2 || kernel.shape[1] !== units || (inputs !== null && kernel.shape[0] !== inputs)) {
        throw new DataError(`${label}: kernel '${kernel.name}': expected shape [${inputs ?? 'inputs'}, ${units}], got [${kernel.shape.join(', ')}]`);
      }
      checkFinite(kernel.values, `${label}: kernel '${kernel.name}'`);
      let b: Float32Array = new Float32Array(units as number);
      if (c.use_bias !== false) {
        const bias = store.take(name, 'bias', label);
        if (bias.shape.length !== 1 || bias.shape[0] !== units) throw new DataError(`${label}: bias '${bias.name}': expected shape [${units}], got [${bias.shape.join(', ')}]`);
        checkFinite(bias.values, `${label}: bias '${bias.name}'`);
        b = bias.values;
      }
      if (features === null) features = kernel.shape[0]!;
      layers.push({ W: kernel.values, b, units: units as number, activation: act, alpha: 0.01 });
      pendingActivation = act === 'linear';
    } else if (cls === 'LeakyReLU') {
      const alpha = c.alpha ?? c.negative_slope ?? 0.3;
      if (typeof alpha !== 'number' || !(alpha >= 0) || !Number.isFinite(alpha)) throw new DataError(`${label}.alpha: expected a slope ≥ 0, got ${JSON.stringify(alpha)}`);
      setActivation('leaky_relu', shortestF32(alpha));
    } else if (cls === 'ReLU') {
      const slope = c.negative_slope ?? 0;
      if ((c.max_value !== undefined && c.max_value !== null) || (c.threshold ?? 0) !== 0 || typeof slope !== 'number' || !(slope >= 0)) {
        throw new DataError(`${label}: expected a plain ReLU (no max_value, threshold 0), got ${JSON.stringify({ max_value: c.max_value, threshold: c.threshold, negative_slope: c.negative_slope })}`);
      }
      setActivation(slope === 0 ? 'relu' : 'leaky_relu', slope === 0 ? 0.01 : shortestF32(slope));
    } else if (cls === 'Softmax') {
      const axis = c.axis ?? -1;
      if (axis !== -1 && axis !== 1 && !(Array.isArray(axis) && axis.length === 1 && (axis[0] === -1 || axis[0] === 1))) throw new DataError(`${label}.axis: expected -1 (the units), got ${JSON.stringify(axis)}`);
      setActivation('softmax');
    } else if (cls === 'Activation') {
      const act = activationOf(c.activation, label);
      if (act !== 'linear') setActivation(act);
    } else if (cls !== 'InputLayer' && cls !== 'Dropout' && cls !== 'Flatten') {
      throw new DataError(`${label}: not supported; simdnet reads Sequential models of Dense layers (with LeakyReLU, ReLU, Softmax, Activation, InputLayer, Dropout, Flatten)`);
    }
  });
  store.finish();
  if (layers.length === 0) throw new DataError('tfjs modelTopology: expected at least one Dense layer, got none');
  layers.forEach((l, i) => {
    if (l.activation === 'softmax' && i !== layers.length - 1) throw new DataError(`tfjs model: expected softmax only on the output layer, got it on Dense layer ${i} of ${layers.length}`);
  });
  const meta = isObj(m.userDefinedMetadata) && isObj(m.userDefinedMetadata.simdnet) ? m.userDefinedMetadata.simdnet : {};
  return buildNetwork(
    {
      inputs: features!,
      layers,
      scaler: null,
      targetScaler: null,
      featureNames: (meta.featureNames as string[] | undefined) ?? null,
      classes: (meta.classes as string[] | undefined) ?? null,
      targetName: (meta.targetName as string | undefined) ?? null,
    },
    'tfjs',
    options.runtime,
  );
}

function activationOf(v: unknown, label: string): ActivationName {
  // Keras 3 writes { class_name: 'function', config: 'relu' }
  const name = v === undefined || v === null ? 'linear' : isObj(v) ? (typeof v.config === 'string' ? v.config : v.class_name) : v;
  if (typeof name === 'string' && own(ACTIVATIONS, name)) return ACTIVATIONS[name]!;
  throw new DataError(`${label}.activation: expected linear, relu, sigmoid, tanh or softmax, got ${JSON.stringify(v)}`);
}
