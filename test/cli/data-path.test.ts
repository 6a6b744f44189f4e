/**
 * A data path that names no readable file (a folder, a missing file) is
 * refused by every command that reads one, naming it as the data file with
 * the reason in words: `train <folder>` was an internal error (EISDIR from a
 * read the CLI did not expect to fail), `predict`/`evaluate` said
 * "path: could not read 'x' (EISDIR)", the library's argument name.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalLine, runInProcess } from './support/run-in-process.js';

let dir = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'simdnet-cli-data-path-'));
  mkdirSync(join(dir, 'folder.csv'));
  const rows = ['a,b,label', ...Array.from({ length: 20 }, (_, i) => `${i % 7},${(i * 3) % 5},${i % 2 ? 'yes' : 'no'}`)];
  writeFileSync(join(dir, 'd.csv'), `${rows.join('\n')}\n`);
  const r = await runInProcess(['train', join(dir, 'd.csv'), '--out', join(dir, 'm.json'), '--epochs', '1', '--hidden', '2']);
  expect(r.code, r.stderr).toBe(0);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a data path that is no readable file', () => {
  it.each([
    ['a folder', 'folder.csv', 'it is a directory'],
    ['a missing file', 'missing.csv', 'no such file or directory'],
  ])('%s: train, evaluate and predict refuse it as the data file (exit 1), writing nothing', async (_, name, why) => {
    const data = join(dir, name);
    const out = join(dir, 'out.json');
    for (const argv of [['train', data, '--out', out], ['evaluate', join(dir, 'm.json'), data], ['predict', join(dir, 'm.json'), data, '--out', out]]) {
      const r = await runInProcess(argv);
      const line = refusalLine(r);
      expect(r.code, line).toBe(1);
      expect(line).toBe(`simdnet: cannot read data file '${data}': ${why}`);
    }
    const { existsSync } = await import('node:fs');
    expect(existsSync(out)).toBe(false);
  });
});
