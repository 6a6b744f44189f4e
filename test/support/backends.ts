import { init, type InitOptions, type Runtime } from '../../src/index.js';

/** Every backend the shared numeric suite runs against. */
export const BACKENDS: ReadonlyArray<{ name: string; options: InitOptions }> = [
  { name: 'wasm-simd', options: { simd: true } },
  { name: 'wasm-scalar', options: { simd: false } },
  { name: 'js', options: { backend: 'js' } },
];

/** A fresh runtime that is not made the default (tests pass it explicitly). */
export function runtimeFor(options: InitOptions): Promise<Runtime> {
  return init({ ...options, setDefault: false });
}
