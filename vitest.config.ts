import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [
      // the interchange entries import the core by its package name (in dist/ it stays an import of the
      // package, so that they share its classes and runtime); the tests take it from the sources
      { find: /^simdnet$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
      {
        // the threads code is dist/threads.js in the universal build; tests take it from the sources
        find: /^.*\/threads-loader\.js$/,
        replacement: fileURLToPath(new URL('./test/support/threads-loader.ts', import.meta.url)),
      },
      {
        // the threads builds, as the .wasm files below
        find: /^.*\/threads-wasm-url\.js$/,
        replacement: fileURLToPath(new URL('./test/support/threads-wasm-url.ts', import.meta.url)),
      },
      {
        // the worker script runs as a file of its own: the built one (npm run build makes it)
        find: /^.*\/worker-url\.js$/,
        replacement: fileURLToPath(new URL('./test/support/worker-url.ts', import.meta.url)),
      },
      {
        // the bundled package finds its .wasm beside dist/index.js; tests use build/
        find: /^.*\/wasm-url\.js$/,
        replacement: fileURLToPath(new URL('./test/support/wasm-url.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
