/**
 * The reliability battery on the command line: `simdnet <command> …` run in
 * process (src/cli/run.ts, with a recording io) over command lines built
 * from each command's grammar, then spoiled one word at a time: prototype
 * keys and typos as command and option names, prototype keys and
 * out-of-range or malformed values (NaN, Infinity, 1e400, 0x10, '', -1, 1.5)
 * as option values, values missing, given twice or given to a flag,
 * positionals missing or extra, input files that are folders, missing,
 * of the wrong kind, truncated or hostile (duplicate header names, an empty
 * file, a ragged row, a 1 MB field left open), and output paths that are an
 * input (by name, through a symbolic or a hard link), a folder, in a missing
 * folder, or empty. Accepted spellings (`--epochs=2`, `-o`, options before
 * the positionals, `--verbose`, the data written with other separators, line
 * ends, quoting and a byte-order mark) must give what the plain command line
 * gives, bit for bit; a Windows-1252 file must be taken.
 *
 * The property: exit 0 with the documented output (a model that loads,
 * one prediction per row, the metrics, an export), and only the output
 * files new or changed; or exit 2 (a malformed command line) or 1
 * (everything else) with one line `simdnet: …` on stderr naming the option,
 * the value or the file, nothing on stdout, never 'internal error', and
 * every file in the folder as it was (no input overwritten, nothing
 * half-written, no temporary file left). The library's live bytes are the
 * same after every call. Killed writers and a full disk are the subject of
 * test/cli/kill-write.test.ts and test/cli/full-disk.test.ts; permissions of
 * test/cli/outputs.test.ts (they need a user other than root).
 */
import { createHash } from 'node:crypto';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { init, Network, type Runtime } from '../../src/index.js';
import { Model } from '../../src/csv.js';
import { runInProcess, type InProcessRun } from '../cli/support/run-in-process.js';
import { PROTOTYPE_KEYS } from '../support/hostile.js';

type Command = 'train' | 'evaluate' | 'predict' | 'export' | 'import';

/** An option as written: `--name value`, or `--name` alone for a flag. */
interface Opt {
  name: string;
  value: string | null;
}

interface Line {
  command: Command;
  positionals: string[];
  options: Opt[];
}

/** What a command line must give: exit 0 (and, for a spelling of another line, that line's outputs), or a refusal with these words. */
interface Outcome {
  code: 0 | 1 | 2;
  words: string[];
  twin?: Line;
}

interface Spoil {
  label: string;
  argv: string[];
  outcome: Outcome;
}

let dir = '';
let runtime: Runtime;
const F = {} as Record<'semi' | 'tabs' | 'pipes' | 'weird' | 'data' | 'model' | 'onnx' | 'folder' | 'link' | 'hard' | 'old' | 'dup' | 'empty' | 'ragged' | 'open' | 'latin' | 'truncated' | 'notJson', string>;

const argvOf = (l: Line): string[] => [l.command, ...l.positionals, ...l.options.flatMap((o) => (o.value === null ? [`--${o.name}`] : [`--${o.name}`, o.value]))];
const withOption = (l: Line, name: string, value: string | null): Line => ({ ...l, options: [...l.options.filter((o) => o.name !== name), { name, value }] });
const refuse = (code: 1 | 2, ...words: string[]): Outcome => ({ code, words });
const accept = (twin?: Line): Outcome => ({ code: 0, words: [], twin });

// ─── the grammar ───

/** Optional options of `train`, each with values that must be taken. */
const TRAIN_EXTRAS: ReadonlyArray<[string, ReadonlyArray<string | null>]> = [
  ['activation', ['relu', 'tanh', 'sigmoid', 'leaky_relu', 'linear']], ['optimizer', ['adam', 'sgd', 'momentum']], ['lr', ['0.01', '0.003']],
  ['batch-size', ['8', '1000']], ['patience', ['5']], ['weight-decay', ['0', '0.001']], ['clip-norm', ['1']], ['split', ['0.6,0.2,0.2', '0.5,0.5,0']],
  ['scale', ['standard', 'minmax', 'none']], ['class-weight', ['balanced', 'none']], ['no-stratify', [null]], ['json', [null]], ['target', ['label', '2']],
  ['features', ['hours,score']], ['task', ['auto', 'binary']], ['separator', [',']], ['encoding', ['utf-8']], ['na', ['NA']], ['max-categories', ['8']],
  ['schedule', ['cosine:warmup=1', 'step:step-size=1,gamma=0.5']], ['monitor', ['val_loss', 'loss']], ['drop-invalid', [null]], ['verbose', [null]],
];

