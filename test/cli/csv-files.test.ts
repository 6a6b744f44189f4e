/**
 * The commands read data files with the library's CSV reader: separators and
 * encodings detected, duplicate header names refused before training (a
 * model trained on `x,x,target` could never be used by predict).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
let dir = '';

function simdnet(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `rows` rows of two features and a label that depends on them, as Windows-1252 bytes. */
function latin1Table(sep: string, rows: number): Uint8Array {
  const lines = [['hours', 'attendance', 'café'].join(sep)];
  for (let i = 0; i < rows; i++) {
    const h = (i * 7) % 10;
    const a = ((i * 3) % 10) / 10;
    lines.push([String(h), String(a), h + 5 * a > 6 ? 'réussi' : 'échoué'].join(sep));
  }
  return Uint8Array.from(lines.join('\r\n'), (c) => c.charCodeAt(0));
}

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` does)`);
  dir = mkdtempSync(join(tmpdir(), 'simdnet-cli-csv-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('data files in the commands', () => {
  it("train, evaluate and predict read a ';'-separated Windows-1252 file: labels keep their accents", () => {
    const file = join(dir, 'notes.csv');
    writeFileSync(file, latin1Table(';', 60));
    const model = join(dir, 'notes.model.json');
    const t = simdnet('train', file, '--json', '--epochs', '5', '--out', model);
    expect(t.code, t.stderr).toBe(0);
    const report = JSON.parse(t.stdout) as { features: string[]; target: string; classes: string[] };
    expect(report.features).toEqual(['hours', 'attendance']);
    expect(report.target).toBe('café');
    expect(report.classes).toEqual(['réussi', 'échoué']);

    const tab = join(dir, 'notes-tab.csv');
    writeFileSync(tab, latin1Table('\t', 20));
    const e = simdnet('evaluate', model, tab, '--json');
    expect(e.code, e.stderr).toBe(0);
    expect((JSON.parse(e.stdout) as { target: string; metrics: { rows: number } }).metrics.rows).toBe(20);
    const p = simdnet('predict', model, tab);
    expect(p.code, p.stderr).toBe(0);
    const predictions = p.stdout.trim().split('\n');
    expect(predictions).toHaveLength(21);
    expect(predictions.slice(1).every((l) => l === 'réussi' || l === 'échoué')).toBe(true);
  });

  it('train refuses duplicate header names before any work, naming them', () => {
    const file = join(dir, 'dup.csv');
    writeFileSync(file, 'x,x,target\n1,2,a\n3,4,b\n');
    const r = simdnet('train', file, '--out', join(dir, 'dup.model.json'));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`simdnet: ${file}: header (line 1): duplicate column names: 'x' at columns 1, 2 (columns counted from 1, of 3: 'x', 'x', 'target'); every column needs its own name\n`);
    expect(existsSync(join(dir, 'dup.model.json'))).toBe(false);
  });

  it('predict refuses a file mixing encodings, naming the row, line, column and byte offset', () => {
    const file = join(dir, 'mixed.csv');
    writeFileSync(file, Buffer.concat([Buffer.from('hours,attendance\n1,0.5\n', 'utf8'), Buffer.from('2,0.7\xe9\n', 'latin1'), Buffer.from('3,é\n', 'utf8')]));
    const model = join(dir, 'notes.model.json');
    const r = simdnet('predict', model, file);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^simdnet: .*mixed\.csv: row 3 \(line 4\), column 'attendance': byte 0xC3 at byte offset 32 starts a UTF-8 character, but line 3 \(byte offset 28\) holds byte 0xE9, which is not UTF-8/);
  });

  it('evaluate and predict take --separator and --encoding as train does: the same output as detection, a wrong one refused naming what the file holds', () => {
    // one model with column encoders (a text column), one without (numbers only)
    const lines = ['hours|club|passed'];
    for (let i = 0; i < 60; i++) lines.push(`${(i * 7) % 10}|${['chess', 'café', 'choir'][i % 3]}|${(i * 7) % 10 > 4 ? 'yes' : 'no'}`);
    const table = join(dir, 'clubs.csv');
    writeFileSync(table, Uint8Array.from(lines.join('\n'), (c) => c.charCodeAt(0)));
    const numeric = join(dir, 'numeric.csv');
    writeFileSync(numeric, latin1Table('|', 40));
    for (const [file, args] of [[table, ['--encoding', 'latin1']], [numeric, ['--encoding', 'windows-1252']]] as const) {
      const model = file.replace(/\.csv$/, '.model.json');
      const t = simdnet('train', file, '--epochs', '3', '--separator', '|', ...args, '--out', model);
      expect(t.code, t.stderr).toBe(0);
      for (const command of ['predict', 'evaluate'] as const) {
        const detected = simdnet(command, model, file);
        expect(detected.code, detected.stderr).toBe(0);
        const given = simdnet(command, model, file, '--separator', '|', ...args);
        expect(given.code, given.stderr).toBe(0);
        expect(given.stdout).toBe(detected.stdout);
        const wrong = simdnet(command, model, file, '--separator', ';');
        expect(wrong.code).toBe(1);
        expect(wrong.stdout).toBe('');
        expect(wrong.stderr).toMatch(/^simdnet: .*it was read with the separator ';', but it holds '\|'\n$/);
        const bad = simdnet(command, model, file, '--encoding', 'ascii');
        expect(bad.code).toBe(2);
        expect(bad.stderr).toBe("simdnet: --encoding: expected one of utf-8, windows-1252, latin1, got 'ascii'\n");
      }
    }
  });
});
