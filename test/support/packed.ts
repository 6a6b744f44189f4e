/**
 * The package as a user gets it: `npm pack` (without scripts: dist/ is
 * already built, and `prepare` would rebuild it under the other tests' feet),
 * installed from the tarball into a scratch project in a temp directory.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface PackedProject {
  /** The scratch project, with node_modules/simdnet installed from the tarball. */
  dir: string;
  tarball: string;
  /** Paths inside the tarball (package/…). */
  files: string[];
  /** Deletes the temp directory. */
  root: string;
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export function packAndInstall(name: string): PackedProject {
  const root = mkdtempSync(join(tmpdir(), `simdnet-${name}-`));
  const out = execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', root], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  const tarball = join(root, info!.filename);
  const dir = join(root, 'project');
  mkdirSync(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `scratch-${name}`, private: true, version: '1.0.0' }, null, 2));
  // the package has no dependencies: installing the tarball needs nothing from the registry
  execFileSync(npm, ['install', tarball, '--no-audit', '--no-fund', '--prefer-offline', '--ignore-scripts', '--loglevel=error'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { dir, tarball, files: info!.files.map((f) => f.path), root };
}