interface Recipe {
  command: Command;
  extras: number[];
  picks: number[];
  spoil: number;
}

const recipes: fc.Arbitrary<Recipe> = fc.record({
  command: fc.constantFrom<Command>('train', 'train', 'train', 'evaluate', 'predict', 'predict', 'export', 'import'),
  extras: fc.uniqueArray(fc.nat(TRAIN_EXTRAS.length - 1), { maxLength: 4 }),
  picks: fc.array(fc.nat(), { minLength: 4, maxLength: 4 }),
  spoil: fc.nat(),
});

let outputs = 0;

/** The clean command line of a recipe, writing to a fresh output path in the folder. */
function cleanLine(r: Recipe): Line {
  const n = outputs++;
  const pick = <T>(list: readonly T[], k: number): T => list[r.picks[k]! % list.length]!;
  switch (r.command) {
    case 'train': {
      const options: Opt[] = [{ name: 'out', value: join(dir, `o${n}.json`) }, { name: 'epochs', value: '2' }, { name: 'hidden', value: '3' }, { name: 'seed', value: '1' }];
      r.extras.forEach((e, k) => options.push({ name: TRAIN_EXTRAS[e]![0], value: pick(TRAIN_EXTRAS[e]![1], k) }));
      return { command: 'train', positionals: [F.data], options };
    }
    case 'evaluate':
      return { command: 'evaluate', positionals: [F.model, F.data], options: [pick([[], [{ name: 'json', value: null }], [{ name: 'target', value: 'label' }]], 0)].flat() };
    case 'predict': {
      const out = pick<Opt[]>([[{ name: 'out', value: join(dir, `o${n}.csv`) }], [{ name: 'out', value: '-' }], []], 0);
      return { command: 'predict', positionals: [F.model, F.data], options: [...out, ...pick<Opt[]>([[], [{ name: 'probabilities', value: null }], [{ name: 'target', value: 'label' }]], 1)] };
    }
    case 'export': {
      // (brain.js is refused for the fixture's relu-then-sigmoid network: one activation throughout is all it has)
      const format = pick(['onnx', 'tfjs'], 0);
      return { command: 'export', positionals: [F.model], options: [{ name: 'format', value: format }, { name: 'out', value: join(dir, `o${n}.${format}.json`) }] };
    }
    case 'import':
      return { command: 'import', positionals: [F.onnx], options: [{ name: 'out', value: join(dir, `o${n}.json`) }, ...pick<Opt[]>([[], [{ name: 'format', value: 'onnx' }]], 0)] };
  }
}

const NUMERIC: Readonly<Record<string, { integer: boolean }>> = {
  epochs: { integer: true }, 'batch-size': { integer: true }, patience: { integer: true }, seed: { integer: true }, 'max-categories': { integer: true },
  lr: { integer: false }, 'weight-decay': { integer: false }, 'clip-norm': { integer: false },
};
const CHOICES = ['activation', 'optimizer', 'scale', 'class-weight', 'task', 'separator', 'encoding', 'monitor', 'format', 'schedule'];
const NOT_NUMBERS = ['NaN', 'Infinity', '-Infinity', '1e400', '0x10', 'abc', '', ' ', '-1', '1,5', 'toString'];
const BAD_VALUES: Readonly<Record<string, readonly string[]>> = {
  hidden: ['0', '-1', '1.5', '65537', '3,,3', 'toString', '', 'NaN'],
  split: ['1,0', '0.5,0.5,0.5', 'NaN,0,1', '0,0.5,0.5', 'toString', ''],
  schedule: [...PROTOTYPE_KEYS, 'cosine:toString=1', '__proto__:warmup=1', 'cosine:warmup=NaN', 'step:constructor=1'],
};

