/**
 * Replacing a file so that a kill, a crash or a full disk at any moment
 * leaves either the old file or the new one, never a torn one (as SQLite and
 * git do): the new content goes to a temporary file in the same folder
 * (created exclusively, under a name nobody else uses), is flushed to the
 * disk, and is renamed over the old name, which the file system does in one
 * step; then the folder is flushed, so the rename itself survives a power
 * loss. A failure before the rename removes the temporary file and leaves
 * the old file as it was. Node only: the writer works through the Node
 * modules it is given (see atomic-write.ts for the CLI's, file-io.ts for the
 * core's, which loads them lazily so that the core bundle imports nothing of
 * Node's up front).
 */

import type * as Fs from 'node:fs';
import type { Stats } from 'node:fs';
import type * as Path from 'node:path';
import { FileError, ValueError, type PreviousFile } from '../errors.js';

/** The Node modules the writer works through. */
export interface NodeFileApi {
  fs: typeof Fs;
  path: typeof Path;
  /** node:crypto's randomBytes (temporary names). */
  randomBytes(size: number): { toString(encoding: 'hex'): string };
}

/** Writing files atomically through one set of Node modules. */
export interface AtomicWriter {
  writeFileAtomic(path: string, data: FileData): void;
  checkWritable(path: string): { exists: boolean };
}

/** What {@link writeFileAtomic} writes: text (as UTF-8), bytes, or pieces of either written one after another. */
export type FileData = string | Uint8Array | readonly (string | Uint8Array)[];

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large (a size limit of the system or the process)',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'input/output error',
};

/** A system error in words: 'no space left on the device' for ENOSPC; the error's own message otherwise. */
export function systemReason(err: unknown): string {
  const code = errorCode(err);
  return (code !== null ? REASONS[code] : undefined) ?? (err instanceof Error ? err.message : String(err));
}

function errorCode(err: unknown): string | null {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : null;
}

