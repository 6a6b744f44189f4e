/**
 * Commands, help topics and options are looked up among the CLI's own names
 * only: `toString`, `__proto__`, `constructor` are unknown words, refused
 * as usage errors (exit 2) with the nearest name where there is one, never
 * an internal error, never taken (found by the reliability battery).
 */
import { describe, expect, it } from 'vitest';
import { refusalLine, runInProcess } from './support/run-in-process.js';

const PROTOTYPE_KEYS = ['toString', '__proto__', 'constructor', 'hasOwnProperty', 'valueOf'];

async function refused(argv: string[], code: number, ...words: string[]): Promise<string> {
  const r = await runInProcess(argv);
  const line = refusalLine(r);
  expect(r.code, line).toBe(code);
  expect(line).not.toContain('internal error');
  for (const w of words) expect(line).toContain(w);
  return line;
}

describe('names on the command line are own keys only', () => {
  it.each(PROTOTYPE_KEYS)("'simdnet %s' is an unknown command", async (key) => {
    await refused([key], 2, `unknown command '${key}'`, 'expected train, evaluate, predict, import, export');
    await refused([key, '--help'], 2, `unknown command '${key}'`);
  });

  it.each(PROTOTYPE_KEYS)("'simdnet help %s' is an unknown command, not a help text of 'undefined'", async (key) => {
    await refused(['help', key], 2, `unknown command '${key}'`);
  });

  it.each(PROTOTYPE_KEYS)("'--%s' is an unknown option of every command, with or without a value", async (key) => {
    for (const command of ['train', 'evaluate', 'predict', 'import', 'export']) {
      const positionals = command === 'evaluate' || command === 'predict' ? ['m.json', 'd.csv'] : ['d.csv'];
      await refused([command, ...positionals, `--${key}`], 2, `unknown option '--${key}' for '${command}'`);
      await refused([command, ...positionals, `--${key}=1`], 2, `unknown option '--${key}' for '${command}'`);
      await refused([command, `--${key}`, 'x', ...positionals], 2, `unknown option '--${key}' for '${command}'`);
    }
  });

  it('a typo of a command or an option names the nearest one', async () => {
    await refused(['trian', 'd.csv'], 2, "unknown command 'trian' (did you mean 'train'?)");
    await refused(['--evalute'], 2, "unknown option '--evalute' before the command (did you mean 'evaluate'?)");
    await refused(['train', 'd.csv', '--epoch', '3'], 2, "unknown option '--epoch' for 'train' (did you mean '--epochs'?)");
    await refused(['predict', 'm.json', 'd.csv', '--probabilites'], 2, "(did you mean '--probabilities'?)");
  });

  it('help takes one command; what follows it would be ignored, so it is refused', async () => {
    await refused(['help', 'train', 'extra'], 2, "help: unexpected argument 'extra'");
    const r = await runInProcess(['help', 'train', '--verbose']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: simdnet train data\.csv/);
  });

  it('--help and -h take a command too; --version takes nothing; a word more is refused, not ignored', async () => {
    for (const flag of ['--help', '-h']) {
      const r = await runInProcess([flag, 'predict']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: simdnet predict model\.json data\.csv/);
      await refused([flag, 'predict', 'extra'], 2, `${flag}: unexpected argument 'extra'`);
      await refused([flag, 'trian'], 2, "unknown command 'trian' (did you mean 'train'?)");
    }
    await refused(['--version', 'extra'], 2, "--version: unexpected argument 'extra' (usage: simdnet --version)");
    await refused(['-v', '--json'], 2, "-v: unexpected argument '--json'");
    await refused(['help', '--version'], 2, "help: expected a command (train, evaluate, predict, import, export) or nothing, got '--version'");
    expect((await runInProcess(['--version', '--verbose'])).code).toBe(0);
    expect((await runInProcess(['-h'])).stdout).toMatch(/^simdnet \S+ — train, evaluate and run/);
  });

  it('an example value is never a function of Object.prototype', async () => {
    const line = await refused(['train', 'd.csv', '--out'], 2, "option '--out' needs a value, e.g. '--out model.json'");
    expect(line).not.toContain('[native code]');
  });
});
