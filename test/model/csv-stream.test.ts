// streamCsv + trainModelStream: a CSV file trained a batch at a time from
// the file. On a file whose training rows all fit in the sample, the
// encoders are those trainModel fits (the same schema, the same parts);
// on a file larger than linear memory, where trainModel is refused, it
// trains; two runs with one seed give the same weights.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, MemoryError, Random, trainModel, trainModelStream, DataError, type Runtime } from '../../src/index.js';
import { loadCsv, streamCsv } from '../../src/csv.js';
import { dataPath } from '../support/data.js';
import { expectError, expectRejection } from '../support/expect-error.js';

let dir = '';
let rt: Runtime;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'simdnet-stream-'));
  rt = await init({ setDefault: false });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A table with a category (with gaps), a number with NA, a date and a 3-class label that depends on them. */
function table(rows: number, seed: number): string {
  const rng = new Random(seed);
  const lines = ['colour,size,when,weight,label'];
  const colours = ['red', 'green', 'blue'];
  for (let i = 0; i < rows; i++) {
    const c = rng.nextInt(3);
    const size = rng.nextFloat() * 10;
    const month = 1 + rng.nextInt(12);
    const weight = rng.nextFloat() * 5;
    const label = size > 6 ? 'big' : c === 0 ? 'red-small' : 'small';
    lines.push([rng.nextFloat() < 0.05 ? '' : colours[c], rng.nextFloat() < 0.05 ? 'NA' : size.toFixed(2), `2020-${String(month).padStart(2, '0')}-01`, weight.toFixed(2), label].join(','));
  }
  return `${lines.join('\n')}\n`;
}

describe('streamCsv and trainModelStream', () => {
  it('a file within the sample: trainModel\'s schema and parts, accuracy alike, a model that takes records', async () => {
    const file = join(dir, 'small.csv');
    writeFileSync(file, table(1500, 1));
    const stream = await streamCsv(file);
    expect(stream.rows).toBe(1500);
    expect(stream.classes).toEqual(['big', 'red-small', 'small']);
    expectError(() => stream.x, DataError, 'this dataset streams from its file');
    const s = await trainModelStream(stream, { seed: 1, runtime: rt });
    const m = trainModel(await loadCsv(file), { seed: 1, runtime: rt });
    expect(s.rows).toEqual(m.rows);
    expect(s.schema).toEqual(m.schema);
    expect(s.network.featureNames).toEqual(m.network.featureNames);
    const acc = (r: typeof s) => (r.test && r.test.task !== 'regression' ? r.test.accuracy : 0);
    expect(acc(s)).toBeGreaterThan(0.9);
    expect(acc(m)).toBeGreaterThan(0.9);
    expect(s.warnings.join('\n')).toContain('trained from the file as a stream');
    expect(s.model!.predict({ colour: 'red', size: 2, when: '2020-03-01', weight: 1 })).toBe('red-small');
    expectError(() => trainModel(stream, { runtime: rt }), DataError, 'train it with trainModelStream');
    s.network.dispose();
    m.network.dispose();
  });

  it('trains a file whose training rows do not fit in linear memory, where trainModel is refused; the same seed gives the same weights', async () => {
    const file = join(dir, 'large.csv');
    writeFileSync(file, table(60_000, 2));
    // 24 pages = 1.5 MiB: 48,000 training rows × 10 features of float32 are 1.9 MB
    const small = await init({ setDefault: false, maximumPages: 24 });
    await expectRejection(async () => trainModel(await loadCsv(file), { runtime: small, epochs: 1 }), MemoryError, 'training rows');
    const run = async () => trainModelStream(await streamCsv(file, { sampleRows: 2000 }), { runtime: small, epochs: 2, seed: 3 });
    const a = await run();
    expect(a.rows.train).toBe(48_000);
    expect(a.warnings.join('\n')).toMatch(/encoders and the input scaler fitted on \d+ of the 48000 training rows/);
    expect(a.test && a.test.task !== 'regression' && a.test.accuracy).toBeGreaterThan(0.85);
    const weights = a.network.getWeights({ flat: true });
    a.network.dispose();
    const b = await run();
    expect(b.network.getWeights({ flat: true })).toEqual(weights);
    b.network.dispose();
    expect(small.liveBytes).toBe(0);
  });

  it('regression (the target scaled inside, reported in its units), a cosine schedule and balanced class weights', async () => {
    const cars = dataPath('cars');
    const s = await trainModelStream(await streamCsv(cars, { target: 'Miles_per_Gallon' }), { seed: 1, runtime: rt });
    const m = trainModel(await loadCsv(cars, { target: 'Miles_per_Gallon' }), { seed: 1, runtime: rt });
    expect(s.schema).toEqual(m.schema);
    expect(s.rows).toEqual(m.rows);
    expect(s.test?.task === 'regression' && s.test.r2).toBeGreaterThan(0.75);
    const mpg = s.model!.predict({ Cylinders: 4, Displacement: 97, Horsepower: 88, Weight_in_lbs: 2130, Acceleration: 14.5, Year: '1982-01-01', Origin: 'Japan' });
    expect(mpg).toBeGreaterThan(20);
    s.network.dispose();
    m.network.dispose();
    const file = join(dir, 'weighted.csv');
    writeFileSync(file, table(1500, 4));
    const c = await trainModelStream(await streamCsv(file), {
      seed: 2, epochs: 4, runtime: rt, classWeight: 'balanced', schedule: { type: 'cosine', warmup: 1 },
    });
    expect(c.history.epochs).toBe(4);
    expect(c.history.lr[3]!).toBeLessThan(c.history.lr[1]!);
    expect(c.config.classWeight).toBe('balanced');
    c.network.dispose();
  });
});
