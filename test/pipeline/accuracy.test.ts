import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Scaler, split, trainModel, type Runtime } from '../../src/index.js';
import { parseCsv } from '../../src/csv.js';
import { dataPath } from '../support/data.js';

const dataset = (name: string) => parseCsv(readFileSync(dataPath(name), 'utf8'));

// Issue 3's acceptance: bare defaults, only the seed varied, median over seeds 1, 2, 3.
const BARS: Array<[string, number]> = [
  ['digits', 0.96],
  ['breast_cancer', 0.95],
  ['iris', 0.9],
  ['students', 0.84],
];

describe('trainModel with the bare defaults', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await init({ setDefault: false });
  });

  it.each(BARS)('%s: median test accuracy over seeds 1-3 ≥ %f', (name, bar) => {
    const ds = dataset(name);
    const accs = [1, 2, 3].map((seed) => {
      const m = trainModel(ds, { seed, runtime: rt });
      expect(m.test?.task).not.toBe('regression');
      const acc = m.test && m.test.task !== 'regression' ? m.test.accuracy : 0;
      m.network.dispose();
      return acc;
    });
    accs.sort((a, b) => a - b);
    expect(accs[1]).toBeGreaterThanOrEqual(bar);
  });

  it('the three heads of the student problem: pass/fail, grade A–F (string labels), score 0–100', () => {
    const text = readFileSync(new URL('../../examples/data/student-grades.csv', import.meta.url), 'utf8');
    const features = ['hours_studied', 'attendance'];
    const pass = trainModel(parseCsv(text, { target: 'passed', features }), { seed: 1, runtime: rt });
    expect(pass.network.layers.at(-1)).toMatchObject({ units: 1, activation: 'sigmoid' });
    expect(pass.test?.task === 'binary' && pass.test.accuracy).toBeGreaterThan(0.75);
    const grade = trainModel(parseCsv(text, { target: 'grade', features }), { seed: 1, runtime: rt });
    expect(grade.network.classes).toEqual(['A', 'B', 'C', 'D', 'F']);
    expect(grade.network.layers.at(-1)).toMatchObject({ units: 5, activation: 'softmax' });
    expect(grade.test?.task === 'multiclass' && grade.test.accuracy).toBeGreaterThan(0.6);
    const score = trainModel(parseCsv(text, { target: 'score', features, task: 'regression' }), { seed: 1, runtime: rt });
    expect(score.network.layers.at(-1)).toMatchObject({ units: 1, activation: 'linear' });
    expect(score.test?.task).toBe('regression');
    if (score.test?.task === 'regression') {
      expect(score.test.r2).toBeGreaterThan(0.9);
      expect(score.test.mae).toBeLessThan(8);
    }
    // predictions come back in target units
    const p = score.network.predict([[9, 0.95], [1, 0.5]]);
    expect(p[0]![0]).toBeGreaterThan(70);
    expect(p[1]![0]).toBeLessThan(30);
  });

  it('fits the scaler on the training part only', () => {
    const ds = dataset('breast_cancer');
    const m = trainModel(ds, { seed: 4, epochs: 2, runtime: rt });
    const parts = split(ds, { seed: 4, stratify: true });
    expect(m.network.scaler?.toJSON()).toEqual(Scaler.fit(parts.train.x, parts.train.rows, ds.features, 'standard').toJSON());
    expect(m.network.scaler?.toJSON()).not.toEqual(Scaler.fit(ds.x, ds.rows, ds.features, 'standard').toJSON());
    expect(m.rows).toEqual({ train: parts.train.rows, validation: parts.validation.rows, test: parts.test.rows });
  });
});
