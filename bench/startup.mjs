// Cold start: `node -e` that imports dist/, initialises, makes the
// first prediction and prints it, against an empty `node -e` that only prints
// the same line, spawned in turns; the difference of the two medians. Both
// ES modules (--input-type=module, so Node's module loader and the first
// write to stdout are in both); and the same pair in CommonJS. Also the size
// of the core entry (see benchBundle) and of each .wasm, gzipped.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';
import { stats } from './timing.mjs';
import { ARTICLE } from './tiny-workload.mjs';

const dist = (f) => fileURLToPath(new URL(`../dist/${f}`, import.meta.url));
const EXPECTED = '0.5653932690620422';

function quantile(values, q) {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor(q * v.length))];
}

function spawnMs(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`bench: cold start: node ${args.slice(0, -1).join(' ')} … failed (${r.status}):\n${r.stderr}`);
  return { ms, out: r.stdout.trim() };
}

// the `node -e` argument lists: the first prediction also prints the time from
// just before the import, measured inside the process. The empty ones take the
// same two readings of performance.now(): the first use of `performance` loads
// Node's perf_hooks (about 1 ms here), which is the measurement's, not simdnet's.
const EMPTY = `const t0 = performance.now(); console.log(${EXPECTED}, performance.now() - t0);`;
function commands() {
  const net = `const net = new m.Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] }); ` +
    `net.setWeights(${JSON.stringify(ARTICLE)}); console.log(net.predict([0.5, 0.6])[0], performance.now() - t0);`;
  return {
    'first.mjs': ['--input-type=module', '-e', `const t0 = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(dist('index.js')).href)}); await m.init(); ${net}`],
    'empty.mjs': ['--input-type=module', '-e', EMPTY],
    'first.cjs': ['-e', `const t0 = performance.now(); const m = require(${JSON.stringify(dist('index.cjs'))}); m.init().then(() => { ${net} });`],
    'empty.cjs': ['-e', EMPTY],
  };
}

// The same pairs as an app runs them: files. An app's own file already starts
// Node's ES module loader (reading files, resolving, about 6 ms here), which
// an empty `node --input-type=module -e` never does, so the -e pair charges
// the loader to simdnet; these pairs do not.
function appFiles(dir) {
  const write = (name, code) => {
    const path = join(dir, name);
    writeFileSync(path, code);
    return [path];
  };
  const c = commands();
  return {
    // the -e programs' code: [--input-type=module, -e, code] and [-e, code]
    'app.mjs': write('app.mjs', c['first.mjs'][2]),
    'app-empty.mjs': write('app-empty.mjs', `${EMPTY}\n`),
    'app.cjs': write('app.cjs', c['first.cjs'][1]),
    'app-empty.cjs': write('app-empty.cjs', `${EMPTY}\n`),
  };
}

