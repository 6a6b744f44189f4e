/**
 * The built JavaScript is ASCII: a file with one character beyond Latin-1 is
 * decoded and parsed as two-byte text, which made a cold start's import of
 * index.js about 1.4 ms (10%) slower. The builds' charset 'ascii' escapes
 * such characters in code and scripts/ascii-comments.mjs writes those of the
 * kept comments in ASCII.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { asciiComments } from '../../scripts/ascii-comments.mjs';
import { ROOT } from '../support/packed.js';

const DIST = join(ROOT, 'dist');

describe('ASCII-only JavaScript in dist/', () => {
  it('every .js and .cjs file of dist/ is ASCII', () => {
    const files = readdirSync(DIST).filter((f) => /\.c?js$/.test(f));
    expect(files).toContain('index.js');
    for (const f of files) {
      const text = readFileSync(join(DIST, f), 'utf8');
      const at = text.search(/[^\x00-\x7f]/);
      expect(at, `${f}: ${at < 0 ? '' : JSON.stringify(text.slice(Math.max(0, at - 30), at + 10))}`).toBe(-1);
    }
  });

  it('a message keeps its characters at run time (escaped in the code, not replaced)', async () => {
    // '×' in a message of src/network/input-forms.ts, written \xD7 in dist/index.js
    expect(readFileSync(join(DIST, 'index.js'), 'utf8')).toContain('\\xD7 ${');
    const lib = await import(pathToFileURL(join(DIST, 'index.js')).href);
    const runtime = await lib.init({ setDefault: false });
    const net = new lib.Network({ inputs: 2, layers: [{ units: 3, activation: 'linear' }], runtime });
    try {
      expect(() => net.predictInto(new Float32Array(2), new Float32Array(2))).toThrow('(1 row × 3 outputs)');
    } finally {
      net.dispose();
    }
  });
});

describe('asciiComments', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes comment lines in ASCII and leaves ASCII files and other files alone', () => {
    dir = mkdtempSync(join(tmpdir(), 'simdnet-ascii-'));
    writeFileSync(join(dir, 'a.js'), '/** rows × outputs — 2^−32 ≥ 0 */\nconst a = "\\u00D7";\n  // Box–Muller…\n');
    writeFileSync(join(dir, 'b.cjs'), 'const b = 1;\n');
    writeFileSync(join(dir, 'c.d.ts'), '/** rows × outputs */\n');
    expect(asciiComments(dir)).toEqual(['a.js']);
    expect(readFileSync(join(dir, 'a.js'), 'utf8')).toBe('/** rows x outputs -- 2^-32 >= 0 */\nconst a = "\\u00D7";\n  // Box-Muller...\n');
    expect(readFileSync(join(dir, 'c.d.ts'), 'utf8')).toBe('/** rows × outputs */\n');
    expect(readdirSync(dir).sort()).toEqual(['a.js', 'b.cjs', 'c.d.ts']);
  });

  it('refuses a character beyond ASCII outside a comment line, naming the file and line, and leaves the file as it was', () => {
    dir = mkdtempSync(join(tmpdir(), 'simdnet-ascii-'));
    writeFileSync(join(dir, 'a.js'), 'const a = 1;\nconst b = "×";\n');
    expect(() => asciiComments(dir)).toThrow(/ascii-comments: a\.js:2: a character beyond ASCII outside a comment line/);
    expect(readFileSync(join(dir, 'a.js'), 'utf8')).toBe('const a = 1;\nconst b = "×";\n');
  });
});
