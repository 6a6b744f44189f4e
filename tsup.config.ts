import { copyFileSync, mkdirSync } from 'node:fs';
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', csv: 'src/csv.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  splitting: false,
  async onSuccess() {
    mkdirSync('dist', { recursive: true });
    for (const f of ['simd.wasm', 'scalar.wasm']) copyFileSync(`build/${f}`, `dist/${f}`);
  },
});
