/**
 * `simdnet` and the user's files, end to end through dist/cli.js: an --out
 * that is an input or cannot be written is refused before any work and the
 * input stays byte for byte; a save that fails (a full disk, a file size
 * limit) leaves the previous model untouched and says so; a network too
 * large for memory, or for a model file, is refused before training; error
 * lines stay one readable line whatever a file holds.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { appendFileSync, chmodSync, copyFileSync, cpSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR } from '../support/data.js';
import { CLI, expectFailure, requireBuiltCli, simdnet as run, type Run } from './support/run-cli.js';

const STUDENTS = join(DATA_DIR, 'students.csv');
// root may write anywhere: permission tests then run the command as 'nobody'
const IS_ROOT = process.getuid?.() === 0;
const NOBODY: SpawnSyncOptions = IS_ROOT ? { uid: 65534, gid: 65534 } : {};

let dir = '';
let data = '';
let model = '';
const simdnet = (args: readonly string[], extra: SpawnSyncOptions = {}): Run => run(args, dir, extra);

/**
 * Runs `simdnet <args>` as 'nobody' when the tests run as root (as the user itself otherwise).
 * 'nobody' may not reach the repository (a clone inside a 0700 folder, as `mktemp -d` makes in CI),
 * so it runs a copy of dist/ inside the test's own readable folder.
 */
function simdnetAsNobody(args: readonly string[]): Run {
  if (!IS_ROOT) return simdnet(args);
  const cli = join(dir, 'dist-copy', 'cli.js');
  if (!existsSync(cli)) cpSync(dirname(CLI), dirname(cli), { recursive: true });
  const started = performance.now();
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000, ...NOBODY });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr), ms: performance.now() - started };
}

