/**
 * fromONNX: an .onnx file of a dense network (as PyTorch, Keras converters
 * and simdnet write them) to a Network.
 */

import { DataError, ValueError, type Network, type Runtime, type ScalerJSON } from 'simdnet';
import { buildNetwork, type NetworkSpec } from '../spec.js';
import { readChain } from './chain.js';
import { decodeModel } from './decode.js';
import { readMetadata } from './metadata.js';

export interface FromONNXOptions {
  /**
   * The bytes of the files the model keeps weights in (`data_location =
   * EXTERNAL`; PyTorch's default exporter writes larger weights to
   * `<model>.onnx.data`), keyed by the `location` the model names, e.g.
   * `{ 'model.onnx.data': bytes }` (Uint8Array or ArrayBuffer).
   */
  externalData?: Record<string, Uint8Array | ArrayBuffer>;
  /** The runtime the network lives in (default: the one set by the last `init()`). */
  runtime?: Runtime;
}

/**
 * Reads an ONNX model of a dense network: Gemm (any transB, alpha, beta) or
 * MatMul (+ Add) per layer, Relu, LeakyRelu, Sigmoid, Tanh, Softmax,
 * Identity, Dropout, BatchNormalization after a layer (folded into it), a
 * 2-D Flatten; opsets 9 to 21; weights as raw_data, float_data or external
 * data. The input scaling and target scaling toONNX writes (and the
 * `simdnet.*` metadata: feature names, class labels) come back as the
 * network's scalers and labels.
 *
 * @param bytes - the .onnx file.
 * @returns a new Network (dispose it when done), with the file's weights, bit for bit.
 * @throws DataError naming the field, node (op type, name, position) or
 *   initializer at the first thing that is not a chain of dense layers, or
 *   when the file is truncated or corrupt. Nothing is allocated before the
 *   whole file has been checked.
 */
export function fromONNX(bytes: Uint8Array | ArrayBuffer, options: FromONNXOptions = {}): Network {
  const data = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
  if (!(data instanceof Uint8Array)) throw new ValueError(`bytes: expected a Uint8Array or ArrayBuffer (the .onnx file), got ${describe(bytes)}`);
  if (options === null || typeof options !== 'object') throw new ValueError(`options: expected an object { externalData?, runtime? }, got ${describe(options)}`);
  const external = options.externalData;
  if (external !== undefined && (external === null || typeof external !== 'object')) {
    throw new ValueError(`options.externalData: expected an object of file bytes keyed by location, got ${describe(external)}`);
  }
  if (data.length === 0) throw new DataError('onnx: expected the bytes of an .onnx file, got 0 bytes');
  const model = decodeModel(data);
  const chain = readChain(model, external);
  const meta = readMetadata(model.metadata);
  const outputs = chain.layers[chain.layers.length - 1]!.units;
  const scaling = (s: { offset: Float64Array; scale: Float64Array } | null, kind: ScalerJSON['kind'] | null, features: number, what: string): ScalerJSON | null => {
    if (s === null) return kind === 'none' ? { kind: 'none', features, offset: new Array(features).fill(0), scale: new Array(features).fill(1) } : null;
    const widen = (v: Float64Array) => (v.length === 1 && features > 1 ? new Float64Array(features).fill(v[0]!) : v);
    const offset = widen(s.offset);
    const scale = widen(s.scale);
    if (offset.length !== features || scale.length !== features) throw new DataError(`onnx ${what}: expected ${features} values per constant, got ${offset.length} and ${scale.length}`);
    return { kind: kind ?? 'standard', features, offset: Array.from(offset), scale: Array.from(scale) };
  };
  const spec: NetworkSpec = {
    inputs: chain.inputs,
    layers: chain.layers,
    scaler: scaling(chain.scaler, meta.scalerKind, chain.inputs, 'input scaling (Sub/Div in front of the first layer)'),
    targetScaler: scaling(chain.targetScaler, meta.targetScalerKind, outputs, 'target scaling (Mul/Add after the last layer)'),
    classes: meta.classes,
    featureNames: meta.featureNames,
    targetName: meta.targetName,
  };
  return buildNetwork(spec, 'onnx', options.runtime);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return (v as object).constructor?.name ?? 'an object';
  return typeof v;
}
