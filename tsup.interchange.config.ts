import { build, type Options } from 'tsup';

// The entries beside the core: simdnet/csv, simdnet/onnx, simdnet/tfjs, simdnet/brain. They
// import the core by the package's own name and leave that import in place,
// so a network they read is a Network of the core the user imported, living
// in the runtime the user's init() set up (a bundled copy of the core would
// be a second class and a second, uninitialised default runtime). One build
// serves every platform (but csv's loadCsv, which reads files: csv.browser.js
// is built apart, see tsup.platforms.config.ts); a bundler resolves 'simdnet'
// with its own conditions (browser.js, edge.js, index.cjs…).
// tsup.config.ts runs this after its own build (from onSuccess, so its
// `clean` cannot race it).

const interchange: Options = {
  entry: { csv: 'src/csv.ts', onnx: 'src/onnx.ts', tfjs: 'src/tfjs.ts', brain: 'src/brain.ts' },
  format: ['esm', 'cjs'],
  external: ['simdnet'],
  dts: { entry: { csv: 'src/csv.ts', onnx: 'src/onnx.ts', tfjs: 'src/tfjs.ts', brain: 'src/brain.ts' }, compilerOptions: { stripInternal: true } },
  sourcemap: true,
  minify: false, // readable, names as in the sources: see tsup.config.ts
  target: 'es2022',
  splitting: false,
  clean: false,
  removeNodeProtocol: false,
  esbuildOptions(options) {
    options.charset = 'ascii'; // see tsup.config.ts
  },
};

export async function buildInterchange(): Promise<void> {
  await build({ ...interchange, config: false, silent: true });
}
