/**
 * A Node process with a threaded runtime ends on its own: after dispose(),
 * and also when the program never disposes (the workers do not keep it
 * alive), from the built package (dist/, ESM and CommonJS: the universal
 * build loads dist/threads.js and starts dist/thread-worker.js), with
 * threads asked for (started by init) and by default (started by the large
 * steps). Each run trains on 2 threads and prints whether the threads
 * were used and the bits match one thread. By default, from the package, a
 * synchronous fit shares its own later steps (dist/threads.cjs loaded by
 * require within the step that starts the workers). A runtime nobody references any
 * more ends its workers once collected (a spawned process with --expose-gc).
 * Needs npm run build.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/packed.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BODY = (dispose: boolean, lazy: boolean) => `
async function main() {
  const one = await init({ threads: 1, setDefault: false });
  const two = await init(${lazy ? '{ setDefault: false }' : '{ threads: 2, setDefault: false }'});
  const rows = 128, inputs = 784;
  const x = new Float32Array(rows * inputs).map((_, i) => Math.sin(i));
  const y = new Float32Array(rows).map((_, i) => i % 2);
  const fit = (runtime) => {
    const net = new Network({ inputs, layers: [{ units: 128, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 2, runtime });
    const loss = new Trainer(net, { loss: 'bce', optimizer: 'adam', batchSize: 128, seed: 1 }).fit(x, y, { epochs: 3 }).loss;
    return JSON.stringify([loss, net.getWeights({ flat: true }).map((l) => Array.from(l.W))]);
  };
  ${lazy ? `// enough large steps to start the workers (START_WORK), then until they are ready
  while (!two.pool) {
    fit(two);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  while (two.pool.available() !== two.threads) await new Promise((resolve) => setTimeout(resolve, 5));` : ''}
  const same = fit(one) === fit(two);
  const out = { threads: two.threads, note: two.threadsNote, same, jobs: two.pool ? two.pool.jobs : -1 };
  ${dispose ? 'two.dispose(); out.after = two.threads;' : ''}
  return out;
}
`;

describe('a Node process with threads ends on its own', () => {
  it.each([
    ['import', true, false],
    ['require', true, false],
    ['import', false, false],
    ['require', false, false],
    ['import', false, true],
    ['require', false, true],
  ] as const)('via %s, dispose() called: %s, the default init: %s', (how, dispose, lazy) => {
    const dist = join(ROOT, 'dist', how === 'import' ? 'index.js' : 'index.cjs');
    const script = join(dir, `run-${how}-${dispose}-${lazy}.${how === 'import' ? 'mjs' : 'cjs'}`);
    writeFileSync(
      script,
      how === 'import'
        ? `import { init, Network, Trainer } from ${JSON.stringify(dist)};\n${BODY(dispose, lazy)}\nconsole.log(JSON.stringify(await main()));\n`
        : `const { init, Network, Trainer } = require(${JSON.stringify(dist)});\n${BODY(dispose, lazy)}\nmain().then((out) => console.log(JSON.stringify(out)), (e) => { console.error(e); process.exit(1); });\n`,
    );
    const started = performance.now();
    // execFileSync returns only once the process has exited: a worker that kept it alive would hit the timeout
    const out = JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 }));
    expect(out.threads, out.note ?? '').toBe(lazy ? Math.min(availableParallelism(), 64) : 2);
    expect(out.jobs).toBeGreaterThan(0);
    expect(out.same).toBe(true);
    if (dispose) expect(out.after).toBe(1);
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});

describe.runIf(availableParallelism() >= 2)('the default init from the built package: a synchronous fit starts the workers within it', () => {
  it.each(['import', 'require'] as const)('via %s: dist/threads.cjs by require, the later steps of the same fit shared, the same bits, the process ends', (how) => {
    const dist = join(ROOT, 'dist', how === 'import' ? 'index.js' : 'index.cjs');
    const script = join(dir, `sync-fit-${how}.${how === 'import' ? 'mjs' : 'cjs'}`);
    const body = `
async function main() {
  const one = await init({ threads: 1, setDefault: false });
  const two = await init({ setDefault: false });
  const x = new Float32Array(128 * 784).map((_, i) => Math.sin(i));
  const y = new Float32Array(128).map((_, i) => i % 2);
  const fit = (runtime) => {
    const net = new Network({ inputs: 784, layers: [{ units: 128, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 2, runtime });
    // one step an epoch of 13 M multiply-adds: the workers start after about 20, and have long been ready by the last
    const loss = new Trainer(net, { loss: 'bce', optimizer: 'adam', batchSize: 128, seed: 1 }).fit(x, y, { epochs: 600 }).loss;
    return JSON.stringify([loss, net.getWeights({ flat: true }).map((l) => Array.from(l.W))]);
  };
  const same = fit(one) === fit(two);
  return { same, jobs: two.pool ? two.pool.jobs : -1, note: two.threadsNote };
}
`;
    writeFileSync(
      script,
      how === 'import'
        ? `import { init, Network, Trainer } from ${JSON.stringify(dist)};\n${body}\nconsole.log(JSON.stringify(await main()));\n`
        : `const { init, Network, Trainer } = require(${JSON.stringify(dist)});\n${body}\nmain().then((out) => console.log(JSON.stringify(out)), (e) => { console.error(e); process.exit(1); });\n`,
    );
    const out = JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 }));
    expect(out.note).toBeNull();
    expect(out.jobs).toBeGreaterThan(0);
    expect(out.same).toBe(true);
  });
});

describe('a runtime nobody references any more', () => {
  it('ends its workers once collected: init() called again and again piles none up; a runtime still referenced keeps them', () => {
    const script = join(dir, 'collected.mjs');
    writeFileSync(
      script,
      `import { init, Network, Trainer } from ${JSON.stringify(join(ROOT, 'dist', 'index.js'))};
const x = new Float32Array(128 * 784).map((_, i) => Math.sin(i));
const y = new Float32Array(128).map((_, i) => i % 2);
async function started() {
  const runtime = await init({ setDefault: false });
  const net = new Network({ inputs: 784, layers: [{ units: 128, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 2, runtime });
  const trainer = new Trainer(net, { loss: 'bce', optimizer: 'adam', batchSize: 128, seed: 1 });
  while (!runtime.pool) {
    trainer.fit(x, y, { epochs: 5 });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  while (runtime.pool.available() !== runtime.threads) await new Promise((resolve) => setTimeout(resolve, 5));
  return runtime;
}
const kept = await started();
// the pools only: a pool references no runtime
const pools = [];
for (let i = 0; i < 4; i++) pools.push((await started()).pool);
for (let i = 0; i < 50 && pools.some((p) => p.failure === null); i++) {
  globalThis.gc();
  await new Promise((resolve) => setTimeout(resolve, 10));
}
console.log(JSON.stringify({ dropped: pools.map((p) => p.failure), kept: kept.threadsNote, threads: kept.threads }));
`,
    );
    const out = JSON.parse(execFileSync(process.execPath, ['--expose-gc', script], { encoding: 'utf8', timeout: 60_000 }));
    expect(out.dropped).toEqual(Array(4).fill('the runtime was collected'));
    expect(out.kept).toBeNull();
    expect(out.threads).toBe(Math.min(availableParallelism(), 64));
  });
});
