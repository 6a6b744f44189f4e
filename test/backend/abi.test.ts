import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import * as abi from '../../src/backend/abi.js';
import { LAYER_BYTES, LayerField, Tail, TAIL_BYTES } from '../../src/backend/abi.js';
import { createJsBackend } from '../../src/backend/js/index.js';
import { instantiateKernels } from '../../src/backend/wasm/index.js';
import { renderAssemblyAbi } from '../../scripts/generate-abi.mjs';
import { kernelModule } from '../support/backends.js';

// The kernel ABI is declared once, in src/backend/abi.ts; these tests fail
// when anything built from it has drifted away.

const root = (path: string): URL => new URL(`../../${path}`, import.meta.url);

/** Every declaration of src/backend/abi.ts as [export name, value], `Act.relu` for members. */
function declarations(): [string, number][] {
  const out: [string, number][] = [];
  for (const [name, value] of Object.entries(abi)) {
    if (typeof value === 'number') out.push([name, value]);
    else for (const [key, v] of Object.entries(value as Record<string, number>)) out.push([`${name}.${key}`, v]);
  }
  return out;
}

function relaxedModule(): WebAssembly.Module {
  const bytes = readFileSync(root('build/relaxed.wasm'));
  // Node 20 runs relaxed SIMD behind a V8 flag; later versions ship it
  if (!WebAssembly.validate(bytes)) setFlagsFromString('--experimental-wasm-relaxed-simd');
  return new WebAssembly.Module(bytes);
}

const MODULES: [string, () => WebAssembly.Module][] = [
  ['simd', () => kernelModule('simd.wasm')],
  ['scalar', () => kernelModule('scalar.wasm')],
  ['relaxed', relaxedModule],
];

describe('the kernel ABI, declared once', () => {
  it('assembly/abi.ts is what scripts/generate-abi.mjs makes of src/backend/abi.ts (regenerate with `npm run build:wasm`)', () => {
    const committed = readFileSync(root('assembly/abi.ts'), 'utf8');
    expect(committed, 'assembly/abi.ts is stale').toBe(renderAssemblyAbi(abi));
    expect(committed).toMatch(/^\/\/ Generated from src\/backend\/abi\.ts by scripts\/generate-abi\.mjs .*do not edit/s);
  });

  it('the generator refuses what is not a number or an object of integers', () => {
    expect(() => renderAssemblyAbi({ X: 'a' })).toThrow(/generate-abi: X: expected a number or an object of numbers/);
    expect(() => renderAssemblyAbi({ X: { y: 1.5 } })).toThrow(/generate-abi: X\.y: expected an i32 integer, got 1\.5/);
    expect(() => renderAssemblyAbi({ X: 2 ** 31 })).toThrow(/generate-abi: X: expected an i32 integer, got 2147483648/);
  });

  it.each(MODULES)('the %s build exports every declaration with its value, and nothing else', (_name, load) => {
    const module = load();
    const backend = instantiateKernels(module);
    const globals = backend.kernels as unknown as Record<string, WebAssembly.Global>;
    for (const [name, value] of declarations()) {
      expect(globals[name], `${name} exported`).toBeInstanceOf(WebAssembly.Global);
      expect(globals[name]!.value, name).toBe(value);
    }
    const declared = new Set(declarations().map(([name]) => name));
    const exported = WebAssembly.Module.exports(module).filter((e) => e.kind === 'global').map((e) => e.name);
    // SIMD says which build this is; it is not part of the contract
    expect(exported.filter((name) => name !== 'SIMD' && !declared.has(name))).toEqual([]);
  });

  it.each(MODULES)('the %s build and the JS backend implement exactly the same functions', (_name, load) => {
    const functions = WebAssembly.Module.exports(load()).filter((e) => e.kind === 'function').map((e) => e.name);
    expect(functions.sort()).toEqual(Object.keys(createJsBackend().kernels).sort());
  });

  it('the layout the kernels rely on', () => {
    // the table and its tail stay 16-byte aligned, so the tail's f64 words are aligned
    expect(LAYER_BYTES % 16).toBe(0);
    expect(TAIL_BYTES % 16).toBe(0);
    const fields = Object.values(LayerField);
    expect(new Set(fields).size, 'distinct fields').toBe(fields.length);
    for (const offset of fields) {
      expect(offset % 4).toBe(0);
      expect(offset + 4).toBeLessThanOrEqual(LAYER_BYTES);
    }
    // the undo block is filled by walking W, b and then mW, mb, vW, vb as consecutive words
    expect(LayerField.b - LayerField.W).toBe(4);
    expect([LayerField.mb, LayerField.vW, LayerField.vb].map((o) => o - LayerField.mW)).toEqual([4, 8, 12]);
    // 32-bit words: maxParam and maxState (f32), classWeights (a u32 pointer), packed (i32), the gather's order, start and sources (u32, i32)
    const f32Words = [Tail.maxParam, Tail.maxState, Tail.classWeights, Tail.packed, Tail.gatherOrder, Tail.gatherStart, Tail.gatherX, Tail.gatherY];
    const f64Words = [Tail.lr, Tail.beta1, Tail.beta2, Tail.eps, Tail.clipNorm, Tail.t, Tail.result, Tail.lossSum];
    expect(f32Words.length + f64Words.length).toBe(Object.keys(Tail).length);
    const spans = [...f32Words.map((o) => [o, o + 4]), ...f64Words.map((o) => [o, o + 8])].sort((a, b) => a[0]! - b[0]!);
    for (const o of f32Words) expect(o % 4).toBe(0);
    for (const o of f64Words) expect(o % 8).toBe(0);
    spans.forEach(([start, end], i) => {
      expect(end).toBeLessThanOrEqual(TAIL_BYTES);
      if (i > 0) expect(start, 'tail fields overlap').toBeGreaterThanOrEqual(spans[i - 1]![1]!);
    });
  });
});
