/**
 * Files written as SQLite and git write them: to a temporary name in the
 * same folder, flushed to the disk, then renamed over the target, so a crash
 * or a full disk leaves the old file or the new one, never a torn one. And
 * the check that an output is not one of the command's inputs.
 */

import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError } from './errors.js';

/**
 * Writes `data` to `path` atomically (temporary file, fsync, rename).
 * @throws CliError naming the file and the reason; the temporary file is removed.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, what: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number | null = null;
  try {
    fd = openSync(tmp, 'wx', 0o644);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let o = 0; o < bytes.length; ) o += writeSync(fd, bytes, o, bytes.length - o);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(tmp, path);
  } catch (err) {
    if (fd !== null) closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      // it was never created, or the rename took it
    }
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
    const reason = code === 'ENOSPC' ? 'no space left on the device' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOENT' ? 'the directory does not exist' : (err as Error).message;
    throw new CliError(`cannot write ${what} '${path}': ${reason}`, { cause: err });
  }
}

/** Whether two paths name the same file (the same path, or the same inode once both exist). */
export function sameFile(a: string, b: string): boolean {
  if (resolve(a) === resolve(b)) return true;
  const sa = statSync(a, { throwIfNoEntry: false });
  const sb = statSync(b, { throwIfNoEntry: false });
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino;
}

/**
 * Refuses, before any work, an output that is one of the inputs.
 * @throws CliError naming the option, the output and the input it would overwrite.
 */
export function checkNotInput(out: string, inputs: readonly string[], option: string): void {
  for (const input of inputs) {
    if (sameFile(out, input)) throw new CliError(`${option}: '${out}' is an input of this command ('${input}'); refusing to write over it`);
  }
}
