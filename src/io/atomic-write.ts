/**
 * Atomic file writes (see atomic-writer.ts) through Node's modules imported
 * up front: for the CLI and Node-only code. The core library reaches the same
 * writer through network/file-io.ts, which loads the modules when a file is
 * first written.
 */

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { atomicWriter } from './atomic-writer.js';

export { systemReason, type FileData } from './atomic-writer.js';

const writer = atomicWriter({ fs, path, randomBytes });

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
export const writeFileAtomic = writer.writeFileAtomic;

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
export const checkWritable = writer.checkWritable;
