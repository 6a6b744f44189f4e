// Sections of docs/benchmarks.md that the bench writes: each between its own
// pair of markers, the rest of the file (the prose around them) kept. The
// file is written to a temporary name beside it, flushed, and renamed into
// place, so a bench stopped half-way leaves the previous file.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const DOCS_FILE = fileURLToPath(new URL('../docs/benchmarks.md', import.meta.url));

const start = (name, how) => `<!-- ${name}: written by \`${how}\`; edits between these markers are replaced -->`;
const end = (name) => `<!-- ${name}: end -->`;

/**
 * Replaces the section `name` of docs/benchmarks.md with `body` (appended when
 * the file has no such section yet). `how` is the command that writes it.
 */
export function writeDocsSection(name, how, body) {
  mkdirSync(path.dirname(DOCS_FILE), { recursive: true });
  const a = start(name, how);
  const b = end(name);
  const old = existsSync(DOCS_FILE) ? readFileSync(DOCS_FILE, 'utf8') : '# Benchmarks\n';
  const i = old.indexOf(`<!-- ${name}: written by`);
  const j = old.indexOf(b);
  const section = `${a}\n${body.trim()}\n${b}`;
  const text = i >= 0 && j > i ? `${old.slice(0, i)}${section}${old.slice(j + b.length)}` : `${old.trimEnd()}\n\n${section}\n`;
  const tmp = path.join(path.dirname(DOCS_FILE), `.benchmarks.md.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, DOCS_FILE);
  return DOCS_FILE;
}
