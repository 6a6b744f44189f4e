// Derives examples/data/student-grades.csv from examples/data/students.csv:
// the same students and pass/fail labels, plus an exam score (0-100) and a
// letter grade, so one table serves the three heads of the student problem.
// Deterministic (seeded); rerun to regenerate: node scripts/make-student-grades.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const src = new URL('../examples/data/students.csv', import.meta.url);
const dst = new URL('../examples/data/student-grades.csv', import.meta.url);

// xorshift32 + Box–Muller: a fixed noise sequence
let s = 20240602;
const uniform = () => {
  s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
  return ((s >>> 0) + 0.5) / 4294967296;
};
const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());

const grade = (score) => (score >= 85 ? 'A' : score >= 70 ? 'B' : score >= 55 ? 'C' : score >= 40 ? 'D' : 'F');

const [header, ...rows] = readFileSync(src, 'utf8').trim().split('\n');
if (header !== 'hours_studied,attendance,target') throw new Error(`unexpected header: ${header}`);
const out = ['hours_studied,attendance,score,grade,passed'];
for (const row of rows) {
  const [hours, attendance, passed] = row.split(',');
  const latent = 1.1 * (Number(hours) - 5) + 6.0 * (Number(attendance) - 0.75);
  const score = Math.min(100, Math.max(0, Math.round(100 / (1 + Math.exp(-latent / 2)) + 6 * normal())));
  out.push(`${hours},${attendance},${score},${grade(score)},${passed}`);
}
writeFileSync(dst, out.join('\n') + '\n');
console.log(`wrote ${out.length - 1} rows to ${dst.pathname}`);