export function benchColdStart({ quick, log }) {
  const dir = mkdtempSync(join(tmpdir(), 'simdnet-cold-'));
  try {
    return coldStart(dir, { quick, log });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function coldStart(dir, { quick, log }) {
  const c = { ...commands(), ...appFiles(dir) };
  for (const k of ['first.mjs', 'first.cjs', 'app.mjs', 'app.cjs']) {
    const printed = spawnMs(c[k]).out.split(' ')[0];
    if (printed !== EXPECTED) throw new Error(`bench: cold start: ${k} printed ${printed}, expected ${EXPECTED}`);
  }
  const n = quick ? 20 : 60;
  const order = ['first.mjs', 'empty.mjs', 'first.cjs', 'empty.cjs', 'app.mjs', 'app-empty.mjs', 'app.cjs', 'app-empty.cjs'];
  const times = Object.fromEntries(order.map((k) => [k, []]));
  const inProcess = { 'first.mjs': [], 'first.cjs': [], 'app.mjs': [], 'app.cjs': [] };
  for (let r = 0; r < n; r++) {
    // rotate which goes first
    for (let i = 0; i < order.length; i++) {
      const k = order[(i + r) % order.length];
      const { ms, out } = spawnMs(c[k]);
      times[k].push(ms);
      if (k in inProcess) inProcess[k].push(Number(out.split(' ')[1]));
    }
  }
  const rows = [];
  const pairs = [
    ['ESM import', 'first.mjs', 'empty.mjs', 'node -e'],
    ['CommonJS require', 'first.cjs', 'empty.cjs', 'node -e'],
    ['ESM import, app file', 'app.mjs', 'app-empty.mjs', 'node app.mjs'],
    ['CommonJS require, app file', 'app.cjs', 'app-empty.cjs', 'node app.cjs'],
  ];
  for (const [kind, first, empty, how] of pairs) {
    const f = stats(times[first]);
    const e = stats(times[empty]);
    const diff = { median: f.median - e.median, min: NaN, max: NaN, n: 1 };
    // a slow phase of the machine only adds time: the lower quartiles' difference resists it
    diff.lowerQuartileDiff = quantile(times[first], 0.25) - quantile(times[empty], 0.25);
    diff.pairedMedian = stats(times[first].map((ms, i) => ms - times[empty][i])).median;
    const inProc = stats(inProcess[first]);
    log(`cold start (${kind}): ${diff.median.toFixed(1)} ms over a Node process that prints the same line (medians of ${n} spawns each: ${f.median.toFixed(1)} and ${e.median.toFixed(1)} ms; lower quartiles ${diff.lowerQuartileDiff.toFixed(1)} ms apart); in-process ${inProc.median.toFixed(1)} ms`);
    rows.push(
      { group: 'startup', workload: `cold start, ${kind}: ${how} that imports + inits + predicts once + prints, minus ${how} that only prints (difference of the medians of ${n} interleaved spawns each)`, contender: 'wasm-simd', kind, unit: 'ms', higherIsBetter: false, ...diff },
      { group: 'startup', workload: `cold start, ${kind}, in-process: import + init + first predict`, contender: 'wasm-simd-in-process', kind, unit: 'ms', higherIsBetter: false, ...inProc },
      { group: 'startup', workload: `an empty ${how} that prints one line (${first.endsWith('.mjs') ? 'ES module' : 'CommonJS'})`, contender: 'node', kind, unit: 'ms', higherIsBetter: false, ...e },
    );
  }
  return rows;
}

/** The chunks `file` (in dist/) imports when it loads, not those it imports on demand, and theirs. */
function staticChunks(file, seen = new Set()) {
  const code = readFileSync(dist(file), 'utf8');
  for (const m of code.matchAll(/^import\s[^;]*?from\s*["']\.\/([^"']+)["']/gm)) {
    if (!seen.has(m[1])) {
      seen.add(m[1]);
      staticChunks(m[1], seen);
    }
  }
  return [...seen];
}

// The core entry as a browser or a bundler loads it: dist/index.js and the
// chunks it imports up front, each minified by esbuild and gzipped apart, as
// test/packaging/budgets.test.ts counts its budget (what it imports on
// demand, the pure-JS kernels and the file writer, only a program that uses
// them loads).
export async function benchBundle({ log }) {
  const files = ['index.js', ...staticChunks('index.js')];
  let gz = 0;
  let raw = 0;
  for (const f of files) {
    const min = await transform(readFileSync(dist(f), 'utf8'), { minify: true, format: 'esm', loader: 'js' });
    gz += gzipSync(min.code, { level: 9 }).length;
    raw += min.code.length;
  }
  const size = (label, bytes) => ({ group: 'bundle', workload: label, contender: 'simdnet', unit: 'KB gz', higherIsBetter: false, median: gzipSync(bytes, { level: 9 }).length / 1024, min: NaN, max: NaN, n: 1, raw: bytes.length });
  const rows = [{ group: 'bundle', workload: `dist/index.js and the ${files.length - 1} chunk(s) it imports up front, esbuild --minify, gzip -9 each`, contender: 'simdnet', unit: 'KB gz', higherIsBetter: false, median: gz / 1024, min: NaN, max: NaN, n: 1, raw }];
  for (const f of ['simd.wasm', 'scalar.wasm']) rows.push(size(`dist/${f}, gzip -9`, readFileSync(dist(f))));
  const total = rows[0].median + rows[1].median;
  rows.push({ group: 'bundle', workload: 'the whole core (every export) + simd.wasm, gzipped', contender: 'simdnet', unit: 'KB gz', higherIsBetter: false, median: total, min: NaN, max: NaN, n: 1 });
  // what an app downloads: its bundle of the browser build, tree-shaken, with the chunks it loads up front (the JS backend loads on demand)
  for (const [what, app] of Object.entries(APPS)) {
    const js = await appBundle(app);
    rows.push({ group: 'bundle', workload: `an app that ${what}: its JS (esbuild --bundle --splitting --minify, gzip -9) + simd.wasm`, contender: 'simdnet', unit: 'KB gz', higherIsBetter: false, median: js / 1024 + rows[1].median, min: NaN, max: NaN, n: 1, js: js / 1024 });
  }
  log(`bundle: ${rows.map((r) => `${r.workload} ${r.median.toFixed(1)}`).join(', ')}`);
  return rows;
}

/** Apps as users write them, importing 'simdnet' (resolved to dist/browser.js, as bundlers do for browsers). */
const APPS = {
  'loads a model file and predicts': `import { init, Network } from 'simdnet';
await init();
const net = Network.fromJSON(await (await fetch('model.json')).json());
console.log(net.predict([0.5, 0.6]));`,
  'trains a network and predicts': `import { init, Network, Trainer } from 'simdnet';
await init();
const net = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] });
new Trainer(net, { loss: 'bce', optimizer: { type: 'adam', lr: 0.01 } }).fit([[0.5, 0.6], [0.1, 0.2]], [1, 0], { epochs: 100 });
console.log(net.predict([0.5, 0.6]));`,
};

/** Gzipped bytes of the app's entry chunk and every chunk it imports statically (what loads before the app runs). */
async function appBundle(source) {
  const out = await build({
    stdin: { contents: source, loader: 'js', resolveDir: fileURLToPath(new URL('.', import.meta.url)) },
    alias: { simdnet: dist('browser.js') },
    bundle: true, splitting: true, minify: true, format: 'esm', platform: 'browser', outdir: '/app', write: false, metafile: true, logLevel: 'silent',
  });
  const outputs = out.metafile.outputs;
  const base = (path) => path.slice(path.lastIndexOf('/') + 1);
  const upFront = new Set([Object.keys(outputs).find((k) => base(k) === 'stdin.js')]);
  for (const f of upFront) for (const i of outputs[f].imports) if (i.kind === 'import-statement') upFront.add(i.path);
  const names = new Set([...upFront].map(base));
  let gz = 0;
  for (const f of out.outputFiles) if (names.has(base(f.path))) gz += gzipSync(f.contents, { level: 9 }).length;
  return gz;
}
