// Training in a worker thread while the main thread stays free: progress
// every 50 epochs, then a second run cancelled after 20 epochs, then the
// worker's weights used for predictions on the main thread.
// Run: node examples/worker/main.mjs   (after npm install)
import { readFileSync } from 'node:fs';
import { init, Network, Scaler, split } from 'simdnet';
import { parseCsv } from 'simdnet/csv';
import { startTrainingWorker, trainInWorker } from './client.mjs';

const data = parseCsv(readFileSync(new URL('../data/students.csv', import.meta.url), 'utf8'));
const { train, test } = split(data, { seed: 1 });
const scaler = Scaler.fit(train.x, train.rows, train.features, 'minmax');
const network = { inputs: 2, layers: [{ units: 16, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 3 };
const request = {
  network,
  trainer: { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 }, batchSize: 16, seed: 1 },
  x: scaler.transform(train.x, train.rows),
  y: train.y,
  epochs: 300,
};

const { worker, kind } = await startTrainingWorker();
console.log(`worker ready (${kind})`);

let ticks = 0;
const timer = setInterval(() => ticks++, 1);
const { history, weights } = await trainInWorker(worker, request, {
  onEpoch: (e) => e.epoch % 50 === 0 && console.log(`  epoch ${e.epoch}/${e.epochs}  loss ${e.loss.toFixed(4)}  (main thread ticks so far: ${ticks})`),
});
console.log(`done: ${history.epochs} epochs, ${history.stopReason}`);

const controller = new AbortController();
const cancelled = await trainInWorker(worker, { ...request, epochs: 100_000 }, {
  onEpoch: (e) => e.epoch === 20 && controller.abort(),
  signal: controller.signal,
});
clearInterval(timer);
console.log(`cancelled run: stopped after ${cancelled.history.epochs} epochs (${cancelled.history.stopReason})`);
await worker.terminate();

await init();
const net = new Network(network);
net.setWeights(weights);
const p = net.predict(scaler.transform(test.x, test.rows));
let right = 0;
for (let i = 0; i < test.rows; i++) if ((p[i] > 0.5 ? 1 : 0) === test.y[i]) right++;
console.log(`test accuracy with the worker's weights: ${(right / test.rows).toFixed(3)}`);
