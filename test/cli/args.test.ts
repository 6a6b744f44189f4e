/** The CLI's argument parsing and output helpers, in process (the end-to-end runs are in cli.test.ts). */
import { describe, expect, it } from 'vitest';
import { parseCommandLine, parseHidden, parseNumber, parseSplit, type CommandSpec } from '../../src/cli/args.js';
import { parseMonitor, parseSchedule } from '../../src/cli/schedule-arg.js';
import { UsageError } from '../../src/cli/errors.js';
import { f32, table } from '../../src/cli/format.js';
import { jsonText } from '../../src/cli/json.js';
import { csvField } from '../../src/cli/predict.js';
import { expectError } from '../support/expect-error.js';

const SPEC: CommandSpec = {
  name: 'train',
  positionals: ['data.csv'],
  options: { lr: { type: 'string' }, out: { type: 'string', short: 'o' }, json: { type: 'boolean' } },
};

describe('parseCommandLine', () => {
  it('takes a negative number as the value of the option before it', () => {
    const a = parseCommandLine(SPEC, ['d.csv', '--lr', '-1', '-o', 'm.json', '--json']);
    expect(a.strings.get('lr')).toBe('-1');
    expect(a.strings.get('out')).toBe('m.json');
    expect(a.flags.has('json')).toBe(true);
    expect(a.positionals).toEqual(['d.csv']);
    expect(parseCommandLine(SPEC, ['d.csv', '--lr=-.5']).strings.get('lr')).toBe('-.5');
  });

  it('does not take another option as a value', () => {
    expectError(() => parseCommandLine(SPEC, ['d.csv', '--out', '--json']), UsageError, "option '--out' needs a value");
    expectError(() => parseCommandLine(SPEC, ['d.csv', '--lr']), UsageError, "option '--lr' needs a value");
  });

  it('rejects unknown options (with a suggestion), values on flags, missing and extra positionals', () => {
    expectError(() => parseCommandLine(SPEC, ['d.csv', '--jsn']), UsageError, "unknown option '--jsn' for 'train'", "did you mean '--json'");
    expectError(() => parseCommandLine(SPEC, ['d.csv', '-x']), UsageError, "unknown option '-x'");
    expectError(() => parseCommandLine(SPEC, ['d.csv', '--json=yes']), UsageError, "option '--json' takes no value");
    expectError(() => parseCommandLine(SPEC, []), UsageError, 'train: missing data.csv');
    expectError(() => parseCommandLine(SPEC, ['a.csv', 'b.csv']), UsageError, "unexpected argument 'b.csv'");
  });

  it('refuses a string option given twice, naming both values (parseArgs kept the last: `--out a --out b` saved to b without a word)', () => {
    expectError(() => parseCommandLine(SPEC, ['d.csv', '--out', 'a.json', '--out', 'b.json']), UsageError, "option '--out' given twice ('a.json', then 'b.json'); give it once");
    expectError(() => parseCommandLine(SPEC, ['d.csv', '-o', 'a.json', '--out=b.json']), UsageError, "option '--out' given twice");
    expectError(() => parseCommandLine(SPEC, ['d.csv', '--lr', '0.1', '--lr', '0.1']), UsageError, "option '--lr' given twice ('0.1', then '0.1')");
    // a flag given twice means what it means once
    expect(parseCommandLine(SPEC, ['d.csv', '--json', '--json']).flags.has('json')).toBe(true);
  });

  it('--help wins over every other problem', () => {
    expect(parseCommandLine(SPEC, ['--bogus', '--help']).help).toBe(true);
    expect(parseCommandLine(SPEC, ['-h']).help).toBe(true);
  });
});

