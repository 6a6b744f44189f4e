import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// A clone of the repository is the whole project: nothing it runs or documents
// may name a file beside or above the clone (a workspace folder, a build
// machine's absolute path), because a user who clones it has neither.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCANNED = ['src', 'test', 'bench', 'examples', 'scripts', 'assembly', '.ci', 'README.md', 'package.json', 'docs'];
const TEXT = /\.(ts|mts|cts|js|mjs|cjs|json|md|html|css|sh|toml)$|^run$/;

function* files(path: string): Generator<string> {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return; // an optional folder (docs/) that does not exist yet
  }
  if (stat.isFile()) {
    if (TEXT.test(path.split(sep).pop()!)) yield path;
    return;
  }
  for (const name of readdirSync(path)) {
    if (name === 'node_modules' || name === 'fixtures') continue; // fixtures are data, not references
    yield* files(join(path, name));
  }
}

// Pieces joined at run time, so this file does not match its own patterns.
const ABSOLUTE = new RegExp(['/wo', 'rk/|/ho', 'me/|/roo', 't/'].join(''));
const RELATIVE = /(?:^|[\s'"`(=[])((?:\.\.\/)+)([\w.-]*)/g;

function outsideReferences(file: string): string[] {
  const found: string[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    const where = `${relative(ROOT, file)}:${i + 1}`;
    if (ABSOLUTE.test(line)) found.push(`${where}: absolute path: ${line.trim().slice(0, 120)}`);
    for (const m of line.matchAll(RELATIVE)) {
      const target = resolve(dirname(file), m[1]! + m[2]!);
      if (relative(ROOT, target).startsWith('..')) found.push(`${where}: ${m[1]}${m[2]} leaves the repository`);
    }
  });
  return found;
}

describe('the repository stands alone', () => {
  it('no source, test, bench, example, script or doc names a path outside the repository', () => {
    const found = SCANNED.flatMap((entry) => [...files(join(ROOT, entry))]).flatMap(outsideReferences);
    expect(found).toEqual([]);
  });

  it('the check itself catches both kinds of outside path', () => {
    const probe = join(ROOT, 'test', 'packaging', 'probe.ts');
    const check = (text: string) => {
      const lines = text.split('\n');
      return lines.some((l) => ABSOLUTE.test(l)) || lines.some((l) => [...l.matchAll(RELATIVE)].some((m) => relative(ROOT, resolve(dirname(probe), m[1]! + m[2]!)).startsWith('..')));
    };
    expect(check(`const d = '${'../'.repeat(3)}shared/datasets';`)).toBe(true);
    expect(check(`loadCsv('${['/wo', 'rk'].join('')}/shared/iris.csv')`)).toBe(true);
    expect(check(`new URL('../../examples/data/iris.csv', import.meta.url)`)).toBe(false);
    expect(check(`new URL('../fixtures/golden/', import.meta.url)`)).toBe(false);
  });
});
