import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'tsup';
import { buildInterchange } from './tsup.interchange.config';
import { buildPlatforms } from './tsup.platforms.config';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig({
  // cli: the `simdnet` command (src/cli/main.ts starts with a #! line, which
  // esbuild keeps and tsup marks executable); it bundles its own copy of the
  // library and finds dist/simd.wasm beside itself like index.js does.
  entry: { index: 'src/index.ts', csv: 'src/csv.ts', cli: 'src/cli/main.ts' },
  format: ['esm', 'cjs'],
  // index.cjs: import.meta.url (where the .wasm is) from __filename, escaped
  // as a file URL must be (tsup's `shims` is not: a '#' in the path broke it)
  esbuildOptions(options, { format }) {
    if (format !== 'cjs') return;
    options.define = { ...options.define, 'import.meta.url': 'importMetaUrl' };
    options.inject = [...(options.inject ?? []), 'src/shims/cjs-import-meta-url.ts'];
  },
  // the CLI bundles the interchange code, whose imports of 'simdnet' must be this very copy of the core
  esbuildPlugins: [
    {
      name: 'simdnet-from-source',
      setup(build) {
        build.onResolve({ filter: /^simdnet$/ }, () => ({ path: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }));
      },
    },
  ],
  // @internal members stay out of the public declarations
  dts: { entry: { index: 'src/index.ts', csv: 'src/csv.ts' }, compilerOptions: { stripInternal: true } },
  define: { __SIMDNET_VERSION__: JSON.stringify(version) },
  sourcemap: true,
  // Readable code, as libraries ship: names as in the sources (an error
  // prints as ShapeError, a network as Network {…}; test/packaging/names.test.ts
  // checks every export), and an uncaught error's source line is one short
  // line, not the whole bundle. Minifying is the user's bundler's job; the
  // size budgets are measured on a minified bundle (test/packaging/budgets.test.ts).
  // No keepNames: its __name() call per function would cost every user's
  // bundle about 2.6 KB gzipped; a class that names itself in its own body is
  // what would lose its name (bundled as `class _Name`), so none does.
  minify: false,
  clean: true,
  target: 'es2022',
  splitting: false,
  async onSuccess() {
    mkdirSync('dist', { recursive: true });
    for (const f of ['simd.wasm', 'scalar.wasm']) copyFileSync(`build/${f}`, `dist/${f}`);
    // tsup builds every entry in every format; the command is ESM only
    for (const f of ['cli.cjs', 'cli.cjs.map']) rmSync(`dist/${f}`, { force: true });
    // dist/browser.js, dist/edge.js, dist/csv.browser.js (see tsup.platforms.config.ts)
    await buildPlatforms();
    // dist/onnx.js, tfjs.js, brain.js and their .cjs and .d.ts (see tsup.interchange.config.ts)
    await buildInterchange();
  },
});
