/**
 * The packed package (`npm pack`, installed from the tarball into a scratch
 * project) in real runtimes:
 *   - Node, via `import` and via `require`;
 *   - bundlers: an app importing 'simdnet' built with esbuild and with Vite,
 *     run in headless Chromium under a strict CSP;
 *   - Cloudflare's workerd: a Worker bundled as wrangler does (the `workerd`
 *     condition, the .wasm imported as a module) serves training and
 *     predictions over loopback HTTP.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_REQUIRED, chromiumSkipReason, launchChromium, watchPage } from '../support/chromium.js';
import { packAndInstall, ROOT, type PackedProject } from '../support/packed.js';
import { serveStatic, type StaticServer } from '../support/static-server.js';
import type { StudentResult } from './browser.test.js';
import { studentReference, STUDENTS_CSV, WORKED_PREDICTION } from './student-reference.js';

const PAGES = join(ROOT, 'test/runtimes/pages');
const skipBrowser = chromiumSkipReason();

let project: PackedProject;
let reference: { simd: Awaited<ReturnType<typeof studentReference>>; scalar: Awaited<ReturnType<typeof studentReference>> };

beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist/edge.js'))) throw new Error('dist/ is missing or incomplete: run `npm run build` first (`npm test` does)');
  project = packAndInstall('package');
  reference = { simd: await studentReference(true), scalar: await studentReference(false) };
}, 180_000);

afterAll(() => {
  if (project) rmSync(project.root, { recursive: true, force: true });
});

const closeTo = (a: readonly number[], b: readonly number[]) => {
  expect(a).toHaveLength(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i]!), `element ${i}`).toBeLessThanOrEqual(1e-6));
};

describe('the tarball', () => {
  it('holds dist/ (universal, browser, edge builds, types, the .wasm builds, the threads code) and no sources', () => {
    for (const f of ['index.js', 'index.cjs', 'index.d.ts', 'index.d.cts', 'browser.js', 'edge.js', 'csv.js', 'csv.cjs', 'csv.browser.js', 'simd.wasm', 'scalar.wasm',
      'threads.js', 'thread-worker.js', 'thread-worker.browser.js', 'simd-threads.wasm', 'scalar-threads.wasm',
      ...['onnx', 'tfjs', 'brain'].flatMap((e) => [`${e}.js`, `${e}.cjs`, `${e}.d.ts`, `${e}.d.cts`])]) {
      expect(project.files, f).toContain(`dist/${f}`);
    }
    expect(project.files).toContain('types/wasm.d.ts');
    expect(project.files.filter((f) => /^(src|test|assembly|bench|scripts|examples)\//.test(f))).toEqual([]);
  });
});

describe('Node: simdnet/onnx, simdnet/tfjs and simdnet/brain from the installed package', () => {
  it.each(['import', 'require'] as const)('via %s: they use the core the user imported (same Network class, the runtime init() set up)', (how) => {
    const model = join(ROOT, 'test/fixtures/onnx/mlp_4_8_6_5_1_legacy.onnx');
    const body = `
  await init();
  const net = fromONNX(readFileSync(${JSON.stringify(model)}));
  const back = fromONNX(toONNX(net));
  const tf = toTFJS(net);
  const viaTf = fromTFJS(tf.modelJSON, tf.weights);
  const small = new Network({ inputs: 2, layers: [{ units: 2, activation: 'tanh' }, { units: 1, activation: 'tanh' }] });
  const viaBrain = fromBrainJS(toBrainJS(small));
  console.log(JSON.stringify({ same: [net, back, viaTf, viaBrain].every((n) => n instanceof Network), p: net.predict([0.5, -1, 2, 0.25]), q: back.predict([0.5, -1, 2, 0.25]) }));`;
    const script = join(project.dir, how === 'import' ? 'interchange.mjs' : 'interchange.cjs');
    writeFileSync(
      script,
      how === 'import'
        ? `import { init, Network } from 'simdnet';\nimport { fromONNX, toONNX } from 'simdnet/onnx';\nimport { fromTFJS, toTFJS } from 'simdnet/tfjs';\nimport { fromBrainJS, toBrainJS } from 'simdnet/brain';\nimport { readFileSync } from 'node:fs';\n${body}\n`
        : `const { init, Network } = require('simdnet');\nconst { fromONNX, toONNX } = require('simdnet/onnx');\nconst { fromTFJS, toTFJS } = require('simdnet/tfjs');\nconst { fromBrainJS, toBrainJS } = require('simdnet/brain');\nconst { readFileSync } = require('node:fs');\n(async () => {${body}\n})().catch((e) => { console.error(e); process.exit(1); });\n`,
    );
    const out = JSON.parse(execFileSync(process.execPath, [script], { cwd: project.dir, encoding: 'utf8', timeout: 60_000 }));
    expect(out.same).toBe(true);
    expect(out.q).toEqual(out.p);
    expect(out.p[0]).toBeGreaterThan(0);
  });
});

// One script body for both module systems: the worked example, then the
// student network trained on examples/data/students.csv, with each build.
const BODY = `
const ARTICLE = [
  { W: [[0.82, 0.71, -0.45], [0.65, 0.89, 0.78]], b: [-0.5, -0.6, -0.3] },
  { W: [[0.85], [0.72], [-0.55]], b: [-0.2] },
];
async function main() {
  const out = {};
  for (const simd of [true, false]) {
    const runtime = await init({ simd });
    const worked = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] });
    worked.setWeights(ARTICLE);
    const prediction = worked.predict([0.5, 0.6])[0];
    const data = await loadCsv(process.argv[2]);
    const { train, test } = split(data, { train: 0.8, validation: 0.1, test: 0.1, stratify: true, seed: 1 });
    const scaler = Scaler.fit(train.x, train.rows, train.features, 'minmax');
    const student = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 3 });
    const trainer = new Trainer(student, { loss: 'bce', optimizer: { type: 'adam', lr: 0.05 }, batchSize: 16, seed: 1 });
    const history = trainer.fit(scaler.transform(train.x, train.rows), train.y, { epochs: 150 });
    const p = student.predict(scaler.transform(test.x, test.rows));
    let right = 0;
    for (let i = 0; i < test.rows; i++) if ((p[i] > 0.5 ? 1 : 0) === test.y[i]) right++;
    out[simd ? 'simd' : 'scalar'] = { kind: runtime.kind, prediction, loss: history.loss, testAccuracy: right / test.rows };
  }
  return out;
}
`;

describe('Node: the installed package', () => {
  // tsup's CommonJS shim of import.meta.url once lost the .wasm files under a path with a '#'
  const ODD_DIR = 'odd #dir %25 name';
  const where = (odd: boolean) => {
    if (!odd) return project.dir;
    const dir = join(project.root, ODD_DIR);
    if (!existsSync(dir)) cpSync(project.dir, dir, { recursive: true });
    return dir;
  };
  const run = (script: string, cwd: string) =>
    JSON.parse(execFileSync(process.execPath, [script, STUDENTS_CSV.pathname], { cwd, encoding: 'utf8', timeout: 60_000 }));

  it.each([
    ['import', false],
    ['require', false],
    ['import', true],
    ['require', true],
  ] as const)('via %s (from a path with #, percent signs and spaces: %s): trains the student network and predicts, SIMD and scalar builds', (how, odd) => {
    const dir = where(odd);
    const script = join(dir, how === 'import' ? 'use.mjs' : 'use.cjs');
    writeFileSync(
      script,
      how === 'import'
        ? `import { init, Network, Trainer, split, Scaler } from 'simdnet';\nimport { loadCsv } from 'simdnet/csv';\n${BODY}\nconst out = await main();\nout.resolved = import.meta.resolve('simdnet');\nconsole.log(JSON.stringify(out));\n`
        : `const { init, Network, Trainer, split, Scaler } = require('simdnet');\nconst { loadCsv } = require('simdnet/csv');\n${BODY}\nmain().then((out) => { out.resolved = require.resolve('simdnet'); console.log(JSON.stringify(out)); }, (e) => { console.error(e); process.exit(1); });\n`,
    );
    const out = run(script, dir);
    expect(out.resolved).toMatch(how === 'import' ? /node_modules\/simdnet\/dist\/index\.js$/ : /node_modules\/simdnet\/dist\/index\.cjs$/);
    if (odd) expect(out.resolved).toContain(how === 'import' ? encodeURI(ODD_DIR).replace('#', '%23') : ODD_DIR);
    for (const build of ['simd', 'scalar'] as const) {
      expect(out[build].kind).toBe(`wasm-${build}`);
      expect(out[build].prediction).toBeCloseTo(WORKED_PREDICTION, 5);
      closeTo(out[build].loss, reference[build].loss);
      expect(out[build].testAccuracy).toBe(reference[build].testAccuracy);
      expect(out[build].testAccuracy).toBeGreaterThanOrEqual(0.8);
    }
  }, 60_000);
});

describe.skipIf(skipBrowser !== '')('bundlers: an app importing simdnet, run in headless Chromium (strict CSP)', () => {
  let browser: Browser;
  let server: StaticServer;
  let app = '';

  beforeAll(async () => {
    app = join(project.dir, 'app');
    mkdirSync(app, { recursive: true });
    for (const f of ['student-app.js', 'bundled-main.js']) copyFileSync(join(PAGES, f), join(app, f));
    copyFileSync(join(PAGES, 'bundled.html'), join(app, 'index.html'));
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function runPage(url: string): Promise<StudentResult> {
    const page = await browser.newPage();
    const problems = watchPage(page);
    try {
      await page.goto(url);
      await page.waitForFunction(() => '__result' in window || '__error' in window, null, { timeout: 60_000 });
      const error = await page.evaluate(() => (window as unknown as { __error?: string }).__error);
      expect(error, problems.join('\n')).toBeUndefined();
      expect(problems).toEqual([]);
      return await page.evaluate(() => (window as unknown as { __result: StudentResult }).__result);
    } finally {
      await page.close();
    }
  }

  function check(result: StudentResult, build: 'simd' | 'scalar') {
    expect(result.violations).toEqual([]);
    expect(result.kind).toBe(`wasm-${build}`);
    expect(result.prediction).toBeCloseTo(WORKED_PREDICTION, 5);
    closeTo(result.loss, reference[build].loss);
    expect(result.testAccuracy).toBe(reference[build].testAccuracy);
  }

  it('esbuild (platform browser) bundles it with the .wasm files copied beside the bundle', async () => {
    const esbuild = await import('esbuild');
    const out = join(project.dir, 'out-esbuild');
    const result = await esbuild.build({
      entryPoints: [join(app, 'bundled-main.js')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      minify: true,
      outdir: out,
      absWorkingDir: project.dir,
      logLevel: 'silent',
      metafile: true,
    });
    expect(result.errors).toEqual([]);
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('node_modules/simdnet/dist/browser.js');
    expect(inputs).toContain('node_modules/simdnet/dist/csv.browser.js');
    // esbuild leaves new URL('./simd.wasm', import.meta.url) alone: the files go beside the bundle
    for (const f of ['simd.wasm', 'scalar.wasm']) copyFileSync(join(project.dir, 'node_modules/simdnet/dist', f), join(out, f));
    copyFileSync(join(app, 'index.html'), join(out, 'index.html'));
    server ??= await serveStatic({ '/data/': join(ROOT, 'examples/data'), '/esbuild/': out, '/vite/': join(project.dir, 'out-vite') });
    check(await runPage(`${server.origin}/esbuild/`), 'simd');
    check(await runPage(`${server.origin}/esbuild/?simd=0`), 'scalar');
  }, 90_000);

  it('Vite build emits the .wasm files (and the threads builds) as assets from new URL(…, import.meta.url), no config needed', async () => {
    const vite = await import('vite');
    const out = join(project.dir, 'out-vite');
    await vite.build({ root: app, base: './', configFile: false, logLevel: 'silent', build: { outDir: out, emptyOutDir: true } });
    const assets = readdirSync(join(out, 'assets'));
    expect(assets.filter((f) => f.endsWith('.wasm')).sort()).toEqual([
      expect.stringMatching(/^scalar-[\w-]+\.wasm$/),
      expect.stringMatching(/^scalar-threads-.*\.wasm$/),
      expect.stringMatching(/^simd-[\w-]+\.wasm$/),
      expect.stringMatching(/^simd-threads-.*\.wasm$/),
    ]);
    const js = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(out, 'assets', f), 'utf8')).join('\n');
    expect(js).not.toMatch(/fs\/promises|node:/);
    server ??= await serveStatic({ '/data/': join(ROOT, 'examples/data'), '/esbuild/': join(project.dir, 'out-esbuild'), '/vite/': out });
    check(await runPage(`${server.origin}/vite/`), 'simd');
    check(await runPage(`${server.origin}/vite/?simd=0`), 'scalar');
  }, 90_000);
});

if (skipBrowser && CHROMIUM_REQUIRED) {
  it('Chromium is installed (CI installs it in .ci/run)', () => {
    throw new Error(skipBrowser);
  });
}

describe('Cloudflare workerd: a Worker trains and predicts over loopback HTTP', () => {
  let workerd: ChildProcess | null = null;
  let origin = '';
  let log = '';

  beforeAll(async () => {
    const esbuild = await import('esbuild');
    const dir = join(project.dir, 'worker');
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(PAGES, 'edge-worker.js'), join(project.dir, 'edge-worker.js'));
    // as wrangler bundles a Worker: the workerd condition; .wasm imports stay modules
    const wasmFile = createRequire(join(project.dir, 'package.json')).resolve('simdnet/simd.wasm');
    copyFileSync(wasmFile, join(dir, 'simd.wasm'));
    // PyTorch's ONNX exports, served by the Worker as Data modules
    for (const [from, to] of Object.entries(ONNX_MODULES)) copyFileSync(join(ROOT, 'test/fixtures/onnx', from), join(dir, to));
    const result = await esbuild.build({
      entryPoints: [join(project.dir, 'edge-worker.js')],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      mainFields: ['module', 'main'],
      outfile: join(dir, 'worker.js'),
      absWorkingDir: project.dir,
      logLevel: 'silent',
      metafile: true,
      plugins: [
        {
          name: 'wasm-module',
          setup(build) {
            build.onResolve({ filter: /^simdnet\/simd\.wasm$/ }, () => ({ path: './simd.wasm', external: true }));
            build.onResolve({ filter: /\.onnx(\.data)?$/ }, (args) => ({ path: args.path, external: true }));
          },
        },
      ],
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('node_modules/simdnet/dist/edge.js');
    expect(inputs).toContain('node_modules/simdnet/dist/csv.browser.js');
    // simdnet/onnx is one build for every platform; its import of the core resolves to edge.js, the same copy
    expect(inputs, JSON.stringify(inputs)).toContain('node_modules/simdnet/dist/onnx.js');
    expect(inputs.filter((f) => /simdnet\/dist\/(index|browser)\./.test(f))).toEqual([]);
    writeFileSync(
      join(dir, 'config.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "simd.wasm", wasm = embed "simd.wasm"),
${Object.values(ONNX_MODULES).map((f) => `    (name = "${f}", data = embed "${f}"),`).join('\n')}
  ],
  compatibilityDate = "2025-09-01",
);
`,
    );
    const bin = (createRequire(import.meta.url)('workerd') as { default: string }).default;
    // --control-fd: workerd writes {"event":"listen","port":…} there once the socket is bound
    const child = spawn(bin, ['serve', join(dir, 'config.capnp'), '--control-fd=3'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    workerd = child;
    child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    origin = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`workerd did not listen within 30 s:\n${log}`)), 30_000);
      let control = '';
      (child.stdio[3] as NodeJS.ReadableStream).on('data', (d: Buffer) => {
        control += d.toString();
        for (const line of control.split('\n')) {
          if (!line.trim()) continue;
          try {
            const msg = JSON.parse(line) as { event?: string; socket?: string; port?: number };
            if (msg.event === 'listen' && msg.port) {
              clearTimeout(timer);
              resolve(`http://127.0.0.1:${msg.port}`);
            }
          } catch {
            // a partial line: wait for the rest
          }
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`workerd exited with ${code}:\n${log}`));
      });
    });
  }, 90_000);

  afterAll(async () => {
    const child = workerd;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  });

  const get = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${origin}${path}`, { ...init, signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    expect(res.status, `${text}\n${log}`).toBe(200);
    return JSON.parse(text);
  };

  it('runs in a runtime that refuses Wasm from bytes; the .wasm arrives as a Module; the worked example', async () => {
    const probe = await get('/probe');
    expect(probe.compileError).toMatch(/Wasm code generation disallowed by embedder/);
    expect(probe.isModule).toBe(true);
    expect(probe.kind).toBe('wasm-simd');
    expect(probe.initError).toMatch(/^InitError: init: edge runtimes cannot compile Wasm from bytes; import the .wasm as a module and pass it: import wasm from 'simdnet\/simd.wasm'; await init\(\{ module: wasm \}\)$/);
    expect(probe.prediction).toBeCloseTo(WORKED_PREDICTION, 5);
    expect(probe.batchPrediction).toBeCloseTo(WORKED_PREDICTION, 5);
    // threads asked for at the edge: one thread, and why (the edge build carries no threads code)
    expect(probe.threads).toEqual({ threads: 1, note: '1 thread: edge runtimes have no threads' });
  });

  it('POST /train: trains the student network on the request’s CSV, answers predictions as Node computes them', async () => {
    const csv = readFileSync(STUDENTS_CSV, 'utf8');
    // raw features: hours studied, attendance
    const predict = [[9.5, 0.95], [1.0, 0.3], [6.0, 0.8]];
    const answer = await get('/train', { method: 'POST', body: JSON.stringify({ csv, predict, epochs: 150 }), headers: { 'content-type': 'application/json' } });
    expect(answer.kind).toBe('wasm-simd');
    closeTo(answer.loss, reference.simd.loss);
    expect(answer.predictions).toHaveLength(3);
    expect(answer.predictions[0]).toBeGreaterThan(0.8);
    expect(answer.predictions[1]).toBeLessThan(0.2);
    const node = await nodePredictions(predict);
    closeTo(answer.predictions, node);
  }, 60_000);

  it.each([
    ['mlp', 'mlp_4_8_6_5_1_legacy', ['4-8 relu', '8-6 leaky_relu', '6-5 tanh', '5-1 sigmoid']],
    ['classifier', 'classifier_4_32_3_dynamo', ['4-32 relu', '32-3 softmax']],
  ] as const)('POST /onnx: the Worker imports %s.onnx (a Data module, bytes) and predicts as PyTorch did', async (model, fixture, layers) => {
    const ref = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/onnx', `${fixture}.json`), 'utf8')) as { inputs: number[][]; outputs: number[][] };
    const answer = await get('/onnx', { method: 'POST', body: JSON.stringify({ model, rows: ref.inputs }), headers: { 'content-type': 'application/json' } });
    expect(answer.kind).toBe('wasm-simd');
    expect(answer.isBytes).toBe(true);
    expect(answer.sameClass).toBe(true);
    expect(answer.layers).toEqual(layers);
    const got = (answer.predictions as number[][]).flat();
    ref.outputs.flat().forEach((e, i) => expect(Math.abs(got[i]! - e), `output ${i}`).toBeLessThanOrEqual(1e-5));
  });
});

/** The ONNX files the Worker imports (fixture → module name). */
const ONNX_MODULES: Record<string, string> = {
  'mlp_4_8_6_5_1_legacy.onnx': 'mlp.onnx',
  'classifier_4_32_3_dynamo.onnx': 'classifier.onnx',
  'classifier_4_32_3_dynamo.onnx.data': 'classifier.onnx.data',
};

/** The Worker's training and predictions, computed in Node from the sources. */
async function nodePredictions(rows: number[][]): Promise<number[]> {
  const { init, Network, Trainer, split, Scaler } = await import('../../src/index.js');
  const { parseCsv } = await import('../../src/csv.js');
  const runtime = await init({ setDefault: false });
  const data = parseCsv(readFileSync(STUDENTS_CSV, 'utf8'));
  const { train } = split(data, { train: 0.8, validation: 0.1, test: 0.1, stratify: true, seed: 1 });
  const scaler = Scaler.fit(train.x, train.rows, train.features, 'minmax');
  const net = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 3, runtime });
  await new Trainer(net, { loss: 'bce', optimizer: { type: 'adam', lr: 0.05 }, batchSize: 16, seed: 1 }).fitAsync(scaler.transform(train.x, train.rows), train.y, { epochs: 150 });
  return Array.from(net.predict(scaler.transform(Float32Array.from(rows.flat()), rows.length)) as Float32Array);
}