/** The writer over `node`'s file system. */
export function atomicWriter(node: NodeFileApi): AtomicWriter {
  const {
    accessSync, closeSync, constants, fchmodSync, fsyncSync, lstatSync, openSync, realpathSync, renameSync, statSync,
    unlinkSync, writeSync,
  } = node.fs;
  const { basename, dirname, join, resolve } = node.path;
  const { randomBytes } = node;

  // Writes go out in pieces of this many UTF-16 units: a 500 MB model text
  // never needs a second 500 MB copy as one Buffer.
  const CHUNK = 1 << 20;
  // A temporary name must stay under the 255-byte limit of a file name.
  const MAX_TEMP_STEM = 100;

  /**
   * Writes `data` to `path`, replacing any file there in one step: a reader,
   * a kill or a crash sees the old file or the new one, never part of either.
   * A symbolic link is followed (the file it names is replaced; the link
   * stays). The new file keeps the old one's permission bits.
   *
   * @param path - the file to write; its folder must exist.
   * @throws ValueError for a path that is empty or names a folder (ends in a separator).
   * @throws FileError naming the path and the reason (a folder or a special
   *   file at `path`, a read-only file, permission denied, a full disk, …);
   *   `previous` says what is at `path` now: 'untouched' (the old file, as it
   *   was), 'none' (nothing, as before) or, if only flushing the folder after
   *   the rename failed, 'replaced'.
   */
  function writeFileAtomic(path: string, data: FileData): void {
    const target = resolveTarget(path);
    const old = existingFile(path, target);
    const previous: PreviousFile = old ? 'untouched' : 'none';
    const temp = createTemp(path, target, previous);
    let fd: number | null = temp.fd;
    try {
      if (old) fchmodSync(fd, old.mode & 0o7777);
      for (const piece of typeof data === 'string' || data instanceof Uint8Array ? [data] : data) writePiece(fd, piece);
      fsyncSync(fd);
      closeSync(fd);
      fd = null;
      renameSync(temp.path, target);
    } catch (err) {
      if (fd !== null) closeQuietly(fd);
      removeQuietly(temp.path);
      throw failure(path, err, previous);
    }
    syncFolder(path, dirname(target));
  }

  /**
   * Checks, without touching `path`, that {@link writeFileAtomic} could write
   * it now: the folder exists and takes a new file (one is created there and
   * removed), and what is at `path`, if anything, is a regular file that may be
   * written. Meant for the start of a long job, so that an unwritable output is
   * found before the work rather than after it.
   *
   * @returns whether a file exists at `path`.
   * @throws ValueError or FileError as {@link writeFileAtomic} does.
   */
  function checkWritable(path: string): { exists: boolean } {
    const target = resolveTarget(path);
    const old = existingFile(path, target);
    const temp = createTemp(path, target, old ? 'untouched' : 'none');
    closeQuietly(temp.fd);
    removeQuietly(temp.path);
    return { exists: old !== null };
  }

  /** The absolute path to replace: `path`, or the file a symbolic link at `path` names. */
  function resolveTarget(path: string): string {
    if (typeof path !== 'string' || path === '') {
      throw new ValueError(`path: expected a file name, got ${typeof path === 'string' ? "''" : typeof path}`);
    }
    // resolve() would drop the trailing separator and write a file named like the folder
    if (/[\\/]$/.test(path)) throw new ValueError(`path: expected a file name, got '${path}', which names a folder (it ends with a separator)`);
    let link: Stats;
    try {
      link = lstatSync(path);
    } catch {
      return resolve(path);
    }
    if (!link.isSymbolicLink()) return resolve(path);
    try {
      return realpathSync(path);
    } catch {
      return resolve(path); // a dangling link is replaced by the file
    }
  }

  /** The file at `target` if there is one; refuses what must not be replaced. */
  function existingFile(path: string, target: string): Stats | null {
    let stats: Stats;
    try {
      stats = statSync(target);
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return null;
      throw failure(path, err, 'none');
    }
    if (stats.isDirectory()) throw refusal(path, 'EISDIR', REASONS.EISDIR!);
    // renaming over a device or a pipe would replace it with a plain file
    if (!stats.isFile()) throw refusal(path, null, `it is not a regular file (${kindOf(stats)})`);
    try {
      accessSync(target, constants.W_OK);
    } catch (err) {
      // an in-place write would have been refused too: a read-only file stays read-only
      throw refusal(path, errorCode(err), errorCode(err) === 'EACCES' ? 'the file is read-only (permission denied)' : systemReason(err));
    }
    return stats;
  }

  function kindOf(s: Stats): string {
    if (s.isCharacterDevice()) return 'a character device';
    if (s.isBlockDevice()) return 'a block device';
    if (s.isFIFO()) return 'a named pipe';
    if (s.isSocket()) return 'a socket';
    return 'not a file';
  }

  function createTemp(path: string, target: string, previous: PreviousFile): { fd: number; path: string } {
    const stem = `.${basename(target).slice(0, MAX_TEMP_STEM)}.${process.pid}`;
    for (let attempt = 0; ; attempt++) {
      const temp = join(dirname(target), `${stem}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        // 'wx': O_CREAT | O_EXCL, so an existing file (or a planted symlink) is never opened
        return { fd: openSync(temp, 'wx', 0o666), path: temp };
      } catch (err) {
        if (errorCode(err) === 'EEXIST' && attempt < 8) continue;
        throw failure(path, err, previous);
      }
    }
  }

  function writePiece(fd: number, piece: string | Uint8Array): void {
    if (typeof piece !== 'string') {
      writeBytes(fd, piece);
      return;
    }
    for (let i = 0; i < piece.length; ) {
      let end = Math.min(piece.length, i + CHUNK);
      // never split a surrogate pair: each half alone would be written as U+FFFD
      const last = piece.charCodeAt(end - 1);
      if (end < piece.length && last >= 0xd800 && last <= 0xdbff) end--;
      writeBytes(fd, Buffer.from(piece.slice(i, end), 'utf8'));
      i = end;
    }
  }

  function writeBytes(fd: number, bytes: Uint8Array): void {
    // writeSync may write less than asked (a signal, a nearly full disk)
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
  }

  /** Flushes the folder's entry list, so the rename is on the disk too; skipped where the platform cannot (Windows opens no folders). */
  function syncFolder(path: string, folder: string): void {
    let fd: number | null = null;
    try {
      fd = openSync(folder, 'r');
      fsyncSync(fd);
    } catch (err) {
      const code = errorCode(err);
      if (code === null || !['EISDIR', 'EINVAL', 'EPERM', 'EACCES', 'ENOTSUP', 'EBADF'].includes(code)) {
        throw new FileError(
          `cannot write '${path}': the new file is in place, but flushing its folder failed (${systemReason(err)}); it may not survive a power loss`,
          { path, code, reason: systemReason(err), previous: 'replaced' },
          { cause: err },
        );
      }
    } finally {
      if (fd !== null) closeQuietly(fd);
    }
  }

  function failure(path: string, err: unknown, previous: PreviousFile): FileError {
    const reason = systemReason(err);
    const left = previous === 'untouched' ? '; the previous file is untouched' : '';
    return new FileError(`cannot write '${path}': ${reason}${left}`, { path, code: errorCode(err), reason, previous }, { cause: err });
  }

  function refusal(path: string, code: string | null, reason: string): FileError {
    return new FileError(`cannot write '${path}': ${reason}; it is untouched`, { path, code, reason, previous: 'untouched' });
  }

  function closeQuietly(fd: number): void {
    try {
      closeSync(fd);
    } catch {
      // the descriptor is gone either way
    }
  }

  function removeQuietly(path: string): void {
    try {
      unlinkSync(path);
    } catch {
      // already gone, or its folder went away: nothing more to clean
    }
  }

  return { writeFileAtomic, checkWritable };
}
