/**
 * The student run of pages/student-app.js, in Node on the same backend: the
 * losses a browser, a bundle or an edge runtime must reproduce.
 */
import { readFileSync } from 'node:fs';
import { init, Network, Scaler, split, Trainer } from '../../src/index.js';
import { parseCsv } from '../../src/csv.js';

export const STUDENTS_CSV = new URL('../../examples/data/students.csv', import.meta.url);

export const ARTICLE = [
  { W: [[0.82, 0.71, -0.45], [0.65, 0.89, 0.78]], b: [-0.5, -0.6, -0.3] },
  { W: [[0.85], [0.72], [-0.55]], b: [-0.2] },
];

/** The worked example's prediction for x = [0.5, 0.6] (PyTorch: 0.565393…). */
export const WORKED_PREDICTION = 0.56539;

export async function studentReference(simd: boolean): Promise<{ loss: number[]; testAccuracy: number }> {
  const runtime = await init({ simd, setDefault: false });
  const data = parseCsv(readFileSync(STUDENTS_CSV, 'utf8'));
  const { train, test } = split(data, { train: 0.8, validation: 0.1, test: 0.1, stratify: true, seed: 1 });
  const scaler = Scaler.fit(train.x, train.rows, train.features, 'minmax');
  const student = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 3, runtime });
  const trainer = new Trainer(student, { loss: 'bce', optimizer: { type: 'adam', lr: 0.05 }, batchSize: 16, seed: 1 });
  const history = trainer.fit(scaler.transform(train.x, train.rows), train.y, { epochs: 150 });
  const p = student.predict(scaler.transform(test.x, test.rows)) as Float32Array;
  let right = 0;
  for (let i = 0; i < test.rows; i++) if ((p[i]! > 0.5 ? 1 : 0) === test.y[i]) right++;
  student.dispose();
  return { loss: history.loss, testAccuracy: right / test.rows };
}
