// Cold start: a fresh Node process that imports dist/, initialises, makes the
// first prediction and prints it, minus a fresh Node process that only prints
// the same line (both ES modules, so Node's module loader and the first write
// to stdout, about 6 ms here, are in both); and the same pair in CommonJS.
// Also the bundle size (dist/index.js bundled and minified by esbuild,
// gzipped; each .wasm gzipped).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { stats } from './timing.mjs';
import { ARTICLE } from './tiny.mjs';

const dist = (f) => fileURLToPath(new URL(`../dist/${f}`, import.meta.url));
const EXPECTED = '0.5653932690620422';

function quantile(values, q) {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.min(v.length - 1, Math.floor(q * v.length))];
}

function spawnMs(file) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`bench: cold start: node ${file} failed (${r.status}):\n${r.stderr}`);
  return { ms, out: r.stdout.trim() };
}

// the scripts: the first prediction also prints the time from just before the import, measured inside the process
function scripts(dir) {
  const net = `const net = new m.Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] }); ` +
    `net.setWeights(${JSON.stringify(ARTICLE)}); console.log(net.predict([0.5, 0.6])[0], performance.now() - t0);`;
  const files = {
    'first.mjs': `const t0 = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(dist('index.js')).href)}); await m.init(); ${net}\n`,
    'empty.mjs': `console.log(${EXPECTED}, 0);\n`,
    'first.cjs': `const t0 = performance.now(); const m = require(${JSON.stringify(dist('index.cjs'))}); m.init().then(() => { ${net} });\n`,
    'empty.cjs': `console.log(${EXPECTED}, 0);\n`,
  };
  for (const [f, text] of Object.entries(files)) writeFileSync(join(dir, f), text);
  return Object.fromEntries(Object.keys(files).map((f) => [f, join(dir, f)]));
}

export function benchColdStart({ quick, log }) {
  const dir = mkdtempSync(join(tmpdir(), 'simdnet-cold-'));
  try {
    const f = scripts(dir);
    for (const file of [f['first.mjs'], f['first.cjs']]) {
      const printed = spawnMs(file).out.split(' ')[0];
      if (printed !== EXPECTED) throw new Error(`bench: cold start: ${file} printed ${printed}, expected ${EXPECTED}`);
    }
    const n = quick ? 12 : 40;
    const order = ['first.mjs', 'empty.mjs', 'first.cjs', 'empty.cjs'];
    const times = Object.fromEntries(order.map((k) => [k, []]));
    const inProcess = { 'first.mjs': [], 'first.cjs': [] };
    for (let r = 0; r < n; r++) {
      // rotate which goes first
      for (let i = 0; i < order.length; i++) {
        const k = order[(i + r) % order.length];
        const { ms, out } = spawnMs(f[k]);
        times[k].push(ms);
        if (k in inProcess) inProcess[k].push(Number(out.split(' ')[1]));
      }
    }
    const rows = [];
    for (const [kind, first, empty] of [['ESM import', 'first.mjs', 'empty.mjs'], ['CommonJS require', 'first.cjs', 'empty.cjs']]) {
      const diff = stats(times[first].map((ms, i) => ms - times[empty][i]));
      // a slow phase of the machine only adds time: the lower quartiles' difference resists it
      diff.lowerQuartileDiff = quantile(times[first], 0.25) - quantile(times[empty], 0.25);
      const inProc = stats(inProcess[first]);
      const e = stats(times[empty]);
      log(`cold start (${kind}): ${diff.median.toFixed(1)} ms over a Node process that prints the same line (${e.median.toFixed(1)} ms; lower quartiles ${diff.lowerQuartileDiff.toFixed(1)} ms apart); in-process ${inProc.median.toFixed(1)} ms`);
      rows.push(
        { group: 'startup', workload: `cold start, ${kind}: import + init + first predict + print, minus a process that only prints (wall clock of the spawns)`, contender: 'wasm-simd', kind, unit: 'ms', higherIsBetter: false, ...diff },
        { group: 'startup', workload: `cold start, ${kind}, in-process: import + init + first predict`, contender: 'wasm-simd-in-process', kind, unit: 'ms', higherIsBetter: false, ...inProc },
        { group: 'startup', workload: `a Node process that prints one line (${first.endsWith('.mjs') ? 'ES module' : 'CommonJS'})`, contender: 'node', kind, unit: 'ms', higherIsBetter: false, ...e },
      );
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchBundle({ log }) {
  const out = await build({
    entryPoints: [dist('index.js')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    external: ['node:*', 'fs', 'fs/promises'],
    write: false,
    logLevel: 'silent',
  });
  const js = out.outputFiles[0].contents;
  const size = (label, bytes) => ({ group: 'bundle', workload: label, contender: 'simdnet', unit: 'KB gz', higherIsBetter: false, median: gzipSync(bytes, { level: 9 }).length / 1024, min: NaN, max: NaN, n: 1, raw: bytes.length });
  const rows = [size('dist/index.js, esbuild --minify, gzip -9', js)];
  for (const f of ['simd.wasm', 'scalar.wasm']) rows.push(size(`dist/${f}, gzip -9`, readFileSync(dist(f))));
  const total = rows[0].median + rows[1].median;
  rows.push({ group: 'bundle', workload: 'JS + simd.wasm, gzipped', contender: 'simdnet', unit: 'KB gz', higherIsBetter: false, median: total, min: NaN, max: NaN, n: 1 });
  log(`bundle: ${rows.map((r) => `${r.workload} ${r.median.toFixed(1)}`).join(', ')}`);
  return rows;
}
