/**
 * A network saved to and loaded from a file path, in Node (and Deno, Bun).
 * Node's modules are loaded when a file is first read or written — from
 * process.getBuiltinModule where there is one, else by a dynamic import — so
 * the core bundle imports nothing of Node's up front. The browser and edge
 * builds swap in file-io.browser.ts, which refuses with advice.
 */

import type * as Fs from 'node:fs';
import type * as Path from 'node:path';
import { DataError, ValueError } from '../errors.js';
import type { AtomicWriter } from '../io/atomic-writer.js';
import { describe } from '../validate.js';

interface NodeModules {
  fs: typeof Fs;
  writer: AtomicWriter;
}

let modules: Promise<NodeModules> | null = null;

function builtin<T>(id: string): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return typeof proc?.getBuiltinModule === 'function' ? (proc.getBuiltinModule(id) as T | undefined) : undefined;
}

function nodeModules(): Promise<NodeModules> {
  modules ??= (async () => {
    const fs = builtin<typeof Fs>('node:fs') ?? (await import(/* @vite-ignore */ 'node:fs'));
    const path = builtin<typeof Path>('node:path') ?? (await import(/* @vite-ignore */ 'node:path'));
    const crypto = builtin<typeof import('node:crypto')>('node:crypto') ?? (await import(/* @vite-ignore */ 'node:crypto'));
    // on demand as well: a bundle that splits keeps the writer out of the core chunk
    const { atomicWriter } = await import('../io/atomic-writer.js');
    return { fs, writer: atomicWriter({ fs, path, randomBytes: crypto.randomBytes }) };
  })();
  return modules;
}

function checkPath(path: unknown): string {
  if (typeof path === 'string' && path !== '') return path;
  throw new ValueError(`path: expected a file path (a non-empty string), got ${describe(path)}`);
}

/** Writes `text` to `path` atomically: a temporary file beside it, flushed, renamed into place. */
export async function writeModelFile(path: unknown, text: () => string): Promise<void> {
  const file = checkPath(path);
  const { writer } = await nodeModules();
  writer.writeFileAtomic(file, text());
}

/** The text of the file at `path`; a DataError naming it and the system's code when it cannot be read. */
export async function readModelFile(path: unknown): Promise<string> {
  const file = checkPath(path);
  const { fs } = await nodeModules();
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? ` (${String(err.code)})` : '';
    throw new DataError(`path: could not read '${file}'${code}`, { cause: err });
  }
}
