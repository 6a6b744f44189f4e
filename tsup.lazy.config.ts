import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';

// The Node builds of the core (dist/index.js, dist/index.cjs) load in two
// parts. A Node process compiles every byte of the entry it imports before
// running a line of it (about 3.7 ms per 100 KB here), so a program that
// initialises and predicts must not compile the training pipeline, the
// metrics and the model files. The first part is what `init`, `new Network`,
// `predict` and `fit` run; the rest, dist/index.lazy.cjs, is loaded with
// `require` inside the first call that needs it (synchronously: trainModel,
// evaluate and the rest stay synchronous).
//
// The split is at whole modules, LAZY_MODULES below: the first part gets, in
// place of each, a module of functions of the same names that load the rest
// and call the real one (so the first part may import only functions from
// them).
// Every other module is in exactly one part: the rest is built with every
// module the first part holds replaced by that module's live namespace,
// handed over when the rest is loaded (`__simdnetCore`), so there is one
// Network class, one set of error classes and one default runtime.
//
// The browser and edge builds are not split: bundlers tree-shake them, and a
// page cannot load code synchronously.

/** Modules the first part calls into only on paths a program that serves a model never takes. */
export const LAZY_MODULES = [
  // Network's summary, trace and standalone source (a serving program loads
  // a model and predicts: model files, JSON, probabilities and the tiny
  // path's code generator stay in the first part)
  'src/network/standalone.ts',
  'src/network/summary.ts',
  'src/network/trace.ts',
  // training: what a fit does before its first step, fits from streams, the
  // options' checks, the schedules, the targets (the Trainer class stays,
  // calling into them: the rest loads with the first Trainer)
  'src/training/fit-start.ts',
  'src/training/fit-stream.ts',
  'src/training/resolve-options.ts',
  'src/training/schedules.ts',
  'src/network/targets.ts',
  // the data, metrics, evaluation and pipeline exports
  'src/data/dataset.ts',
  'src/data/split.ts',
  'src/metrics/classification.ts',
  'src/metrics/regression.ts',
  'src/evaluation/evaluate.ts',
  'src/pipeline/train-model.ts',
  'src/pipeline/train-stream.ts',
];

/**
 * Lazy in index.cjs only: the pure-JS kernels (init({ backend: 'js' })),
 * which index.js imports on demand as a chunk of its own, and index.cjs,
 * which cannot split, would otherwise carry.
 */
const LAZY_IN_CJS = ['src/backend/js/index.ts'];

const ROOT = resolve('.');
const LAZY_FILE = 'index.lazy.cjs';
const key = (path: string) => relative(ROOT, path).split('\\').join('/');
const LAZY = new Set([...LAZY_MODULES, ...LAZY_IN_CJS].map((m) => resolve(m)));
const LAZY_ESM = new Set(LAZY_MODULES.map((m) => resolve(m)));

/**
 * The names of the functions a lazy module exports. Its other exports have no
 * stand-in: a module of the first part importing one fails the build (no
 * matching export), so a lazy module's classes and constants are the rest's own.
 */
function lazyExports(path: string): string[] {
  const source = readFileSync(path, 'utf8');
  const names = [...source.matchAll(/^export\s+(?:async\s+)?function\*?\s+([A-Za-z_$][\w$]*)/gm)].map((m) => m[1]!);
  return [...new Set(names)]; // once per overload signature
}

/** The first part's stand-in for a lazy module: functions of the same names (pure calls: esbuild drops those nothing uses). */
function stubSource(path: string): string {
  const k = JSON.stringify(key(path));
  const lines = [`import { lazyFunction } from 'simdnet-lazy:load';`];
  for (const name of lazyExports(path)) lines.push(`export const ${name} = /* @__PURE__ */ lazyFunction(${k}, ${JSON.stringify(name)});`);
  return lines.join('\n');
}

/** The loader: the rest, required once, linked to the namespaces of the first part's modules it imports. */
function loaderSource(format: 'esm' | 'cjs', linked: string[]): string {
  const imports = linked.map((p, i) => `import * as m${i} from ${JSON.stringify(resolve(p))};`);
  const link = `{\n${linked.map((p, i) => `      ${JSON.stringify(p)}: m${i},`).join('\n')}\n    }`;
  const load =
    format === 'cjs'
      ? `require(${JSON.stringify(`./${LAZY_FILE}`)})`
      : `nodeRequire()(${JSON.stringify(`./${LAZY_FILE}`)})`;
  return [
    `import { InitError } from ${JSON.stringify(resolve('src/errors.ts'))};`,
    ...imports,
    `let modules = null;`,
    // ES modules: require from this file's URL, where Node >= 20.16 (Deno, Bun) gives node:module without an import
    `function nodeRequire() {`,
    `  const proc = globalThis.process;`,
    `  const nodeModule = typeof proc?.getBuiltinModule === 'function' ? proc.getBuiltinModule('node:module') : undefined;`,
    `  if (!nodeModule) throw new Error('this runtime has no process.getBuiltinModule (Node >= 20.16): require(\\'simdnet\\') works on older Node');`,
    `  return nodeModule.createRequire(import.meta.url);`,
    `}`,
    // a function of the lazy module's, under its own name (a computed method name names the function)
    `export function lazyFunction(key, name) {`,
    `  return { [name](...args) { return lazyModule(key)[name](...args); } }[name];`,
    `}`,
    `function lazyModule(key) {`,
    `  if (modules === null) {`,
    `    let link;`,
    `    try {`,
    `      link = ${load};`,
    `    } catch (e) {`,
    `      const why = e instanceof Error ? e.message : String(e);`,
    `      throw new InitError(`,
    `        \`simdnet: ${LAZY_FILE}, the part of simdnet loaded on first use, could not be loaded beside \${${format === 'cjs' ? '__filename' : 'import.meta.url'}} (\${why}); \` +`,
    `        'a bundle of a Node program must copy it beside the bundle, as it does the .wasm files',`,
    `        { cause: e },`,
    `      );`,
    `    }`,
    `    modules = link(${link});`,
    `  }`,
    `  return modules[key];`,
    `}`,
  ].join('\n');
}

