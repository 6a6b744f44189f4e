import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'tsup';
import { buildCli } from './tsup.cli.config';
import { buildInterchange } from './tsup.interchange.config';
import { asciiComments } from './scripts/ascii-comments.mjs';
import { buildPlatforms, CHUNK_NAMES } from './tsup.platforms.config';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

export default defineConfig({
  // The universal build of the core. What a program may never need (the
  // pure-JS kernels, the file writer) is imported on demand, and the ESM
  // builds split it into chunks beside the entry (tsup's default for ESM), so
  // the core a browser, an edge function or a server loads stays small. The
  // CommonJS build cannot split (tsup's experimental way rewrites the code and
  // loses the class names), so index.cjs carries them inline.
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  // index.cjs: import.meta.url (where the .wasm is) from __filename, escaped
  // as a file URL must be (tsup's `shims` is not: a '#' in the path broke it)
  esbuildOptions(options, { format }) {
    options.chunkNames = CHUNK_NAMES;
    // ASCII only: other characters in code as \u escapes (the same strings
    // at run time), in comments by scripts/ascii-comments.mjs, which says why
    options.charset = 'ascii';
    if (format !== 'cjs') return;
    options.define = { ...options.define, 'import.meta.url': 'importMetaUrl' };
    options.inject = [...(options.inject ?? []), 'src/shims/cjs-import-meta-url.ts'];
  },
  // @internal members stay out of the public declarations
  dts: { entry: { index: 'src/index.ts' }, compilerOptions: { stripInternal: true } },
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
  async onSuccess() {
    mkdirSync('dist', { recursive: true });
    for (const f of ['simd.wasm', 'scalar.wasm', 'simd-threads.wasm', 'scalar-threads.wasm']) copyFileSync(`build/${f}`, `dist/${f}`);
    // dist/cli.js, the `simdnet` command (see tsup.cli.config.ts)
    await buildCli();
    // dist/browser.js, dist/edge.js, dist/csv.browser.js (see tsup.platforms.config.ts)
    await buildPlatforms();
    // dist/csv.js, onnx.js, tfjs.js, brain.js and their .cjs and .d.ts (see tsup.interchange.config.ts)
    await buildInterchange();
    // what charset 'ascii' leaves: the comments (see scripts/ascii-comments.mjs)
    asciiComments('dist');
  },
});
