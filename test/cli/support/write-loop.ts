/**
 * The child process of test/cli/kill-write.test.ts: saves two model files'
 * texts (made by saveModel) to one path by turns, forever, until killed.
 *
 *   node write-loop.mjs <out> <model A> <model B> atomic|in-place
 *
 * 'atomic' writes the way saveModel does after serialising (writeOutput →
 * writeFileAtomic, the same two pieces), so every moment of the loop is a
 * moment of writing; 'in-place' truncates the file, then writes it in 64 KB
 * pieces (as a stream does, and as writeFileSync does a text too large for
 * one system call), the control that shows the test can catch a torn file.
 * (A single write of the whole text would leave a torn file only for a kill
 * between the truncation and that one call, a window too narrow to hit.)
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { writeOutput } from '../../../src/cli/output-file.js';

const [out, a, b, mode] = process.argv.slice(2) as [string, string, string, string];
// without their final newline: saveModel writes the JSON, then '\n'
const texts = [readFileSync(a, 'utf8').slice(0, -1), readFileSync(b, 'utf8').slice(0, -1)];
// synchronously: the loop below never lets the event loop flush a stream
writeSync(1, 'ready\n');
for (let i = 0; ; i++) {
  const json = texts[i % 2]!;
  if (mode === 'in-place') writeInPlace(`${json}\n`);
  else writeOutput(out, [json, '\n'], 'model file');
}

function writeInPlace(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  const fd = openSync(out, 'w');
  for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, Math.min(1 << 16, bytes.length - at));
  closeSync(fd);
}
