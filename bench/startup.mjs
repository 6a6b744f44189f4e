// Cold start (a fresh `node -e` that imports dist/, initialises and makes the
// first prediction, minus an empty `node -e ''`) and bundle size (dist/index.js
// bundled and minified by esbuild, gzipped; each .wasm gzipped).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { stats } from './timing.mjs';
import { ARTICLE } from './tiny.mjs';

const dist = (f) => fileURLToPath(new URL(`../dist/${f}`, import.meta.url));

function spawnMs(script) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`bench: cold start: node -e failed (${r.status}):\n${r.stderr}`);
  return { ms, out: r.stdout.trim() };
}

export function benchColdStart({ quick, log }) {
  const url = new URL('../dist/index.js', import.meta.url).href;
  // also prints the time from just before the import to the first prediction, measured inside the process
  const first =
    `const t0 = performance.now(); import(${JSON.stringify(url)}).then(async (m) => { await m.init(); ` +
    `const net = new m.Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] }); ` +
    `net.setWeights(${JSON.stringify(ARTICLE)}); const y = net.predict([0.5, 0.6])[0]; console.log(y, performance.now() - t0); })`;
  const check = spawnMs(first).out.split(' ');
  if (!(Math.abs(Number(check[0]) - 0.56539) <= 5e-6)) throw new Error(`bench: cold start: the first prediction printed ${check[0]}, expected 0.56539`);
  spawnMs('');
  const full = [], empty = [], inProcess = [];
  const n = quick ? 12 : 40;
  const runFull = () => {
    const r = spawnMs(first);
    full.push(r.ms);
    inProcess.push(Number(r.out.split(' ')[1]));
  };
  const runEmpty = () => empty.push(spawnMs('').ms);
  for (let r = 0; r < n; r++) {
    // alternate which goes first
    if (r % 2) { runEmpty(); runFull(); }
    else { runFull(); runEmpty(); }
  }
  const e = stats(empty);
  const diff = stats(full.map((ms, i) => ms - empty[i]));
  const inProc = stats(inProcess);
  log(`cold start: ${diff.median.toFixed(1)} ms over an empty node (${e.median.toFixed(1)} ms); in-process ${inProc.median.toFixed(1)} ms`);
  return [
    { group: 'startup', workload: 'cold start: import + init + first predict, minus empty node (wall clock of the spawns)', contender: 'wasm-simd', unit: 'ms', higherIsBetter: false, ...diff },
    { group: 'startup', workload: 'cold start, in-process: import + init + first predict, timed inside the spawned process', contender: 'wasm-simd-in-process', unit: 'ms', higherIsBetter: false, ...inProc },
    { group: 'startup', workload: "empty process (node -e '')", contender: 'node', unit: 'ms', higherIsBetter: false, ...e },
  ];
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
