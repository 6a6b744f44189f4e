// The characters beyond ASCII in the comments esbuild keeps in dist/ (the
// TSDoc of classes and members), written in ASCII. The builds' charset
// 'ascii' escapes such characters in code but leaves comments alone, and a
// file with one character beyond Latin-1 is decoded and parsed as two-byte
// text: importing index.js took about 1.4 ms (10%) longer. Every such
// character left after esbuild is in a comment line (a line that is a comment
// from its first character on): anything else is an error, so no string
// can change, and the source maps' columns of code stay as they are.
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ASCII = { '×': 'x', '–': '-', '—': '--', '−': '-', '≥': '>=', '≤': '<=', '…': '...', '→': '->', '·': '*', 'µ': 'u' };
const COMMENT_LINE = /^\s*(\/\*|\*|\/\/)/;

/** Rewrites every .js and .cjs file of `dir` that has a character beyond ASCII; returns the names of those it rewrote. */
export function asciiComments(dir) {
  const rewritten = [];
  for (const f of readdirSync(dir)) {
    if (!/\.c?js$/.test(f)) continue;
    const path = join(dir, f);
    const text = readFileSync(path, 'utf8');
    if (!/[^\x00-\x7f]/.test(text)) continue;
    const lines = text.split('\n').map((line, i) => {
      if (!/[^\x00-\x7f]/.test(line)) return line;
      if (!COMMENT_LINE.test(line)) throw new Error(`ascii-comments: ${f}:${i + 1}: a character beyond ASCII outside a comment line (esbuild's charset 'ascii' should have escaped it): ${line.trim().slice(0, 80)}`);
      return line.replace(/[^\x00-\x7f]/gu, (c) => ASCII[c] ?? `U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
    });
    // a temporary name beside it, then a rename: a build stopped midway leaves the old file or the new one
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, lines.join('\n'));
    renameSync(tmp, path);
    rewritten.push(f);
  }
  return rewritten;
}