beforeAll(() => {
  requireBuiltCli();
  dir = mkdtempSync(join(tmpdir(), 'simdnet-outputs-'));
  chmodSync(dir, 0o755); // readable by 'nobody'
  data = join(dir, 'students.csv');
  copyFileSync(STUDENTS, data);
  model = join(dir, 'students.model.json');
  const r = simdnet(['train', 'students.csv', '--epochs', '3', '--out', model]);
  expect(r.code, r.stderr).toBe(0);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The bytes of `path`, to compare before and after. */
const bytes = (path: string): Buffer => readFileSync(path);

/** Nothing was trained: no progress line, no report. */
function expectNoTraining(r: Run): void {
  expect(r.stderr).not.toMatch(/^epoch |^trained /m);
  expect(r.stdout).toBe('');
}

describe('an --out that is one of the inputs is refused before any work; the input stays byte for byte', () => {
  it('train: the data file by the same name, another spelling of it, a symbolic link and a hard link', () => {
    const before = bytes(data);
    symlinkSync('students.csv', join(dir, 'link.csv'));
    linkSync(data, join(dir, 'hard.csv'));
    const same = 'which this command reads; it was left untouched and nothing was done: choose another output file';
    for (const out of ['students.csv', './students.csv', data]) {
      const r = simdnet(['train', 'students.csv', '--out', out]);
      expectFailure(r, 1, `--out: '${out}' is the data file this command reads; ${same.slice('which this command reads; '.length)}`);
      expectNoTraining(r);
    }
    for (const out of ['link.csv', 'hard.csv']) {
      const r = simdnet(['train', 'students.csv', '--out', out]);
      expectFailure(r, 1, `--out: '${out}' is the data file 'students.csv' (the same file under another name, through a link), ${same}`);
      expectNoTraining(r);
    }
    // the data given through the link, the real file as --out
    expectFailure(simdnet(['train', 'link.csv', '--out', 'students.csv']), 1, "--out: 'students.csv' is the data file 'link.csv'");
    expect(bytes(data).equals(before)).toBe(true);
  });

  it('predict: the model file or the data file, by name or through a link', () => {
    const modelBefore = bytes(model);
    const dataBefore = bytes(data);
    symlinkSync(model, join(dir, 'model-link.json'));
    for (const [out, what] of [[model, 'model file'], ['students.csv', 'data file'], ['model-link.json', 'model file']] as const) {
      const r = simdnet(['predict', model, 'students.csv', '--out', out]);
      expectFailure(r, 1, `--out: '${out}' is the ${what}`, 'nothing was done');
    }
    expect(bytes(model).equals(modelBefore)).toBe(true);
    expect(bytes(data).equals(dataBefore)).toBe(true);
  });
});

describe('an --out that cannot be written is refused before training', () => {
  it('an empty name or one ending with a separator is a usage error (exit 2)', () => {
    expectNoTraining(simdnet(['train', 'students.csv', '--out', '']));
    expectFailure(simdnet(['train', 'students.csv', '--out', '']), 2, "--out: expected a file name, got ''");
    expectFailure(simdnet(['train', 'students.csv', '--out', 'models/']), 2, "--out: expected a file name, got 'models/', which names a folder");
    expectFailure(simdnet(['predict', model, 'students.csv', '--out', '']), 2, "--out: expected a file name, got ''");
  });

  it('a folder, a missing folder, a device: each named', () => {
    mkdirSync(join(dir, 'models'), { recursive: true });
    for (const [out, words] of [
      ['models', "--out: cannot write 'models': it is a directory"],
      [join('no-such-folder', 'm.json'), "--out: cannot write 'no-such-folder/m.json': the folder 'no-such-folder' does not exist"],
      ['/dev/null', "--out: cannot write '/dev/null': it is not a regular file (a character device)"],
    ] as const) {
      const r = simdnet(['train', 'students.csv', '--out', out]);
      expectFailure(r, 1, words);
      expectNoTraining(r);
      expectFailure(simdnet(['predict', model, 'students.csv', '--out', out]), 1, words);
    }
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });

  it('a folder that refuses new files (permission denied), and a read-only model file, which stays as it was', () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    // as 'nobody' a folder of root's is locked already; other users lock it themselves
    chmodSync(locked, IS_ROOT ? 0o755 : 0o555);
    const out = join(locked, 'm.json');
    const r = simdnetAsNobody(['train', 'students.csv', '--out', out]);
    expectFailure(r, 1, `--out: cannot write '${out}': permission denied`);
    expectNoTraining(r);
    expect(readdirSync(locked)).toEqual([]);

    const open = join(dir, 'open');
    mkdirSync(open);
    chmodSync(open, 0o777);
    const readOnly = join(open, 'm.json');
    copyFileSync(model, readOnly);
    chmodSync(readOnly, 0o444);
    const before = bytes(readOnly);
    const ro = simdnetAsNobody(['train', 'students.csv', '--out', readOnly]);
    expectFailure(ro, 1, `--out: cannot write '${readOnly}': the file is read-only (permission denied)`);
    expectNoTraining(ro);
    expect(bytes(readOnly).equals(before)).toBe(true);
    expect(readdirSync(open)).toEqual(['m.json']);
  });
});

/** Runs `simdnet <args>` with the process's file size limit (RLIMIT_FSIZE) at `kib` KiB: a write past it fails with EFBIG. */
function withFileSizeLimit(kib: number, args: readonly string[]): Run {
  const r = spawnSync('bash', ['-c', `ulimit -f ${kib} && exec "$0" "$@"`, process.execPath, CLI, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ms: 0 };
}

const lastLine = (r: Run): string => r.stderr.trim().split('\n').pop()!;

/** Writes a file in `folder` until its file system is full. */
function fillUp(folder: string): void {
  try {
    for (let i = 0; i < 1000; i++) appendFileSync(join(folder, 'filler'), Buffer.alloc(1024));
  } catch (err) {
    expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    return;
  }
  throw new Error(`${folder} did not fill up`);
}

describe('a save that fails leaves the previous model untouched and says so', () => {
  it('a write cut short by a file size limit (EFBIG) after training', () => {
    const out = join(dir, 'limited.model.json');
    copyFileSync(model, out);
    const before = bytes(out);
    expect(before.length).toBeGreaterThan(16 * 1024);
    const r = withFileSizeLimit(16, ['train', 'students.csv', '--epochs', '2', '--seed', '5', '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/^trained 2 epochs/m); // the failure came at the save, after training
    expect(lastLine(r)).toBe(
      `simdnet: cannot write model file '${out}': file too large (a size limit of the system or the process); the previous model file '${out}' is untouched`,
    );
    expect(bytes(out).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // with no model there before, nothing is left behind
    const fresh = join(dir, 'fresh.model.json');
    const f = withFileSizeLimit(16, ['train', 'students.csv', '--epochs', '2', '--out', fresh]);
    expect(lastLine(f)).toBe(`simdnet: cannot write model file '${fresh}': file too large (a size limit of the system or the process); nothing was saved`);
    expect(existsSync(fresh)).toBe(false);
  });

  // a real full file system: a small tmpfs, where the system allows mounting one (root in most containers and CI runners)
  const disk = { path: '', mounted: false };
  beforeAll(() => {
    if (!IS_ROOT) return;
    disk.path = join(dir, 'small-disk');
    mkdirSync(disk.path);
    disk.mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', disk.path]).status === 0;
  });
  afterAll(() => {
    if (disk.mounted) spawnSync('umount', [disk.path]);
  });

  it('a full disk (a 64 KiB tmpfs) under the model and under the predictions', (ctx) => {
    if (!disk.mounted) ctx.skip();
    const out = join(disk.path, 'm.json');
    copyFileSync(model, out);
    const before = bytes(out);
    // fill what is left so that no new model fits beside the old one
    writeFileSync(join(disk.path, 'filler'), Buffer.alloc(64 * 1024 - 2 * before.length + 4096));
    const r = simdnet(['train', 'students.csv', '--epochs', '2', '--seed', '7', '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    expect(lastLine(r)).toBe(`simdnet: cannot write model file '${out}': no space left on the device; the previous model file '${out}' is untouched`);
    expect(bytes(out).equals(before)).toBe(true);
    expect(readdirSync(disk.path).sort()).toEqual(['filler', 'm.json']);

    const preds = join(disk.path, 'p.csv');
    writeFileSync(preds, 'prediction\n1\n');
    fillUp(disk.path);
    const p = simdnet(['predict', model, 'students.csv', '--out', preds]);
    expectFailure(p, 1, `cannot write predictions file '${preds}': no space left on the device; the previous predictions file '${preds}' is untouched`);
    expect(readFileSync(preds, 'utf8')).toBe('prediction\n1\n');
  });
});

describe('what cannot fit is refused before training', () => {
  it('--hidden 16000,16000: a MemoryError naming the bytes and the limit, at once, without allocating them', () => {
    const r = simdnet(['train', 'students.csv', '--hidden', '16000,16000']);
    expectFailure(
      r, 1,
      /^simdnet: --hidden: a 2 → 16000 → 16000 → 1 network \(256,080,001 parameters\) needs 7,1[\d,]+ bytes \(6\.6\d GiB\) of linear memory to train: /,
      'for the weights, gradients and optimizer state',
      'over the limit of 4,294,967,296 bytes (4.00 GiB)',
      'pass a smaller --hidden',
    );
    expectNoTraining(r);
    // drawing 256 million initial weights alone took half a minute; the refusal takes a start-up's time
    expect(r.ms).toBeLessThan(10_000);
  });

  it('a network that fits in memory but whose model file would be too long to build: refused, with the most parameters a file can hold', () => {
    const r = simdnet(['train', 'students.csv', '--hidden', '6000,6000']);
    expectFailure(
      r, 1,
      '--hidden: a 2 → 6000 → 6000 → 1 network has 36,030,001 parameters; its model file could take up to ',
      'more than the 536,870,888 of the longest text this JavaScript engine can build, so it could not be saved after training',
      'nothing was trained: pass a smaller --hidden',
    );
    expectNoTraining(r);
  });

  it('the help states the cap of --hidden and the memory check', () => {
    const help = simdnet(['train', '--help']).stdout;
    expect(help).toContain('hidden layer sizes, 1 to 65536 units each');
    expect(help).toContain('what fits in memory (4 GiB of Wasm memory) is checked');
    expectFailure(simdnet(['train', 'students.csv', '--hidden', '65537']), 2, '(65537 is over the 65536 units a layer can have)');
  });
});

describe('messages', () => {
  it('split problems: a class too small is left out with a warning, a handful of rows trains whole, an error names the file and the flags', () => {
    const rows = ['x,y,label', ...Array.from({ length: 30 }, (_, i) => `${i},${i % 7},a`), ...Array.from({ length: 30 }, (_, i) => `${i},${i % 5},b`), '1,1,c', '2,2,c'];
    writeFileSync(join(dir, 'rare.csv'), `${rows.join('\n')}\n`);
    const rare = simdnet(['train', 'rare.csv']);
    expect(rare.code, rare.stderr).toBe(0);
    expect(rare.stderr).toContain("warning: class 'c' has 2 rows, too few to appear in every part of a stratified split: left out (trained on the other classes)");
    expect(rare.stdout).toContain('2 classes: a, b');

    const numbers = ['x,score', ...Array.from({ length: 12 }, (_, i) => `${i},${i * 1.5}`)];
    writeFileSync(join(dir, 'few.csv'), `${numbers.join('\n')}\n`);
    const line = expectFailure(simdnet(['train', 'few.csv', '--task', 'regression']), 1, 'simdnet: few.csv: quantile bin', '; pass --no-stratify');
    expect(line).not.toMatch(/ds:|stratify: false|quantileBins/);

    writeFileSync(join(dir, 'two.csv'), 'x,label\n1,a\n2,b\n');
    const two = simdnet(['train', 'two.csv', '--no-stratify']);
    expect(two.code, two.stderr).toBe(0);
    expect(two.stderr).toContain('warning: 2 rows are too few for a train/validation/test split of 0.8/0.1/0.1 (it needs at least');
    expect(two.stdout).toContain('No test or validation part');
  });

  it('a megabyte cell or label with NUL and escape sequences: one line, cut, escaped', () => {
    const value = `${'A'.repeat(1_000_000)}\u0000\u001b[31mRED\u202e`;
    // where a cell is quoted: a regression target that is not a number, a label the model does not know
    writeFileSync(join(dir, 'cell.csv'), `a,b,target\n1,2,0.5\n3,4,${value}\n4,5,0.25\n`);
    writeFileSync(join(dir, 'label.csv'), `hours_studied,attendance,target\n1,0.5,${value}\n`);
    for (const r of [simdnet(['train', 'cell.csv', '--task', 'regression']), simdnet(['evaluate', model, 'label.csv'])]) {
      // cut where the value is quoted (the CSV reader: its start), or else by the CLI's last line of defence (start, end and length)
      const line = expectFailure(r, 1, /'A{40,60}…(AAAAAAAAAA\\x00\\x1b\[31mRED\\u202e' \(1,000,010 characters\)|')/);
      expect(line.length).toBeLessThan(400);
      expect(r.stderr).not.toMatch(/[\u0000\u001b\u202e]/);
    }
  });
});
