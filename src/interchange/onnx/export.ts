/**
 * toONNX: a Network as an ONNX model (IR version 7, opset 13) for ONNX
 * Runtime and other ONNX tools: per layer a Gemm (transB = 1) and its
 * activation node; the input scaling in front and the target scaling
 * behind, in float64 between Casts (the arithmetic of Scaler), so the graph
 * takes the same raw features as `predict` and fromONNX gets the same
 * scalers back, bit for bit.
 */

import { ValueError, Network, type ScalerJSON } from 'simdnet';
import { ProtoWriter } from '../protobuf/writer.js';
import { specOf, takesEncodedFeatures, type DenseLayer } from '../spec.js';
import { META } from './metadata.js';

export interface ToONNXOptions {
  /**
   * Receives notes the caller should pass on to the user (the CLI prints
   * them on stderr): e.g. that the graph takes already-encoded features
   * because the model's preprocessing has no ONNX form.
   */
  onNote?: (message: string) => void;
  /**
   * The network's inputs are encoded features (a network trained on raw
   * columns: categories, dates, gaps), whose encoders have no plain ONNX
   * form: the graph takes the encoded vector, `metadata_props` says so
   * (`simdnet.input` = 'encoded features') and onNote tells the user.
   * Default: whether the network carries encoders that change its columns
   * (`net.preprocess` with a categorical, date or boolean column, or a
   * missing-value indicator); plain numeric columns are the raw features.
   */
  encoded?: boolean;
}

const FLOAT = 1;
const DOUBLE = 11;
const IR_VERSION = 7;
const OPSET = 13;

/** Field numbers of onnx.proto used below. */
const F = {
  model: { irVersion: 1, producerName: 2, producerVersion: 3, graph: 7, opset: 8, metadata: 14 },
  graph: { node: 1, name: 2, initializer: 5, input: 11, output: 12 },
  node: { input: 1, output: 2, name: 3, opType: 4, attribute: 5 },
  attr: { name: 1, f: 2, i: 3, type: 20 },
  tensor: { dims: 1, dataType: 2, name: 8, raw: 9 },
} as const;

interface Node {
  op: string;
  name: string;
  inputs: string[];
  output: string;
  attrs?: Array<{ name: string; f?: number; i?: number }>;
}

interface Initializer {
  name: string;
  dims: number[];
  type: typeof FLOAT | typeof DOUBLE;
  values: ArrayLike<number>;
}

const ACTIVATION_OPS: Record<string, string> = { relu: 'Relu', leaky_relu: 'LeakyRelu', sigmoid: 'Sigmoid', tanh: 'Tanh', softmax: 'Softmax' };

/**
 * Writes `net` as an ONNX model.
 *
 * The graph takes `input` [batch, inputs] float32 — the raw features
 * `predict` takes — and gives `output` [batch, outputs] float32, the batch
 * dimension named `batch`. Feature names, class labels, the target's name
 * and the scalers' kinds go in `metadata_props` (`simdnet.*` keys).
 *
 * @returns the bytes of the .onnx file.
 * @throws ValueError when `net` is not a Network; StateError after dispose().
 */