/** Every way to spoil `l` in one word, with what each must give. */
function spoils(l: Line): Spoil[] {
  const argv = argvOf(l);
  const out: Spoil[] = [{ label: 'the clean command line', argv, outcome: accept() }];
  const add = (label: string, a: string[], outcome: Outcome) => out.push({ label, argv: a, outcome });
  const line = (label: string, changed: Line, outcome: Outcome) => add(label, argvOf(changed), outcome);
  const c = l.command;

  // names
  for (const k of [...PROTOTYPE_KEYS, c.slice(0, -1), `${c}s`]) add(`command '${k}'`, [k, ...argv.slice(1)], refuse(2, `unknown command '${k}'`));
  for (const k of PROTOTYPE_KEYS) {
    add(`help ${k}`, ['help', k], refuse(2, `unknown command '${k}'`));
    add(`--${k} as an option`, [...argv, `--${k}`], refuse(2, `unknown option '--${k}' for '${c}'`));
    add(`--${k}=1 as an option`, [...argv, `--${k}=1`], refuse(2, `unknown option '--${k}' for '${c}'`));
    add(`--${k} x before the positionals`, [c, `--${k}`, 'x', ...argv.slice(1)], refuse(2, `unknown option '--${k}' for '${c}'`));
  }
  for (const o of l.options) {
    if (o.name.length < 4) continue;
    const typo = o.name.slice(0, 2) + o.name.slice(3);
    line(`--${typo} for --${o.name}`, { ...l, options: l.options.map((p) => (p === o ? { ...p, name: typo } : p)) }, refuse(2, `unknown option '--${typo}' for '${c}'`));
  }

  // values
  for (const o of l.options) {
    const set = (value: string) => ({ ...l, options: l.options.map((p) => (p === o ? { ...p, value } : p)) });
    if (o.value === null) {
      add(`--${o.name}=yes (a flag)`, argv.map((w) => (w === `--${o.name}` ? `--${o.name}=yes` : w)), refuse(2, `option '--${o.name}' takes no value`));
      line(`--${o.name} twice (a flag)`, { ...l, options: [...l.options, o] }, accept(l));
      continue;
    }
    if (o.value !== '-') {
      line(`--${o.name} given twice`, { ...l, options: [...l.options, o] }, refuse(2, `option '--${o.name}' given twice`));
      line(`--${o.name} without a value, last`, { ...l, options: [...l.options.filter((p) => p !== o), { name: o.name, value: null }] }, refuse(2, `option '--${o.name}' needs a value`));
      add(`--${o.name}=${o.value}`, [...argvOf({ ...l, options: l.options.filter((p) => p !== o) }), `--${o.name}=${o.value}`], accept(l));
    }
    const numeric = NUMERIC[o.name];
    if (numeric) {
      // ('-Infinity' reads as an option: the message is then that --x needs a value)
      for (const v of [...NOT_NUMBERS, ...(numeric.integer ? ['1.5', '2e0.5'] : [])]) line(`--${o.name} '${v}'`, set(v), refuse(2, `--${o.name}`, ...(v.startsWith('-I') ? [] : [`: expected`, `got '${v}'`])));
    }
    if (CHOICES.includes(o.name) || o.name in BAD_VALUES) {
      for (const v of [...new Set([...PROTOTYPE_KEYS, '', 'RELU', ...(BAD_VALUES[o.name] ?? [])])]) line(`--${o.name} '${v}'`, set(v), refuse(2, `--${o.name}: `));
    }
    if ((o.name === 'target' && c !== 'predict') || o.name === 'features') {
      for (const v of [...PROTOTYPE_KEYS, 'zz', '99', 'hours,hours', 'a\nb\u001b[31m']) line(`--${o.name} '${v}'`, set(v), refuse(1, `--${o.name}: `, v.split(',')[0]!.replace(/\n.*/, '')));
    }
    if (o.name === 'target' && c === 'predict') line('--target a column the model reads', set('hours'), refuse(1, "--target: 'hours' is a column the model reads as a feature"));
    // a value of 100,000 characters: taken (missing-value tokens are any text) or refused in a line that shows its ends only
    const long = 'v'.repeat(100_000);
    const longCode = o.name === 'na' ? 0 : o.name === 'out' || o.name === 'target' || o.name === 'features' ? 1 : 2;
    if (!(o.name === 'target' && c === 'predict')) line(`--${o.name} of 100,000 characters`, set(long), longCode === 0 ? accept() : refuse(longCode, `--${o.name}`, '(100,000 characters)'));
    if (o.name === 'out' && o.value !== '-') {
      line("--out ''", set(''), refuse(2, "--out: expected a file name, got ''"));
      line('--out a folder', set(F.folder), refuse(1, `--out: cannot write '${F.folder}': it is a directory`));
      line('--out a folder, with a slash', set(`${F.folder}/`), refuse(2, 'which names a folder'));
      line('--out in a missing folder', set(join(dir, 'missing', 'x.json')), refuse(1, 'does not exist'));
      line('--out an existing file (replaced: it is no input)', set(F.old), accept());
      for (const input of l.positionals) line(`--out the input ${input}`, set(input), refuse(1, '--out: ', 'this command reads', 'it was left untouched'));
      if (l.positionals.includes(F.data)) line('--out a symbolic link to the data file', set(F.link), refuse(1, 'through a link'));
      if (l.positionals.includes(F.model)) line('--out a hard link to the model file', set(F.hard), refuse(1, 'through a link'));
    }
  }
  // spellings that mean the same
  const outOption = l.options.find((o) => o.name === 'out' && o.value !== '-');
  if (outOption) add('-o for --out', argv.map((w) => (w === '--out' ? '-o' : w)), accept(l));
  add('the options before the positionals', [c, ...l.options.flatMap((o) => (o.value === null ? [`--${o.name}`] : [`--${o.name}`, o.value])), ...l.positionals], accept(l));
  if (!l.options.some((o) => o.name === 'verbose')) add('--verbose', [...argv, '--verbose'], accept(l));
  add(`${c} --help`, [c, '--help'], accept());
  add(`help ${c}`, ['help', c], accept());
  add(`--help ${c}`, ['--help', c], accept());
  add(`help ${c} and a word more`, ['help', c, l.positionals[0]!], refuse(2, "help: unexpected argument '"));
  add(`--version ${c}`, ['--version', c], refuse(2, `--version: unexpected argument '${c}'`));

  // positionals
  add('a positional missing', argv.filter((w) => w !== l.positionals[l.positionals.length - 1]), refuse(2, `${c}: missing `));
  add('an extra positional', [c, ...l.positionals, 'extra.csv', ...argv.slice(1 + l.positionals.length)], refuse(2, `${c}: unexpected argument 'extra.csv'`));
  const at = (k: number, file: string) => ({ ...l, positionals: l.positionals.map((p, i) => (i === k ? file : p)) });
  const dataAt = l.positionals.indexOf(F.data);
  if (dataAt >= 0) {
    line('the data file missing', at(dataAt, join(dir, 'missing.csv')), refuse(1, `cannot read data file '${join(dir, 'missing.csv')}': no such file or directory`));
    line('the data file a folder', at(dataAt, F.folder), refuse(1, `cannot read data file '${F.folder}': it is a directory`));
    line('a header name repeated', at(dataAt, F.dup), refuse(1, `${F.dup}: header (line 1): duplicate column names`));
    line('an empty data file', at(dataAt, F.empty), refuse(1, F.empty));
    line('a quoted field of 1 MB left open', at(dataAt, F.open), refuse(1, `${F.open}: `, 'not closed'));
    if (c === 'train') {
      const drops = l.options.some((o) => o.name === 'drop-invalid');
      line('a row one field short', at(dataAt, F.ragged), drops ? accept() : refuse(1, `${F.ragged}: row 3 (line 4)`, '--drop-invalid'));
      line('the data through a symbolic link', at(dataAt, F.link), accept());
    }
    // (evaluate: its labels are not the model's; --separator , and --encoding utf-8 say otherwise)
    const told = l.options.some((o) => o.name === 'separator' || o.name === 'encoding');
    line('a data file whose name holds a line break, a separator and an escape', at(dataAt, F.weird), accept());
    const separator = l.options.find((o) => o.name === 'separator');
    for (const [label, styledFile] of [["';', CRLF and a byte-order mark", F.semi], ['tabs, every field quoted', F.tabs], ["'|' and CR line ends", F.pipes]] as const) {
      line(`the data written with ${label}`, at(dataAt, styledFile), separator ? refuse(1, styledFile) : accept(l));
    }
    if (c !== 'evaluate') line('the data as Windows-1252 with ; separators and CRLF', at(dataAt, F.latin), told ? refuse(1, F.latin) : accept());
  }
  const modelAt = l.positionals.indexOf(F.model);
  if (modelAt >= 0) {
    line('the model file missing', at(modelAt, join(dir, 'missing.json')), refuse(1, `cannot read model file '${join(dir, 'missing.json')}'`));
    line('the model file a folder', at(modelAt, F.folder), refuse(1, `cannot read model file '${F.folder}': it is a directory`));
    line('the data file as the model', at(modelAt, F.data), refuse(1, `${F.data}: not a usable simdnet model`));
    line('a truncated model file', at(modelAt, F.truncated), refuse(1, `${F.truncated}: not a usable simdnet model`));
    line('a model file of JSON that is no model', at(modelAt, F.notJson), refuse(1, `${F.notJson}: not a usable simdnet model`));
  }
  if (c === 'export') {
    line('--format brainjs for a network of two activations', withOption(l, 'format', 'brainjs'), refuse(1, `${F.model}: cannot be exported as brain.js: `, 'one activation in every layer'));
  }
  if (c === 'import') {
    line('import a folder', at(0, F.folder), refuse(1, `cannot read model file '${F.folder}': it is a directory`));
    line('import a CSV file', at(0, F.data), refuse(1, F.data));
    line('import a truncated ONNX file', at(0, F.truncated), refuse(1, F.truncated));
  }
  return out;
}

