import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type Options } from 'tsup';

const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

// dist/cli.js, the `simdnet` command: src/cli/main.ts starts with a #! line,
// which esbuild keeps and tsup marks executable. One file, ESM only: it
// bundles its own copy of the library (core, table and interchange code) and
// finds dist/simd.wasm beside itself as index.js does. tsup.config.ts runs
// this after its own build (from onSuccess, so its `clean` cannot race it).

const cli: Options = {
  entry: { cli: 'src/cli/main.ts' },
  format: ['esm'],
  platform: 'node',
  // the table and interchange code import the core as 'simdnet': here, this very copy of it
  esbuildPlugins: [
    {
      name: 'simdnet-from-source',
      setup(build) {
        build.onResolve({ filter: /^simdnet$/ }, () => ({ path: fileURLToPath(new URL('./src/index.ts', import.meta.url)) }));
      },
    },
  ],
  define: { __SIMDNET_VERSION__: JSON.stringify(version) },
  sourcemap: true,
  minify: false, // readable, names as in the sources: see tsup.config.ts
  target: 'es2022',
  splitting: false,
  clean: false,
  dts: false,
  esbuildOptions(options) {
    options.charset = 'ascii'; // see tsup.config.ts
  },
};

export async function buildCli(): Promise<void> {
  await build({ ...cli, config: false, silent: true });
}
