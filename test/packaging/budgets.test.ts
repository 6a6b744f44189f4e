/**
 * Budgets and promises of the built package (dist/, as `npm test` builds it):
 * each .wasm ≤ 64 KB; the core entry ≤ 40 KB minified + gzipped in the ESM
 * builds (index.js, browser.js, edge.js: what browsers and edge functions
 * load), with the chunks it imports up front (what it imports on demand, the
 * pure-JS kernels and the file writer, is loaded only by a program that uses
 * them), 41.5 KB for index.js and browser.js since threads are the default
 * where possible (the default's glue, ~0.8 KB: deciding whether threads are
 * possible, compiling the threads build, spotting the first call large
 * enough to share; edge.js has none); index.cjs, which cannot split and
 * carries those inline, ≤ 47.5 KB (44 KB before training from streams —
 * Trainer.fitStream and trainModelStream, about 1.8 KB, inline there too —
 * the threads option's glue, ~0.5 KB, in every core entry, and the default's
 * ~0.8 KB; the threads code itself is dist/threads.js, loaded only when
 * threads are asked for or a default runtime starts its workers); no runtime dependency in the core entry (no bare import at all in
 * the browser and edge builds; only Node's fs, lazily, in the universal one);
 * no eval / new Function anywhere; no top-level await; every file the
 * exports map names exists.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/packed.js';

const DIST = join(ROOT, 'dist');
const WASM_BUDGET = 64 * 1024;
const CORE_BUILDS = ['index.js', 'index.cjs', 'browser.js', 'edge.js'];
const CORE_BUDGETS: Record<string, number> = { 'index.js': 41.5 * 1024, 'browser.js': 41.5 * 1024, 'edge.js': 40 * 1024, 'index.cjs': 47.5 * 1024 };
/** The interchange entries (minified + gzipped), each apart from the core it imports. */
const INTERCHANGE_BUDGETS: Record<string, number> = { onnx: 12 * 1024, tfjs: 6 * 1024, brain: 5 * 1024 };
const INTERCHANGE = Object.keys(INTERCHANGE_BUDGETS).flatMap((e) => [`${e}.js`, `${e}.cjs`]);

type Esbuild = typeof import('esbuild');
let esbuild: Esbuild;

beforeAll(async () => {
  for (const f of [...CORE_BUILDS, ...INTERCHANGE, 'simd.wasm', 'scalar.wasm']) {
    if (!statSync(join(DIST, f), { throwIfNoEntry: false })) throw new Error(`dist/${f} is missing: run \`npm run build\` first (\`npm test\` does)`);
  }
  esbuild = await import('esbuild');
});

const js = () => readdirSync(DIST).filter((f) => /\.(c?js)$/.test(f));