// ─── the property ───

/** Every file under the folder: its bytes' hash, or where a link points. */
function folderState(): Map<string, string> {
  const state = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isSymbolicLink()) state.set(p, `link ${readFileSync(p).length}`);
      else if (e.isDirectory()) walk(p);
      else state.set(p, createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return state;
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  const changed = [...after].filter(([p, h]) => before.get(p) !== h).map(([p]) => p);
  const gone = [...before.keys()].filter((p) => !after.has(p));
  return [...changed, ...gone.map((p) => `${p} (removed)`)];
}

/** Refusals: one `simdnet: ` line naming what is wrong (then the stack with --verbose); nothing on stdout. */
function checkRefusal(r: InProcessRun, outcome: Outcome, label: string, verbose: boolean): void {
  // --verbose adds the stack after the line
  const lines = r.stderr.split('\n').filter((s) => s !== '').slice(0, verbose ? 1 : undefined);
  const context = `${label}: exit ${r.code}, stderr ${JSON.stringify(r.stderr.slice(0, 600))}`;
  if (r.code !== outcome.code) throw new Error(`expected exit ${outcome.code}; ${context}`);
  if (r.stdout !== '' || lines.length !== 1 || !lines[0]!.startsWith('simdnet: ')) throw new Error(`expected one 'simdnet: ' line and no stdout; ${context}, stdout ${JSON.stringify(r.stdout.slice(0, 200))}`);
  for (const w of outcome.words) if (!lines[0]!.includes(w)) throw new Error(`expected the message to hold ${JSON.stringify(w)}; ${context}`);
}

