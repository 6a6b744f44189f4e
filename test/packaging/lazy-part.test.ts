/**
 * The Node builds load in two parts (tsup.lazy.config.ts): dist/index.js and
 * dist/index.cjs hold what a program serving a model runs; dist/index.lazy.cjs,
 * the rest, is loaded with require by the first call that needs it. Checked in
 * fresh processes from the built files: serving never loads the rest; the
 * first Trainer, trainModel and a metric do, once; what the rest makes is of
 * the first part's classes (one Network, one set of errors); without the file,
 * the call names it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/packed.js';

const DIST = join(ROOT, 'dist');
const dir = mkdtempSync(join(tmpdir(), 'simdnet-lazy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `body` (a function body given the module `m` and `lazyLoaded()`) in a fresh Node process; returns what it prints, parsed. */
function run(entry: 'index.js' | 'index.cjs', body: string): Record<string, unknown> {
  const file = join(dir, `run-${Math.random().toString(36).slice(2)}.mjs`);
  const load = entry === 'index.js' ? `await import(${JSON.stringify(pathToFileURL(join(DIST, entry)).href)})` : `require(${JSON.stringify(join(DIST, entry))})`;
  writeFileSync(
    file,
    `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const lazyLoaded = () => Object.keys(require.cache).some((k) => k.endsWith('index.lazy.cjs'));
const m = ${load};
const out = {};
${body}
console.log(JSON.stringify(out));
`,
  );
  return JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8' })) as Record<string, unknown>;
}

const SERVING = `
await m.init();
out.afterInit = lazyLoaded();
const net = new m.Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 2, activation: 'softmax' }], seed: 1 });
net.setWeights(net.getWeights());
net.predict([0.5, 0.6]);
net.predict([[0.5, 0.6], [1, 2]]);
net.predict(new Float32Array(2 * 3000));
net.predictInto(new Float32Array([0.5, 0.6]), new Float32Array(2));
net.predictProba([[0.5, 0.6]]);
net.predictLabels([[0.5, 0.6]]);
for (let i = 0; i < 200; i++) net.predict([i / 200, 0.5]); // the tiny path's generated code comes after 64
const copy = m.Network.fromJSON(JSON.parse(JSON.stringify(net)));
const path = ${JSON.stringify(join(dir, 'model.json'))};
await net.save(path);
const loaded = await m.Network.load(path);
out.same = loaded.predict([0.5, 0.6])[0] === net.predict([0.5, 0.6])[0] && copy.predict([0.5, 0.6])[0] === net.predict([0.5, 0.6])[0];
try { net.predict([[1, 2, 3]]); } catch (e) { out.shapeError = e instanceof m.ShapeError; }
out.serving = lazyLoaded();
`;

describe('the Node builds in two parts', () => {
  it.each(['index.js', 'index.cjs'] as const)('%s: serving a model never loads index.lazy.cjs; the first Trainer does, and what the rest makes is of the first part', (entry) => {
    const out = run(
      entry,
      `${SERVING}
const trainer = new m.Trainer(net, { loss: 'cce', optimizer: { type: 'sgd', lr: 0.1 } });
out.trainer = lazyLoaded();
trainer.fit([[0, 0], [1, 1]], [0, 1], { epochs: 2 });
const x = [], y = [];
for (let i = 0; i < 60; i++) { x.push([i % 7, i % 5]); y.push(i % 2); }
const r = m.trainModel(m.makeDataset(x, y), { epochs: 2, seed: 1, hidden: [4] });
out.trainedIsNetwork = r.network instanceof m.Network;
out.accuracy = m.accuracy([1, 0, 1], [1, 1, 1]);
try { m.makeDataset(5); } catch (e) { out.restError = e instanceof m.ShapeError && e instanceof m.SimdnetError; }
out.names = [m.trainModel.name, m.accuracy.name, m.evaluate.name];
`,
    );
    expect(out).toEqual({
      afterInit: false,
      same: true,
      shapeError: true,
      serving: false,
      trainer: true,
      trainedIsNetwork: true,
      accuracy: 2 / 3,
      restError: true,
      names: ['trainModel', 'accuracy', 'evaluate'],
    });
  });

  it('without index.lazy.cjs beside it, serving works and the first call that needs the rest names the file', () => {
    const copy = join(dir, 'copy');
    execFileSync(process.execPath, ['-e', `require('fs').mkdirSync(${JSON.stringify(copy)})`]);
    writeFileSync(join(copy, 'package.json'), '{ "type": "module" }');
    const chunks = [...readFileSync(join(DIST, 'index.js'), 'utf8').matchAll(/from "\.\/([^"]+)"/g)].map((c) => c[1]!);
    for (const f of ['index.js', ...chunks, 'simd.wasm', 'scalar.wasm', 'simd-threads.wasm', 'scalar-threads.wasm']) copyFileSync(join(DIST, f), join(copy, f));
    const file = join(copy, 'app.mjs');
    writeFileSync(
      file,
      `const m = await import('./index.js');
await m.init();
const net = new m.Network({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], seed: 1 });
const out = { predicted: net.predict([1, 2]).length };
try { m.accuracy([1], [1]); } catch (e) { out.error = e.name; out.message = e.message; }
console.log(JSON.stringify(out));
`,
    );
    const out = JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8' })) as { predicted: number; error: string; message: string };
    expect(out.predicted).toBe(1);
    expect(out.error).toBe('InitError');
    expect(out.message).toMatch(/index\.lazy\.cjs, the part of simdnet loaded on first use, could not be loaded beside .*index\.js/);
  });
});
