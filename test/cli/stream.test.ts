// `simdnet train` on data whose training rows do not fit in the Wasm memory
// it may use (--max-memory makes that small here, as a file of many GB
// would be against 4 GiB): it says so on stderr, trains from the file as a
// stream, and the model it saves predicts like any other.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Random } from '../../src/index.js';
import { dataPath } from '../support/data.js';
import { expectFailure, requireBuiltCli, simdnet } from './support/run-cli.js';

let dir = '';

beforeAll(() => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), 'simdnet-cli-stream-'));
  const rng = new Random(5);
  const lines = ['a,b,colour,d,label'];
  for (let i = 0; i < 60_000; i++) {
    const a = rng.nextFloat() * 10;
    const b = rng.nextFloat() * 10;
    lines.push([a.toFixed(3), b.toFixed(3), ['x', 'y', 'z'][i % 3], rng.nextFloat() < 0.05 ? '' : rng.nextFloat().toFixed(2), a + b > 10 ? 'hi' : 'lo'].join(','));
  }
  writeFileSync(join(dir, 'large.csv'), `${lines.join('\n')}\n`);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('train on more rows than memory holds', () => {
  it('switches to streaming by itself, says so, and saves a model that predicts', () => {
    // 1.5 MiB: the network and evaluation fit, 48,000 training rows of 8 features (1.5 MB) do not
    const r = simdnet(['train', 'large.csv', '--max-memory', '1.5', '--epochs', '2', '--json', '--out', 'large.model.json'], dir, { timeout: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^large\.csv(?: \(about [\d,]+ rows\))?: [\d,]+ training rows of \d+ features need [\d.]+ MiB of Wasm memory to train in memory, over the [\d.]+ MiB free: training from the file as a stream/m);
    const report = JSON.parse(r.stdout) as { rows: { train: number }; warnings: string[]; test: { accuracy: number } };
    expect(report.rows.train).toBe(48_000);
    expect(report.warnings.join('\n')).toContain('trained from the file as a stream');
    expect(report.test.accuracy).toBeGreaterThan(0.9);
    writeFileSync(join(dir, 'new.csv'), 'a,b,colour,d\n9,9,x,0.5\n0.5,1,w,\n');
    const p = simdnet(['predict', 'large.model.json', 'new.csv'], dir);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toBe('prediction\nhi\nlo\n');
  });

  it('--stream streams a file that would fit; --max-memory is checked', () => {
    const r = simdnet(['train', dataPath('penguins'), '--stream', '--epochs', '30', '--out', 'penguins.model.json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warning: trained from the file as a stream: the training rows shuffled within chunks');
    expect(r.stdout).toMatch(/Island\s+categorical/);
    expectFailure(simdnet(['train', 'large.csv', '--max-memory', '0'], dir), 2, "--max-memory: expected a number from 1 to 4096, got '0'");
  });
});

describe('train on a terminal', () => {
  it('shows the bytes read while it surveys a file it streams, then the epochs', async () => {
    const { train } = await import('../../src/cli/train.js');
    const rng = new Random(6);
    const lines = ['a,b,label'];
    // over 4 MiB: the reader reports its progress every 4 MiB
    for (let i = 0; i < 260_000; i++) {
      const a = rng.nextFloat() * 10;
      lines.push(`${a.toFixed(6)},${(rng.nextFloat() * 10).toFixed(6)},${a > 5 ? 'hi' : 'lo'}`);
    }
    const file = join(dir, 'tty.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    let err = '';
    let out = '';
    const code = await train([file, '--stream', '--epochs', '1', '--out', join(dir, 'tty.model.json')], {
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s), isTTY: true, columns: 80 },
    });
    expect(code, err).toBe(0);
    expect(err).toMatch(/\rreading \S+tty\.csv: 4\.2 of \d+\.\d MB/);
    expect(err).toMatch(/\rreading \S+tty\.csv: done/);
    expect(err).toContain('trained from the file as a stream');
    expect(out).toContain('rows      train 208,000');
  }, 120_000);
});
