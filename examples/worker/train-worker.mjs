// The worker side of training off the main thread (Node worker_threads).
// Messages (structured clones; typed arrays travel as copies or transfers):
//   caller → worker  { type: 'train', network, trainer, x, y, epochs, validation? }
//                    { type: 'cancel' }
//   worker → caller  { type: 'ready', kind }                        once, after init()
//                    { type: 'epoch', epoch, epochs, loss, valLoss? } after every epoch
//                    { type: 'done', history, weights }              weights: getWeights({ flat: true })
//                    { type: 'error', name, message }
// fitAsync yields to the event loop between epochs, so a 'cancel' is read
// while training runs; the AbortSignal stops it at the next batch.
import { parentPort } from 'node:worker_threads';
import { init, Network, Trainer } from 'simdnet';

const runtime = await init();
let controller = null;

parentPort.on('message', async (msg) => {
  if (msg.type === 'cancel') {
    controller?.abort();
    return;
  }
  if (msg.type !== 'train') return;
  controller = new AbortController();
  let net = null;
  try {
    net = new Network({ ...msg.network, runtime });
    const trainer = new Trainer(net, msg.trainer);
    const history = await trainer.fitAsync(msg.x, msg.y, {
      epochs: msg.epochs,
      validation: msg.validation,
      signal: controller.signal,
      onEpochEnd: (info) => parentPort.postMessage({ type: 'epoch', ...info }),
    });
    parentPort.postMessage({ type: 'done', history, weights: net.getWeights({ flat: true }) });
  } catch (e) {
    parentPort.postMessage({ type: 'error', name: e?.name, message: e?.message });
  } finally {
    net?.dispose();
    controller = null;
  }
});

parentPort.postMessage({ type: 'ready', kind: runtime.kind });