/** What a successful run produced, comparably: the files it wrote (by their place among the new files) and stdout without paths. */
function products(r: InProcessRun, written: string[]): unknown {
  // (a TF.js model.json names its weights file, whose name follows the output's)
  const files = written.sort().map((p) => readFileSync(p, 'latin1').replace(/\bo\d+\./g, 'o#.'));
  // the report names the output file and the time taken
  const stdout = r.stdout.startsWith('{') ? null : r.stdout.split(dir).map((piece, i) => (i === 0 ? piece : piece.replace(/^\S*/, '<file>'))).join('').replace(/\d+(\.\d+)? s\b/g, '');
  return { files, stdout };
}

/** Checks a success: the documented output of the command. */
async function checkSuccess(argv: string[], r: InProcessRun, written: string[], label: string): Promise<void> {
  if (r.code !== 0) throw new Error(`${label}: expected exit 0, got ${r.code}: ${r.stderr.slice(0, 600)}`);
  const [command] = argv;
  if (argv.includes('--help') || command === 'help') {
    expect(r.stdout, label).toMatch(/^Usage: simdnet /);
    expect(written, label).toEqual([]);
    return;
  }
  const outIndex = Math.max(argv.indexOf('--out'), argv.indexOf('-o'));
  const inline = argv.find((w) => w.startsWith('--out='));
  const out = outIndex >= 0 ? argv[outIndex + 1]! : inline !== undefined ? inline.slice('--out='.length) : null;
  if (command === 'train' || command === 'import') {
    expect(written, label).toEqual([out]);
    const model = Model.fromJSON(readFileSync(out!, 'utf8'), { runtime });
    model.network.dispose();
    if (argv.includes('--json')) expect(JSON.parse(r.stdout).model, label).toBe(out);
  } else if (command === 'predict') {
    const text = out !== null && out !== '-' ? readFileSync(out, 'utf8') : r.stdout;
    expect(written, label).toEqual(out !== null && out !== '-' ? [out] : []);
    const rows = text.trimEnd().split('\n');
    expect(rows[0], label).toMatch(/^prediction(,p_\w+)*$/);
    const data = argv.find((w) => [F.data, F.latin, F.link, F.weird, F.semi, F.tabs, F.pipes].includes(w))!;
    expect(rows.length, label).toBe(readFileSync(data, 'latin1').trimEnd().split(/\r\n|\r|\n/).length);
  } else if (command === 'evaluate') {
    expect(written, label).toEqual([]);
    if (argv.includes('--json')) expect(JSON.parse(r.stdout).metrics, label).toHaveProperty('accuracy');
    else expect(r.stdout, label).toMatch(/accuracy/);
  } else {
    expect(written.length, label).toBeGreaterThan(0);
    expect(written.includes(out!), label).toBe(true);
    if (argv.includes('brainjs')) expect(JSON.parse(readFileSync(out!, 'utf8')), label).toHaveProperty('layers');
  }
  expect(r.stderr, label).not.toMatch(/internal error/);
}

