/**
 * toONNX: exported models run in ONNX Runtime (onnxruntime-web, Wasm, one
 * thread) and match `predict` on the same raw rows within 1e-5, scalers and
 * all; simdnet → ONNX → simdnet gives the same bits (weights, scalers,
 * labels, predictions); the file is what the issue says (opset 13, IR 7,
 * Gemm transB = 1, explicit LeakyRelu alpha and Softmax axis, a named batch
 * dimension, metadata).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Network, Scaler, trainModel, ValueError, type Runtime } from '../../src/index.js';
import { parseCsv } from '../../src/csv.js';
import { decodeModel } from '../../src/interchange/onnx/decode.js';
import { fromONNX, toONNX } from '../../src/onnx.js';
import { dataPath } from '../support/data.js';
import { expectError } from '../support/expect-error.js';
import { values } from '../support/onnx-models.js';
import { runOrt } from '../support/ort.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await init();
});

function expectWithin(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number) {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThanOrEqual(tol);
}

const table = (name: string, options: Parameters<typeof parseCsv>[1] = {}) => parseCsv(readFileSync(dataPath(name), 'utf8'), options);

function models(): Array<[string, () => { net: Network; x: Float32Array; rows: number }]> {
  return [
    ['iris: standard scaling, ReLU, softmax over 3 classes', () => {
      const d = table('iris');
      const { network } = trainModel(d, { seed: 1, epochs: 30, hidden: [16, 8], runtime: rt });
      return { net: network, x: d.x, rows: d.rows };
    }],
    ['students: min-max scaling, tanh and leaky ReLU (α = 0.2), sigmoid', () => {
      const d = table('students');
      const { network } = trainModel(d, { seed: 2, epochs: 30, hidden: [12], activation: 'tanh', scale: 'minmax', runtime: rt });
      const net = new Network({ inputs: 2, layers: [{ units: 12, activation: 'tanh' }, { units: 5, activation: 'leaky_relu', alpha: 0.2 }, { units: 1, activation: 'sigmoid' }], seed: 5, runtime: rt });
      net.scaler = network.scaler;
      net.classes = network.classes;
      net.featureNames = network.featureNames;
      return { net, x: d.x, rows: d.rows };
    }],
    ['student grades: regression with input and target scaling, linear output', () => {
      const d = table('student-grades', { target: 'score', features: ['hours_studied', 'attendance'], task: 'regression' });
      const { network } = trainModel(d, { seed: 3, epochs: 30, hidden: [8], runtime: rt });
      return { net: network, x: d.x, rows: d.rows };
    }],
    ['no scaling, a linear hidden layer, sigmoid over 4 outputs, 300 rows of wide values', () => {
      const net = new Network({ inputs: 6, layers: [{ units: 9, activation: 'linear' }, { units: 4, activation: 'sigmoid' }], seed: 9, runtime: rt });
      return { net, x: values(300 * 6, 3, 50), rows: 300 };
    }],
  ];
}

describe('exported models in ONNX Runtime', () => {
  it.each(models())('%s: ONNX Runtime on the raw rows = predict within 1e-5', async (_, make) => {
    const { net, x, rows } = make();
    const expected = net.predict(x) as Float32Array;
    const actual = await runOrt(toONNX(net), x, rows);
    expectWithin(actual, expected, 1e-5);
  });
});

describe('simdnet → ONNX → simdnet', () => {
  it.each(models())('%s: the same bits (weights, scalers, labels, predictions)', (_, make) => {
    const { net, x } = make();
    const back = fromONNX(toONNX(net), { runtime: rt });
    expect(back.layers).toEqual(net.layers);
    back.getWeights({ flat: true }).forEach((l, i) => {
      const o = net.getWeights({ flat: true })[i]!;
      expect(new Uint32Array(l.W.buffer)).toEqual(new Uint32Array(o.W.buffer));
      expect(new Uint32Array(l.b.buffer)).toEqual(new Uint32Array(o.b.buffer));
    });
    expect(back.scaler?.toJSON() ?? null).toEqual(net.scaler?.toJSON() ?? null);
    expect(back.targetScaler?.toJSON() ?? null).toEqual(net.targetScaler?.toJSON() ?? null);
    expect(back.classes).toEqual(net.classes);
    expect(back.featureNames).toEqual(net.featureNames);
    expect(back.targetName).toEqual(net.targetName);
    const a = back.predict(x) as Float32Array;
    const b = net.predict(x) as Float32Array;
    expect(new Uint32Array(a.buffer)).toEqual(new Uint32Array(b.buffer));
    // and the same file again
    expect(toONNX(back)).toEqual(toONNX(net));
  });

  it('a scaler of kind none and an alpha that float32 cannot hold come back as they were', () => {
    const net = new Network({ inputs: 3, layers: [{ units: 4, activation: 'leaky_relu', alpha: 0.1 }, { units: 2, activation: 'linear' }], runtime: rt });
    net.scaler = Scaler.fit(new Float32Array([1, 2, 3, 4, 5, 6]), 2, 3, 'none');
    net.targetScaler = Scaler.fit(new Float32Array([1, 2, 3, 5]), 2, 2, 'standard');
    net.targetName = 'y';
    const back = fromONNX(toONNX(net), { runtime: rt });
    expect(back.layers[0]!.alpha).toBe(0.1);
    expect(back.scaler?.toJSON()).toEqual(net.scaler.toJSON());
    expect(JSON.stringify(back.toJSON())).toBe(JSON.stringify(net.toJSON()));
  });
});

describe('the file', () => {
  it('is opset 13, IR 7: Gemm (transB = 1) and activation per layer, explicit LeakyRelu alpha and Softmax axis, a named batch dimension, metadata', () => {
    const net = new Network({ inputs: 3, layers: [{ units: 4, activation: 'leaky_relu', alpha: 0.05 }, { units: 3, activation: 'softmax' }], runtime: rt });
    net.scaler = Scaler.fit(new Float32Array([0, 1, 2, 1, 0, 3, 2, 2, 1, 0, 0, 0]), 4, 3, 'standard');
    net.classes = ['a', 'b', 'c'];
    net.featureNames = ['f1', 'f2', 'f3'];
    const m = decodeModel(toONNX(net));
    expect(m.irVersion).toBe(7);
    expect(m.opsets).toEqual([{ domain: '', version: 13 }]);
    expect(m.graph.nodes.map((n) => n.opType)).toEqual(['Cast', 'Sub', 'Div', 'Cast', 'Gemm', 'LeakyRelu', 'Gemm', 'Softmax']);
    const gemm = m.graph.nodes[4]!;
    expect(gemm.attributes.get('transB')?.i).toBe(1);
    expect(m.graph.initializers.find((t) => t.name === gemm.inputs[1])?.dims).toEqual([4, 3]);
    expect(m.graph.nodes[5]!.attributes.get('alpha')?.f).toBe(Math.fround(0.05));
    expect(m.graph.nodes[7]!.attributes.get('axis')?.i).toBe(-1);
    expect(m.graph.inputs).toEqual([{ name: 'input', elemType: 1, dims: ['batch', 3] }]);
    expect(m.graph.outputs).toEqual([{ name: 'output', elemType: 1, dims: ['batch', 3] }]);
    expect(Object.fromEntries(m.metadata)).toEqual({
      'simdnet.input': 'raw features',
      'simdnet.feature_names': '["f1","f2","f3"]',
      'simdnet.classes': '["a","b","c"]',
      'simdnet.scaler_kind': 'standard',
    });
  });

  it("a network that carries column encoders exports the graph after them: 'encoded features', and a note for the user", () => {
    const text = 'Island,Mass,Species\nDream,3.1,a\nBiscoe,4.2,b\nDream,3.3,a\nBiscoe,4.5,b\nTorgersen,3.0,a\nBiscoe,4.4,b\n'.repeat(4);
    const { network, model } = trainModel(parseCsv(text, { target: 'Species' }), { epochs: 2, runtime: rt });
    expect(model!.network).toBe(network);
    expect(network.preprocess).not.toBeNull();
    const notes: string[] = [];
    const m = decodeModel(toONNX(network, { onNote: (n) => notes.push(n) }));
    expect(Object.fromEntries(m.metadata)['simdnet.input']).toBe('encoded features');
    expect(notes).toEqual([expect.stringContaining('the exported graph takes the encoded features')]);
    // said otherwise by the caller, the caller wins
    expect(Object.fromEntries(decodeModel(toONNX(network, { encoded: false })).metadata)['simdnet.input']).toBe('raw features');
    network.dispose();
  });

  it('refuses what is not a Network, and a disposed one', () => {
    expectError(() => toONNX({} as Network), ValueError, 'net: expected a Network', 'got object');
    const net = new Network({ inputs: 2, layers: [{ units: 1 }], runtime: rt });
    net.dispose();
    expect(() => toONNX(net)).toThrow(/disposed/);
  });
});
