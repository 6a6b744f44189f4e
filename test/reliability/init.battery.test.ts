/**
 * The reliability battery on `init(options)`: every source of kernels (the
 * bundled builds, bytes, a compiled module, a URL, the JS backend) and the
 * memory bounds, spoiled one or two options at a time. The property: a
 * runtime of the kind asked for, whose networks compute what the JS
 * backend's do, or an InitError naming the option.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, it } from 'vitest';
import { init, Network, type Runtime } from '../../src/index.js';
import { battery, expectSame, type Entry } from '../support/battery.js';
import { expectNear } from '../support/battery-nets.js';
import { boolVariants, nameVariants, NONE, OMIT, objectVariants, sizeVariants, Variant } from '../support/hostile.js';
import { wasmUrl } from '../support/wasm-url.js';

const PAGE = 65536;

interface Sources {
  simd: Uint8Array;
  scalar: Uint8Array;
  module: WebAssembly.Module;
  /** A valid Wasm module that is no simdnet kernel module. */
  stranger: WebAssembly.Module;
  js: Runtime;
}

interface InitClean {
  source: 'simd' | 'scalar' | 'js' | 'bytes' | 'module' | 'url';
  initialPages?: number;
  maximumPages?: number;
}

const initClean: fc.Arbitrary<InitClean> = fc.record({
  source: fc.constantFrom('simd', 'scalar', 'js', 'bytes', 'module', 'url'),
  initialPages: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
  maximumPages: fc.option(fc.integer({ min: 8, max: 256 }), { nil: undefined }),
}, { requiredKeys: ['source'] });

function optionsOf(c: InitClean, s: Sources): Record<string, unknown> {
  const o: Record<string, unknown> = { setDefault: false };
  if (c.source === 'simd') o.simd = true;
  if (c.source === 'scalar') o.simd = false;
  if (c.source === 'js') o.backend = 'js';
  if (c.source === 'bytes') o.bytes = s.simd.slice();
  if (c.source === 'module') o.module = s.module;
  if (c.source === 'url') o.url = wasmUrl('simd.wasm').href;
  if (c.initialPages !== undefined) o.initialPages = c.initialPages;
  if (c.maximumPages !== undefined) o.maximumPages = c.maximumPages;
  return o;
}

function sourceVariants(s: Sources): Record<'bytes' | 'module' | 'url', fc.Arbitrary<Variant>> {
  const same = (label: string, make: () => unknown) => new Variant(label, make, make, true);
  const as = (label: string, make: () => unknown, plain: () => unknown) => new Variant(label, make, plain, true);
  const refused = (label: string, make: () => unknown) => new Variant(label, make, () => NONE, false);
  const left = new Variant('left out', () => undefined, () => OMIT, true);
  const inside = (bytes: Uint8Array, offset: number) => {
    const buffer = new Uint8Array(bytes.length + offset + 7).fill(0xff);
    buffer.set(bytes, offset);
    return buffer.subarray(offset, offset + bytes.length);
  };
  return {
    bytes: fc.constantFrom(
      same('the SIMD build', () => s.simd.slice()), same('the scalar build', () => s.scalar.slice()),
      as('a view at an offset in a larger buffer', () => inside(s.simd, 5), () => s.simd.slice()),
      as('an ArrayBuffer', () => s.simd.slice().buffer, () => s.simd.slice()), as('a DataView', () => new DataView(s.simd.slice().buffer), () => s.simd.slice()),
      same('bytes that are no Wasm', () => new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), same('no bytes', () => new Uint8Array(0)),
      same('the SIMD build cut short', () => s.simd.slice(0, 100)),
      refused('a number[] of the bytes', () => Array.from(s.simd.subarray(0, 64))), refused('a string', () => 'simd.wasm'), refused('null', () => null), left,
    ),
    module: fc.constantFrom(
      same('the compiled SIMD build', () => s.module), same('a Wasm module that is no simdnet module', () => s.stranger),
      refused('its bytes', () => s.simd.slice()), refused('an empty object', () => ({})), refused('null', () => null), left,
    ),
    url: fc.constantFrom(
      same('a file URL of the SIMD build', () => wasmUrl('simd.wasm').href), as('a URL object', () => wasmUrl('scalar.wasm'), () => wasmUrl('scalar.wasm').href),
      same('a file URL of a missing file', () => new URL('missing.wasm', wasmUrl('simd.wasm')).href), same('not a URL', () => 'not a url'),
      same('a URL of a file that is no Wasm', () => new URL('../package.json', wasmUrl('simd.wasm')).href),
      refused('1', () => 1), refused('null', () => null), left,
    ),
  };
}

