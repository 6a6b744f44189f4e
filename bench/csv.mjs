// CSV reading speed: simdnet's loadCsv (streaming bytes → typed columns → a
// Dataset) against csv-parse's own streaming parser (records of strings,
// nothing more) on the same generated numeric file, interleaved round by
// round in one process; the peak memory of each, in a fresh process; and
// the peak memory of the whole `simdnet train file --epochs 1`, the file read
// whole and streamed (--stream), each in a fresh process.
// Needs a build (`npm run build`). Standalone: `node bench/csv.mjs`
//   --rows=N     rows of the generated file (default 1,000,000: about 150 MB; 20 columns)
//   --rounds=N   timed rounds of each contender (default 3)
//   --no-memory  skip the peak-memory runs
//   --json       machine-readable results on stdout
// The file is generated once into os.tmpdir() (written under a temporary
// name, then renamed) and reused by later runs with the same --rows.
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const COLUMNS = 20;
const root = (f) => fileURLToPath(new URL(`../${f}`, import.meta.url));

/** A seeded numeric CSV: 19 features (4 decimals, about ±100) and a 0/1 target. */
export async function generateCsv(rows) {
  const file = join(os.tmpdir(), `simdnet-bench-${rows}x${COLUMNS}-v2.csv`);
  if (existsSync(file)) return file;
  // the library's own generator: the same file on every machine
  const { Random } = await import(pathToFileURL(root('dist/index.js')).href);
  const random = new Random(7);
  const rand = () => random.nextFloat();
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  const header = [...Array.from({ length: COLUMNS - 1 }, (_, i) => `f${i}`), 'target'].join(',');
  let out = `${header}\n`;
  for (let r = 0; r < rows; r++) {
    let line = '';
    let sum = 0;
    for (let c = 0; c < COLUMNS - 1; c++) {
      const v = (rand() - 0.5) * 200;
      sum += v;
      line += `${v.toFixed(4)},`;
    }
    out += `${line}${sum > 0 ? 1 : 0}\n`;
    if (out.length > 1 << 20) {
      writeSync(fd, out);
      out = '';
    }
  }
  writeSync(fd, out);
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, file);
  return file;
}

async function readSimdnet(file) {
  const { loadCsv } = await import(pathToFileURL(root('dist/csv.js')).href);
  const ds = await loadCsv(file);
  return ds.rows;
}

async function readCsvParse(file) {
  const { parse } = await import('csv-parse');
  let rows = 0;
  // the options the old parseCsv passed: the same reading rules
  const parser = createReadStream(file, { highWaterMark: 1 << 20 }).pipe(parse({ bom: true, trim: true, skip_empty_lines: true }));
  for await (const record of parser) rows += record.length > 0 ? 1 : 0;
  return rows - 1; // the header
}

