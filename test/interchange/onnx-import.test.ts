/**
 * fromONNX against the frameworks that wrote the files: the three PyTorch
 * exports in test/fixtures/onnx (PyTorch's own outputs), and graphs written
 * the way other exporters write them, checked against ONNX Runtime running
 * the same bytes. Then everything that is not a chain of dense layers: a
 * DataError naming the node, never a different model.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, init, Trainer, ValueError, type Runtime } from '../../src/index.js';
import { fromONNX, toONNX } from '../../src/onnx.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectError } from '../support/expect-error.js';
import { onnxModel, values, type TestGraph, type TestNode, type TestTensor } from '../support/onnx-models.js';
import { runOrt } from '../support/ort.js';

const DIR = new URL('../fixtures/onnx/', import.meta.url);
const FIXTURES = ['mlp_4_8_6_5_1_legacy', 'classifier_4_32_3_dynamo', 'regressor_3_5_2_nobias_legacy'] as const;

function fixture(name: string) {
  const bytes = new Uint8Array(readFileSync(new URL(`${name}.onnx`, DIR)));
  const ref = JSON.parse(readFileSync(new URL(`${name}.json`, DIR), 'utf8')) as { inputs: number[][]; outputs: number[][]; ops: string[] };
  const dataFile = new URL(`${name}.onnx.data`, DIR);
  let externalData: Record<string, Uint8Array> | undefined;
  try {
    externalData = { [`${name}.onnx.data`]: new Uint8Array(readFileSync(dataFile)) };
  } catch {
    externalData = undefined;
  }
  return { bytes, ref, externalData };
}

/** The README's tolerance: within 1e-5 absolute or 1e-4 relative. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, abs = 1e-5, rel = 1e-4) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    const err = Math.abs(a - e);
    expect(err <= abs || err <= rel * Math.abs(e), `element ${i}: ${a} vs ${e}`).toBe(true);
  }
}

let rt: Runtime;
beforeAll(async () => {
  rt = await init();
});

describe.each(BACKENDS)('the PyTorch exports on $name', ({ options }) => {
  it.each(FIXTURES)('%s matches PyTorch’s outputs', async (name) => {
    const runtime = await runtimeFor(options);
    const { bytes, ref, externalData } = fixture(name);
    const net = fromONNX(bytes, { externalData, runtime });
    expectClose((net.predict(ref.inputs) as number[][]).flat(), ref.outputs.flat());
    // one sample at a time takes the tiny path on small networks: the same numbers
    expectClose(net.predict(ref.inputs[0]!) as number[], ref.outputs[0]!);
    net.dispose();
  });
});

describe('the PyTorch exports', () => {
  it('read as the layers PyTorch wrote (including the bias-free MatMul layer and the 0.01 slope)', () => {
    const shape = (name: string) => {
      const { bytes, externalData } = fixture(name);
      const net = fromONNX(bytes, { externalData });
      return net.layers.map((l) => `${l.inputs}-${l.units} ${l.activation}${l.activation === 'leaky_relu' ? ` ${l.alpha}` : ''}`);
    };
    expect(shape('mlp_4_8_6_5_1_legacy')).toEqual(['4-8 relu', '8-6 leaky_relu 0.01', '6-5 tanh', '5-1 sigmoid']);
    expect(shape('classifier_4_32_3_dynamo')).toEqual(['4-32 relu', '32-3 softmax']);
    expect(shape('regressor_3_5_2_nobias_legacy')).toEqual(['3-5 tanh', '5-2 linear']);
    const { bytes, externalData } = fixture('regressor_3_5_2_nobias_legacy');
    expect(Array.from(fromONNX(bytes, { externalData }).getWeights({ flat: true })[0]!.b)).toEqual([0, 0, 0, 0, 0]);
  });

  it('accepts an ArrayBuffer (a Worker’s data module) as well as a Uint8Array at any offset', () => {
    const { bytes, ref } = fixture('mlp_4_8_6_5_1_legacy');
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    const a = fromONNX(padded.subarray(3)).predict(ref.inputs);
    const b = fromONNX(bytes.slice().buffer).predict(ref.inputs);
    expect(a).toEqual(b);
  });

  it('names the external file it needs, and checks its size', () => {
    const { bytes, externalData } = fixture('classifier_4_32_3_dynamo');
    expectError(() => fromONNX(bytes), DataError, "the external file 'classifier_4_32_3_dynamo.onnx.data'", "options.externalData['classifier_4_32_3_dynamo.onnx.data']");
    // an ArrayBuffer as well (a Worker's Data module)
    const file = externalData!['classifier_4_32_3_dynamo.onnx.data']!;
    const asBuffer = fromONNX(bytes, { externalData: { 'classifier_4_32_3_dynamo.onnx.data': file.slice().buffer } });
    expect(asBuffer.getWeights()).toEqual(fromONNX(bytes, { externalData }).getWeights());
    const short = { 'classifier_4_32_3_dynamo.onnx.data': file.subarray(0, 100) };
    expectError(() => fromONNX(bytes, { externalData: short }), DataError, 'classifier_4_32_3_dynamo.onnx.data', 'got a file of 100 bytes');
  });

  it('an imported model trains further and exports again', () => {
    const { bytes, ref } = fixture('mlp_4_8_6_5_1_legacy');
    const net = fromONNX(bytes);
    const before = net.getWeights({ flat: true })[0]!.W.slice();
    const y = ref.inputs.map((r) => [r[0]! > 0 ? 1 : 0]);
    const history = new Trainer(net, { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, batchSize: 5 }).fit(ref.inputs, y, { epochs: 20 });
    expect(history.loss[19]).toBeLessThan(history.loss[0]!);
    expect(net.getWeights({ flat: true })[0]!.W).not.toEqual(before);
    const again = fromONNX(toONNX(net));
    expect(again.predict(ref.inputs)).toEqual(net.predict(ref.inputs));
  });
});

// A 5-7-3 network, its weights, and inputs: the graphs below write it in other exporters' forms.
const X = values(6 * 5, 11, 2);
const W1 = values(5 * 7, 12, 0.8); // [in, out]
const B1 = values(7, 13, 0.5);
const W2 = values(7 * 3, 14, 0.8);
const B2 = values(3, 15, 0.5);

function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c]!;
  return t;
}

function graph(nodes: TestNode[], initializers: TestTensor[], extra: Partial<TestGraph> = {}): TestGraph {
  return {
    nodes,
    initializers,
    inputs: [{ name: 'x', dims: ['N', 5] }],
    outputs: [{ name: nodes[nodes.length - 1]!.outputs[0]!, dims: ['N', 3] }],
    ...extra,
  };
}

const weights = (storage?: TestTensor['storage']): TestTensor[] => [
  { name: 'w1', dims: [5, 7], values: W1, storage },
  { name: 'b1', dims: [7], values: B1, storage },
  { name: 'w2', dims: [7, 3], values: W2, storage },
  { name: 'b2', dims: [3], values: B2, storage },
];

const matmulAdd = (act: TestNode = { op: 'Tanh', inputs: ['a1'], outputs: ['h1'] }, head: TestNode[] = [{ op: 'Softmax', inputs: ['z2'], outputs: ['y'], attrs: { axis: { i: -1 } } }]): TestNode[] => [
  { op: 'MatMul', inputs: ['x', 'w1'], outputs: ['m1'] },
  { op: 'Add', inputs: ['m1', 'b1'], outputs: ['a1'] },
  { ...act, inputs: ['a1'], outputs: ['h1'] },
  { op: 'MatMul', inputs: ['h1', 'w2'], outputs: ['m2'] },
  { op: 'Add', inputs: ['b2', 'm2'], outputs: ['z2'] },
  ...head,
];

/** Graphs other exporters write, each checked against ONNX Runtime on the same bytes. */
const VARIANTS: Array<[string, TestGraph, Record<string, Uint8Array>?]> = [
  ['MatMul + Add (either order), Tanh, Softmax axis -1, opset 13', graph(matmulAdd(), weights())],
  ['float_data instead of raw_data, opset 9, Softmax (opset < 13: axis 1 default), fixed batch of 6', graph(matmulAdd(undefined, [{ op: 'Softmax', inputs: ['z2'], outputs: ['y'] }]), weights('float_data'), { opset: 9, inputs: [{ name: 'x', dims: [6, 5] }], outputs: [{ name: 'y', dims: [6, 3] }] })],
  ['Gemm transB = 0 with alpha and beta, LeakyRelu 0.2, Sigmoid, opset 21', graph([
    { op: 'Gemm', inputs: ['x', 'w1', 'b1'], outputs: ['a1'], attrs: { alpha: { f: 0.5 }, beta: { f: 2 } } },
    { op: 'LeakyRelu', inputs: ['a1'], outputs: ['h1'], attrs: { alpha: { f: 0.2 } } },
    { op: 'Gemm', inputs: ['h1', 'w2t', 'b2'], outputs: ['z2'], attrs: { transB: { i: 1 } } },
    { op: 'Sigmoid', inputs: ['z2'], outputs: ['y'] },
  ], [...weights().slice(0, 3), { name: 'w2t', dims: [3, 7], values: transpose(W2, 7, 3) }, { name: 'b2', dims: [1, 3], values: B2 }], { opset: 21 })],
  ['Identity, Dropout, Flatten, a Gemm without C, Relu; initializers listed as inputs (IR 3)', graph([
    { op: 'Identity', inputs: ['x'], outputs: ['x1'] },
    { op: 'Flatten', inputs: ['x1'], outputs: ['x2'], attrs: { axis: { i: 1 } } },
    { op: 'Gemm', inputs: ['x2', 'w1'], outputs: ['a1'] },
    { op: 'Relu', inputs: ['a1'], outputs: ['h1'] },
    { op: 'Dropout', inputs: ['h1'], outputs: ['d1'], attrs: { ratio: { f: 0.5 } } },
    { op: 'Gemm', inputs: ['d1', 'w2', 'b2'], outputs: ['y'] },
  ], weights(), { opset: 11, irVersion: 3, initializersAsInputs: true })],
  ['BatchNormalization after each layer (folded into it), Constant nodes and a Transpose of a constant', graph([
    { op: 'Constant', inputs: [], outputs: ['cw1'], attrs: { value: { t: { name: 'cw1', dims: [7, 5], values: transpose(W1, 5, 7) } } } },
    { op: 'Transpose', inputs: ['cw1'], outputs: ['tw1'], attrs: { perm: { ints: [1, 0] } } },
    { op: 'MatMul', inputs: ['x', 'tw1'], outputs: ['m1'] },
    { op: 'BatchNormalization', inputs: ['m1', 'g', 'beta', 'mean', 'var'], outputs: ['n1'], attrs: { epsilon: { f: 1e-3 } } },
    { op: 'Relu', inputs: ['n1'], outputs: ['h1'] },
    { op: 'Gemm', inputs: ['h1', 'w2', 'b2'], outputs: ['z2'] },
    { op: 'BatchNormalization', inputs: ['z2', 'g3', 'beta3', 'mean3', 'var3'], outputs: ['y'] },
  ], [
    ...weights().slice(2),
    { name: 'g', dims: [7], values: values(7, 21, 1.5) }, { name: 'beta', dims: [7], values: values(7, 22) },
    { name: 'mean', dims: [7], values: values(7, 23) }, { name: 'var', dims: [7], values: values(7, 24).map((v) => v * v + 0.1) },
    { name: 'g3', dims: [3], values: values(3, 25, 1.5) }, { name: 'beta3', dims: [3], values: values(3, 26) },
    { name: 'mean3', dims: [3], values: values(3, 27) }, { name: 'var3', dims: [3], values: values(3, 28).map((v) => v * v + 0.1) },
  ], { opset: 15 })],
  ['weights in an external file at offsets', graph(matmulAdd(), weights().map((t, i) => ({ ...t, storage: 'external' as const, location: 'w.bin', offset: [0, 140, 168, 252][i] }))), {
    'w.bin': (() => {
      const file = new Uint8Array(264);
      const view = new DataView(file.buffer);
      [W1, B1, W2, B2].forEach((v, k) => v.forEach((x, i) => view.setFloat32([0, 140, 168, 252][k]! + 4 * i, x, true)));
      return file;
    })(),
  }],
];

