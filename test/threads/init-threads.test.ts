/**
 * init's `threads` option: what it accepts, what it refuses (an InitError
 * naming threads before anything is loaded), and what a runtime says it got:
 * `runtime.threads`, and `runtime.threadsNote` when that is fewer than asked.
 * threads: 1 loads the one-thread build and no threads code at all; the
 * default is in default-threads.test.ts.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { init, InitError, type Runtime } from '../../src/index.js';
import { expectRejection } from '../support/expect-error.js';
import { wasmUrl } from '../support/wasm-url.js';

const runtimes: Runtime[] = [];
afterAll(() => runtimes.forEach((r) => r.dispose()));
const make = async (options: Parameters<typeof init>[0]): Promise<Runtime> => {
  const r = await init({ setDefault: false, ...options });
  runtimes.push(r);
  return r;
};

describe('init({ threads })', () => {
  it.each([
    [0, '0'],
    [65, '65'],
    [1.5, '1.5'],
    [-2, '-2'],
    [Number.NaN, 'NaN'],
    ['2', '"2"'],
    ['all', '"all"'],
    [null, 'null'],
    [true, 'true'],
  ])('threads: %s is refused, naming it', async (threads, shown) => {
    await expectRejection(() => init({ threads: threads as number }), InitError, "init: threads: expected 'auto' or an integer from 1 to 64, got", shown);
  });

  it('threads: 1 runs on one thread with the one-thread build and no pool (the default: default-threads.test.ts)', async () => {
    const r = await make({ threads: 1 });
    expect(r.threads).toBe(1);
    expect(r.threadsNote).toBeNull();
    expect(r.pool).toBeNull();
    expect('mlp_thread_run' in r.backend.kernels).toBe(false);
    expect(r.backend.memory.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it('threads: 2 starts its workers before init resolves', async () => {
    const r = await make({ threads: 2 });
    expect(r.pool).not.toBeNull();
    expect(r.pool!.available()).toBe(2);
  });

  it('threads: 2 gives two threads over a shared memory; dispose() brings it back to one and says so', async () => {
    const r = await make({ threads: 2 });
    expect(r.threads).toBe(2);
    expect(r.threadsNote).toBeNull();
    expect(r.backend.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    r.dispose();
    expect(r.threads).toBe(1);
    expect(r.threadsNote).toBe('the runtime was disposed');
  });

  it("'auto' gives one thread per core (at most 64)", async () => {
    const r = await make({ threads: 'auto' });
    const { availableParallelism } = await import('node:os');
    expect(r.threads).toBe(Math.min(availableParallelism(), 64));
  });

  it('the scalar build has its threads build too', async () => {
    const r = await make({ threads: 2, simd: false });
    expect(r.kind).toBe('wasm-scalar');
    expect(r.threads).toBe(2);
  });

  it.each([
    ['the pure-JS backend', { backend: 'js' as const }, 'the pure-JS backend runs on one thread'],
    ['a module given', { module: new WebAssembly.Module(readFileSync(wasmUrl('simd.wasm'))) }, 'a module given is a one-thread build'],
  ])('%s: one thread, and the note says why', async (_, options, why) => {
    const r = await make({ threads: 3, ...options });
    expect(r.threads).toBe(1);
    expect(r.threadsNote).toBe(`1 thread of the 3 asked for: ${why}${why.endsWith('build') ? ' (threads use the bundled simd-threads.wasm or scalar-threads.wasm)' : ''}`);
  });

  it('without SharedArrayBuffer (a page that is not cross-origin isolated): one thread, and the note says why', async () => {
    const g = globalThis as { crossOriginIsolated?: boolean };
    g.crossOriginIsolated = false;
    try {
      const r = await make({ threads: 2 });
      expect(r.threads).toBe(1);
      expect(r.threadsNote).toContain('this page is not cross-origin isolated');
      expect(r.backend.memory.buffer).toBeInstanceOf(ArrayBuffer);
    } finally {
      delete g.crossOriginIsolated;
    }
  });
});
