// The playground's Web Worker: owns the network, trains with fitAsync (which
// yields between epochs, so 'stop' messages get through) and posts a snapshot
// every few epochs: losses, the weights, and the predictions over a grid for
// the decision-boundary heat map.
//   page → worker  { type: 'train', train, validation, layers, activation, lr, batchSize, optimizer, epochs, grid, every }
//                  { type: 'stop' }
//   worker → page  { type: 'ready', kind } · { type: 'progress', … } · { type: 'done', … } · { type: 'error', message }
import { init, Network, Trainer } from '/dist/browser.js';

const ready = init().then((runtime) => {
  postMessage({ type: 'ready', kind: runtime.kind });
  return runtime;
});
let controller = null;

/** Row-major grid of n × n points over the box, the heat map's cells' centres. */
function gridPoints({ n, x0, x1, y0, y1 }) {
  const points = new Float32Array(n * n * 2);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const k = 2 * (r * n + c);
      points[k] = x0 + ((c + 0.5) / n) * (x1 - x0);
      points[k + 1] = y1 - ((r + 0.5) / n) * (y1 - y0);
    }
  }
  return points;
}

async function train(msg) {
  const runtime = await ready;
  controller?.abort();
  const own = (controller = new AbortController());
  const layers = [...msg.layers.map((units) => ({ units, activation: msg.activation })), { units: 1, activation: 'sigmoid' }];
  const net = new Network({ inputs: 2, layers, seed: msg.seed ?? 1, runtime });
  const trainer = new Trainer(net, { loss: 'bce', optimizer: { type: msg.optimizer, lr: msg.lr }, batchSize: msg.batchSize, seed: 1 });
  const grid = gridPoints(msg.grid);
  const snapshot = (info) => ({
    epoch: info.epoch,
    epochs: info.epochs,
    loss: info.loss,
    valLoss: info.valLoss,
    valAccuracy: info.valAccuracy,
    weights: net.getWeights({ flat: true }),
    grid: net.predict(grid),
  });
  let last = null;
  try {
    const history = await trainer.fitAsync(msg.train.x, msg.train.y, {
      epochs: msg.epochs,
      validation: { x: msg.validation.x, y: msg.validation.y },
      signal: own.signal,
      onEpochEnd: (info) => {
        last = info;
        if (info.epoch === 1 || info.epoch % msg.every === 0) postMessage({ type: 'progress', ...snapshot(info) });
        else postMessage({ type: 'progress', epoch: info.epoch, epochs: info.epochs, loss: info.loss, valLoss: info.valLoss, valAccuracy: info.valAccuracy });
      },
    });
    postMessage({ type: 'done', stopReason: history.stopReason, ...(last ? snapshot(last) : {}) });
  } catch (e) {
    postMessage({ type: 'error', message: `${e?.name}: ${e?.message}` });
  } finally {
    net.dispose();
    if (controller === own) controller = null;
  }
}

onmessage = (event) => {
  const msg = event.data;
  if (msg.type === 'stop') controller?.abort();
  else if (msg.type === 'train') train(msg);
};
