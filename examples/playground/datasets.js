// The playground's data: the students of the worked example and three 2-D
// toy sets, each { name, x: Float32Array (rows × 2), y: Float32Array (0/1), labels }.
// Toy sets come from the library's seeded generator, so a reload draws the same points.
import { Random } from '/dist/browser.js';

function make(rows, fill) {
  const x = new Float32Array(rows * 2);
  const y = new Float32Array(rows);
  for (let i = 0; i < rows; i++) {
    const [a, b, label] = fill(i);
    x[2 * i] = a;
    x[2 * i + 1] = b;
    y[i] = label;
  }
  return { x, y, rows };
}

export function moons(rows = 300, noise = 0.12, seed = 1) {
  const rng = new Random(seed);
  return make(rows, (i) => {
    const label = i % 2;
    const t = Math.PI * rng.nextFloat();
    const a = label === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const b = label === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    return [a + noise * rng.normal() - 0.5, b + noise * rng.normal() - 0.25, label];
  });
}

export function circles(rows = 300, noise = 0.08, seed = 2) {
  const rng = new Random(seed);
  return make(rows, (i) => {
    const label = i % 2;
    const t = 2 * Math.PI * rng.nextFloat();
    const r = label === 1 ? 0.45 : 1.0;
    return [r * Math.cos(t) + noise * rng.normal(), r * Math.sin(t) + noise * rng.normal(), label];
  });
}

export function xor(rows = 300, noise = 0.1, seed = 3) {
  const rng = new Random(seed);
  return make(rows, () => {
    const a = rng.nextFloat() * 2 - 1;
    const b = rng.nextFloat() * 2 - 1;
    const label = a * b > 0 ? 1 : 0;
    return [a + noise * rng.normal(), b + noise * rng.normal(), label];
  });
}

/** The worked example's students: hours studied and attendance, min-max scaled to [0, 1]. */
export async function students(parseCsv) {
  const data = parseCsv(await (await fetch('/data/students.csv')).text());
  const x = new Float32Array(data.x);
  for (let j = 0; j < 2; j++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < data.rows; i++) {
      lo = Math.min(lo, x[2 * i + j]);
      hi = Math.max(hi, x[2 * i + j]);
    }
    for (let i = 0; i < data.rows; i++) x[2 * i + j] = (x[2 * i + j] - lo) / (hi - lo);
  }
  return { x, y: new Float32Array(data.y), rows: data.rows };
}

export const DATASETS = {
  students: { title: 'students (hours, attendance → pass)', axes: ['hours studied (scaled)', 'attendance (scaled)'] },
  moons: { title: 'two moons', axes: ['x₁', 'x₂'] },
  circles: { title: 'circles', axes: ['x₁', 'x₂'] },
  xor: { title: 'XOR', axes: ['x₁', 'x₂'] },
};

/** A seeded split of { x, y, rows } into training and validation rows (every 5th row validates, after a shuffle). */
export function holdOut(data, seed = 7) {
  const order = new Random(seed).shuffle(Array.from({ length: data.rows }, (_, i) => i));
  const take = (idx) => {
    const x = new Float32Array(idx.length * 2);
    const y = new Float32Array(idx.length);
    idx.forEach((r, k) => {
      x[2 * k] = data.x[2 * r];
      x[2 * k + 1] = data.x[2 * r + 1];
      y[k] = data.y[r];
    });
    return { x, y, rows: idx.length };
  };
  const cut = Math.round(data.rows * 0.8);
  return { train: take(order.slice(0, cut)), validation: take(order.slice(cut)) };
}
