/**
 * Reading and writing the CLI's files, with one-line messages that say which
 * file and what went wrong instead of a bare system error.
 */

import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { CliError } from './errors.js';

const REASONS: Record<string, string> = {
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
  return REASONS[code] ?? (err instanceof Error ? err.message : String(err));
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

/**
 * Writes a text file, replacing any file of that name.
 * @throws CliError naming the file and the reason.
 */
export function writeText(path: string, text: string, what: string): void {
  try {
    writeFileSync(path, text, 'utf8');
  } catch (err) {
    throw new CliError(`cannot write ${what} '${path}': ${reason(err)}`, { cause: err });
  }
}

/**
 * Checks, before any long work, that `path` can be created: its directory
 * exists and the path itself is not a directory.
 * @throws CliError naming the option and the problem.
 */
export function checkOutputPath(path: string, option: string): void {
  const dir = dirname(path);
  let dirOk = false;
  try {
    dirOk = statSync(dir).isDirectory();
  } catch {
    dirOk = false;
  }
  if (!dirOk) throw new CliError(`${option}: cannot write '${path}': the directory '${dir}' does not exist`);
  try {
    if (statSync(path).isDirectory()) throw new CliError(`${option}: cannot write '${path}': it is a directory`);
  } catch (err) {
    if (err instanceof CliError) throw err;
  }
}

/** Where `train` saves the model by default: `<csv name without extension>.model.json` in the working directory. */
export function defaultModelPath(dataPath: string): string {
  const name = basename(dataPath, extname(dataPath)) || 'model';
  return `${name}.model.json`;
}