/** The chunks `file` imports when it loads (not those it imports on demand), and theirs. */
function staticChunks(file: string, seen = new Set<string>()): string[] {
  const code = readFileSync(join(DIST, file), 'utf8');
  const direct = /^(?:import\s[^;]*?from\s*|var\s+\w+\s*=\s*require\()["']\.\/([^"']+)["']/gm;
  for (const m of code.matchAll(direct)) {
    if (!seen.has(m[1]!)) {
      seen.add(m[1]!);
      staticChunks(m[1]!, seen);
    }
  }
  return [...seen];
}

describe('budgets', () => {
  it.each(['simd.wasm', 'scalar.wasm', 'simd-threads.wasm', 'scalar-threads.wasm'])('%s ≤ 64 KB', (f) => {
    const size = statSync(join(DIST, f)).size;
    console.log(`budget: dist/${f} ${size} bytes (≤ ${WASM_BUDGET})`);
    expect(size).toBeLessThanOrEqual(WASM_BUDGET);
  });

  it.each(CORE_BUILDS)('core entry dist/%s (with the chunks it imports up front) within its budget, minified + gzipped', async (f) => {
    const budget = CORE_BUDGETS[f]!;
    const files = [f, ...staticChunks(f)];
    let gz = 0;
    for (const file of files) {
      const min = await esbuild.transform(readFileSync(join(DIST, file), 'utf8'), { minify: true, format: file.endsWith('.cjs') ? 'cjs' : 'esm', loader: 'js' });
      gz += gzipSync(min.code, { level: 9 }).length; // each file apart: a little more than one stream would take
    }
    console.log(`budget: dist/${f} + ${files.length - 1} chunk(s): ${gz} minified+gzipped (≤ ${budget})`);
    expect(gz).toBeLessThanOrEqual(budget);
  });

  it('the chunks the core loads on demand exist beside it (code there that finds the .wasm by its own URL finds it too)', () => {
    for (const f of CORE_BUILDS.filter((b) => b.endsWith('.js'))) {
      const code = readFileSync(join(DIST, f), 'utf8');
      const lazy = [...code.matchAll(/import\("\.\/([^"]+)"\)/g)].map((m) => m[1]!);
      expect(lazy.length, `dist/${f} loads the JS kernels on demand`).toBeGreaterThan(0);
      for (const chunk of [...lazy, ...staticChunks(f)]) {
        expect(chunk, `a chunk of dist/${f}`).not.toContain('/');
        expect(statSync(join(DIST, chunk), { throwIfNoEntry: false })?.isFile(), chunk).toBe(true);
      }
    }
  });

  it.each(INTERCHANGE)('interchange entry dist/%s within its budget', async (f) => {
    const budget = INTERCHANGE_BUDGETS[f.replace(/\.c?js$/, '')]!;
    const code = readFileSync(join(DIST, f), 'utf8');
    const min = await esbuild.transform(code, { minify: true, format: f.endsWith('.cjs') ? 'cjs' : 'esm', loader: 'js' });
    const gz = gzipSync(min.code, { level: 9 }).length;
    console.log(`budget: dist/${f} ${code.length} bytes, ${gz} minified+gzipped (≤ ${budget})`);
    expect(gz).toBeLessThanOrEqual(budget);
  });

  it('edge.js and the chunks beside it hold no threads code (edge runtimes have no threads); the universal build loads dist/threads.js only by URL', () => {
    const edge = [readFileSync(join(DIST, 'edge.js'), 'utf8'), ...staticChunks('edge.js').map((c) => readFileSync(join(DIST, c), 'utf8'))].join('\n');
    for (const marker of ['mlp_thread_run', 'thread-worker.js', 'threads.js', 'worker_threads']) expect(edge, `${marker} in dist/edge.js`).not.toContain(marker);
    for (const f of ['index.js', 'index.cjs']) {
      const code = readFileSync(join(DIST, f), 'utf8');
      expect(code, f).toContain('"./threads.js"');
      expect(code, f).not.toContain('mlp_thread_run');
    }
    expect(readFileSync(join(DIST, 'threads.js'), 'utf8')).toContain('mlp_thread_run');
  });

  it('the core entry holds none of the interchange code (it grows by nothing for it)', () => {
    for (const f of CORE_BUILDS) {
      const code = readFileSync(join(DIST, f), 'utf8');
      for (const marker of ['onnx model.graph', 'tfjs modelTopology', 'brain.js sizes', 'simdnet.feature_names']) expect(code, `${marker} in dist/${f}`).not.toContain(marker);
    }
    // the markers are real: each is in its entry
    expect(readFileSync(join(DIST, 'onnx.js'), 'utf8')).toContain('simdnet.feature_names');
    expect(readFileSync(join(DIST, 'tfjs.js'), 'utf8')).toContain('tfjs modelTopology');
    expect(readFileSync(join(DIST, 'brain.js'), 'utf8')).toContain('brain.js sizes');
  });
});

describe('no runtime dependencies in the core entry', () => {
  /** Every import the file makes that its bundle would leave to the host. */
  async function imports(f: string, alsoExternal: string[] = []): Promise<string[]> {
    const result = await esbuild.build({
      entryPoints: [join(DIST, f)],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'neutral',
      packages: 'external',
      external: ['node:*', 'fs', 'fs/*', 'url', ...alsoExternal],
      logLevel: 'silent',
    });
    const outputs = Object.values(result.metafile.outputs);
    return [...new Set(outputs.flatMap((o) => o.imports.map((i) => `${i.kind} ${i.path}`)))].sort();
  }

  it('browser.js and edge.js import nothing', async () => {
    expect(await imports('browser.js')).toEqual([]);
    expect(await imports('edge.js')).toEqual([]);
  });

  it("index.js (Node, Deno, Bun) only imports Node's fs (for file: URLs), and fs, path and crypto (net.save, Network.load), each dynamically; index.cjs the same", async () => {
    const node = ['crypto', 'fs', 'fs/promises', 'path'];
    expect(await imports('index.js')).toEqual(node.map((m) => `dynamic-import ${m}`));
    expect(await imports('index.cjs')).toEqual(node.map((m) => `dynamic-import ${m}`));
  });

  it('browser.js and edge.js do not mention Node; edge.js has no import.meta.url, fetch or compile from bytes', () => {
    for (const f of ['browser.js', 'edge.js', 'csv.browser.js']) {
      expect(readFileSync(join(DIST, f), 'utf8'), f).not.toMatch(/\bfrom\s*["'](node:)?fs|import\(["'](node:)?fs|require\(/);
    }
    const edge = readFileSync(join(DIST, 'edge.js'), 'utf8');
    expect(edge).not.toMatch(/import\.meta\.url|\bfetch\(|WebAssembly\.compile\(/);
  });

  it.each(INTERCHANGE)('dist/%s imports the core by name (simdnet) and nothing else: one build for every platform', async (f) => {
    // 'simdnet' kept external: from dist/ it would resolve to this very package
    expect(await imports(f, ['simdnet'])).toEqual([f.endsWith('.cjs') ? 'require-call simdnet' : 'import-statement simdnet']);
    const code = readFileSync(join(DIST, f), 'utf8');
    const at = code.search(/["']node:|from\s*["']fs|require\(["']fs|import\.meta\.url/);
    expect(at, `…${code.slice(Math.max(0, at - 40), at + 40)}…`).toBe(-1);
  });

  it('simdnet/csv imports the core by name (simdnet); the Node build also fs, the browser build nothing else', async () => {
    expect(await imports('csv.browser.js', ['simdnet'])).toEqual(['import-statement simdnet']);
    expect(await imports('csv.js', ['simdnet'])).toEqual(['import-statement node:fs/promises', 'import-statement simdnet']);
    expect(await imports('csv.cjs', ['simdnet'])).toEqual(['require-call node:fs/promises', 'require-call simdnet']);
  });
});

describe('strict-CSP and loader safety', () => {
  it.each(['new Function', 'eval('])('no %s in any built JS', (needle) => {
    for (const f of js()) {
      const code = readFileSync(join(DIST, f), 'utf8');
      const at = code.search(needle === 'eval(' ? /\beval\(/ : /new Function\b/);
      expect(at, `${needle} in dist/${f}: …${code.slice(Math.max(0, at - 60), at + 60)}…`).toBe(-1);
    }
  });

  it('no top-level await in any ESM build (a CJS transform would refuse it)', async () => {
    for (const f of js().filter((f) => f.endsWith('.js'))) {
      const code = readFileSync(join(DIST, f), 'utf8').replace(/^#!.*\n/, '');
      await expect(esbuild.transform(code, { format: 'cjs', loader: 'js', logLevel: 'silent' }), f).resolves.toBeDefined();
    }
  });

  it('the TLA check itself catches a top-level await', async () => {
    await expect(esbuild.transform('await Promise.resolve(1);\nexport {};', { format: 'cjs', loader: 'js', logLevel: 'silent' })).rejects.toThrow(/Top-level await/);
  });
});

describe('the exports map', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown>; dependencies?: Record<string, string> };

  it('names the conditions for workerd, edge-light, browser, require, node and default, and every file exists', () => {
    const core = pkg.exports['.'] as Record<string, unknown>;
    expect(Object.keys(core)).toEqual(['workerd', 'edge-light', 'browser', 'require', 'node', 'default']);
    const targets: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === 'string') targets.push(v);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(pkg.exports);
    for (const t of targets) {
      if (t === './package.json') continue;
      expect(statSync(join(ROOT, t), { throwIfNoEntry: false })?.isFile(), t).toBe(true);
    }
    expect(pkg.exports['./simd.wasm']).toMatchObject({ default: './dist/simd.wasm' });
    expect(pkg.exports['./scalar.wasm']).toMatchObject({ default: './dist/scalar.wasm' });
  });

  it('has no runtime dependencies (simdnet/csv reads CSV with its own reader)', () => {
    expect(Object.keys(pkg.dependencies ?? {})).toEqual([]);
  });
});
