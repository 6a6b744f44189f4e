import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { init, Scaler, split, trainModel, type Runtime } from '../../src/index.js';
import { parseCsv } from '../../src/csv.js';

const dataset = (name: string) => parseCsv(readFileSync(new URL(`../../../shared/datasets/${name}.csv`, import.meta.url), 'utf8'));

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

  it('fits the scaler on the training part only', () => {
    const ds = dataset('breast_cancer');
    const m = trainModel(ds, { seed: 4, epochs: 2, runtime: rt });
    const parts = split(ds, { seed: 4, stratify: true });
    expect(m.network.scaler?.toJSON()).toEqual(Scaler.fit(parts.train.x, parts.train.rows, ds.features, 'standard').toJSON());
    expect(m.network.scaler?.toJSON()).not.toEqual(Scaler.fit(ds.x, ds.rows, ds.features, 'standard').toJSON());
    expect(m.rows).toEqual({ train: parts.train.rows, validation: parts.validation.rows, test: parts.test.rows });
  });
});
