/**
 * The TF.js layers format against TensorFlow.js itself (@tensorflow/tfjs-layers
 * 4.22 on the CPU backend): a model trained there imports and predicts the
 * same; an exported model loads with tf.loadLayersModel(tf.io.fromMemory(…))
 * and predicts the same; what is not a dense Sequential is a DataError
 * naming the layer.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, init, Network, Scaler, trainModel, Trainer, ValueError, type Runtime } from '../../src/index.js';
import { parseCsv } from '../../src/csv.js';
import { fromTFJS, toTFJS } from '../../src/tfjs.js';
import { dataPath } from '../support/data.js';
import { expectError } from '../support/expect-error.js';
import { values } from '../support/onnx-models.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await init();
  await tf.setBackend('cpu');
});

function expectWithin(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number) {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  expect(worst).toBeLessThanOrEqual(tol);
}

async function artifactsOf(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (a) => {
    saved = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return saved!;
}

function tfPredict(model: tfl.LayersModel, x: Float32Array, rows: number): Float32Array {
  const t = tf.tensor2d(x, [rows, x.length / rows]);
  const y = model.predict(t) as tf.Tensor;
  const out = y.dataSync() as Float32Array;
  t.dispose();
  y.dispose();
  return out;
}

const iris = parseCsv(readFileSync(dataPath('iris'), 'utf8'));

describe('a model trained with TensorFlow.js', () => {
  async function trainedInTf() {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({ units: 10, activation: 'relu', inputShape: [4] }),
        tfl.layers.dense({ units: 6 }),
        tfl.layers.leakyReLU({ alpha: 0.15 }),
        tfl.layers.dense({ units: 5, activation: 'tanh' }),
        tfl.layers.dense({ units: 3, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const x = tf.tensor2d(iris.x, [iris.rows, 4]);
    const y = tf.oneHot(tf.tensor1d(Array.from(iris.y), 'int32'), 3);
    await model.fit(x, y, { epochs: 5, batchSize: 32, verbose: 0 });
    x.dispose();
    y.dispose();
    return model;
  }

  it('imports from the artifacts tf.io saves, and from model.json + a .bin file, and predicts the same', async () => {
    const model = await trainedInTf();
    const expected = tfPredict(model, iris.x, iris.rows);
    const artifacts = await artifactsOf(model);
    const net = fromTFJS(artifacts);
    expect(net.layers.map((l) => `${l.inputs}-${l.units} ${l.activation}`)).toEqual(['4-10 relu', '10-6 leaky_relu', '6-5 tanh', '5-3 softmax']);
    expect(net.layers[1]!.alpha).toBe(0.15);
    expectWithin(net.predict(iris.x) as Float32Array, expected, 1e-6);
    // the same as files: model.json's text and the .bin its manifest names
    // (with a Dropout layer added, which computes nothing at inference: tfjs-layers' own predict trips on one under vitest)
    const topology = JSON.parse(JSON.stringify(artifacts.modelTopology));
    topology.config.layers.splice(3, 0, { class_name: 'Dropout', config: { rate: 0.1, name: 'dropout_1', trainable: true } });
    const modelJson = JSON.stringify({ format: 'layers-model', modelTopology: topology, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }] });
    const fromFiles = fromTFJS(modelJson, { 'group1-shard1of1.bin': new Uint8Array(artifacts.weightData as ArrayBuffer) });
    expect(fromFiles.predict(iris.x)).toEqual(net.predict(iris.x));
    // and it trains further like any other network
    const history = new Trainer(net, { loss: 'cce', optimizer: { type: 'adam', lr: 0.01 } }).fit(iris.x, iris.y, { epochs: 10 });
    expect(history.loss[9]).toBeLessThan(history.loss[0]!);
    model.dispose();
  });
});

describe('an exported model in TensorFlow.js', () => {
  const cases: Array<[string, () => { net: Network; x: Float32Array; rows: number }]> = [
    ['iris, trained by trainModel (standard scaling folded into the first layer)', () => {
      const { network } = trainModel(iris, { seed: 1, epochs: 20, hidden: [8], runtime: rt });
      return { net: network, x: iris.x, rows: iris.rows };
    }],
    ['regression with target scaling (folded into the linear output), leaky ReLU 0.2, sigmoid, tanh', () => {
      const d = parseCsv(readFileSync(dataPath('student-grades'), 'utf8'), { target: 'score', features: ['hours_studied', 'attendance'], task: 'regression' });
      const { network } = trainModel(d, { seed: 2, epochs: 20, hidden: [6], runtime: rt });
      const net = new Network({ inputs: 2, layers: [{ units: 5, activation: 'leaky_relu', alpha: 0.2 }, { units: 4, activation: 'sigmoid' }, { units: 3, activation: 'tanh' }, { units: 1 }], seed: 3, runtime: rt });
      net.scaler = network.scaler;
      net.targetScaler = network.targetScaler;
      return { net, x: d.x, rows: d.rows };
    }],
  ];

  it.each(cases)('%s: loads with tf.loadLayersModel(tf.io.fromMemory(…)) and predicts the same', async (_, make) => {
    const { net, x, rows } = make();
    const { modelJSON, weights } = toTFJS(net);
    const model = await tfl.loadLayersModel(tf.io.fromMemory({
      modelTopology: modelJSON.modelTopology,
      weightSpecs: modelJSON.weightsManifest[0]!.weights,
      weightData: weights.slice().buffer,
    }));
    const expected = net.predict(x) as Float32Array;
    const actual = tfPredict(model, x, rows);
    const scale = Math.max(...Array.from(expected, Math.abs), 1);
    expectWithin(actual, expected, 2e-6 * scale);
    // and back: the same layers; the scalings now live in the weights
    const back = fromTFJS(modelJSON, { 'weights.bin': weights });
    expect(back.layers).toEqual(net.layers);
    expectWithin(back.predict(x) as Float32Array, expected, 2e-6 * scale);
    model.dispose();
  });

  it('a network without scalers comes back bit for bit, with its labels', () => {
    const net = new Network({ inputs: 5, layers: [{ units: 7, activation: 'leaky_relu', alpha: 0.3 }, { units: 2, activation: 'softmax' }], seed: 4, runtime: rt });
    net.classes = ['no', 'yes'];
    net.featureNames = ['a', 'b', 'c', 'd', 'e'];
    const { modelJSON, weights } = toTFJS(net, { weightsPath: 'model.weights.bin' });
    expect(modelJSON.weightsManifest[0]!.paths).toEqual(['model.weights.bin']);
    const back = fromTFJS(JSON.parse(JSON.stringify(modelJSON)), weights);
    expect(back.getWeights()).toEqual(net.getWeights());
    expect([back.classes, back.featureNames]).toEqual([net.classes, net.featureNames]);
    const x = values(40, 9, 3);
    expect(back.predict(x)).toEqual(net.predict(x));
  });

  it('refuses a target scaling after a non-linear output, and what is not a Network', () => {
    // (one sigmoid unit is a classifier, which takes no target scaler at all; two are a regression to (0, 1)²)
    const net = new Network({ inputs: 2, layers: [{ units: 2, activation: 'sigmoid' }], runtime: rt });
    net.targetScaler = Scaler.fit(new Float32Array([1, 2, 4, 3, 5, 8]), 3, 2, 'standard');
    expect(net.targetScaler).not.toBeNull();
    expectError(() => toTFJS(net), ValueError, 'TF.js has no place for the target scaling after a sigmoid output layer');
    expectError(() => toTFJS('net' as never), ValueError, 'net: expected a Network');
  });
});

describe('quantized weights (as the TF.js converter writes them)', () => {
  it('uint8 and uint16 (q · scale + min) and float16 decode as tf.io.decodeWeights does', () => {
    const specs = [
      { name: 'd1/kernel', shape: [3, 4], dtype: 'float32' as const, quantization: { dtype: 'uint8' as const, scale: 0.013, min: -1.2 } },
      { name: 'd1/bias', shape: [4], dtype: 'float32' as const, quantization: { dtype: 'float16' as const } },
      { name: 'd2/kernel', shape: [4, 2], dtype: 'float32' as const, quantization: { dtype: 'uint16' as const, scale: 3.1e-5, min: -0.9 } },
      { name: 'd2/bias', shape: [2], dtype: 'float32' as const },
    ];
    const data = new Uint8Array(12 + 8 + 16 + 8);
    const q = values(data.length, 31, 1);
    q.forEach((v, i) => (data[i] = Math.floor((v + 1) * 127.5)));
    new DataView(data.buffer).setFloat32(36, 0.25, true);
    new DataView(data.buffer).setFloat32(40, -1.5, true);
    // half floats with the exponent kept small (finite values)
    for (let i = 12; i < 20; i += 2) data[i + 1] = data[i + 1]! & 0xbb;
    const net = fromTFJS({ modelTopology: { class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { name: 'd1', units: 4, activation: 'relu', batch_input_shape: [null, 3] } }, { class_name: 'Dense', config: { name: 'd2', units: 2 } }] } }, weightsManifest: [{ paths: ['w.bin'], weights: specs }] }, data);
    const expected = tf.io.decodeWeights(data.buffer, specs);
    const got = net.getWeights({ flat: true });
    expect(got[0]!.W).toEqual(expected['d1/kernel']!.dataSync());
    expect(got[0]!.b).toEqual(expected['d1/bias']!.dataSync());
    expect(got[1]!.W).toEqual(expected['d2/kernel']!.dataSync());
    expect(got[1]!.b).toEqual(expected['d2/bias']!.dataSync());
  });
});

describe('what is not a dense Sequential: a DataError naming the layer', () => {
  const dense = (name: string, units: number, extra: object = {}) => ({ class_name: 'Dense', config: { name, units, activation: 'relu', ...extra } });
  const model = (layers: object[], specs: Array<{ name: string; shape: number[] }>, cls = 'Sequential') => ({
    modelTopology: { class_name: cls, config: { name: 'm', layers } },
    weightsManifest: [{ paths: ['w.bin'], weights: specs.map((s) => ({ ...s, dtype: 'float32' })) }],
  });
  const bytes = (n: number) => new Uint8Array(4 * n);
  const twoLayers = [{ name: 'd1/kernel', shape: [3, 4] }, { name: 'd1/bias', shape: [4] }, { name: 'd2/kernel', shape: [4, 2] }, { name: 'd2/bias', shape: [2] }];

  it('an unsupported layer, a functional model, an unknown activation', () => {
    expectError(() => fromTFJS(model([dense('d1', 4, { batch_input_shape: [null, 3] }), { class_name: 'BatchNormalization', config: { name: 'bn' } }, dense('d2', 2)], twoLayers), bytes(26)), DataError, "tfjs layer 1 of 3 ('bn', BatchNormalization)", 'not supported');
    expectError(() => fromTFJS(model([], [], 'Functional'), bytes(0)), DataError, "class_name: expected 'Sequential'", '"Functional"');
    expectError(() => fromTFJS(model([dense('d1', 4, { activation: 'elu' })], twoLayers.slice(0, 2)), bytes(16)), DataError, "('d1', Dense).activation", '"elu"');
  });

  it('weights that do not fit: wrong byte count, wrong shape, quantized, left over', () => {
    expectError(() => fromTFJS(model([dense('d1', 4), dense('d2', 2)], twoLayers), bytes(25)), DataError, 'expected 104 bytes', 'got 100');
    const wrong = [...twoLayers];
    wrong[2] = { name: 'd2/kernel', shape: [5, 2] };
    expectError(() => fromTFJS(model([dense('d1', 4), dense('d2', 2)], wrong), bytes(28)), DataError, "('d2', Dense)", 'expected shape [4, 2], got [5, 2]');
    const quantized = { ...model([dense('d1', 4)], twoLayers.slice(0, 2)) };
    (quantized.weightsManifest[0]!.weights[0] as Record<string, unknown>).quantization = { dtype: 'int8', scale: 1, min: 0 };
    expectError(() => fromTFJS(quantized, bytes(16)), DataError, "('d1/kernel').quantization.dtype", "expected 'uint8', 'uint16' or 'float16'", '"int8"');
    expectError(() => fromTFJS(model([dense('d1', 4)], twoLayers), bytes(26)), DataError, "'d2/kernel' belongs to no Dense layer");
  });

  it('an activation layer in the wrong place, softmax before the end, NaN weights, a missing weights file', () => {
    expectError(() => fromTFJS(model([dense('d1', 4), { class_name: 'LeakyReLU', config: { name: 'lr' } }, dense('d2', 2)], twoLayers), bytes(26)), DataError, "('lr', LeakyReLU)", "right after a Dense layer with activation 'linear'");
    expectError(() => fromTFJS(model([dense('d1', 4, { activation: 'softmax' }), dense('d2', 2)], twoLayers), bytes(26)), DataError, 'softmax only on the output layer');
    const nan = new Float32Array(26);
    nan[5] = NaN;
    expectError(() => fromTFJS(model([dense('d1', 4), dense('d2', 2)], twoLayers), new Uint8Array(nan.buffer)), DataError, "kernel 'd1/kernel'", 'NaN at index 5');
    expectError(() => fromTFJS(model([dense('d1', 4), dense('d2', 2)], twoLayers), { 'other.bin': bytes(26) }), ValueError, "weights['w.bin']", 'got nothing');
    expectError(() => fromTFJS('{"modelTopology": ', bytes(0)), DataError, 'does not parse');
  });
});
