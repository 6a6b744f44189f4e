/**
 * The `simdnet` command end to end: the built dist/cli.js run with node, as a
 * user runs it (`npm test` builds it first). Files go to a temp directory.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/csv.js';
import { split } from '../../src/index.js';
import type { TrainJson } from '../../src/cli/train.js';
import { DATA_DIR } from '../support/data.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const IRIS = join(DATA_DIR, 'iris.csv');
const STUDENTS = join(DATA_DIR, 'students.csv');
const GRADES = join(ROOT, 'examples/data/student-grades.csv');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir = '';

function simdnet(args: readonly string[], cwd = dir): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A failure as the contract says: exit code, nothing on stdout, one `simdnet: ` line on stderr with the words, no stack. */
function expectFailure(r: Run, code: number, ...words: (string | RegExp)[]): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^simdnet: /);
  for (const w of words) {
    if (typeof w === 'string') expect(lines[0]).toContain(w);
    else expect(lines[0]).toMatch(w);
  }
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

interface ClassificationMetrics {
  task: string;
  rows: number;
  loss: number;
  accuracy: number;
  macro: { precision: number; recall: number; f1: number };
  weighted: { precision: number; recall: number; f1: number };
  perClass: { label: string; precision: number; recall: number; f1: number; support: number }[];
  classes: string[];
  confusion: number[][];
}

interface TrainReport {
  data: string;
  model: string;
  backend: string;
  task: string;
  target: string;
  features: string[];
  classes: string[] | null;
  config: { seed: number; split: number[]; hidden: number[]; epochs: number };
  rows: { train: number; validation: number; test: number };
  history: {
    epochs: number;
    bestEpoch: number;
    stopReason: string;
    restoredBest: boolean;
    final: { epoch: number; loss: number; valLoss: number | null };
    best: { epoch: number; loss: number; valLoss: number | null };
  };
  test: ClassificationMetrics;
  validation: ClassificationMetrics | null;
}

