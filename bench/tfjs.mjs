// TensorFlow.js, set up the way the benchmark compares against it: tfjs-core
// with the CPU backend (plain JS) and the Wasm backend (XNNPACK), the latter
// on its SIMD binary, one thread, loaded from node_modules.
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

let ready = false;

export async function loadTf() {
  if (ready) return tf;
  const require = createRequire(import.meta.url);
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  // the threaded binary is never used: every name points at a single-threaded one
  setWasmPaths({
    'tfjs-backend-wasm.wasm': path.join(dir, 'tfjs-backend-wasm.wasm'),
    'tfjs-backend-wasm-simd.wasm': path.join(dir, 'tfjs-backend-wasm-simd.wasm'),
    'tfjs-backend-wasm-threaded-simd.wasm': path.join(dir, 'tfjs-backend-wasm-simd.wasm'),
  });
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setThreadsCount(1);
  await tf.setBackend('wasm');
  await tf.ready();
  if (!tf.env().getBool('WASM_HAS_SIMD_SUPPORT')) throw new Error('bench: TF.js Wasm backend reports no SIMD support');
  await tf.setBackend('cpu');
  await tf.ready();
  ready = true;
  return tf;
}

/** Runs fn with `name` ('wasm' | 'cpu') as the TF.js backend. setBackend is cheap once both are initialised. */
export function withTf(name, fn) {
  if (tf.getBackend() !== name) tf.setBackend(name);
  return fn();
}

export { tf };