const SOURCES = ['module', 'bytes', 'url', 'simd', 'backend'];

function initEntry(src: () => Sources): Entry<InitClean, null> {
  return {
    clean: initClean,
    args: (c) => [optionsOf(c, src())],
    argNames: ['init'],
    keyPrefix: [''],
    slots: (c) => {
      const o = optionsOf(c, src());
      const v = sourceVariants(src());
      return [
        { path: [0], variants: objectVariants(o, { optional: true }) },
        { path: [0, 'backend'], variants: nameVariants(c.source === 'js' ? 'js' : 'wasm', ['wasm', 'js'], { optional: true }) },
        { path: [0, 'simd'], variants: boolVariants({ optional: true }) },
        { path: [0, 'bytes'], variants: v.bytes },
        { path: [0, 'module'], variants: v.module },
        { path: [0, 'url'], variants: v.url },
        { path: [0, 'setDefault'], variants: boolVariants({ optional: true }).filter((x) => x.plain() !== true) },
        { path: [0, 'initialPages'], variants: sizeVariants(c.initialPages ?? 4, { optional: true, max: 64 }) },
        { path: [0, 'maximumPages'], variants: sizeVariants(c.maximumPages ?? 128, { optional: true, max: 65536 }) },
      ];
    },
    // the sources exclude one another; the page bounds are checked against each other
    coupled: (path) => (path[1] === 'initialPages' || path[1] === 'maximumPages' ? ['initialPages', 'maximumPages'] : ['init', ...SOURCES]),
    // 'init: simd: …' names simd; 'init: expected at most one of …' names init
    token: (m) => /^init: (\w+): /.exec(m)?.[1] ?? (m.startsWith('init: ') ? 'init' : m),
    setup: () => null,
    sharedState: true,
    call: (_, [options]) => (options === undefined ? init() : init(options as never)),
    state: () => null,
    runtimes: () => [],
    same: (a, b) => expectSame(facts(a as Runtime), facts(b as Runtime)),
    verify(_, [options], result) {
      const rt = result as Runtime;
      const o = (options ?? {}) as Record<string, unknown>;
      const kind = o.backend === 'js' ? 'js' : o.simd === false || (o.url !== undefined && String(o.url).endsWith('scalar.wasm')) || isScalar(o.bytes, src()) ? 'wasm-scalar' : 'wasm-simd';
      expectSame(rt.kind, kind, 'kind');
      if (typeof o.initialPages === 'number') expectSame(rt.memoryBytes, o.initialPages * PAGE, 'memory');
      // the runtime computes what the reference backend computes
      const make = (runtime: Runtime) => {
        const net = new Network({ inputs: 3, layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'softmax' }], seed: 11, runtime });
        const out = net.predict([[0.5, -1, 2], [0, 0.25, -0.5]]).flat();
        net.dispose();
        return out;
      };
      expectNear(make(rt), make(src().js), 1e-6, 1e-5, 'a network on the runtime against the JS backend');
    },
  };
}

const facts = (rt: Runtime) => ({ kind: rt.kind, memoryBytes: rt.memoryBytes, liveBytes: rt.liveBytes });

function isScalar(bytes: unknown, s: Sources): boolean {
  if (!ArrayBuffer.isView(bytes) && !(bytes instanceof ArrayBuffer)) return false;
  const b = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return b.length === s.scalar.length && b.every((v, i) => v === s.scalar[i]);
}

describe('the reliability battery: init', () => {
  let sources: Sources;
  beforeAll(async () => {
    const simd = new Uint8Array(readFileSync(wasmUrl('simd.wasm')));
    // the smallest valid module: magic and version, nothing else
    const stranger = new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    sources = { simd, scalar: new Uint8Array(readFileSync(wasmUrl('scalar.wasm'))), module: new WebAssembly.Module(simd), stranger, js: await init({ backend: 'js', setDefault: false }) };
  });

  it('init(options): a runtime of the kind asked for that computes as the JS backend does, or an InitError naming the option', () => battery(initEntry(() => sources), 200));
});

