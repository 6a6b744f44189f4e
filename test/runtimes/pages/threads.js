// Trains the same network on a runtime of one thread, on one asked for
// two (Web Workers over a shared memory where the page is cross-origin
// isolated; one thread elsewhere) and on the default one (one thread per
// core where isolated: its workers start once its large steps have done
// enough work), and reports what each got and whether the bits agree. The
// batch is large enough for a step to be shared.
import { init, Network, Random, Trainer } from '/dist/browser.js';

async function main() {
  const rows = 256, inputs = 784;
  const rng = new Random(3);
  const x = new Float32Array(rows * inputs).map(() => rng.nextFloat());
  const y = new Float32Array(rows * 10);
  for (let r = 0; r < rows; r++) y[r * 10 + rng.nextInt(10)] = 1;
  const fit = (runtime) => {
    const net = new Network({ inputs, layers: [{ units: 128, activation: 'relu' }, { units: 64, activation: 'relu' }, { units: 10, activation: 'softmax' }], seed: 5, runtime });
    const loss = new Trainer(net, { loss: 'cce', optimizer: 'adam', batchSize: 128, seed: 1 }).fit(x, y, { epochs: 3 }).loss;
    const weights = net.getWeights({ flat: true }).map((l) => Array.from(new Uint32Array(Float32Array.from(l.W).buffer)).join(','));
    const predictions = Array.from(new Uint32Array(net.predict(x).buffer)).join(',');
    return JSON.stringify({ loss, weights, predictions });
  };
  const one = await init({ threads: 1, setDefault: false });
  const two = await init({ threads: 2, setDefault: false });
  const a = fit(one);
  const b = fit(two);
  const result = { isolated: globalThis.crossOriginIsolated === true, threads: two.threads, note: two.threadsNote, jobs: two.pool ? two.pool.jobs : 0, same: a === b, loss: JSON.parse(a).loss };
  two.dispose();
  result.afterDispose = two.threads;

  // the default: threads where the page has them, workers started once the large steps have done enough work
  const auto = await init({ setDefault: false });
  const memory = auto.backend.memory.buffer.constructor.name;
  let sameDefault = fit(auto) === a;
  if (auto.threads > 1) {
    for (let i = 0; i < 20 && !(auto.pool && auto.pool.available() === auto.threads); i++) {
      sameDefault = sameDefault && fit(auto) === a;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  const jobsBefore = auto.pool ? auto.pool.jobs : 0;
  sameDefault = sameDefault && fit(auto) === a;
  result.default = { threads: auto.threads, note: auto.threadsNote, memory, started: auto.pool !== null, jobs: (auto.pool ? auto.pool.jobs : 0) - jobsBefore, same: sameDefault };
  auto.dispose();
  return result;
}

main().then(
  (r) => (window.__result = r),
  (e) => (window.__error = `${e.name}: ${e.message}`),
);
