/**
 * writeFileAtomic and checkWritable on a real file system, with faults
 * injected into node:fs (a disk that fills after some bytes, a failing flush
 * or rename): the old file must come out byte for byte as it was, and no
 * temporary file may stay behind.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileError, ValueError } from '../../src/errors.js';
import { checkWritable, writeFileAtomic } from '../../src/io/atomic-write.js';
import { expectError } from '../support/expect-error.js';

/** What the mocked node:fs does wrong, when armed. */
const fault = {
  /** Bytes the disk still takes before ENOSPC; null: unlimited. */
  spaceLeft: null as number | null,
  fsyncError: null as string | null,
  renameError: null as string | null,
  opens: [] as { path: string; flags: unknown }[],
  fsyncs: 0,
};

function systemError(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const mocked = {
    ...fs,
    openSync: (path: string, flags?: unknown, mode?: unknown) => {
      fault.opens.push({ path: String(path), flags });
      return fs.openSync(path, flags as never, mode as never);
    },
    writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => {
      if (fault.spaceLeft !== null) {
        if (fault.spaceLeft === 0) throw systemError('ENOSPC');
        // a nearly full disk takes part of a write, then refuses the rest
        length = Math.min(length, fault.spaceLeft);
        fault.spaceLeft -= length;
      }
      return fs.writeSync(fd, buffer, offset, length);
    },
    fsyncSync: (fd: number) => {
      fault.fsyncs++;
      if (fault.fsyncError !== null) throw systemError(fault.fsyncError);
      fs.fsyncSync(fd);
    },
    renameSync: (from: string, to: string) => {
      if (fault.renameError !== null) throw systemError(fault.renameError);
      fs.renameSync(from, to);
    },
  };
  return { ...mocked, default: mocked };
});

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'simdnet-atomic-'));
  Object.assign(fault, { spaceLeft: null, fsyncError: null, renameError: null, opens: [], fsyncs: 0 });
});
afterEach(() => {
  Object.assign(fault, { spaceLeft: null, fsyncError: null, renameError: null });
  rmSync(dir, { recursive: true, force: true });
});

const OLD = `{"model":"old","weights":[${Array.from({ length: 5000 }, (_, i) => i / 7).join(',')}]}\n`;
const NEW = `{"model":"new","weights":[${Array.from({ length: 9000 }, (_, i) => -i / 3).join(',')}]}\n`;