let iris: TrainReport;
let irisModel = '';

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` does)`);
  dir = mkdtempSync(join(tmpdir(), 'simdnet-cli-'));
  irisModel = join(dir, 'iris-model.json');
  const r = simdnet(['train', IRIS, '--seed', '1', '--json', '--out', irisModel]);
  expect(r.code, r.stderr).toBe(0);
  iris = JSON.parse(r.stdout) as TrainReport;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('simdnet train', () => {
  it('--json prints one JSON object with the config, rows, history and test metrics', () => {
    expect(iris.model).toBe(irisModel);
    expect(iris.task).toBe('multiclass');
    expect(iris.target).toBe('target');
    expect(iris.features).toEqual(['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm']);
    expect(iris.classes).toEqual(['0', '1', '2']);
    expect(iris.backend).toMatch(/^wasm-(simd|scalar)$/);
    expect(iris.config).toMatchObject({ seed: 1, split: [0.8, 0.1, 0.1], hidden: [64, 32] });
    expect(iris.rows).toEqual({ train: 120, validation: 15, test: 15 });
    const h = iris.history;
    expect(['epochs', 'early-stopping']).toContain(h.stopReason);
    expect(h.epochs).toBeGreaterThanOrEqual(h.bestEpoch);
    expect(h.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(h.final.epoch).toBe(h.epochs);
    expect(h.best.epoch).toBe(h.bestEpoch);
    expect(Number.isFinite(h.final.loss) && Number.isFinite(h.best.valLoss)).toBe(true);
    const t = iris.test;
    expect(t.rows).toBe(15);
    expect(t.accuracy).toBeGreaterThanOrEqual(0.8);
    expect(t.accuracy).toBeLessThanOrEqual(1);
    for (const avg of [t.macro, t.weighted]) for (const v of Object.values(avg)) expect(v >= 0 && v <= 1).toBe(true);
    expect(t.perClass.map((c) => c.label)).toEqual(['0', '1', '2']);
    expect(t.confusion).toHaveLength(3);
    expect(t.confusion.flat().reduce((a, b) => a + b, 0)).toBe(15);
    expect(t.confusion.reduce((sum, row, i) => sum + row[i]!, 0) / 15).toBeCloseTo(t.accuracy, 12);
  });

  it('--json writes nothing else on stdout and, off a terminal, no progress on stderr', () => {
    const r = simdnet(['train', STUDENTS, '--json', '--epochs', '5', '--out', join(dir, 's5.json')]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().startsWith('{') && r.stdout.trim().endsWith('}')).toBe(true);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).not.toContain('epoch');
    expect((JSON.parse(r.stdout) as TrainJson).config.clipNorm).toBeNull();
  });

  it('--clip-norm reaches the trainer and the report', () => {
    const r = simdnet(['train', STUDENTS, '--json', '--epochs', '3', '--clip-norm', '0.5', '--out', join(dir, 's3.json')]);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as TrainJson).config.clipNorm).toBe(0.5);
    const text = simdnet(['train', STUDENTS, '--epochs', '3', '--clip-norm', '0.5', '--out', join(dir, 's3.json')]);
    expect(text.stdout).toContain('gradient norm clipped to 0.5');
    expectFailure(simdnet(['train', STUDENTS, '--clip-norm', '0']), 2, "--clip-norm: expected a number > 0, got '0'");
  });

  it('--schedule and --monitor reach the trainer, the fit and the report', () => {
    const out = join(dir, 'sched.json');
    const r = simdnet(['train', STUDENTS, '--json', '--epochs', '6', '--schedule', 'cosine:warmup=2,min-lr=0.0001', '--monitor', 'val_accuracy', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as TrainJson;
    expect(report.config.schedule).toEqual({ type: 'cosine', warmup: 2, minLr: 0.0001 });
    expect(report.config.monitor).toBe('val_accuracy');
    const text = simdnet(['train', STUDENTS, '--epochs', '4', '--schedule', 'step:step-size=2,gamma=0.5', '--out', out]);
    expect(text.stdout).toContain('adam lr 0.003 (step schedule)');
    expectFailure(simdnet(['train', STUDENTS, '--schedule', 'linear']), 2, "--schedule: expected none, step, exponential, cosine or plateau", "got 'linear'");
    expectFailure(simdnet(['train', STUDENTS, '--schedule', 'cosine:warmpu=2']), 2, "--schedule: the cosine schedule takes warmup, min-lr, epochs, got 'warmpu'");
    expectFailure(simdnet(['train', STUDENTS, '--schedule', 'step']), 2, '--schedule: the step schedule needs step-size=<epochs>');
    expectFailure(simdnet(['train', STUDENTS, '--schedule', 'exponential:gamma=x']), 2, "--schedule: expected gamma=<number>, got 'gamma=x'");
    expectFailure(simdnet(['train', STUDENTS, '--monitor', 'val_acc']), 2, "--monitor: expected one of val_loss, val_accuracy, val_mae, loss, got 'val_acc'");
    // a value out of range is the trainer's to refuse, named by the schedule's option
    expectFailure(simdnet(['train', STUDENTS, '--schedule', 'exponential:gamma=2', '--out', out]), 1, 'schedule.gamma: expected a number in (0, 1], got number 2');
  });

  it('saves a model that Network.fromJSON accepts, with the feature names, labels and target', () => {
    const model = JSON.parse(readFileSync(irisModel, 'utf8')) as { format: string; featureNames: string[]; classes: string[]; targetName: string };
    expect(model.format).toBe('simdnet-model');
    expect(model.featureNames).toEqual(iris.features);
    expect(model.classes).toEqual(['0', '1', '2']);
    expect(model.targetName).toBe('target');
  });

  it('bare: progress lines on stderr, the report on stdout, the model as <name>.model.json in the working directory', () => {
    const r = simdnet(['train', STUDENTS]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^epoch 1\/300 {2}loss \d/m);
    expect(r.stderr).toMatch(/^epoch 10\/300 /m);
    expect(r.stderr).toMatch(/^trained \d+ epochs in /m);
    expect(r.stderr).toContain('model saved to students.model.json');
    expect(existsSync(join(dir, 'students.model.json'))).toBe(true);
    expect(r.stdout).toMatch(/^rows +train 320, validation 40, test 40/m);
    expect(r.stdout).toMatch(/^epochs +\d+, best \d+/m);
    expect(r.stdout).toContain('Test metrics (40 rows)');
    expect(r.stdout).toMatch(/^ {2}accuracy +(0\.\d{3}|1\.000) +\d+\/40$/m);
    expect(r.stdout).toMatch(/^ {2}macro avg +/m);
    expect(r.stdout).toMatch(/^ {2}weighted avg +/m);
    expect(r.stdout).toContain('Confusion matrix (rows: true class, columns: predicted class)');
    expect(r.stdout).toMatch(/^ {2}true \\ predicted +0 +1$/m);
  });

  it('regression with --target and --features: MSE, MAE, R² on the test part', () => {
    const out = join(dir, 'score.json');
    const r = simdnet(['train', GRADES, '--target', 'score', '--features', 'hours_studied,attendance', '--hidden', '16,8', '--json', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { task: string; features: string[]; classes: null; test: { task: string; mse: number; mae: number; r2: number } };
    expect(report.task).toBe('regression');
    expect(report.features).toEqual(['hours_studied', 'attendance']);
    expect(report.classes).toBeNull();
    expect(report.test.task).toBe('regression');
    expect(report.test.mse).toBeGreaterThan(0);
    expect(report.test.r2).toBeGreaterThan(0.3);
    expect(report.test.r2).toBeLessThanOrEqual(1);

    const e = simdnet(['evaluate', out, GRADES]);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/^ {2}R² +-?\d\.\d{4}$/m);
    expect(e.stderr).toContain("ignoring columns 'grade', 'passed'");
    const p = simdnet(['predict', out, GRADES]);
    expect(p.code).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines).toHaveLength(401);
    expect(lines.slice(1).every((l) => Number.isFinite(Number(l)))).toBe(true);
  });
});

