/**
 * The files the commands write (the model, the predictions). Checked before
 * any work, so a long training is never lost to an output it cannot write
 * or one that would overwrite an input; then written atomically
 * (src/io/atomic-write.ts), so a kill or a full disk leaves the old file or
 * the new one, never a torn one.
 */

import { realpathSync, statSync, type BigIntStats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FileError, ValueError } from '../errors.js';
import { checkWritable, writeFileAtomic, type FileData } from '../io/atomic-write.js';
import { CliError, UsageError } from './errors.js';

/** A file the command reads, for messages: e.g. `{ path: 'iris.csv', what: 'data file' }`. */
export interface InputFile {
  path: string;
  what: string;
}

/** Paths a command reads, as InputFiles for messages. */
export function inputFiles(paths: readonly string[], what = 'input file'): InputFile[] {
  return paths.map((path) => ({ path, what }));
}

/**
 * Refuses an output path before any work: empty, naming a folder, one of
 * the command's inputs (the same file by real path or by device and inode,
 * so symbolic and hard links count), or not writable now (its folder is
 * missing or refuses a new file, a read-only file is there, …).
 *
 * @param option - how the user named the path, for messages: '--out', or 'model file' for a default.
 * @throws UsageError for an empty path or one ending with a separator; CliError otherwise.
 */
export function checkOutputPath(path: string, option: string, inputs: readonly InputFile[]): void {
  if (path === '') throw new UsageError(`${option}: expected a file name, got ''`);
  for (const input of inputs) {
    const link = sameFile(path, input.path);
    if (link === null) continue;
    const which = link === '' ? `the ${input.what} this command reads` : `the ${input.what} '${input.path}' ${link}, which this command reads`;
    throw new CliError(`${option}: '${path}' is ${which}; it was left untouched and nothing was done: choose another output file`);
  }
  try {
    checkWritable(path);
  } catch (err) {
    if (err instanceof ValueError) throw new UsageError(`${option}: expected a file name, got '${path}', which names a folder`, { cause: err });
    if (!(err instanceof FileError)) throw err;
    const reason = err.code === 'ENOENT' ? `the folder '${dirname(path)}' does not exist` : err.reason;
    throw new CliError(`${option}: cannot write '${path}': ${reason}`, { cause: err });
  }
}

/**
 * Writes an output file atomically.
 * @param what - what the file is, for messages, e.g. 'model file'.
 * @throws CliError naming the file and the reason, and saying that the
 *   previous file at that path, if there was one, is untouched.
 */
export function writeOutput(path: string, data: FileData, what: string): void {
  try {
    writeFileAtomic(path, data);
  } catch (err) {
    if (!(err instanceof FileError)) throw err;
    const left =
      err.previous === 'untouched' ? `; the previous ${what} '${path}' is untouched`
      : err.previous === 'none' ? '; nothing was saved'
      : '; the new file is in place, but may not survive a power loss';
    throw new CliError(`cannot write ${what} '${path}': ${err.reason}${left}`, { cause: err });
  }
}

/** null when `a` and `b` are different files; else '' (the same name) or a note on how they are the same. */
function sameFile(a: string, b: string): string | null {
  let sa: BigIntStats;
  let sb: BigIntStats;
  try {
    sa = statSync(a, { bigint: true });
    sb = statSync(b, { bigint: true });
  } catch {
    return null; // one of them does not exist (yet): they cannot be one file
  }
  // some file systems report no inode numbers (0): then only the real paths can tell
  const sameInode = sa.ino !== 0n && sa.dev === sb.dev && sa.ino === sb.ino;
  if (!sameInode && realPath(a) !== realPath(b)) return null;
  return resolve(a) === resolve(b) ? '' : '(the same file under another name, through a link)';
}

function realPath(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}
