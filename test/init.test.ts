import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { init, InitError, Network } from '../src/index.js';
import { ABI_VERSION } from '../src/backend/abi.js';

const buildUrl = (f: string) => new URL(`../build/${f}`, import.meta.url);

describe('init: where the kernels come from', () => {
  it('detects SIMD and loads the SIMD build by default (Node 20 has SIMD)', async () => {
    const rt = await init({ setDefault: false });
    expect(rt.kind).toBe('wasm-simd');
  });

  it('{ simd: false } gives the scalar build; { backend: "js" } the pure-JS backend', async () => {
    expect((await init({ simd: false, setDefault: false })).kind).toBe('wasm-scalar');
    expect((await init({ backend: 'js', setDefault: false })).kind).toBe('js');
  });

  it('{ bytes }, { module } and { url } all work and tell the build from the module', async () => {
    const bytes = readFileSync(buildUrl('scalar.wasm'));
    expect((await init({ bytes, setDefault: false })).kind).toBe('wasm-scalar');
    const module = await WebAssembly.compile(readFileSync(buildUrl('simd.wasm')));
    const rt = await init({ module, setDefault: false });
    expect(rt.kind).toBe('wasm-simd');
    expect((await init({ url: buildUrl('simd.wasm'), setDefault: false })).kind).toBe('wasm-simd');
    const net = new Network({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], runtime: rt });
    expect(net.predict([0, 0])[0]).toBe(0.5);
  });

  it('a module that is not a simdnet kernel module is a clear InitError', async () => {
    // (module (func (export "f")))
    const other = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, 102, 0, 0, 10, 4, 1, 2, 0, 11]);
    await expect(init({ bytes: other, setDefault: false })).rejects.toThrow(InitError);
    await expect(init({ bytes: other, setDefault: false })).rejects.toThrow(new RegExp(`expected a simdnet kernel module with ABI version ${ABI_VERSION}, got a module without one`));
  });

  it('bad options are clear errors', async () => {
    await expect(init({ backend: 'gpu' as 'js' })).rejects.toThrow(/init: backend: expected 'wasm' or 'js', got "gpu"/);
    await expect(init({ maximumPages: 0 })).rejects.toThrow(/init: maximumPages: expected an integer from 1 to 65536, got 0/);
  });

  it('a network before any init() names the fix', async () => {
    // a fresh module graph: no default runtime yet
    vi.resetModules();
    const mod = await import('../src/runtime.js');
    const errors = await import('../src/errors.js');
    expect(() => mod.defaultRuntimeOrThrow()).toThrow(errors.StateError);
    expect(() => mod.defaultRuntimeOrThrow()).toThrow(/call `await init\(\)`/);
  });
});
