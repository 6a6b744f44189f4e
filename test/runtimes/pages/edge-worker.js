// A Cloudflare Worker (module syntax) using simdnet as a user would in
// workerd: the package by name (the `workerd` export condition picks
// dist/edge.js) and the .wasm imported as a module, which the platform hands
// over already compiled, as a WebAssembly.Module. ONNX models arrive the
// same way, as Data modules (ArrayBuffers): PyTorch's exports served at the edge.
import { init, Network, Trainer, split, Scaler } from 'simdnet';
import { parseCsv } from 'simdnet/csv';
import { fromONNX } from 'simdnet/onnx';
import wasm from 'simdnet/simd.wasm';
import mlpOnnx from './mlp.onnx';
import classifierOnnx from './classifier.onnx';
import classifierData from './classifier.onnx.data';

const ARTICLE = [
  { W: [[0.82, 0.71, -0.45], [0.65, 0.89, 0.78]], b: [-0.5, -0.6, -0.3] },
  { W: [[0.85], [0.72], [-0.55]], b: [-0.2] },
];

let runtime = null;

async function probe() {
  // what this runtime refuses, to show the test runs where it should
  let compileError = '';
  try {
    await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  } catch (e) {
    compileError = String(e.message);
  }
  let initError = '';
  try {
    await init({ setDefault: false });
  } catch (e) {
    initError = `${e.name}: ${e.message}`;
  }
  // threads asked for: one thread here, and the runtime says why
  const threaded = await init({ module: wasm, threads: 2, setDefault: false });
  const threads = { threads: threaded.threads, note: threaded.threadsNote };
  const worked = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] });
  worked.setWeights(ARTICLE);
  const prediction = worked.predict([0.5, 0.6])[0];
  const batchPrediction = worked.predict(new Float32Array([0.5, 0.6, 0.5, 0.6]))[1];
  worked.dispose();
  return { kind: runtime.kind, isModule: wasm instanceof WebAssembly.Module, compileError, initError, prediction, batchPrediction, threads };
}

// Trains the 2-3-1 student network on the CSV in the request and predicts the given rows (raw, unscaled).
async function train(request) {
  const { csv, predict, epochs } = await request.json();
  const data = parseCsv(csv);
  const { train } = split(data, { train: 0.8, validation: 0.1, test: 0.1, stratify: true, seed: 1 });
  const scaler = Scaler.fit(train.x, train.rows, train.features, 'minmax');
  const net = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 3 });
  const trainer = new Trainer(net, { loss: 'bce', optimizer: { type: 'adam', lr: 0.05 }, batchSize: 16, seed: 1 });
  const history = await trainer.fitAsync(scaler.transform(train.x, train.rows), train.y, { epochs });
  const rows = Float32Array.from(predict.flat());
  const p = Array.from(net.predict(scaler.transform(rows, predict.length)));
  net.dispose();
  return { kind: runtime.kind, loss: history.loss, predictions: p };
}

// PyTorch's exports, loaded once per isolate from the Worker's own modules
let models = null;

// Predictions of an imported ONNX model for the rows in the request.
async function onnx(request) {
  const { model, rows } = await request.json();
  models ??= {
    mlp: fromONNX(mlpOnnx),
    // the default exporter's weights live in the .onnx.data file beside the model, under the name the model gives it
    classifier: fromONNX(classifierOnnx, { externalData: { 'classifier_4_32_3_dynamo.onnx.data': classifierData } }),
  };
  const net = models[model];
  return {
    kind: runtime.kind,
    isBytes: mlpOnnx instanceof ArrayBuffer,
    sameClass: net instanceof Network,
    layers: net.layers.map((l) => `${l.inputs}-${l.units} ${l.activation}`),
    predictions: net.predict(rows),
  };
}

export default {
  async fetch(request) {
    try {
      runtime ??= await init({ module: wasm });
      const { pathname } = new URL(request.url);
      if (pathname === '/probe') return Response.json(await probe());
      if (pathname === '/train' && request.method === 'POST') return Response.json(await train(request));
      if (pathname === '/onnx' && request.method === 'POST') return Response.json(await onnx(request));
      return new Response('not found', { status: 404 });
    } catch (e) {
      return new Response(`${e && e.name}: ${e && e.message}\n${e && e.stack}`, { status: 500 });
    }
  },
};
