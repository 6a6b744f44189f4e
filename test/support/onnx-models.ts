/**
 * ONNX files for the tests, written field by field (onnx.proto numbers), so
 * the importer meets graphs that other exporters write — MatMul + Add,
 * BatchNormalization, float_data, Constant nodes, opsets 9 to 21 — and the
 * unsupported ones it must refuse. ONNX Runtime (test/support/ort.ts) runs
 * the same bytes as the independent reference.
 */
import { ProtoWriter } from '../../src/interchange/protobuf/writer.js';
import { Random } from '../../src/random.js';

export interface TestTensor {
  name: string;
  dims: number[];
  values: ArrayLike<number>;
  /** 'raw' (default), 'float_data', or 'external' (stored in `location` at `offset`). */
  storage?: 'raw' | 'float_data' | 'external';
  type?: 'float' | 'double';
  location?: string;
  offset?: number;
}

export interface TestNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attrs?: Record<string, { f: number } | { i: number } | { ints: number[] } | { t: TestTensor }>;
}

export interface TestGraph {
  opset?: number;
  irVersion?: number;
  nodes: TestNode[];
  initializers: TestTensor[];
  /** Graph inputs: name and dims (a string is a symbolic dim). */
  inputs: Array<{ name: string; dims: Array<number | string>; elemType?: number }>;
  outputs: Array<{ name: string; dims: Array<number | string> }>;
  /** List initializers among the inputs too (as IR < 4 exporters did). */
  initializersAsInputs?: boolean;
  metadata?: Record<string, string>;
}

function tensor(w: ProtoWriter, t: TestTensor): void {
  for (const d of t.dims) w.int(1, d);
  const double = t.type === 'double';
  w.int(2, double ? 11 : 1).string(8, t.name);
  const size = double ? 8 : 4;
  const raw = new Uint8Array(t.values.length * size);
  const view = new DataView(raw.buffer);
  for (let i = 0; i < t.values.length; i++) {
    if (double) view.setFloat64(8 * i, t.values[i]!, true);
    else view.setFloat32(4 * i, t.values[i]!, true);
  }
  if (t.storage === 'float_data') {
    for (let i = 0; i < t.values.length; i++) w.float(4, t.values[i]!);
  } else if (t.storage === 'external') {
    w.message(13, (e) => e.string(1, 'location').string(2, t.location!));
    w.message(13, (e) => e.string(1, 'offset').string(2, String(t.offset ?? 0)));
    w.message(13, (e) => e.string(1, 'length').string(2, String(raw.length)));
    w.int(14, 1);
  } else {
    w.bytes(9, raw);
  }
}

function valueInfo(w: ProtoWriter, v: { name: string; dims: Array<number | string>; elemType?: number }): void {
  w.string(1, v.name).message(2, (t) =>
    t.message(1, (tt) => {
      tt.int(1, v.elemType ?? 1).message(2, (s) => {
        for (const d of v.dims) s.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      });
    }),
  );
}

/** The bytes of an .onnx file holding `g`. */
export function onnxModel(g: TestGraph): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, g.irVersion ?? 7).string(2, 'simdnet-tests');
  w.message(7, (graph) => {
    g.nodes.forEach((n, k) => {
      graph.message(1, (m) => {
        for (const i of n.inputs) m.string(1, i);
        for (const o of n.outputs) m.string(2, o);
        m.string(3, n.name ?? `/${n.op}_${k}`).string(4, n.op);
        if (n.domain !== undefined) m.string(7, n.domain);
        for (const [name, a] of Object.entries(n.attrs ?? {})) {
          m.message(5, (at) => {
            at.string(1, name);
            if ('f' in a) at.float(2, a.f).int(20, 1);
            else if ('i' in a) at.int(3, a.i).int(20, 2);
            else if ('ints' in a) {
              for (const v of a.ints) at.int(8, v);
              at.int(20, 7);
            } else at.message(5, (t) => tensor(t, a.t)).int(20, 4);
          });
        }
      });
    });
    graph.string(2, 'test');
    for (const t of g.initializers) graph.message(5, (m) => tensor(m, t));
    for (const i of g.inputs) graph.message(11, (m) => valueInfo(m, i));
    if (g.initializersAsInputs) for (const t of g.initializers) graph.message(11, (m) => valueInfo(m, { name: t.name, dims: t.dims }));
    for (const o of g.outputs) graph.message(12, (m) => valueInfo(m, o));
  });
  w.message(8, (o) => o.string(1, '').int(2, g.opset ?? 13));
  for (const [k, v] of Object.entries(g.metadata ?? {})) w.message(14, (m) => m.string(1, k).string(2, v));
  return w.finish();
}

/** Deterministic values in [-1, 1) · scale from a seed (the library's generator). */
export function values(n: number, seed: number, scale = 1): Float32Array {
  const random = new Random(seed);
  return Float32Array.from({ length: n }, () => (random.nextFloat() * 2 - 1) * scale);
}
