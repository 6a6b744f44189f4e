/**
 * Reads an ONNX graph as a chain of dense layers, walking from the one input
 * to the one output: each Gemm or MatMul starts a layer (an Add of a constant
 * and a BatchNormalization right after it fold into its weights and bias),
 * the activation after it closes it, Identity, Dropout and a 2-D Flatten
 * pass through. In front, Sub/Div of per-feature constants (optionally in
 * float64 between Casts, as simdnet writes them) are the input scaling;
 * behind, Mul/Add between Casts the target scaling. Anything else — another
 * op, a fan-out, a second input, a node off the path — is a DataError naming
 * the node, never a different model.
 */

import { DataError, type ActivationName } from 'simdnet';
import { DataType, type OnnxAttribute, type OnnxModel, type OnnxNode } from './decode.js';
import { constantNodeValue, tensorConst, typeName, type Const } from './tensor.js';
import { checkFinite, toF32, type DenseLayer } from '../spec.js';
import { shortestF32 } from '../../float32.js';

export interface Chain {
  inputs: number;
  layers: DenseLayer[];
  /** x' = (x − offset) / scale, per feature (float64). */
  scaler: { offset: Float64Array; scale: Float64Array } | null;
  /** y = y' · scale + offset, per output (float64). */
  targetScaler: { offset: Float64Array; scale: Float64Array } | null;
  inputName: string;
}

/** Layer under construction: float64 so that folds round once. */
interface Pending {
  node: OnnxNode;
  inputs: number;
  units: number;
  W: Float64Array;
  b: Float64Array;
  activation: ActivationName | null;
  alpha: number;
}

const ACTIVATIONS: Record<string, ActivationName> = { Relu: 'relu', LeakyRelu: 'leaky_relu', Sigmoid: 'sigmoid', Tanh: 'tanh', Softmax: 'softmax' };
const SUPPORTED = 'Gemm, MatMul, Add, BatchNormalization, Relu, LeakyRelu, Sigmoid, Tanh, Softmax, Identity, Dropout, Flatten (and Sub/Div/Mul/Cast for scaling)';

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** `node 3 ('/0/Gemm', op Gemm)`: how every message names a node. */
export function nodeLabel(n: OnnxNode, total: number): string {
  return `node ${n.index} of ${total} ('${n.name}', op ${n.opType})`;
}