async function runCase(recipe: Recipe): Promise<void> {
  const clean = cleanLine(recipe);
  const list = spoils(clean);
  const spoil = list[recipe.spoil % list.length]!;
  const before = folderState();
  const live = runtime.liveBytes;
  const r = await runInProcess(spoil.argv);
  const after = folderState();
  const written = changedFiles(before, after);
  const label = `${spoil.label} (${JSON.stringify(spoil.argv.map((w) => (w.length > 80 ? `${w.slice(0, 40)}…(${w.length})` : w).replace(dir, '…')))})`;
  try {
    expect(r.stderr, label).not.toMatch(/internal error/);
    for (const l of r.stderr.split('\n')) expect(l.length, `${label}: a stderr line of ${l.length} characters`).toBeLessThanOrEqual(1200);
    // eslint-disable-next-line no-control-regex
    expect(/[\u0000-\u0008\u000b-\u001f\u007f]/.test(r.stderr.replace(/\r(?=reading )/g, '')), `${label}: control characters on stderr`).toBe(false);
    expect(runtime.liveBytes, `${label}: live bytes`).toBe(live);
    if (spoil.outcome.code !== 0) {
      checkRefusal(r, spoil.outcome, label, spoil.argv.includes('--verbose'));
      expect(written, `${label}: files written or changed after a refusal`).toEqual([]);
      return;
    }
    await checkSuccess(spoil.argv, r, written, label);
    if (spoil.outcome.twin) {
      const twin = cleanLine(recipe);
      // the twin writes to its own fresh output path
      const renamed = { ...spoil.outcome.twin, options: spoil.outcome.twin.options.map((o) => (o.name === 'out' && o.value !== '-' ? twin.options.find((p) => p.name === 'out')! : o)) };
      const beforeTwin = folderState();
      const t = await runInProcess(argvOf(renamed));
      const twinWritten = changedFiles(beforeTwin, folderState());
      expect(t.code, `${label}: the plain twin`).toBe(0);
      expect(products(r, written), `${label}: against the plain command line`).toEqual(products(t, twinWritten));
      for (const p of twinWritten) rmSync(p, { force: true });
    }
  } finally {
    // outputs go; the folder is as it was for the next case (the old file restored)
    for (const p of written) if (!p.endsWith('(removed)')) rmSync(p, { force: true });
    writeFileSync(F.old, 'an earlier output\n');
  }
}

