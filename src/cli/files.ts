/**
 * Reading the CLI's files, with one-line messages that say which file and
 * what went wrong instead of a bare system error (writing: output-file.ts).
 */

import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { hasOwn } from '../names.js';
import { CliError } from './errors.js';

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
};

/** Why a file operation failed, in words (the system error's code looked up). */
export function reason(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  return hasOwn(REASONS, code) ? REASONS[code]! : err instanceof Error ? err.message : String(err);
}

/**
 * Reads a UTF-8 text file.
 * @param what - what the file is for, e.g. 'data file' or 'model file'.
 * @throws CliError naming the file and the reason.
 */
export function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${what} '${path}': ${reason(err)}`, { cause: err });
  }
}

/** Where `train` saves the model by default: `<csv name without extension>.model.json` in the working directory. */
export function defaultModelPath(dataPath: string): string {
  const name = basename(dataPath, extname(dataPath)) || 'model';
  return `${name}.model.json`;
}
