// TensorFlow.js, set up the way the benchmark compares against it: tfjs-core
// with the CPU backend (plain JS) and the Wasm backend (XNNPACK), the latter
// on its SIMD binary, one thread, loaded from node_modules.
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

// tfjs-core's Node entry (a CommonJS bundle) registers no gradients, and its
// register_all_gradients module exists only as ES modules next to the ESM
// build, a second copy of the core. So the three packages are bundled once,
// from their ESM builds, into one module with one core and every gradient.
const ENTRY = `
export * from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
export { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
`;

async function bundleTf() {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const dir = path.join(root, 'node_modules', '.cache', 'simdnet-bench');
  mkdirSync(dir, { recursive: true });
  const outfile = path.join(dir, 'tfjs.mjs');
  await build({
    stdin: { contents: ENTRY, resolveDir: root, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    mainFields: ['module', 'main'],
    outfile,
    logLevel: 'error',
    // the Emscripten glue calls require() for Node built-ins
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; import { dirname as __dn } from 'node:path'; import { fileURLToPath as __fu } from 'node:url'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);",
    },
  });
  return import(pathToFileURL(outfile).href);
}

export let tf = null;
let ready = false;

export async function loadTf() {
  if (ready) return tf;
  tf = await bundleTf();
  const { setThreadsCount, setWasmPaths } = tf;
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

