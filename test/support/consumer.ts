/**
 * A new TypeScript app using the built package: a scratch ESM project in a
 * temp directory whose node_modules/simdnet is this repository (dist/ as
 * `npm run build` left it, resolved through package.json's exports), type
 * checked under a Node-only strict configuration (no DOM lib,
 * `skipLibCheck: false`) and run with node.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { NODE_ONLY_OPTIONS } from './declarations.js';
import { ROOT } from './packed.js';

/** A scratch project; `remove()` deletes it. */
export interface Consumer {
  dir: string;
  remove(): void;
}

export function consumerProject(name: string): Consumer {
  const dir = mkdtempSync(join(tmpdir(), `simdnet-${name}-`));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module' }));
  mkdirSync(join(dir, 'node_modules/@types'), { recursive: true });
  symlinkSync(ROOT, join(dir, 'node_modules/simdnet'), 'dir');
  symlinkSync(join(ROOT, 'node_modules/@types/node'), join(dir, 'node_modules/@types/node'), 'dir');
  // the examples' data, where a snippet run from the repository's root finds it
  symlinkSync(join(ROOT, 'examples'), join(dir, 'examples'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Type errors of `files` (paths in the project) under the Node-only configuration, as `file:line: message`. */
export function typeErrors(dir: string, files: readonly string[]): string[] {
  const program = ts.createProgram(files.map((f) => join(dir, f)), { ...NODE_ONLY_OPTIONS, typeRoots: [join(dir, 'node_modules/@types')] });
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || d.start === undefined) return text;
    const { line } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${d.file.fileName.replace(`${dir}/`, '')}:${line + 1}: ${text}`;
  });
}

/** Transpiles `file` (TypeScript, checked apart) to an ES module beside it and runs it with node; returns stdout. */
export function run(dir: string, file: string, timeout = 60_000): string {
  const source = ts.sys.readFile(join(dir, file))!;
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
  const out = join(dir, file.replace(/\.m?ts$/, '.mjs'));
  writeFileSync(out, js);
  return execFileSync(process.execPath, [out], { cwd: dir, encoding: 'utf8', timeout, stdio: ['ignore', 'pipe', 'pipe'] });
}
