// The caller side: one promise per training run, progress through a
// callback, cancellation through an AbortSignal.
import { Worker } from 'node:worker_threads';

/** Starts the training worker; resolves once its kernels are loaded. */
export function startTrainingWorker() {
  const worker = new Worker(new URL('./train-worker.mjs', import.meta.url));
  return new Promise((resolve, reject) => {
    const onMessage = (msg) => {
      if (msg.type !== 'ready') return;
      worker.off('error', reject);
      worker.off('message', onMessage);
      resolve({ worker, kind: msg.kind });
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}

/**
 * Trains in the worker. request: { network, trainer, x, y, epochs, validation? }.
 * Resolves with { history, weights }; history.stopReason is 'aborted' after a cancel.
 */
export function trainInWorker(worker, request, { onEpoch, signal } = {}) {
  return new Promise((resolve, reject) => {
    const cancel = () => worker.postMessage({ type: 'cancel' });
    const finish = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      signal?.removeEventListener('abort', cancel);
    };
    const onError = (e) => {
      finish();
      reject(e);
    };
    const onMessage = (msg) => {
      if (msg.type === 'epoch') onEpoch?.(msg);
      else if (msg.type === 'done') {
        finish();
        resolve({ history: msg.history, weights: msg.weights });
      } else if (msg.type === 'error') {
        finish();
        reject(Object.assign(new Error(msg.message), { name: msg.name }));
      }
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
    signal?.addEventListener('abort', cancel, { once: true });
    worker.postMessage({ type: 'train', ...request });
    if (signal?.aborted) cancel();
  });
}
