import { readFileSync } from 'node:fs';
import type { Plugin } from 'esbuild';
import { build, type Options } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

// The browser, bundler and edge builds: the same sources as the universal
// build, with the platform modules swapped. tsup.config.ts runs them after
// its own build (from onSuccess, so its `clean` cannot race them).
// They share its type declarations (dist/index.d.ts, dist/csv.d.ts).
//   browser.js      fetch of new URL('./simd.wasm', import.meta.url); nothing Node
//                   (net.save / Network.load refuse: file-io.browser.ts)
//   edge.js         init() takes a WebAssembly.Module; never compiles from bytes; one thread
//   threads.js, thread-worker.js, thread-worker.browser.js  init({ threads }): the pool (universal
//                   build) and the worker script (Node, browsers)
//   csv.browser.js  the same CSV reader; loadCsv is Node-only

/** Resolves `<dir>/<name>.js` imported from src/ to `<dir>/<name>.<variant>.ts`. */
function swap(variant: string, names: string[]): Plugin {
  const filter = new RegExp(`/(${names.join('|')})\\.js$`);
  return {
    name: `swap-${variant}`,
    setup(build) {
      build.onResolve({ filter }, (args) => {
        if (!args.importer.includes('/src/')) return undefined;
        return { path: new URL(args.path.replace(/\.js$/, `.${variant}.ts`), `file://${args.importer}`).pathname };
      });
    },
  };
}

/**
 * Where a build's split-off code goes (what a program may never need, loaded
 * on demand: see tsup.config.ts). Beside the entries, not in a folder: code
 * that finds a file by import.meta.url (the .wasm) finds it wherever esbuild
 * puts that code.
 */
export const CHUNK_NAMES = '[name]-[hash]';

const common: Options = {
  format: ['esm'],
  sourcemap: true,
  minify: false, // readable, names as in the sources: see tsup.config.ts
  target: 'es2022',
  splitting: false,
  esbuildOptions(options) {
    options.chunkNames = CHUNK_NAMES;
    options.charset = 'ascii'; // see tsup.config.ts
  },
  clean: false,
  dts: false,
  define: { __SIMDNET_VERSION__: JSON.stringify(version) },
  // keep `node:` out of these builds entirely (tsup would otherwise strip the prefix)
  removeNodeProtocol: false,
};

const platforms: Options[] = [
  // threads: a chunk loaded on demand, which starts module Web Workers (dist/thread-worker.js)
  { ...common, entry: { browser: 'src/index.ts' }, platform: 'browser', splitting: true, esbuildPlugins: [swap('browser', ['load', 'file-io', 'spawn', 'threads-loader'])] },
  // no threads code at all: edge runtimes have no threads
  { ...common, entry: { edge: 'src/index.ts' }, platform: 'neutral', splitting: true, esbuildPlugins: [swap('edge', ['load', 'threads-loader', 'default-threads']), swap('browser', ['file-io'])] },
  // the universal build's threads code, loaded by URL only when init asks for threads (index.cjs cannot split)
  { ...common, entry: { threads: 'src/threads/open.ts' }, platform: 'node' },
  // the same as CommonJS, which a default runtime loads with require in the middle of a synchronous fit (threads-loader.ts)
  {
    ...common,
    entry: { threads: 'src/threads/open.ts' },
    format: ['cjs'],
    platform: 'node',
    esbuildOptions(options) {
      common.esbuildOptions?.(options, { format: 'cjs' });
      // import.meta.url (where the .wasm and the worker script are) from __filename, as index.cjs has it (tsup.config.ts)
      options.define = { ...options.define, 'import.meta.url': 'importMetaUrl' };
      options.inject = [...(options.inject ?? []), 'src/shims/cjs-import-meta-url.ts'];
    },
  },
  // the worker script: for Node's worker_threads, and for module Web Workers (no Node code)
  { ...common, entry: { 'thread-worker': 'src/threads/thread-worker.ts' }, platform: 'node' },
  { ...common, entry: { 'thread-worker.browser': 'src/threads/thread-worker.ts' }, platform: 'browser', esbuildPlugins: [swap('browser', ['worker-port'])] },
  // over the core the user imported, as csv.js is (see tsup.interchange.config.ts)
  { ...common, entry: { 'csv.browser': 'src/csv.ts' }, platform: 'browser', external: ['simdnet'], esbuildPlugins: [swap('browser', ['load-csv', 'csv-stream'])] },
];

export async function buildPlatforms(): Promise<void> {
  for (const options of platforms) await build({ ...options, config: false, silent: true });
}
