/** Running the built `simdnet` command (dist/cli.js) as a user does, and checking a failure against the CLI's contract. */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLI = join(ROOT, 'dist/cli.js');

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall-clock milliseconds. */
  ms: number;
}

/** Throws unless dist/cli.js exists (`npm test` builds it; `npm run build` otherwise). */
export function requireBuiltCli(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` does)`);
}

/** Runs `simdnet <args>` in `cwd`; `extra` adds spawn options (uid, gid, …). */
export function simdnet(args: readonly string[], cwd: string, extra: SpawnSyncOptions = {}): Run {
  const started = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, ...extra });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr), ms: performance.now() - started };
}

/** A failure as the contract says: the exit code, nothing on stdout, one `simdnet: ` line on stderr with the words, no stack. Returns the line. */
export function expectFailure(r: Run, code: number, ...words: (string | RegExp)[]): string {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, r.stderr).toHaveLength(1);
  const line = lines[0]!;
  expect(line).toMatch(/^simdnet: /);
  for (const w of words) {
    if (typeof w === 'string') expect(line).toContain(w);
    else expect(line).toMatch(w);
  }
  expect(r.stderr).not.toMatch(/\n\s+at /);
  return line;
}