export function readChain(model: OnnxModel, external: Readonly<Record<string, Uint8Array | ArrayBuffer>> | undefined): Chain {
  const g = model.graph;
  const opset = defaultOpset(model);
  const total = g.nodes.length;
  const label = (n: OnnxNode) => `onnx ${nodeLabel(n, total)}`;
  const fail = (n: OnnxNode, what: string) => new DataError(`${label(n)}: ${what}`);
  if (g.sparseInitializers > 0) throw new DataError(`onnx model.graph.sparse_initializer: expected none (dense weights only), got ${g.sparseInitializers}`);

  const consts = new Map<string, Const>();
  g.initializers.forEach((t, i) => {
    if (consts.has(t.name)) throw new DataError(`onnx model.graph.initializer[${i}]: expected distinct names, got '${t.name}' twice`);
    consts.set(t.name, tensorConst(t, `onnx initializer '${t.name}'`, external));
  });
  const dataInputs = g.inputs.filter((v) => !consts.has(v.name));
  if (dataInputs.length !== 1) {
    throw new DataError(`onnx model.graph.input: expected one input (the features), got ${dataInputs.length}${dataInputs.length ? ` (${dataInputs.map((v) => `'${v.name}'`).join(', ')})` : ''}`);
  }
  const input = dataInputs[0]!;
  if (input.elemType !== null && input.elemType !== DataType.FLOAT) throw new DataError(`onnx input '${input.name}': expected FLOAT (1) elements, got ${typeName(input.elemType)}`);
  if (input.dims !== null && input.dims.length !== 2) {
    throw new DataError(`onnx input '${input.name}': expected 2 dimensions [batch, features], got ${input.dims.length} ([${input.dims.join(', ')}])`);
  }
  const declaredFeatures = input.dims !== null && typeof input.dims[1] === 'number' ? input.dims[1] : null;
  if (g.outputs.length !== 1) throw new DataError(`onnx model.graph.output: expected one output, got ${g.outputs.length}`);
  const outputName = g.outputs[0]!.name;

  // Constants made by nodes (Constant, and Identity or Transpose of a constant, as exporters without constant folding write them)
  const done = new Set<OnnxNode>();
  for (const n of g.nodes) {
    if (n.domain !== '' && n.domain !== 'ai.onnx') throw fail(n, `expected an op of the default ONNX domain, got domain '${n.domain}'`);
    let c: Const | null = null;
    if (n.opType === 'Constant') {
      c = constantNodeValue(n.attributes, label(n), external);
      if (c === null) throw fail(n, 'expected a float tensor value (attribute value, value_float or value_floats)');
    } else if ((n.opType === 'Identity' || n.opType === 'Transpose') && n.inputs.length === 1 && consts.has(n.inputs[0]!)) {
      c = n.opType === 'Identity' ? consts.get(n.inputs[0]!)! : transposed(consts.get(n.inputs[0]!)!, n, fail);
    }
    if (c === null) continue;
    if (n.outputs.length !== 1) throw fail(n, `expected one output, got ${n.outputs.length}`);
    consts.set(n.outputs[0]!, c);
    done.add(n);
  }
  const consumers = new Map<string, OnnxNode[]>();
  for (const n of g.nodes) {
    if (done.has(n)) continue;
    for (const name of n.inputs) {
      if (name === '' || consts.has(name)) continue;
      const list = consumers.get(name);
      if (list) {
        if (list[list.length - 1] !== n) list.push(n);
      }
      else consumers.set(name, [n]);
    }
  }

  const layers: DenseLayer[] = [];
  let pending: Pending | null = null;
  let features = declaredFeatures;
  let front: { offset: Float64Array | null; scale: Float64Array | null; cast: boolean } = { offset: null, scale: null, cast: false };
  let tail: { scale: Float64Array | null; offset: Float64Array | null; open: boolean } | null = null;
  let last: OnnxNode | null = null;

  const width = () => (pending ? pending.units : layers.length ? layers[layers.length - 1]!.units : features);
  const close = () => {
    if (!pending) return;
    const p = pending;
    const where = label(p.node);
    layers.push({ W: toF32(p.W, `${where} weights`), b: toF32(p.b, `${where} bias`), units: p.units, activation: p.activation ?? 'linear', alpha: p.alpha });
    pending = null;
  };
  /** A constant vector broadcast to n values (shape [], [1], [n] or [1, n]). */
  const vector = (n: OnnxNode, c: Const, size: number | null, what: string): Float64Array => {
    const d = c.dims;
    const count = d.length === 0 ? 1 : d.length === 1 ? d[0]! : d.length === 2 && d[0] === 1 ? d[1]! : -1;
    if (count < 0 || (size !== null && count !== 1 && count !== size)) {
      throw fail(n, `${what} ('${c.label}'): expected shape [${size ?? 'n'}] or [1, ${size ?? 'n'}] (or one value), got [${d.join(', ')}]`);
    }
    const v = c.values();
    checkFinite(v, `${label(n)} ${what}`);
    if (count === 1 && size !== null && size !== 1) return new Float64Array(size).fill(v[0]!);
    return Float64Array.from(v);
  };
  const constInput = (n: OnnxNode, at: number, what: string): Const => {
    const c = consts.get(n.inputs[at] ?? '');
    if (!c) throw fail(n, `expected ${what} (input ${at}) to be a constant (an initializer), got '${n.inputs[at] ?? ''}'`);
    return c;
  };

  let current = input.name;
  for (;;) {
    const next = consumers.get(current) ?? [];
    if (next.length === 0) break;
    if (next.length > 1) throw fail(next[1]!, `'${current}' feeds ${next.length} nodes (${next.map((m) => `'${m.name}'`).join(', ')}); expected a chain of dense layers, each value used once`);
    const n = next[0]!;
    if (done.has(n)) throw fail(n, `'${current}' is used twice by this node; expected a chain of dense layers`);
    done.add(n);
    last = n;
    const dataAt = n.inputs.indexOf(current);
    if (n.inputs.indexOf(current, dataAt + 1) >= 0) throw fail(n, `'${current}' is used twice by this node; expected a chain of dense layers`);
    const op = n.opType;
    if (tail && op !== 'Mul' && op !== 'Add' && op !== 'Cast') throw fail(n, `expected only the target scaling (Mul, Add, Cast) after the last layer's float64 Cast, got ${op}`);

    if (op === 'Gemm' || op === 'MatMul') {
      if (dataAt !== 0) throw fail(n, `expected the data ('${current}') as input 0 (A), got it as input ${dataAt}`);
      finishFront();
      close();
      const B = constInput(n, 1, 'the weights');
      if (B.dims.length !== 2) throw fail(n, `the weights ('${B.label}'): expected 2 dimensions, got [${B.dims.join(', ')}]`);
      const transB = op === 'Gemm' && intAttr(n, 'transB', 0, fail) !== 0;
      if (op === 'Gemm' && intAttr(n, 'transA', 0, fail) !== 0) throw fail(n, 'expected transA = 0 (rows are samples), got transA = 1');
      const [inputs, units] = transB ? [B.dims[1]!, B.dims[0]!] : [B.dims[0]!, B.dims[1]!];
      const w = width();
      if (w !== null && w !== inputs) throw fail(n, `the weights ('${B.label}'): expected ${w} inputs (the width of what comes before), got ${inputs}`);
      if (inputs < 1 || units < 1) throw fail(n, `the weights ('${B.label}'): expected a non-empty matrix, got [${B.dims.join(', ')}]`);
      const values = B.values();
      checkFinite(values, `${label(n)} weights ('${B.label}')`);
      const alpha = op === 'Gemm' ? floatAttr(n, 'alpha', 1, fail) : 1;
      const W = new Float64Array(inputs * units);
      for (let i = 0; i < inputs; i++) for (let j = 0; j < units; j++) W[i * units + j] = alpha * values[transB ? j * inputs + i : i * units + j]!;
      const b = new Float64Array(units);
      if (op === 'Gemm' && n.inputs.length > 2 && n.inputs[2] !== '') {
        const beta = floatAttr(n, 'beta', 1, fail);
        const C = vector(n, constInput(n, 2, 'the bias C'), units, 'the bias C');
        for (let j = 0; j < units; j++) b[j] = beta * C[j]!;
      }
      if (features === null && layers.length === 0) features = inputs;
      pending = { node: n, inputs, units, W, b, activation: null, alpha: 0.01 };
    } else if (op === 'Add' && pending && pending.activation === null) {
      const c = vector(n, constInput(n, 1 - dataAt, 'the added constant'), pending.units, 'the added constant');
      for (let j = 0; j < pending.units; j++) pending.b[j] += c[j]!;
    } else if (op === 'BatchNormalization') {
      if (!pending || pending.activation !== null) throw fail(n, `expected right after a Gemm or MatMul (it is folded into that layer), got it ${pending ? `after its activation` : 'before any layer'}`);
      if (dataAt !== 0) throw fail(n, `expected the data as input 0, got it as input ${dataAt}`);
      if (intAttr(n, 'training_mode', 0, fail) !== 0) throw fail(n, 'expected training_mode = 0 (inference), got 1');
      const u = pending.units;
      const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((k, i) => vector(n, constInput(n, k, ['scale', 'B', 'mean', 'var'][i]!), u, ['scale', 'B', 'mean', 'var'][i]!));
      const eps = floatAttr(n, 'epsilon', 1e-5, fail);
      for (let j = 0; j < u; j++) {
        const s = gamma![j]! / Math.sqrt(variance![j]! + Math.fround(eps));
        for (let i = 0; i < pending.inputs; i++) pending.W[i * u + j] *= s;
        pending.b[j] = (pending.b[j]! - mean![j]!) * s + beta![j]!;
      }
    } else if (own(ACTIVATIONS, op)) {
      if (!pending || pending.activation !== null) throw fail(n, `expected an activation right after a Gemm or MatMul, got it ${pending ? 'after another activation' : 'before any layer'}`);
      const act = ACTIVATIONS[op]!;
      if (act === 'softmax') checkSoftmaxAxis(n, opset, fail);
      if (act === 'leaky_relu') {
        const alpha = floatAttr(n, 'alpha', 0.01, fail);
        if (!(alpha >= 0)) throw fail(n, `alpha: expected a slope ≥ 0, got ${alpha}`);
        pending.alpha = shortestF32(alpha);
      }
      pending.activation = act;
    } else if (op === 'Identity' || op === 'Dropout') {
      if (dataAt !== 0) throw fail(n, `expected the data as input 0, got it as input ${dataAt}`);
      if (op === 'Dropout' && n.inputs.length > 2 && n.inputs[2] !== '') {
        const mode = constInput(n, 2, 'training_mode');
        if (mode.values().some((v) => v !== 0)) throw fail(n, 'expected training_mode false (inference), got true');
      }
    } else if (op === 'Flatten') {
      const axis = intAttr(n, 'axis', 1, fail);
      if (axis !== 1 && axis !== -1) throw fail(n, `expected axis 1 on the 2-D input (a no-op), got axis ${axis}`);
    } else if ((op === 'Sub' || op === 'Div') && layers.length === 0 && !pending && dataAt === 0) {
      if ((op === 'Sub' && (front.offset || front.scale)) || (op === 'Div' && front.scale)) throw fail(n, 'expected the input scaling as one Sub then one Div');
      const c = vector(n, constInput(n, 1, op === 'Sub' ? 'the offset' : 'the scale'), features, op === 'Sub' ? 'the offset' : 'the scale');
      if (op === 'Sub') front.offset = c;
      else front.scale = c;
    } else if (op === 'Cast') {
      const to = intAttr(n, 'to', -1, fail);
      if (layers.length === 0 && !pending) {
        if (to !== (front.cast ? DataType.FLOAT : DataType.DOUBLE)) throw fail(n, `expected a Cast to ${front.cast ? 'FLOAT' : 'DOUBLE'} around the input scaling, got to ${typeName(to)}`);
        front.cast = !front.cast;
      } else if (!tail) {
        if (to !== DataType.DOUBLE) throw fail(n, `expected a Cast to DOUBLE before the target scaling, got to ${typeName(to)}`);
        close();
        tail = { scale: null, offset: null, open: true };
      } else {
        if (to !== DataType.FLOAT || !tail.open) throw fail(n, `expected one Cast to FLOAT after the target scaling, got to ${typeName(to)}`);
        tail.open = false;
      }
    } else if (tail && tail.open && (op === 'Mul' || op === 'Add')) {
      const size = width();
      if ((op === 'Mul' && (tail.scale || tail.offset)) || (op === 'Add' && tail.offset)) throw fail(n, 'expected the target scaling as one Mul then one Add');
      const c = vector(n, constInput(n, 1 - dataAt, op === 'Mul' ? 'the scale' : 'the offset'), size, op === 'Mul' ? 'the scale' : 'the offset');
      if (op === 'Mul') tail.scale = c;
      else tail.offset = c;
    } else {
      throw fail(n, `not supported here; simdnet reads chains of dense layers: ${SUPPORTED}`);
    }
    if (n.outputs.length < 1 || n.outputs[0] === '') throw fail(n, 'expected an output, got none');
    for (const extra of n.outputs.slice(1)) {
      if (extra !== '' && (consumers.has(extra) || extra === outputName)) throw fail(n, `its output '${extra}' is used; expected only the first output to be`);
    }
    current = n.outputs[0]!;
  }

  function finishFront() {
    if (front.cast) throw fail(last!, 'expected a Cast back to FLOAT after the input scaling');
  }

  if (current !== outputName) throw new DataError(`onnx model.graph.output: expected '${outputName}' at the end of the chain from '${input.name}', got the chain ending at '${current}'`);
  const offNode = g.nodes.find((n) => !done.has(n));
  if (offNode) throw fail(offNode, `not on the path from the input '${input.name}' to the output '${outputName}'; expected a chain of dense layers`);
  close();
  if (layers.length === 0) throw new DataError(`onnx model.graph: expected at least one Gemm or MatMul (a dense layer), got none`);
  if (front.cast) throw new DataError('onnx model.graph: expected a Cast back to FLOAT after the input scaling');
  if (tail && tail.open) throw new DataError('onnx model.graph: expected a Cast back to FLOAT after the target scaling');
  layers.forEach((l, i) => {
    if (l.activation === 'softmax' && i !== layers.length - 1) throw new DataError(`onnx model.graph: expected Softmax only on the output layer, got it on layer ${i} of ${layers.length}`);
  });
  const inputs = features ?? layers[0]!.W.length / layers[0]!.units;
  const scaler = front.offset || front.scale
    ? { offset: front.offset ?? new Float64Array(inputs), scale: front.scale ?? new Float64Array(inputs).fill(1) }
    : null;
  const outs = layers[layers.length - 1]!.units;
  const targetScaler = tail && (tail.scale || tail.offset)
    ? { offset: tail.offset ?? new Float64Array(outs), scale: tail.scale ?? new Float64Array(outs).fill(1) }
    : null;
  return { inputs, layers, scaler, targetScaler, inputName: input.name };
}