/** esbuild plugin for the first part: lazy modules become stubs; `linked` are the first part's modules the rest imports. */
export function lazyStubs(linked: string[]): Plugin {
  return {
    name: 'simdnet-lazy-stubs',
    setup(b) {
      const format = b.initialOptions.format === 'cjs' ? 'cjs' : 'esm';
      const lazy = format === 'cjs' ? LAZY : LAZY_ESM;
      b.onResolve({ filter: /^simdnet-lazy:load$/ }, () => ({ path: 'load', namespace: 'simdnet-lazy' }));
      b.onLoad({ filter: /.*/, namespace: 'simdnet-lazy' }, () => ({ contents: loaderSource(format, linked), loader: 'js', resolveDir: ROOT }));
      b.onResolve({ filter: new RegExp(`^\\./${LAZY_FILE.replace('.', '\\.')}$`) }, (a) => ({ path: a.path, external: true }));
      b.onLoad({ filter: /\.ts$/ }, (a) => (lazy.has(a.path) ? { contents: stubSource(a.path), loader: 'js', resolveDir: ROOT } : undefined));
    },
  };
}

/** esbuild plugin for the rest: each module of the first part is its live namespace, handed over on load. */
function linkFirstPart(firstPart: Set<string>, linked: Set<string>): Plugin {
  return {
    name: 'simdnet-lazy-link',
    setup(b) {
      // resolved as esbuild would, then moved out of the file namespace: a CommonJS module there, whatever package.json's "type" says
      b.onResolve({ filter: /^\./ }, async (a) => {
        if (a.pluginData === 'simdnet-lazy-link') return undefined;
        const r = await b.resolve(a.path, { kind: a.kind, importer: a.importer, resolveDir: a.resolveDir, pluginData: 'simdnet-lazy-link' });
        if (r.errors.length > 0 || !firstPart.has(key(r.path))) return undefined;
        linked.add(key(r.path));
        return { path: key(r.path), namespace: 'simdnet-first-part' };
      });
      b.onLoad({ filter: /.*/, namespace: 'simdnet-first-part' }, (a) => ({ contents: `module.exports = __simdnetCore[${JSON.stringify(a.path)}];`, loader: 'js' }));
    },
  };
}

const ALL_LAZY = [...LAZY_MODULES, ...LAZY_IN_CJS];
const restEntry = () => ({
  contents: [...ALL_LAZY.map((m, i) => `import * as m${i} from ${JSON.stringify(resolve(m))};`), `export const modules = { ${ALL_LAZY.map((m, i) => `${JSON.stringify(m)}: m${i}`).join(', ')} };`].join('\n'),
  resolveDir: ROOT,
  loader: 'js' as const,
});

export interface LazySplit {
  /** the first part's modules (repository-relative) */
  firstPart: Set<string>;
  /** those of them the rest imports */
  linked: string[];
}

/** Which modules each part holds: the first part built with the stubs, then the rest against it. */
export async function planLazySplit(entry: string, options: BuildOptions): Promise<LazySplit> {
  // the first part as index.cjs has it, every lazy module a stub (index.js holds the same, and the JS kernels in a chunk of their own)
  const first = await build({ ...options, entryPoints: [entry], bundle: true, write: false, metafile: true, format: 'cjs', outdir: 'dist', logLevel: 'silent', plugins: [lazyStubs([])] });
  // a lazy module is an input there too, as its stub
  const firstPart = new Set(Object.keys(first.metafile.inputs).filter((p) => p.endsWith('.ts') && !LAZY.has(resolve(p))).map((p) => key(resolve(p))));
  const linked = new Set<string>();
  await build({ ...options, stdin: restEntry(), bundle: true, write: false, format: 'cjs', outfile: `dist/${LAZY_FILE}`, logLevel: 'silent', plugins: [linkFirstPart(firstPart, linked)] });
  return { firstPart, linked: [...linked].sort() };
}

/** dist/index.lazy.cjs: the rest, a function of the first part's namespaces that returns the lazy modules. */
export async function buildLazyPart(split: LazySplit, options: BuildOptions): Promise<void> {
  const linked = new Set<string>();
  await build({
    ...options,
    stdin: restEntry(),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    outfile: `dist/${LAZY_FILE}`,
    logLevel: 'warning',
    // one line each, so the source map's lines hold
    banner: { js: `module.exports = function linkSimdnet(__simdnetCore) { "use strict"; const module = { exports: {} }; const exports = module.exports;` },
    footer: { js: `return module.exports.modules; };` },
    plugins: [linkFirstPart(split.firstPart, linked)],
  });
  const missing = [...linked].filter((k) => !split.linked.includes(k));
  if (missing.length) throw new Error(`tsup.lazy.config.ts: the rest imports ${missing.join(', ')}, which the first part does not hand over`);
}
