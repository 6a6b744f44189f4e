/**
 * ONNX's ModelProto, read into plain objects: the part of onnx.proto that a
 * dense network uses (graph, nodes, attributes, tensors, value infos,
 * opsets, metadata). Fields it does not use are skipped, length-checked.
 * Tensor payloads stay views into the file until a reader asks for values.
 */

import { DataError } from 'simdnet';
import { ProtoReader } from '../protobuf/reader.js';

export interface OnnxTensor {
  /** Where it is in the file, for error messages (`model.graph.initializer[2]`). */
  path: string;
  name: string;
  dims: number[];
  dataType: number;
  raw: Uint8Array | null;
  floatData: number[];
  doubleData: number[];
  int64Data: number[];
  int32Data: number[];
  /** data_location = EXTERNAL: the entries location, offset, length. */
  external: Map<string, string> | null;
}

export interface OnnxAttribute {
  name: string;
  type: number;
  f: number | null;
  i: number | null;
  s: Uint8Array | null;
  t: OnnxTensor | null;
  floats: number[];
  ints: number[];
  /** A subgraph (If, Loop, Scan): present, never read. */
  hasGraph: boolean;
}

export interface OnnxNode {
  path: string;
  index: number;
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, OnnxAttribute>;
}

export interface OnnxValueInfo {
  name: string;
  /** elem_type of a tensor type; null when the type is absent or not a tensor. */
  elemType: number | null;
  /** One entry per dimension: a size, a symbolic name, or null; null when the shape is absent. */
  dims: Array<number | string | null> | null;
}

export interface OnnxGraph {
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  sparseInitializers: number;
}

export interface OnnxModel {
  irVersion: number;
  opsets: Array<{ domain: string; version: number }>;
  graph: OnnxGraph;
  metadata: Map<string, string>;
  /** Model-local functions (their ops are not standard ops). */
  functions: number;
}

/** TensorProto.DataType codes this reader knows by name. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11 } as const;

/** Parses the bytes of an .onnx file. @throws DataError naming the field at the first problem. */
export function decodeModel(bytes: Uint8Array): OnnxModel {
  const r = new ProtoReader(bytes, 'model');
  const model: OnnxModel = { irVersion: 0, opsets: [], graph: emptyGraph(), metadata: new Map(), functions: 0 };
  let graphs = 0;
  while (r.next()) {
    switch (r.field) {
      case 1: model.irVersion = r.int(); break;
      case 7: model.graph = decodeGraph(r.message('graph')); graphs++; break;
      case 8: model.opsets.push(decodeOpset(r.message(`opset_import[${model.opsets.length}]`))); break;
      case 14: {
        const [k, v] = decodeEntry(r.message(`metadata_props[${model.metadata.size}]`));
        model.metadata.set(k, v);
        break;
      }
      case 25: r.skip(); model.functions++; break;
      default: r.skip();
    }
  }
  if (graphs !== 1) throw new DataError(`model.graph: expected one graph, got ${graphs}${graphs === 0 ? ' (the bytes are not an ONNX model, or the file is truncated)' : ''}`);
  return model;
}

function emptyGraph(): OnnxGraph {
  return { nodes: [], initializers: [], inputs: [], outputs: [], sparseInitializers: 0 };
}

function decodeOpset(r: ProtoReader): { domain: string; version: number } {
  const o = { domain: '', version: 0 };
  while (r.next()) {
    if (r.field === 1) o.domain = r.string('domain');
    else if (r.field === 2) o.version = r.int();
    else r.skip();
  }
  return o;
}

function decodeEntry(r: ProtoReader): [string, string] {
  let key = '';
  let value = '';
  while (r.next()) {
    if (r.field === 1) key = r.string('key');
    else if (r.field === 2) value = r.string('value');
    else r.skip();
  }
  return [key, value];
}

function decodeGraph(r: ProtoReader): OnnxGraph {
  const g = emptyGraph();
  while (r.next()) {
    switch (r.field) {
      case 1: g.nodes.push(decodeNode(r.message(`node[${g.nodes.length}]`), g.nodes.length)); break;
      case 5: g.initializers.push(decodeTensor(r.message(`initializer[${g.initializers.length}]`))); break;
      case 11: g.inputs.push(decodeValueInfo(r.message(`input[${g.inputs.length}]`))); break;
      case 12: g.outputs.push(decodeValueInfo(r.message(`output[${g.outputs.length}]`))); break;
      case 15: r.skip(); g.sparseInitializers++; break;
      default: r.skip();
    }
  }
  return g;
}

