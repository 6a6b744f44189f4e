/**
 * What the commands are told about the data: the path and the target.
 *
 * A data path that names no readable file (a folder, a missing file) is
 * refused by every command that reads one, naming it as the data file with
 * the reason in words: `train <folder>` was an internal error (EISDIR from a
 * read the CLI did not expect to fail), `predict`/`evaluate` said
 * "path: could not read 'x' (EISDIR)", the library's argument name. And
 * predict's --target naming a column the model reads was ignored.
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

describe("predict's --target", () => {
  it('a column the model reads cannot be left out as the target: refused naming it, by name or index (it was ignored without a word)', async () => {
    for (const target of ['a', '1']) {
      const r = await runInProcess(['predict', join(dir, 'm.json'), join(dir, 'd.csv'), '--target', target]);
      const line = refusalLine(r);
      expect(r.code, line).toBe(1);
      expect(line).toBe(`simdnet: --target: '${target === 'a' ? 'a' : 'b'}' is a column the model reads as a feature; it cannot be left out as the target`);
    }
    // the target by index, and a target the file does not have (predict files may lack it)
    for (const target of ['2', 'outcome']) {
      const r = await runInProcess(['predict', join(dir, 'm.json'), join(dir, 'd.csv'), '--target', target]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe('prediction');
    }
  });
});

describe('train: columns left out', () => {
  it('a column both in --features and --ignore is refused; every column ignored names the data file and --ignore', async () => {
    const data = join(dir, 'd.csv');
    const out = join(dir, 'out.json');
    const both = await runInProcess(['train', data, '--out', out, '--features', 'a,b', '--ignore', 'a']);
    expect(refusalLine(both)).toBe("simdnet: --ignore: column 'a' is also in --features: a column is read or ignored, not both");
    expect(both.code).toBe(1);
    const all = await runInProcess(['train', data, '--out', out, '--ignore', 'a,b']);
    expect(refusalLine(all)).toBe(`simdnet: ${data}: no usable feature columns: the 2 columns besides the target are left out by --ignore`);
    expect(all.code).toBe(1);
  });
});

describe('--target naming a feature of a model without encoders (numeric features by name)', () => {
  it("evaluate and predict refuse it naming --target (evaluate advised to 'pass --target', which was given)", async () => {
    const { init, Network } = await import('../../src/index.js');
    const runtime = await init();
    const net = new Network({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }], seed: 1, runtime });
    net.featureNames = ['a', 'b'];
    net.classes = ['no', 'yes'];
    net.targetName = 'label';
    writeFileSync(join(dir, 'bare.json'), JSON.stringify(net.toJSON()));
    net.dispose();
    for (const command of ['evaluate', 'predict']) {
      const r = await runInProcess([command, join(dir, 'bare.json'), join(dir, 'd.csv'), '--target', 'a']);
      expect(refusalLine(r)).toBe("simdnet: --target: 'a' is a column the model reads as a feature");
      expect(r.code).toBe(1);
    }
  });
});

describe("train: the CSV reader's advice in flags", () => {
  it("bytes in no encoding it knows: 'pass --encoding latin1', in the header as in the rows (it said \"pass encoding: 'latin1'\", the library's option)", async () => {
    const out = join(dir, 'out.json');
    writeFileSync(join(dir, 'bad-header.csv'), Uint8Array.from([0x61, 0x81, 0x2c, 0x62, 0x0a, 0x31, 0x2c, 0x78, 0x0a]));
    writeFileSync(join(dir, 'bad-row.csv'), Uint8Array.from([...Buffer.from('a,label\n1,x\n2,'), 0x81, 0x0a]));
    for (const name of ['bad-header.csv', 'bad-row.csv']) {
      const r = await runInProcess(['train', join(dir, name), '--out', out]);
      const line = refusalLine(r);
      expect(r.code, line).toBe(1);
      expect(line).toContain('is neither UTF-8 nor Windows-1252 text');
      expect(line).toMatch(/pass --encoding latin1 to read every byte as its ISO-8859-1 character$/);
    }
    const utf8 = await runInProcess(['train', join(dir, 'bad-row.csv'), '--out', out, '--encoding', 'utf-8']);
    expect(refusalLine(utf8)).toContain("--encoding utf-8 was passed; pass --encoding windows-1252 if the file is Windows-1252 or Latin-1");
  });
});
