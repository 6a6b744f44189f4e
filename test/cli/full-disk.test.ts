/**
 * `simdnet train` and `predict` in process, on a disk that fills up while
 * the output is written (writes into the output's folder fail with ENOSPC
 * after a set number of bytes, through a mocked node:fs), at several
 * points of the write: the previous file stays byte for byte, the error
 * says so, and no temporary file stays. Runs everywhere; test/cli/outputs.test.ts
 * does the same on a real full tmpfs where one can be mounted.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliError } from '../../src/cli/errors.js';
import type { Io } from '../../src/cli/io.js';
import { predict } from '../../src/cli/predict.js';
import { train } from '../../src/cli/train.js';
import { DATA_DIR } from '../support/data.js';
import { expectRejection } from '../support/expect-error.js';

/** Bytes the disk takes before it is full; null: not full. */
const disk = { spaceLeft: null as number | null, written: 0 };

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const mocked = {
    ...fs,
    writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => {
      if (disk.spaceLeft !== null) {
        if (disk.spaceLeft === 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        length = Math.min(length, disk.spaceLeft);
        disk.spaceLeft -= length;
      }
      const n = fs.writeSync(fd, buffer, offset, length);
      disk.written += n;
      return n;
    },
  };
  return { ...mocked, default: mocked };
});

const STUDENTS = join(DATA_DIR, 'students.csv');
let dir = '';
let model = '';
const quiet: Io = { stdout: { write: () => true }, stderr: { write: () => true } };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'simdnet-full-disk-'));
  model = join(dir, 'old.model.json');
  expect(await train([STUDENTS, '--epochs', '2', '--json', '--out', model], quiet)).toBe(0);
});
afterAll(() => {
  disk.spaceLeft = null;
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a disk that fills up during the save', () => {
  it.each([0, 1, 8192, 'all but the last byte'] as const)('train, the disk full after %s bytes: the previous model untouched, and said so', async (room) => {
    const out = join(dir, `m-${String(room).replace(/\W+/g, '-')}.json`);
    copyFileSync(model, out);
    const before = readFileSync(out);
    // how long the new model is: the same run without a full disk
    disk.written = 0;
    const probe = join(dir, 'probe.json');
    expect(await train([STUDENTS, '--epochs', '3', '--seed', '9', '--json', '--out', probe], quiet)).toBe(0);
    const length = disk.written;
    expect(length).toBe(readFileSync(probe).length);
    disk.spaceLeft = room === 'all but the last byte' ? length - 1 : room;
    try {
      await expectRejection(
        () => train([STUDENTS, '--epochs', '3', '--seed', '9', '--json', '--out', out], quiet),
        CliError,
        `cannot write model file '${out}': no space left on the device; the previous model file '${out}' is untouched`,
      );
    } finally {
      disk.spaceLeft = null;
    }
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('predict: the previous predictions untouched; with none before, nothing left behind', async () => {
    const out = join(dir, 'preds.csv');
    expect(await predict([model, STUDENTS, '--out', out], quiet)).toBe(0);
    const before = readFileSync(out);
    disk.spaceLeft = 100;
    try {
      await expectRejection(() => predict([model, STUDENTS, '--probabilities', '--out', out], quiet), CliError, `the previous predictions file '${out}' is untouched`);
      disk.spaceLeft = 100;
      const fresh = join(dir, 'fresh.csv');
      await expectRejection(() => predict([model, STUDENTS, '--out', fresh], quiet), CliError, `cannot write predictions file '${fresh}': no space left on the device; nothing was saved`);
      expect(readdirSync(dir)).not.toContain('fresh.csv');
    } finally {
      disk.spaceLeft = null;
    }
    expect(readFileSync(out).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