describe('graphs as other exporters write them, against ONNX Runtime', () => {
  it.each(VARIANTS)('%s', async (_, g, externalData) => {
    const bytes = onnxModel(g);
    const expected = await runOrt(bytes, X, 6, externalData);
    const net = fromONNX(bytes, { externalData });
    expectClose(net.predict(X) as Float32Array, expected, 2e-6, 1e-5);
  });
});

describe('what is not a chain of dense layers: a DataError naming the node', () => {
  const base = () => matmulAdd();
  const bad = (nodes: TestNode[], extra: Partial<TestGraph> = {}, inits = weights()) => () => fromONNX(onnxModel(graph(nodes, inits, extra)));

  it('an unsupported op (a Conv) names its op type, name and position', () => {
    const nodes = base();
    nodes[2] = { op: 'Conv', name: '/features/0/Conv', inputs: ['a1'], outputs: ['h1'] };
    expectError(bad(nodes), DataError, "node 2 of 6 ('/features/0/Conv', op Conv)", 'not supported', 'Gemm, MatMul');
  });

  it('a second input, no input, two outputs', () => {
    expectError(bad(base(), { inputs: [{ name: 'x', dims: ['N', 5] }, { name: 'mask', dims: ['N', 5] }] }), DataError, 'expected one input', "'x', 'mask'");
    expectError(bad(base(), { outputs: [{ name: 'y', dims: ['N', 3] }, { name: 'h1', dims: ['N', 7] }] }), DataError, 'expected one output, got 2');
  });

  it('a fan-out (a value used twice) and a node off the path', () => {
    const fan = base();
    fan.splice(3, 0, { op: 'Relu', name: 'side', inputs: ['h1'], outputs: ['s'] });
    expectError(bad(fan), DataError, "'h1' feeds 2 nodes", 'side');
    const off = base();
    off.unshift({ op: 'Relu', name: 'stray', inputs: ['w1'], outputs: ['s'] });
    expectError(bad(off), DataError, "('stray', op Relu)", 'not on the path');
  });

  it('Softmax before the last layer, two activations in a row, an activation before any layer', () => {
    expectError(bad(matmulAdd({ op: 'Softmax', inputs: [], outputs: [] })), DataError, 'Softmax only on the output layer');
    const two = base();
    two.splice(3, 0, { op: 'Sigmoid', name: 'again', inputs: ['h1'], outputs: ['h1b'] });
    two[4]!.inputs = ['h1b', 'w2'];
    expectError(bad(two), DataError, "('again', op Sigmoid)", 'after another activation');
    expectError(bad([{ op: 'Relu', inputs: ['x'], outputs: ['r'] }, ...base().map((n) => (n.inputs[0] === 'x' ? { ...n, inputs: ['r', 'w1'] } : n))]), DataError, 'before any layer');
  });

  it('Softmax over the batch, Flatten of axis 0, Gemm with transA, BatchNormalization after the activation, Dropout in training mode', () => {
    expectError(bad(matmulAdd(undefined, [{ op: 'Softmax', inputs: ['z2'], outputs: ['y'], attrs: { axis: { i: 0 } } }])), DataError, 'got axis 0');
    expectError(bad([{ op: 'Flatten', inputs: ['x'], outputs: ['f'], attrs: { axis: { i: 0 } } }, ...base().map((n) => (n.inputs[0] === 'x' ? { ...n, inputs: ['f', 'w1'] } : n))]), DataError, 'op Flatten', 'got axis 0');
    const transA = base();
    transA[0] = { op: 'Gemm', inputs: ['x', 'w1'], outputs: ['m1'], attrs: { transA: { i: 1 } } };
    expectError(bad(transA), DataError, 'transA = 0');
    const bn = base();
    bn.splice(3, 0, { op: 'BatchNormalization', name: 'bn', inputs: ['h1', 'b1', 'b1', 'b1', 'b1'], outputs: ['n'] });
    bn[4]!.inputs = ['n', 'w2'];
    expectError(bad(bn), DataError, "('bn', op BatchNormalization)", 'after its activation');
    const drop = base();
    drop.splice(3, 0, { op: 'Dropout', inputs: ['h1', '', 'yes'], outputs: ['d'] });
    drop[4]!.inputs = ['d', 'w2'];
    expectError(bad(drop, {}, [...weights(), { name: 'yes', dims: [], values: [1] }]), DataError, 'training_mode');
  });

  it('opsets outside 9 to 21, another domain, a non-float input, a 3-D input', () => {
    expectError(bad(base(), { opset: 8 }), DataError, 'opset 9 to 21', 'got 8');
    expectError(bad(base(), { opset: 22 }), DataError, 'got 22');
    const domain = base();
    domain[0] = { ...domain[0]!, domain: 'com.microsoft' };
    expectError(bad(domain), DataError, "domain 'com.microsoft'");
    expectError(bad(base(), { inputs: [{ name: 'x', dims: ['N', 5], elemType: 11 }] }), DataError, "input 'x'", 'DOUBLE (11)');
    expectError(bad(base(), { inputs: [{ name: 'x', dims: ['N', 1, 5] }] }), DataError, '2 dimensions', 'got 3');
  });

  it('weights of the wrong width, weights that are not constants, non-finite weights, a bad bias shape', () => {
    const wrong = weights();
    wrong[2] = { name: 'w2', dims: [6, 3], values: values(18, 1) };
    expectError(bad(base(), {}, wrong), DataError, "('/MatMul_3', op MatMul)", 'expected 7 inputs', 'got 6');
    const nonConst = base();
    nonConst[3] = { op: 'MatMul', inputs: ['h1', 'h1'], outputs: ['m2'] };
    expectError(bad(nonConst), DataError, 'used twice');
    const nan = weights();
    nan[0] = { name: 'w1', dims: [5, 7], values: Float32Array.from(W1, (v, i) => (i === 9 ? NaN : v)) };
    expectError(bad(base(), {}, nan), DataError, "weights ('onnx initializer 'w1'')", 'NaN at index 9');
    const bias = weights();
    bias[1] = { name: 'b1', dims: [2, 7], values: values(14, 3) };
    expectError(bad(base(), {}, bias), DataError, 'expected shape [7] or [1, 7]', 'got [2, 7]');
  });

  it('an argument that is not bytes is a ValueError; empty bytes a DataError', () => {
    expectError(() => fromONNX('model.onnx' as never), ValueError, 'bytes: expected a Uint8Array or ArrayBuffer', 'got string');
    expectError(() => fromONNX(new Uint8Array(0)), DataError, 'got 0 bytes');
    expectError(() => fromONNX(new Uint8Array([0x7b, 0x22, 0x61, 0x22])), DataError, 'model');
  });

  it('nothing stays allocated after a refusal (bad weights, bad labels in the metadata)', () => {
    const before = rt.heap.liveBytes;
    const nan = weights();
    nan[3] = { name: 'b2', dims: [3], values: [1, Infinity, 0] };
    expectError(bad(base(), {}, nan), DataError, 'Infinity at index 1');
    expectError(bad(base(), { metadata: { 'simdnet.classes': '["a","b"]' } }), DataError, 'class labels', 'expected 3 strings');
    expectError(bad(base(), { metadata: { 'simdnet.classes': '["a","b","a"]' } }), DataError, 'distinct labels');
    expectError(bad(base(), { metadata: { 'simdnet.feature_names': '{"a":1}' } }), DataError, "'simdnet.feature_names'", 'a JSON array of strings');
    expect(rt.heap.liveBytes).toBe(before);
  });
});