describe('writeFileAtomic', () => {
  it('writes a new file: text, bytes, or pieces one after another; flushes it and its folder; no temporary file stays', () => {
    const a = join(dir, 'a.json');
    writeFileAtomic(a, NEW);
    expect(readFileSync(a, 'utf8')).toBe(NEW);
    expect(fault.fsyncs).toBe(2); // the file, then the folder
    const b = join(dir, 'b.bin');
    writeFileAtomic(b, new Uint8Array([0, 1, 2, 255]));
    expect([...readFileSync(b)]).toEqual([0, 1, 2, 255]);
    const c = join(dir, 'c.json');
    writeFileAtomic(c, ['{"x":', new TextEncoder().encode('"é"'), '}\n']);
    expect(readFileSync(c, 'utf8')).toBe('{"x":"é"}\n');
    expect(readdirSync(dir).sort()).toEqual(['a.json', 'b.bin', 'c.json']);
  });

  it('creates the temporary file exclusively, beside the target, under a hidden name', () => {
    writeFileAtomic(join(dir, 'model.json'), NEW);
    const temp = fault.opens.find((o) => o.path.endsWith('.tmp'))!;
    expect(temp.flags).toBe('wx');
    expect(temp.path.startsWith(join(dir, '.model.json.'))).toBe(true);
  });

  it('replaces an existing file and keeps its permission bits', () => {
    const p = join(dir, 'm.json');
    writeFileSync(p, OLD);
    chmodSync(p, 0o640);
    writeFileAtomic(p, NEW);
    expect(readFileSync(p, 'utf8')).toBe(NEW);
    expect(statSync(p).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['m.json']);
  });

  it('follows a symbolic link: the file it names is replaced, the link stays a link', () => {
    const target = join(dir, 'real.json');
    const link = join(dir, 'link.json');
    writeFileSync(target, OLD);
    symlinkSync(target, link);
    writeFileAtomic(link, NEW);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe(NEW);
  });

  it('writes text longer than one chunk exactly, with a surrogate pair across the chunk boundary', () => {
    const text = `${'a'.repeat((1 << 20) - 1)}😀${'b'.repeat(1000)}`;
    const p = join(dir, 'big.txt');
    writeFileAtomic(p, text);
    expect(readFileSync(p).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });

  it.each([0, 1, 4096, NEW.length - 1])('a disk that fills after %i bytes: FileError ENOSPC, the old file byte for byte, no temporary file', (bytes) => {
    const p = join(dir, 'm.json');
    writeFileSync(p, OLD);
    fault.spaceLeft = bytes;
    const err = expectError(() => writeFileAtomic(p, NEW), FileError, `cannot write '${p}': no space left on the device; the previous file is untouched`) as FileError;
    expect(err.code).toBe('ENOSPC');
    expect(err.previous).toBe('untouched');
    expect(err.reason).toBe('no space left on the device');
    expect(readFileSync(p, 'utf8')).toBe(OLD);
    expect(readdirSync(dir)).toEqual(['m.json']);
  });

  it('a full disk and no file before: nothing is left at the path', () => {
    const p = join(dir, 'new.json');
    fault.spaceLeft = 100;
    const err = expectError(() => writeFileAtomic(p, NEW), FileError, 'no space left on the device') as FileError;
    expect(err.previous).toBe('none');
    expect(err.message).not.toContain('previous');
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ['the flush', 'fsyncError', 'EIO', 'input/output error'],
    ['the rename', 'renameError', 'EXDEV', 'EXDEV: injected'],
  ] as const)('a failure of %s: the old file is untouched and the temporary file removed', (_what, key, code, reason) => {
    const p = join(dir, 'm.json');
    writeFileSync(p, OLD);
    fault[key] = code;
    const err = expectError(() => writeFileAtomic(p, NEW), FileError, `cannot write '${p}': ${reason}; the previous file is untouched`) as FileError;
    expect(err.code).toBe(code);
    fault[key] = null;
    expect(readFileSync(p, 'utf8')).toBe(OLD);
    expect(readdirSync(dir)).toEqual(['m.json']);
  });

  it('refuses, untouched: a folder, a device, an empty path, a path ending with a separator, a missing folder', () => {
    mkdirSync(join(dir, 'sub'));
    expectError(() => writeFileAtomic(join(dir, 'sub'), NEW), FileError, 'it is a directory');
    const dev = expectError(() => writeFileAtomic('/dev/null', NEW), FileError, "cannot write '/dev/null': it is not a regular file (a character device)") as FileError;
    expect(dev.code).toBeNull();
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expectError(() => writeFileAtomic('', NEW), ValueError, "path: expected a file name, got ''");
    expectError(() => writeFileAtomic(join(dir, 'sub') + '/', NEW), ValueError, 'which names a folder (it ends with a separator)');
    const missing = expectError(() => writeFileAtomic(join(dir, 'nope', 'm.json'), NEW), FileError, 'no such file or directory') as FileError;
    expect(missing.code).toBe('ENOENT');
    expect(readdirSync(dir)).toEqual(['sub']);
    expect(readdirSync(join(dir, 'sub'))).toEqual([]);
  });

  // root may write any file, so this runs for other users only; test/cli/outputs.test.ts runs the CLI as 'nobody' under root
  it.skipIf(process.getuid?.() === 0)('refuses a read-only file, which stays as it was', () => {
    const p = join(dir, 'ro.json');
    writeFileSync(p, OLD);
    chmodSync(p, 0o444);
    expectError(() => writeFileAtomic(p, NEW), FileError, 'the file is read-only (permission denied); it is untouched');
    expect(readFileSync(p, 'utf8')).toBe(OLD);
  });
});

describe('checkWritable', () => {
  it('says whether a file is there, and leaves the folder as it found it', () => {
    const p = join(dir, 'm.json');
    expect(checkWritable(p)).toEqual({ exists: false });
    expect(readdirSync(dir)).toEqual([]);
    writeFileSync(p, OLD);
    expect(checkWritable(p)).toEqual({ exists: true });
    expect(readdirSync(dir)).toEqual(['m.json']);
    expect(readFileSync(p, 'utf8')).toBe(OLD);
  });

  it('finds what the write would meet: a missing folder, a folder, a device, a disk that takes no new file', () => {
    expectError(() => checkWritable(join(dir, 'nope', 'm.json')), FileError, 'no such file or directory');
    expectError(() => checkWritable(dir), FileError, 'it is a directory');
    expectError(() => checkWritable('/dev/zero'), FileError, 'not a regular file');
    fault.spaceLeft = 0;
    // creating an empty file takes no bytes: a full disk is found by the write itself
    expect(checkWritable(join(dir, 'x.json'))).toEqual({ exists: false });
  });
});