function defaultOpset(model: OnnxModel): number {
  const entry = model.opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  if (!entry) throw new DataError(`onnx model.opset_import: expected an entry for the default ONNX domain, got ${model.opsets.length ? model.opsets.map((o) => `'${o.domain}'`).join(', ') : 'none'}`);
  if (entry.version < 9 || entry.version > 21) throw new DataError(`onnx model.opset_import: expected opset 9 to 21 of the default domain, got ${entry.version}`);
  return entry.version;
}

type Fail = (n: OnnxNode, what: string) => DataError;

function attr(n: OnnxNode, name: string): OnnxAttribute | undefined {
  return n.attributes.get(name);
}

function intAttr(n: OnnxNode, name: string, fallback: number, fail: Fail): number {
  const a = attr(n, name);
  if (a === undefined) return fallback;
  if (a.i === null) throw fail(n, `attribute ${name}: expected an integer, got ${a.f !== null ? 'a float' : 'no value'}`);
  return a.i;
}

function floatAttr(n: OnnxNode, name: string, fallback: number, fail: Fail): number {
  const a = attr(n, name);
  if (a === undefined) return fallback;
  const v = a.f ?? a.i;
  if (v === null || !Number.isFinite(v)) throw fail(n, `attribute ${name}: expected a finite float, got ${v === null ? 'no value' : v}`);
  return v;
}

function checkSoftmaxAxis(n: OnnxNode, opset: number, fail: Fail): void {
  // opset < 13 flattens to 2-D at axis (default 1); 13+ takes one axis (default -1); on [batch, units] both mean the units
  const axis = intAttr(n, 'axis', opset < 13 ? 1 : -1, fail);
  if (axis !== 1 && axis !== -1) throw fail(n, `expected Softmax over the units (axis 1 or -1 of [batch, units]), got axis ${axis}`);
}

function transposed(c: Const, n: OnnxNode, fail: Fail): Const {
  const perm = n.attributes.get('perm')?.ints ?? [];
  if (c.dims.length !== 2 || (perm.length !== 0 && (perm[0] !== 1 || perm[1] !== 0))) {
    throw fail(n, `expected a transpose of a 2-D constant, got dims [${c.dims.join(', ')}] and perm [${perm.join(', ')}]`);
  }
  const [r, k] = c.dims as [number, number];
  return {
    label: c.label,
    dims: [k, r],
    values: () => {
      const v = c.values();
      const out = new (v.constructor as Float32ArrayConstructor)(v.length);
      for (let i = 0; i < r; i++) for (let j = 0; j < k; j++) out[j * r + i] = v[i * k + j]!;
      return out;
    },
  };
}