// ─── the folder ───

beforeAll(async () => {
  runtime = await init();
  dir = mkdtempSync(join(tmpdir(), 'simdnet-cli-battery-'));
  const file = (name: string, content: string | Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  const rows = Array.from({ length: 40 }, (_, i) => {
    const hours = (i * 7) % 11;
    const score = ((i * 13) % 17) / 4;
    return [hours, score, hours + score > 8 ? 'pass' : 'fail'];
  });
  F.data = file('data.csv', `hours,score,label\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  // the same table written other ways: what is read must be the same, bit for bit
  const styled = (sep: string, eol: string, quote: boolean) => [['hours', 'score', 'label'], ...rows].map((r) => r.map((v) => (quote ? `"${v}"` : String(v))).join(sep)).join(eol) + eol;
  F.semi = file('semi.csv', `\ufeff${styled(';', '\r\n', false)}`);
  F.tabs = file('tabs.csv', styled('\t', '\n', true));
  F.pipes = file('pipes.csv', styled('|', '\r', false));
  F.weird = file('we\nird;\u001b.csv', readFileSync(F.data));
  F.latin = file('latin.csv', Uint8Array.from(`hours;score;label\r\n${rows.map((r) => [r[0], r[1], r[2] === 'pass' ? 'réussi' : 'échoué'].join(';')).join('\r\n')}\r\n`, (ch) => ch.charCodeAt(0)));
  F.dup = file('dup.csv', `hours,hours,label\n${rows.map((r) => r.join(',')).join('\n')}\n`);
  F.empty = file('empty.csv', '');
  F.ragged = file('ragged.csv', `hours,score,label\n${rows.map((r, i) => (i === 2 ? `${r[0]},${r[2]}` : r.join(','))).join('\n')}\n`);
  F.open = file('open.csv', `hours,score,label\n1,2,pass\n3,4,"${'x'.repeat(1 << 20)}\n5,6,fail\n`);
  F.folder = join(dir, 'folder');
  mkdirSync(F.folder);
  F.model = join(dir, 'model.json');
  F.onnx = join(dir, 'model.onnx');
  const trained = await runInProcess(['train', F.data, '--out', F.model, '--epochs', '3', '--hidden', '3', '--seed', '1']);
  expect(trained.code, trained.stderr).toBe(0);
  const exported = await runInProcess(['export', F.model, '--format', 'onnx', '--out', F.onnx]);
  expect(exported.code, exported.stderr).toBe(0);
  const modelText = readFileSync(F.model, 'utf8');
  F.truncated = file('truncated.json', modelText.slice(0, modelText.length >> 1));
  F.notJson = file('no-model.json', JSON.stringify({ format: 'simdnet-model', version: 2, toString: 'x' }));
  F.link = join(dir, 'link.csv');
  symlinkSync(F.data, F.link);
  F.hard = join(dir, 'hard.json');
  linkSync(F.model, F.hard);
  F.old = file('old.json', 'an earlier output\n');
  expect(statSync(F.hard).ino).toBe(statSync(F.model).ino);
  // the network a fromJSON loads in a check is not the CLI's: none may stay
  expect(Network).toBeDefined();
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the reliability battery: the command line', () => {
  it('simdnet <command> <argv>: the documented output, or one line naming the option or file with exit 1 or 2; inputs unchanged, nothing written after a refusal', async () => {
    await fc.assert(fc.asyncProperty(recipes, runCase), { seed: 11, numRuns: 1000, interruptAfterTimeLimit: 60_000, markInterruptAsFailure: false, endOnFailure: true });
  }, 180_000);
});