describe('simdnet evaluate', () => {
  it('reproduces train\'s test metrics on the same rows (columns reordered, an extra column)', () => {
    // the split trainModel made: same data, same seed, same options
    const data = parseCsv(readFileSync(IRIS, 'utf8'));
    const { test } = split(data, { train: 0.8, validation: 0.1, test: 0.1, seed: 1, stratify: true });
    const columns = [...data.featureNames].reverse();
    const lines = [['id', ...columns, 'target'].join(',')];
    for (let r = 0; r < test.rows; r++) {
      const row = columns.map((name) => String(test.x[r * test.features + data.featureNames.indexOf(name)]));
      lines.push([String(r), ...row, data.classes![test.y[r]!]].join(','));
    }
    const file = join(dir, 'iris-test.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = simdnet(['evaluate', irisModel, file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { model: string; target: string; ignored: string[]; metrics: ClassificationMetrics };
    expect(report.target).toBe('target');
    expect(report.ignored).toEqual(['id']);
    const { loss, ...metrics } = report.metrics;
    const { loss: trainLoss, ...trainMetrics } = iris.test;
    expect(metrics).toEqual(trainMetrics);
    expect(Math.abs(loss - trainLoss)).toBeLessThanOrEqual(1e-6 + 1e-6 * Math.abs(trainLoss));
  });

  it('maps the file\'s labels to the model\'s classes by label, even when only some classes occur', () => {
    const text = readFileSync(IRIS, 'utf8').trim().split('\n');
    // only class 2 (the last 50 rows), written as 2.0: still the model's class '2'
    const file = join(dir, 'virginica.csv');
    writeFileSync(file, [text[0], ...text.slice(101).map((l) => l.replace(/,2$/, ',2.0'))].join('\n'));
    const r = simdnet(['evaluate', irisModel, file, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const m = (JSON.parse(r.stdout) as { metrics: ClassificationMetrics }).metrics;
    expect(m.rows).toBe(50);
    expect(m.confusion[2]!.reduce((a, b) => a + b, 0)).toBe(50);
    expect(m.confusion[0]!.concat(m.confusion[1]!).every((v) => v === 0)).toBe(true);
    expect(m.accuracy).toBeGreaterThanOrEqual(0.8);
  });

  it('prints the metrics table and the confusion matrix', () => {
    const r = simdnet(['evaluate', irisModel, IRIS]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Metrics (150 rows)');
    expect(r.stdout).toMatch(/^ {2}accuracy +\d\.\d{3} +\d+\/150$/m);
    expect(r.stdout).toMatch(/^ {2}true \\ predicted +0 +1 +2$/m);
  });
});

describe('simdnet predict', () => {
  it('one prediction per row, labels the model knows; --probabilities adds p_<label> columns that sum to 1', () => {
    const r = simdnet(['predict', irisModel, IRIS]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('prediction');
    expect(lines).toHaveLength(151);
    expect(lines.slice(1).every((l) => ['0', '1', '2'].includes(l))).toBe(true);

    const out = join(dir, 'preds.csv');
    const p = simdnet(['predict', irisModel, IRIS, '--probabilities', '--out', out]);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toBe('');
    expect(p.stderr).toContain(`wrote 150 predictions to ${out}`);
    const rows = readFileSync(out, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('prediction,p_0,p_1,p_2');
    expect(rows).toHaveLength(151);
    rows.slice(1).forEach((row, i) => {
      const [label, ...ps] = row.split(',');
      const probs = ps.map(Number);
      expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(label).toBe(String(probs.indexOf(Math.max(...probs))));
      expect(label).toBe(lines[i + 1]);
    });
  });

  it('takes rows without the target column', () => {
    const text = readFileSync(IRIS, 'utf8').trim().split('\n').slice(0, 11);
    const file = join(dir, 'no-target.csv');
    writeFileSync(file, text.map((l) => l.split(',').slice(0, 4).join(',')).join('\n'));
    const r = simdnet(['predict', irisModel, file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['prediction', ...Array(10).fill('0')]);
  });
});

describe('help and version', () => {
  it('--version prints the package version; --help and <command> --help print usage', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(simdnet(['--version']).stdout).toBe(`${pkg.version}\n`);
    const help = simdnet(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['train', 'evaluate', 'predict']) expect(help.stdout).toContain(`simdnet ${c}`);
    const train = simdnet(['train', '--help']);
    expect(train.code).toBe(0);
    for (const o of ['--target', '--task', '--hidden', '--lr', '--batch-size', '--epochs', '--patience', '--split', '--no-stratify', '--scale', '--seed', '--out', '--json']) {
      expect(train.stdout).toContain(o);
    }
    expect(simdnet(['evaluate', '--help']).stdout).toContain('Usage: simdnet evaluate model.json data.csv');
    expect(simdnet(['predict', '-h']).stdout).toContain('--probabilities');
  });
});

describe('errors: one line on stderr, non-zero exit, no stack trace', () => {
  it('a missing data file', () => {
    expectFailure(simdnet(['train', 'no-such-file.csv']), 1, "cannot read data file 'no-such-file.csv'", 'no such file');
  });

  it('bad option values name the option (exit 2)', () => {
    expectFailure(simdnet(['train', IRIS, '--lr', '-1']), 2, "--lr: expected a number > 0, got '-1'");
    expectFailure(simdnet(['train', IRIS, '--split', '0.5,0.5']), 2, '--split', 'train,validation,test', "'0.5,0.5'");
    expectFailure(simdnet(['train', IRIS, '--split', '0.6,0.3,0.3']), 2, '--split', 'sum to 1');
    expectFailure(simdnet(['train', IRIS, '--epochs', '2.5']), 2, "--epochs: expected a whole number ≥ 1, got '2.5'");
    expectFailure(simdnet(['train', IRIS, '--task', 'clustering']), 2, '--task', 'binary, multiclass, regression', "'clustering'");
    expectFailure(simdnet(['train', IRIS, '--out']), 2, "option '--out' needs a value");
  });

  it('unknown options, commands and missing arguments are usage errors (exit 2)', () => {
    expectFailure(simdnet(['train', IRIS, '--bogus']), 2, "unknown option '--bogus'", 'simdnet train --help');
    expectFailure(simdnet(['train', IRIS, '--epoch', '3']), 2, "unknown option '--epoch'", "did you mean '--epochs'");
    expectFailure(simdnet(['evaluate', irisModel]), 2, 'missing data.csv');
    expectFailure(simdnet(['train']), 2, 'missing data.csv');
    expectFailure(simdnet(['fit', IRIS]), 2, "unknown command 'fit'");
    expectFailure(simdnet([]), 2, 'missing command');
  });

  it('a truncated model file', () => {
    const file = join(dir, 'truncated.json');
    writeFileSync(file, readFileSync(irisModel, 'utf8').slice(0, 300));
    expectFailure(simdnet(['evaluate', file, IRIS]), 1, `${file}: not a usable simdnet model`, 'does not parse', 'truncated');
  });

  it('a model file with an altered weight fails its checksum', () => {
    const model = JSON.parse(readFileSync(irisModel, 'utf8')) as { weights: { W: number[] }[] };
    model.weights[0]!.W[0]! += 0.01;
    const file = join(dir, 'altered.json');
    writeFileSync(file, JSON.stringify(model));
    expectFailure(simdnet(['predict', file, IRIS]), 1, 'model.checksum', 'changed or corrupted');
  });

  it('a label the model does not know, and missing feature columns', () => {
    const file = join(dir, 'names.csv');
    writeFileSync(file, 'sepal_length_cm,sepal_width_cm,petal_length_cm,petal_width_cm,target\n5.1,3.5,1.4,0.2,setosa\n');
    expectFailure(simdnet(['evaluate', irisModel, file]), 1, "label 'setosa' is not a class of the model", "'0', '1', '2'", 'row 1 (line 2)');
    expectFailure(simdnet(['evaluate', irisModel, STUDENTS]), 1, "missing feature columns 'sepal_length_cm'");
  });

  it('a bad cell names the row, line and column', () => {
    // (a gap or a word is read, not refused: a number beyond float32 cannot be)
    const file = join(dir, 'bad-cell.csv');
    writeFileSync(file, 'hours_studied,attendance,target\n1,0.5,0\n2,5e40,1\n3,0.7,0\n');
    expectFailure(simdnet(['train', file]), 1, 'row 2 (line 3)', "column 'attendance'", "'5e40'", '--drop-invalid');
  });

  it('--verbose adds the stack trace', () => {
    const r = simdnet(['train', 'no-such-file.csv', '--verbose']);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')[0]).toMatch(/^simdnet: cannot read data file/);
    expect(r.stderr).toMatch(/\n\s+at /);
  });
});
