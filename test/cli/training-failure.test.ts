/**
 * Training that diverges is reported in the command's words: the data file,
 * the step, that no model was saved, and the flags to change. It said
 * "fit: … the weights and optimizer state are those after the last finite
 * step (try a smaller learning rate)": the library's function, weights the
 * user never gets, and no flag.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusalLine, runInProcess } from './support/run-in-process.js';

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'simdnet-cli-diverge-'));
  const rows = ['a,b,y', ...Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 3) % 5},${i % 2 ? 'yes' : 'no'}`)];
  writeFileSync(join(dir, 'd.csv'), `${rows.join('\n')}\n`);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a training that diverges', () => {
  it('names the data file and the step, says no model was saved, and names --lr and --clip-norm (exit 1)', async () => {
    const data = join(dir, 'd.csv');
    const out = join(dir, 'm.json');
    const r = await runInProcess(['train', data, '--out', out, '--lr', '1e30', '--optimizer', 'sgd', '--epochs', '3']);
    const line = refusalLine({ ...r, stderr: r.stderr.split('\n').filter((l) => !l.startsWith('epoch ')).join('\n') });
    expect(r.code, line).toBe(1);
    expect(line).toMatch(new RegExp(`^simdnet: training on ${data.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the (update|loss).* at epoch \\d+, batch \\d+`));
    expect(line).toMatch(/; no model was saved \(try a smaller --lr, or --clip-norm\)$/);
    expect(existsSync(out)).toBe(false);
  });
});