const CONTENDERS = { simdnet: readSimdnet, 'csv-parse': readCsvParse };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Peak resident memory of reading `file` with `contender` in a fresh Node process, minus that process's baseline. */
function peakMemory(file, contender) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), `--child=${contender}`, `--file=${file}`], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`bench/csv.mjs: the ${contender} memory run failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

// Prints the process's peak resident set on exit: the whole command, child processes none.
const PEAK_PROBE = "data:text/javascript,process.on('exit',()=>process.stderr.write('\\npeak-rss-kb '+process.resourceUsage().maxRSS+'\\n'))";

/** Peak resident memory (MB) and wall time (s) of `simdnet train file --epochs 1 …extra` in a fresh process. */
function trainPeak(file, extra) {
  const out = join(os.tmpdir(), `simdnet-bench-train-${process.pid}.model.json`);
  const started = performance.now();
  const r = spawnSync(process.execPath, ['--import', PEAK_PROBE, root('dist/cli.js'), 'train', file, '--epochs', '1', '--json', '--out', out, ...extra], {
    encoding: 'utf8', timeout: 1_800_000, maxBuffer: 1 << 26,
  });
  const seconds = (performance.now() - started) / 1000;
  rmSync(out, { force: true });
  const kb = /peak-rss-kb (\d+)/.exec(r.stderr ?? '');
  if (r.status !== 0 || !kb) throw new Error(`bench/csv.mjs: train ${extra.join(' ')} failed: ${r.stderr}`);
  return { peakMB: (Number(kb[1]) * 1024) / 1e6, seconds };
}

/**
 * Times both contenders on a generated file; returns result rows for bench/run.mjs
 * (group 'csv') with MB/s and the ratio simdnet / csv-parse (median of per-round ratios).
 */
export async function benchCsv({ rows = 1_000_000, rounds = 3, memory = true, log = () => {} } = {}) {
  if (!existsSync(root('dist/csv.js'))) throw new Error('bench/csv.mjs: dist/csv.js is missing: run `npm run build` first');
  log(`csv: generating ${rows.toLocaleString('en')} rows × ${COLUMNS} columns in ${os.tmpdir()} (once)`);
  const file = await generateCsv(rows);
  const mb = statSync(file).size / 1e6;
  const samples = { simdnet: [], 'csv-parse': [] };
  const ratios = [];
  // warm-up: both parsers' code compiled, the file in the page cache
  for (const read of Object.values(CONTENDERS)) await read(file);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['simdnet', 'csv-parse'] : ['csv-parse', 'simdnet'];
    const speed = {};
    for (const name of order) {
      const t0 = performance.now();
      const n = await CONTENDERS[name](file);
      const seconds = (performance.now() - t0) / 1000;
      if (n !== rows) throw new Error(`bench/csv.mjs: ${name} read ${n} rows, expected ${rows}`);
      speed[name] = mb / seconds;
      samples[name].push(speed[name]);
    }
    ratios.push(speed.simdnet / speed['csv-parse']);
    log(`csv: round ${round + 1}/${rounds}: simdnet ${speed.simdnet.toFixed(0)} MB/s, csv-parse ${speed['csv-parse'].toFixed(0)} MB/s`);
  }
  const float32MB = (rows * (COLUMNS - 1) * 4 + rows * 4) / 1e6;
  const results = Object.keys(CONTENDERS).map((contender) => ({
    group: 'csv',
    workload: `read ${rows.toLocaleString('en')} × ${COLUMNS} numeric CSV (${mb.toFixed(0)} MB)`,
    contender,
    unit: 'MB/s',
    median: median(samples[contender]),
    min: Math.min(...samples[contender]),
    max: Math.max(...samples[contender]),
    n: rounds,
    vsCsvParse: contender === 'simdnet' ? median(ratios) : 1,
    ...(memory ? { peakMB: peakMemory(file, contender).peakMB, float32MB } : {}),
  }));
  if (memory) {
    // the goal: the whole training command's peak under 2.5 × the float32 size of the data + 200 MB
    for (const [how, extra] of [['the file read whole', []], ['the file streamed (--stream)', ['--stream']]]) {
      log(`csv: simdnet train --epochs 1, ${how}`);
      const t = trainPeak(file, extra);
      results.push({
        group: 'csv-train', workload: `simdnet train ${rows.toLocaleString('en')} × ${COLUMNS} numeric CSV --epochs 1, ${how}`, contender: 'simdnet',
        unit: 's', median: t.seconds, min: t.seconds, max: t.seconds, n: 1, peakMB: t.peakMB, float32MB, limitMB: 2.5 * float32MB + 200,
      });
    }
  }
  return results;
}

function print(results) {
  const lines = [`CSV reading, MB/s (medians of ${results[0].n} interleaved rounds, min–max); ratio: median of per-round ratios`, ''];
  const mem = results[0].peakMB !== undefined;
  lines.push(`| workload | contender | MB/s | × csv-parse |${mem ? ' peak memory over a bare process | × float32 size of the data |' : ''}`);
  lines.push(`|---|---|---:|---:|${mem ? '---:|---:|' : ''}`);
  for (const r of results.filter((x) => x.group === 'csv')) {
    const m = mem ? ` ${r.peakMB.toFixed(0)} MB | ${(r.peakMB / r.float32MB).toFixed(2)}× |` : '';
    lines.push(`| ${r.workload} | ${r.contender} | ${r.median.toFixed(0)} (${r.min.toFixed(0)}–${r.max.toFixed(0)}) | ${r.vsCsvParse.toFixed(2)}× |${m}`);
  }
  for (const r of results.filter((x) => x.group === 'csv-train')) {
    lines.push(`| ${r.workload} | peak ${r.peakMB.toFixed(0)} MB | ${(r.peakMB / r.float32MB).toFixed(2)}× float32 data | ${r.median.toFixed(1)} s |`);
  }
  const s = results.find((r) => r.group === 'csv' && r.contender === 'simdnet');
  lines.push('', `goal: simdnet ≥ 0.8× csv-parse's streaming speed: ${s.vsCsvParse.toFixed(2)}× (${s.vsCsvParse >= 0.8 ? 'holds' : 'misses'})`);
  for (const r of results.filter((x) => x.group === 'csv-train')) {
    lines.push(`goal: ${r.workload}: peak < 2.5 × ${r.float32MB.toFixed(0)} MB + 200 MB = ${r.limitMB.toFixed(0)} MB: ${r.peakMB.toFixed(0)} MB (${r.peakMB < r.limitMB ? 'holds' : 'misses'})`);
  }
  return lines.join('\n');
}

const argv = process.argv.slice(2);
const arg = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const child = arg('child');
  if (child) {
    // one read in a fresh process: its peak resident set over the process's own at start
    const before = process.memoryUsage().rss;
    await CONTENDERS[child](arg('file'));
    const peak = process.resourceUsage().maxRSS * 1024;
    process.stdout.write(JSON.stringify({ peakMB: (peak - before) / 1e6 }));
  } else {
    const results = await benchCsv({
      rows: Number(arg('rows') ?? 1_000_000),
      rounds: Number(arg('rounds') ?? 3),
      memory: !argv.includes('--no-memory'),
      log: (m) => process.stderr.write(`${m}\n`),
    });
    process.stdout.write(argv.includes('--json') ? `${JSON.stringify(results, null, 2)}\n` : `${print(results)}\n`);
  }
}
