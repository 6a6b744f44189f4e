/**
 * The published JS reads as its sources do: every exported class and
 * function keeps its name in every build (an error prints as ShapeError, a
 * network as Network {…}), source maps are there, and an uncaught error
 * prints its message after one short source line, not after the bundle.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/packed.js';

const DIST = join(ROOT, 'dist');
const dir = mkdtempSync(join(tmpdir(), 'simdnet-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Exports = Record<string, unknown>;
const esm = (f: string): Promise<Exports> => import(pathToFileURL(join(DIST, f)).href) as Promise<Exports>;
const cjs = (f: string): Exports => createRequire(import.meta.url)(join(DIST, f)) as Exports;

describe('names in the published build', () => {
  it.each(['index.js', 'index.cjs', 'browser.js', 'edge.js', 'csv.js', 'csv.cjs'])('dist/%s: every exported class and function has its own name', async (f) => {
    const m = f.endsWith('.cjs') ? cjs(f) : await esm(f);
    const functions = Object.entries(m).filter(([, v]) => typeof v === 'function') as [string, (...a: unknown[]) => unknown][];
    expect(functions.length).toBeGreaterThan(f.startsWith('csv') ? 1 : 20);
    for (const [name, fn] of functions) expect(fn.name, name).toBe(name);
  });

  it('errors and networks print under their names; source maps are published beside the code', async () => {
    const m = await esm('index.js');
    const { init, Network, ShapeError } = m as unknown as typeof import('../../src/index.js');
    const err = new ShapeError('x: expected 2 columns');
    expect(err.name).toBe('ShapeError');
    expect(String(err)).toBe('ShapeError: x: expected 2 columns');
    expect(inspect(err)).toMatch(/^ShapeError: x: expected 2 columns\n/);
    const runtime = await init({ setDefault: false, backend: 'js' });
    const net = new Network({ inputs: 2, layers: [{ units: 1 }], runtime });
    expect(inspect(net, { depth: 0 })).toMatch(/^Network \{/);
    expect(inspect(runtime, { depth: 0 })).toMatch(/^Runtime \{/);
    net.dispose();
    for (const f of ['index.js', 'index.cjs', 'browser.js', 'edge.js']) {
      expect(existsSync(join(DIST, `${f}.map`)), `${f}.map`).toBe(true);
      expect(readFileSync(join(DIST, f), 'utf8')).toContain(`//# sourceMappingURL=${f}.map`);
    }
  });

  it('readable code: no line of the core build is longer than a line of source', () => {
    for (const f of ['index.js', 'index.cjs', 'browser.js', 'edge.js']) {
      const longest = Math.max(...readFileSync(join(DIST, f), 'utf8').split('\n').filter((l) => !l.startsWith('//# sourceMappingURL')).map((l) => l.length));
      expect(longest, f).toBeLessThan(400);
    }
  });

  it.each(['mjs', 'cjs'] as const)('an uncaught error (%s) prints its message after one short source line', (kind) => {
    const file = join(dir, `uncaught.${kind}`);
    const body = "await init(); new Network({ inputs: 0, layers: [{ units: 1 }] });";
    writeFileSync(
      file,
      kind === 'mjs'
        ? `import { init, Network } from ${JSON.stringify(pathToFileURL(join(DIST, 'index.js')).href)};\n${body}\n`
        : `const { init, Network } = require(${JSON.stringify(join(DIST, 'index.cjs'))});\n(async () => { ${body} })().catch((e) => setImmediate(() => { throw e; }));\n`,
    );
    let stderr = '';
    try {
      execFileSync(process.execPath, [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    } catch (e) {
      stderr = (e as { stderr: string }).stderr;
    }
    const at = stderr.indexOf('ValueError: inputs: expected a positive integer, got number 0');
    expect(at, stderr.slice(0, 500)).toBeGreaterThanOrEqual(0);
    // before it: the file and line, the throwing line of source and its caret (Node's own decoration)
    expect(at, stderr.slice(0, at)).toBeLessThan(300);
    expect(stderr.slice(0, at).split('\n').length).toBeLessThanOrEqual(5);
  });
});