function decodeNode(r: ProtoReader, index: number): OnnxNode {
  const n: OnnxNode = { path: r.path, index, name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: new Map() };
  while (r.next()) {
    switch (r.field) {
      case 1: n.inputs.push(r.string(`input[${n.inputs.length}]`)); break;
      case 2: n.outputs.push(r.string(`output[${n.outputs.length}]`)); break;
      case 3: n.name = r.string('name'); break;
      case 4: n.opType = r.string('op_type'); break;
      case 7: n.domain = r.string('domain'); break;
      case 5: {
        const a = decodeAttribute(r.message(`attribute[${n.attributes.size}]`));
        n.attributes.set(a.name, a);
        break;
      }
      default: r.skip();
    }
  }
  return n;
}

function decodeAttribute(r: ProtoReader): OnnxAttribute {
  const a: OnnxAttribute = { name: '', type: 0, f: null, i: null, s: null, t: null, floats: [], ints: [], hasGraph: false };
  while (r.next()) {
    switch (r.field) {
      case 1: a.name = r.string('name'); break;
      case 20: a.type = r.int(); break;
      case 2: a.f = r.float(); break;
      case 3: a.i = r.int(); break;
      case 4: a.s = r.bytesField(); break;
      case 5: a.t = decodeTensor(r.message('t')); break;
      case 6: case 11: r.skip(); a.hasGraph = true; break;
      case 7: r.repeated('float', a.floats); break;
      case 8: r.repeated('int', a.ints); break;
      default: r.skip();
    }
  }
  return a;
}

function decodeTensor(r: ProtoReader): OnnxTensor {
  const t: OnnxTensor = { path: r.path, name: '', dims: [], dataType: 0, raw: null, floatData: [], doubleData: [], int64Data: [], int32Data: [], external: null };
  let location = 0;
  const external = new Map<string, string>();
  while (r.next()) {
    switch (r.field) {
      case 1: r.repeated('int', t.dims); break;
      case 2: t.dataType = r.int(); break;
      case 4: r.repeated('float', t.floatData); break;
      case 5: r.repeated('int', t.int32Data); break;
      case 7: r.repeated('int', t.int64Data); break;
      case 8: t.name = r.string('name'); break;
      case 9: t.raw = r.bytesField(); break;
      case 10: r.repeated('double', t.doubleData); break;
      case 13: {
        const [k, v] = decodeEntry(r.message(`external_data[${external.size}]`));
        external.set(k, v);
        break;
      }
      case 14: location = r.int(); break;
      default: r.skip();
    }
  }
  if (location === 1) t.external = external;
  else if (location !== 0) throw new DataError(`${t.path}.data_location: expected 0 (DEFAULT) or 1 (EXTERNAL), got ${location}`);
  return t;
}

function decodeValueInfo(r: ProtoReader): OnnxValueInfo {
  const v: OnnxValueInfo = { name: '', elemType: null, dims: null };
  while (r.next()) {
    if (r.field === 1) v.name = r.string('name');
    else if (r.field === 2) decodeType(r.message('type'), v);
    else r.skip();
  }
  return v;
}

function decodeType(r: ProtoReader, v: OnnxValueInfo): void {
  while (r.next()) {
    if (r.field !== 1) {
      r.skip();
      continue;
    }
    const t = r.message('tensor_type');
    while (t.next()) {
      if (t.field === 1) v.elemType = t.int();
      else if (t.field === 2) v.dims = decodeShape(t.message('shape'));
      else t.skip();
    }
  }
}

function decodeShape(r: ProtoReader): Array<number | string | null> {
  const dims: Array<number | string | null> = [];
  while (r.next()) {
    if (r.field !== 1) {
      r.skip();
      continue;
    }
    const d = r.message(`dim[${dims.length}]`);
    let dim: number | string | null = null;
    while (d.next()) {
      if (d.field === 1) dim = d.int();
      else if (d.field === 2) dim = d.string('dim_param');
      else d.skip();
    }
    dims.push(dim);
  }
  return dims;
}

/**
 * The external files a model's tensors name (`location` of data stored
 * EXTERNAL), for a caller that reads them from beside the model: the CLI.
 */
export function externalLocations(model: OnnxModel): string[] {
  const found = new Set<string>();
  const add = (t: OnnxTensor | null) => {
    const location = t?.external?.get('location');
    if (location) found.add(location);
  };
  model.graph.initializers.forEach(add);
  for (const n of model.graph.nodes) for (const a of n.attributes.values()) add(a.t);
  return [...found];
}