export function toONNX(net: Network, options: ToONNXOptions = {}): Uint8Array {
  if (!(net instanceof Network)) throw new ValueError(`net: expected a Network, got ${net === null ? 'null' : typeof net}`);
  if (options === null || typeof options !== 'object') throw new ValueError(`options: expected an object { onNote?, encoded? }, got ${options === null ? 'null' : typeof options}`);
  const spec = specOf(net);
  const encoded = options.encoded ?? takesEncodedFeatures(net);
  const nodes: Node[] = [];
  const inits: Initializer[] = [];
  let x = 'input';
  const scaling = (s: ScalerJSON | null, prefix: string, ops: [string, string], keys: [string, string]) => {
    if (s === null || s.kind === 'none') return;
    // float64 between two Casts: the same arithmetic as Scaler (float64, one rounding to float32)
    nodes.push({ op: 'Cast', name: `/${prefix}/Cast`, inputs: [x], output: `${prefix}/f64`, attrs: [{ name: 'to', i: DOUBLE }] });
    let y = `${prefix}/f64`;
    ops.forEach((op, i) => {
      const k = keys[i] as 'offset' | 'scale';
      inits.push({ name: `${prefix}.${k}`, dims: [s.features], type: DOUBLE, values: s[k] });
      nodes.push({ op, name: `/${prefix}/${op}`, inputs: [y, `${prefix}.${k}`], output: `${prefix}/${op}_output` });
      y = `${prefix}/${op}_output`;
    });
    nodes.push({ op: 'Cast', name: `/${prefix}/Cast_1`, inputs: [y], output: `${prefix}/output`, attrs: [{ name: 'to', i: FLOAT }] });
    x = `${prefix}/output`;
  };
  // Preprocessing with no plain ONNX form (a Model's column encoders) stays
  // out: the graph starts after it, with the scaling below.
  if (encoded) options.onNote?.("the model's column encoders (categories, dates, gaps) have no plain ONNX form: the exported graph takes the encoded features, named in metadata_props simdnet.feature_names");
  scaling(spec.scaler, 'scaler', ['Sub', 'Div'], ['offset', 'scale']);
  let width = spec.inputs;
  spec.layers.forEach((l, i) => {
    x = layerNodes(l, i, width, x, nodes, inits);
    width = l.units;
  });
  scaling(spec.targetScaler, 'target_scaler', ['Mul', 'Add'], ['scale', 'offset']);
  if (nodes.length > 0) nodes[nodes.length - 1]!.output = 'output';
  const meta: Array<[string, string]> = [[META.input, encoded ? 'encoded features' : 'raw features']];
  if (net.featureNames) meta.push([META.featureNames, JSON.stringify(net.featureNames)]);
  if (net.classes) meta.push([META.classes, JSON.stringify(net.classes)]);
  if (net.targetName !== null) meta.push([META.targetName, net.targetName]);
  if (net.scaler) meta.push([META.scalerKind, net.scaler.kind]);
  if (net.targetScaler) meta.push([META.targetScalerKind, net.targetScaler.kind]);

  const w = new ProtoWriter();
  w.int(F.model.irVersion, IR_VERSION).string(F.model.producerName, 'simdnet');
  w.message(F.model.graph, (g) => {
    for (const n of nodes) g.message(F.graph.node, (m) => writeNode(m, n));
    g.string(F.graph.name, 'simdnet');
    for (const t of inits) g.message(F.graph.initializer, (m) => writeTensor(m, t));
    g.message(F.graph.input, (m) => writeValueInfo(m, 'input', net.inputs));
    g.message(F.graph.output, (m) => writeValueInfo(m, 'output', net.outputs));
  });
  w.message(F.model.opset, (m) => m.string(1, '').int(2, OPSET));
  for (const [k, v] of meta) w.message(F.model.metadata, (m) => m.string(1, k).string(2, v));
  return w.finish();
}

/** A layer's Gemm (weights stored [units, inputs], transB = 1, as PyTorch writes them) and activation; returns its output. */
function layerNodes(l: DenseLayer, i: number, inputs: number, x: string, nodes: Node[], inits: Initializer[]): string {
  const Wt = new Float32Array(l.W.length);
  for (let r = 0; r < inputs; r++) for (let c = 0; c < l.units; c++) Wt[c * inputs + r] = l.W[r * l.units + c]!;
  inits.push({ name: `layers.${i}.weight`, dims: [l.units, inputs], type: FLOAT, values: Wt });
  inits.push({ name: `layers.${i}.bias`, dims: [l.units], type: FLOAT, values: l.b });
  const gemm = `/layers.${i}/Gemm_output`;
  nodes.push({ op: 'Gemm', name: `/layers.${i}/Gemm`, inputs: [x, `layers.${i}.weight`, `layers.${i}.bias`], output: gemm, attrs: [{ name: 'alpha', f: 1 }, { name: 'beta', f: 1 }, { name: 'transB', i: 1 }] });
  const op = ACTIVATION_OPS[l.activation];
  if (op === undefined) return gemm;
  const attrs = l.activation === 'leaky_relu' ? [{ name: 'alpha', f: l.alpha }] : l.activation === 'softmax' ? [{ name: 'axis', i: -1 }] : [];
  nodes.push({ op, name: `/layers.${i}/${op}`, inputs: [gemm], output: `/layers.${i}/${op}_output`, attrs });
  return `/layers.${i}/${op}_output`;
}

function writeNode(m: ProtoWriter, n: Node): void {
  for (const i of n.inputs) m.string(F.node.input, i);
  m.string(F.node.output, n.output).string(F.node.name, n.name).string(F.node.opType, n.op);
  for (const a of n.attrs ?? []) {
    m.message(F.node.attribute, (w) => {
      w.string(F.attr.name, a.name);
      if (a.f !== undefined) w.float(F.attr.f, a.f).int(F.attr.type, 1);
      else w.int(F.attr.i, a.i!).int(F.attr.type, 2);
    });
  }
}

function writeTensor(m: ProtoWriter, t: Initializer): void {
  for (const d of t.dims) m.int(F.tensor.dims, d);
  m.int(F.tensor.dataType, t.type).string(F.tensor.name, t.name);
  const size = t.type === FLOAT ? 4 : 8;
  const raw = new Uint8Array(t.values.length * size);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < t.values.length; i++) {
    if (size === 4) view.setFloat32(4 * i, t.values[i]!, true);
    else view.setFloat64(8 * i, t.values[i]!, true);
  }
  m.bytes(F.tensor.raw, raw);
}

function writeValueInfo(m: ProtoWriter, name: string, width: number): void {
  m.string(1, name).message(2, (type) =>
    type.message(1, (tensor) =>
      tensor.int(1, FLOAT).message(2, (shape) => shape.message(1, (d) => d.string(2, 'batch')).message(1, (d) => d.int(1, width))),
    ),
  );
}

