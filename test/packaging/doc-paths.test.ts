/**
 * The README and docs/ refer only to what a reader of the repository can
 * open: every relative link, and every repository path written in backticks
 * (`src/…`, `test/…`, `bench/…`), names a file or folder that exists. (Paths
 * under dist/ exist after a build; they are left to the packaging tests.)
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/packed.js';

const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** The repository paths and relative links a markdown text names. */
export function namedPaths(markdown: string): { paths: string[]; links: string[] } {
  const paths = [...markdown.matchAll(/`((?:src|test|assembly|bench|examples|scripts|docs)\/[\w./-]*)`/g)].map((m) => m[1]!);
  const links = [...markdown.matchAll(/\]\(([^)\s#:]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!);
  return { paths, links };
}

describe('README.md and docs/ name only what exists', () => {
  it.each(DOCS)('%s', (doc) => {
    const { paths, links } = namedPaths(readFileSync(join(ROOT, doc), 'utf8'));
    const missing = [
      ...paths.filter((p) => !existsSync(join(ROOT, p))),
      ...links.filter((l) => !existsSync(join(ROOT, dirname(doc), l))).map((l) => `link ${l}`),
    ];
    expect(missing).toEqual([]);
  });

  it('the check itself finds paths and links, and would catch a missing one', () => {
    const found = namedPaths('see `src/nowhere.ts`, [the docs](docs/none.md#x), [site](https://example.org) and `dist/index.js`');
    expect(found).toEqual({ paths: ['src/nowhere.ts'], links: ['docs/none.md'] });
    expect(existsSync(join(ROOT, found.paths[0]!))).toBe(false);
  });

  it('the README stays a five-minute read (≤ 12 KB)', () => {
    expect(readFileSync(join(ROOT, 'README.md')).length).toBeLessThanOrEqual(12 * 1024);
  });
});
