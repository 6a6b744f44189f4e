/**
 * Every ```ts block of README.md and docs/*.md, extracted as it stands (no
 * hand copies), compiles against the built package under a strict Node-only
 * tsconfig (no DOM lib, skipLibCheck false) and runs to completion.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerProject, run, typeErrors, type Consumer } from '../support/consumer.js';
import { ROOT } from '../support/packed.js';

/** The ```ts blocks of a markdown file, with the line each starts on. */
export function tsBlocks(markdown: string): { line: number; code: string }[] {
  const blocks: { line: number; code: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ts\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

const DOCS = join(ROOT, 'docs');
const SOURCES = ['README.md', ...(existsSync(DOCS) ? readdirSync(DOCS).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`) : [])];
const SNIPPETS = SOURCES.flatMap((source) =>
  tsBlocks(readFileSync(join(ROOT, source), 'utf8')).map((b, i) => ({ ...b, source, file: `${source.replace(/[^\w]+/g, '-')}-${i + 1}.ts` })),
);

let consumer: Consumer;
beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/index.d.ts'))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` does)');
  consumer = consumerProject('snippets');
  // each block is a module of its own (top-level await, its own imports)
  for (const s of SNIPPETS) writeFileSync(join(consumer.dir, s.file), `${s.code}\nexport {};\n`);
});
afterAll(() => consumer?.remove());

describe('the TypeScript in README.md and docs/', () => {
  it('has blocks to check, in the README and in docs/api.md', () => {
    expect(SNIPPETS.filter((s) => s.source === 'README.md').length).toBeGreaterThanOrEqual(1);
    expect(SNIPPETS.filter((s) => s.source === 'docs/api.md').length).toBeGreaterThanOrEqual(6);
  });

  it('compiles under strict with a Node-only tsconfig against the built package', () => {
    const errors = typeErrors(consumer.dir, SNIPPETS.map((s) => s.file)).map((e) => {
      const s = SNIPPETS.find((x) => e.startsWith(x.file));
      // point at the markdown: the block's first line + the line within it
      return s ? e.replace(/^[^:]+:(\d+)/, (_, l: string) => `${s.source}:${s.line + Number(l) - 1}`) : e;
    });
    expect(errors).toEqual([]);
  }, 120_000);

  it.each(SNIPPETS.map((s) => [`${s.source}:${s.line}`, s.file] as const))('%s runs', (_, file) => {
    expect(() => run(consumer.dir, file)).not.toThrow();
  }, 60_000);

  it('the block reader finds blocks and only ts blocks', () => {
    const md = ['text', '```ts', 'const a = 1;', '```', '```js', 'no', '```', '```ts', 'b();', 'c();', '```'].join('\n');
    expect(tsBlocks(md)).toEqual([{ line: 3, code: 'const a = 1;' }, { line: 9, code: 'b();\nc();' }]);
  });
});