describe('option values', () => {
  it('numbers: plain decimals within the range', () => {
    expect(parseNumber('lr', '0.003', { min: 0, minOpen: true })).toBe(0.003);
    expect(parseNumber('lr', '1e-3', { min: 0, minOpen: true })).toBe(0.001);
    expectError(() => parseNumber('lr', '0', { min: 0, minOpen: true }), UsageError, "--lr: expected a number > 0, got '0'");
    expectError(() => parseNumber('lr', 'Infinity', { min: 0, minOpen: true }), UsageError, "got 'Infinity'");
    expectError(() => parseNumber('epochs', '0x10', { integer: true, min: 1 }), UsageError, "--epochs: expected a whole number ≥ 1, got '0x10'");
    expectError(() => parseNumber('seed', '4294967296', { integer: true, min: 0, max: 0xffffffff }), UsageError, 'from 0 to 4294967295');
  });

  it('--split: three fractions summing to 1 (up to decimal round-off), a non-empty training part', () => {
    expect(parseSplit('0.7,0.2,0.1')).toEqual([0.7, 0.2, 0.1]);
    expect(parseSplit('0.9,0.1,0')).toEqual([0.9, 0.1, 0]);
    expectError(() => parseSplit('0.5,0.5'), UsageError, "got '0.5,0.5' (2 values)");
    expectError(() => parseSplit('0.8,0.1,0.2'), UsageError, '(sum 1.1)');
    expectError(() => parseSplit('1.2,-0.1,-0.1'), UsageError, '--split');
    expectError(() => parseSplit('0,0.5,0.5'), UsageError, 'a training fraction > 0');
  });

  it('--hidden: sizes or none', () => {
    expect(parseHidden('64,32')).toEqual([64, 32]);
    expect(parseHidden('8')).toEqual([8]);
    expect(parseHidden('none')).toEqual([]);
    for (const bad of ['64,', '0', '64,x', '1.5', '']) expectError(() => parseHidden(bad), UsageError, '--hidden', `'${bad}'`, 'whole numbers from 1 to 65536');
  });

  it('--hidden: states the cap of 65536 units a layer, and which size is over it', () => {
    expect(parseHidden('65536')).toEqual([65536]);
    expectError(() => parseHidden('64,65537'), UsageError, "got '64,65537'", '(65537 is over the 65536 units a layer can have)');
    const e = expectError(() => parseHidden('0'), UsageError, 'from 1 to 65536');
    expect(e.message).not.toContain('is over');
  });
});

describe('--schedule and --monitor', () => {
  it('--schedule: none, or a name with key=value pairs in kebab case', () => {
    expect(parseSchedule('none')).toBeNull();
    expect(parseSchedule('cosine')).toEqual({ type: 'cosine' });
    expect(parseSchedule('cosine:warmup=2.5, min-lr=1e-5,epochs=40')).toEqual({ type: 'cosine', warmup: 2.5, minLr: 1e-5, epochs: 40 });
    expect(parseSchedule('step:step-size=30,gamma=0.5')).toEqual({ type: 'step', stepSize: 30, gamma: 0.5 });
    expect(parseSchedule('plateau:patience=4,factor=0.2,cooldown=1,min-delta=0.001,min-lr=0.0001')).toEqual({
      type: 'plateau', patience: 4, factor: 0.2, cooldown: 1, minDelta: 0.001, minLr: 0.0001,
    });
    expectError(() => parseSchedule('toString'), UsageError, "--schedule: expected none, step, exponential, cosine or plateau", "got 'toString'");
    expectError(() => parseSchedule('step:gamma=0.5'), UsageError, 'the step schedule needs step-size=<epochs>');
    expectError(() => parseSchedule('plateau:constructor=1'), UsageError, "the plateau schedule takes factor, patience, min-delta, cooldown, min-lr, got 'constructor'");
    expectError(() => parseSchedule('cosine:warmup'), UsageError, "expected warmup=<number>, got 'warmup'");
  });

  it('--monitor: one of the metrics a fit computes', () => {
    expect(parseMonitor('val_accuracy')).toBe('val_accuracy');
    expectError(() => parseMonitor('accuracy'), UsageError, "--monitor: expected one of val_loss, val_accuracy, val_mae, loss, got 'accuracy'");
  });
});

describe('output helpers', () => {
  it('f32: the shortest decimal that reads back as the same float32', () => {
    expect(f32(Math.fround(0.1))).toBe('0.1');
    expect(f32(Math.fround(1 / 3))).toBe('0.33333334');
    for (const v of [Math.fround(Math.PI), Math.fround(1e-7), Math.fround(-123456.789), 0, 1]) expect(Math.fround(Number(f32(v)))).toBe(Math.fround(v));
  });

  it('jsonText keeps arrays of plain values on one line and never touches strings', () => {
    const value = { confusion: [[1, 2], [3, 4]], labels: ['a\n  b', 'c,\n d'], odd: ['x[\n ]', '{'], nested: [{ x: [1] }] };
    const text = jsonText(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toContain('[1, 2]');
    expect(text).toContain('["a\\n  b", "c,\\n d"]');
  });

  it('csvField quotes separators, quotes and line breaks', () => {
    expect(csvField('setosa')).toBe('setosa');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField(' padded')).toBe('" padded"');
  });

  it('table aligns columns', () => {
    expect(table([['a', '1'], ['bbb', '22']], 'lr', '')).toBe('a     1\nbbb  22');
  });
});
