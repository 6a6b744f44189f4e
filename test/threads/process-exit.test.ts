/**
 * A Node process with a threaded runtime ends on its own: after dispose(),
 * and also when the program never disposes (the workers do not keep it
 * alive), from the built package (dist/, ESM and CommonJS: the universal
 * build loads dist/threads.js and starts dist/thread-worker.js). Each run
 * trains on 2 threads and prints whether the threads were used and the bits
 * match one thread. Needs npm run build.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/packed.js';

const dir = mkdtempSync(join(tmpdir(), 'simdnet-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BODY = (dispose: boolean) => `
async function main() {
  const one = await init({ setDefault: false });
  const two = await init({ threads: 2, setDefault: false });
  const rows = 128, inputs = 784;
  const x = new Float32Array(rows * inputs).map((_, i) => Math.sin(i));
  const y = new Float32Array(rows).map((_, i) => i % 2);
  const fit = (runtime) => {
    const net = new Network({ inputs, layers: [{ units: 128, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 2, runtime });
    const loss = new Trainer(net, { loss: 'bce', optimizer: 'adam', batchSize: 128, seed: 1 }).fit(x, y, { epochs: 3 }).loss;
    return JSON.stringify([loss, net.getWeights({ flat: true }).map((l) => Array.from(l.W))]);
  };
  const same = fit(one) === fit(two);
  const out = { threads: two.threads, note: two.threadsNote, same, jobs: two.pool ? two.pool.jobs : -1 };
  ${dispose ? 'two.dispose(); out.after = two.threads;' : ''}
  return out;
}
`;

describe('a Node process with threads ends on its own', () => {
  it.each([
    ['import', true],
    ['require', true],
    ['import', false],
    ['require', false],
  ] as const)('via %s, dispose() called: %s', (how, dispose) => {
    const dist = join(ROOT, 'dist', how === 'import' ? 'index.js' : 'index.cjs');
    const script = join(dir, `run-${how}-${dispose}.${how === 'import' ? 'mjs' : 'cjs'}`);
    writeFileSync(
      script,
      how === 'import'
        ? `import { init, Network, Trainer } from ${JSON.stringify(dist)};\n${BODY(dispose)}\nconsole.log(JSON.stringify(await main()));\n`
        : `const { init, Network, Trainer } = require(${JSON.stringify(dist)});\n${BODY(dispose)}\nmain().then((out) => console.log(JSON.stringify(out)), (e) => { console.error(e); process.exit(1); });\n`,
    );
    const started = performance.now();
    // execFileSync returns only once the process has exited: a worker that kept it alive would hit the timeout
    const out = JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 }));
    expect(out.threads, out.note ?? '').toBe(2);
    expect(out.jobs).toBeGreaterThan(0);
    expect(out.same).toBe(true);
    if (dispose) expect(out.after).toBe(1);
    expect(performance.now() - started).toBeLessThan(30_000);
  });
});
