/**
 * Command-line parsing on top of node:util's parseArgs, plus the parsers of
 * option values. Every problem is a UsageError whose message names the
 * option as the user typed it.
 */

import { parseArgs } from 'node:util';
import { hasOwn, nearestName } from '../names.js';
import { UsageError } from './errors.js';

/** One option of a command. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

/** What a command accepts: its options and the names of its positional arguments, in order. */
export interface CommandSpec {
  name: string;
  options: Record<string, OptionSpec>;
  positionals: readonly string[];
}

/** A parsed command line: option values by long name, positionals by name. */
export interface ParsedArgs {
  strings: Map<string, string>;
  flags: Set<string>;
  positionals: string[];
  help: boolean;
}

/** Options every command accepts. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean' },
};

// A negative number right after a string option (`--lr -1`) is that option's
// value, not another option; parseArgs alone cannot tell the two apart.
const NUMBER_LIKE = /^-(?:\d|\.\d)/;

/**
 * Parses `argv` (the words after the command name) against `spec`.
 * `--help` wins over every other problem, so a user who asks for help gets it.
 *
 * @throws UsageError for an unknown option, a string option without a value
 *   or given twice, a boolean option given a value, a missing or an extra
 *   positional argument.
 */
export function parseCommandLine(spec: CommandSpec, argv: readonly string[]): ParsedArgs {
  const options = { ...COMMON_OPTIONS, ...spec.options };
  // strict: false and our own checks on the tokens: parseArgs' strict-mode
  // messages are long and tell nothing about the command.
  const { tokens } = parseArgs({ args: [...argv], options, allowPositionals: true, strict: false, tokens: true });
  const strings = new Map<string, string>();
  const flags = new Set<string>();
  const positionals: string[] = [];
  const problems: UsageError[] = [];
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    // own keys only: '--toString' or '--__proto__' names no option
    const option = hasOwn(options, token.name) ? options[token.name] : undefined;
    if (option === undefined) {
      problems.push(new UsageError(`unknown option '${token.rawName}' for '${spec.name}'${suggestion(token.name, Object.keys(options))}; see 'simdnet ${spec.name} --help'`));
      continue;
    }
    if (option.type === 'boolean') {
      if (token.name === 'help') help = true;
      if (token.inlineValue) problems.push(new UsageError(`option '${token.rawName}' takes no value, got '${token.rawName}=${token.value ?? ''}'`));
      else flags.add(token.name);
      continue;
    }
    const value = token.value;
    // Without an inline value, parseArgs takes the next word whatever it is:
    // `--out --json` would save the model to a file called '--json'.
    if (value === undefined || (!token.inlineValue && value.startsWith('-') && value !== '-' && !NUMBER_LIKE.test(value))) {
      problems.push(new UsageError(`option '${token.rawName}' needs a value, e.g. '${token.rawName} ${exampleValue(token.name)}'`));
      continue;
    }
    // parseArgs keeps the last of two values: the first would be dropped without a word
    const earlier = strings.get(token.name);
    if (earlier !== undefined) {
      problems.push(new UsageError(`option '${token.rawName}' given twice ('${earlier}', then '${value}'); give it once`));
      continue;
    }
    strings.set(token.name, value);
  }
  if (help) return { strings, flags, positionals, help };
  if (problems.length > 0) throw problems[0]!;
  const usage = `usage: simdnet ${spec.name} ${spec.positionals.join(' ')} [options]`;
  if (positionals.length < spec.positionals.length) {
    throw new UsageError(`${spec.name}: missing ${spec.positionals[positionals.length]} (${usage})`);
  }
  if (positionals.length > spec.positionals.length) {
    throw new UsageError(`${spec.name}: unexpected argument '${positionals[spec.positionals.length]}' (${usage})`);
  }
  return { strings, flags, positionals, help };
}

const EXAMPLES: Readonly<Record<string, string>> = {
  out: 'model.json', target: 'label', features: 'hours,attendance', ignore: 'id', categorical: 'zip', na: 'NA,-', 'max-categories': '32',
  separator: ';', encoding: 'windows-1252', task: 'multiclass', hidden: '64,32', activation: 'relu', optimizer: 'adam',
  lr: '0.003', 'batch-size': '32', epochs: '300', patience: '30', 'weight-decay': '0.0001', 'clip-norm': '1', split: '0.8,0.1,0.1',
  'class-weight': 'balanced', scale: 'standard', seed: '1', schedule: 'cosine:warmup=5', monitor: 'val_accuracy', format: 'onnx',
};

function exampleValue(name: string): string {
  return hasOwn(EXAMPLES, name) ? EXAMPLES[name]! : '<value>';
}

/** " (did you mean '--epochs'?)" for a near miss, else "". */
function suggestion(name: string, known: readonly string[]): string {
  const near = nearestName(name, known);
  return near === null ? '' : ` (did you mean '--${near}'?)`;
}

// Plain decimal notation, as in the CSV parser: no '', '0x1F' or 'Infinity'.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number written in `text`, or null when it is not plain decimal notation. */
export function decimal(text: string): number | null {
  const s = text.trim();
  return DECIMAL.test(s) ? Number(s) : null;
}

/** Bounds of a numeric option. */
export interface NumberRule {
  /** Whole numbers only. */
  integer?: boolean;
  min?: number;
  /** The value must be strictly greater than `min`. */
  minOpen?: boolean;
  max?: number;
}

/**
 * Parses a numeric option value.
 * @throws UsageError naming the option, the accepted range and the value given.
 */
export function parseNumber(option: string, raw: string, rule: NumberRule): number {
  const v = decimal(raw);
  const ok =
    v !== null && Number.isFinite(v) &&
    (!rule.integer || Number.isInteger(v)) &&
    (rule.min === undefined || (rule.minOpen ? v > rule.min : v >= rule.min)) &&
    (rule.max === undefined || v <= rule.max);
  if (!ok) throw new UsageError(`--${option}: expected ${describeRule(rule)}, got '${raw}'`);
  return v;
}

function describeRule(rule: NumberRule): string {
  const kind = rule.integer ? 'a whole number' : 'a number';
  if (rule.min !== undefined && rule.max !== undefined) return `${kind} from ${rule.min} to ${rule.max}`;
  if (rule.min !== undefined) return `${kind} ${rule.minOpen ? '>' : '≥'} ${rule.min}`;
  return kind;
}

/**
 * Parses an option that takes one of a fixed set of words.
 * @throws UsageError listing the accepted words.
 */
export function parseChoice<T extends string>(option: string, raw: string, choices: readonly T[]): T {
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw new UsageError(`--${option}: expected one of ${choices.join(', ')}, got '${raw}'`);
}

/** The most units `--hidden` takes for one layer. */
export const MAX_HIDDEN_UNITS = 65536;

/**
 * Parses `--hidden`: layer sizes (1 to {@link MAX_HIDDEN_UNITS} units each)
 * separated by commas, or 'none' for a network without hidden layers.
 */
export function parseHidden(raw: string): number[] {
  if (raw.trim() === 'none') return [];
  const parts = raw.split(',').map((s) => s.trim());
  const sizes = parts.map((s) => decimal(s));
  if (parts.some((s) => s === '') || sizes.some((v) => v === null || !Number.isInteger(v) || v < 1 || v > MAX_HIDDEN_UNITS)) {
    const over = sizes.find((v) => v !== null && Number.isInteger(v) && v > MAX_HIDDEN_UNITS);
    throw new UsageError(
      `--hidden: expected layer sizes (whole numbers from 1 to ${MAX_HIDDEN_UNITS}) separated by commas, e.g. 64,32, or 'none', got '${raw}'` +
        (over !== undefined ? ` (${over} is over the ${MAX_HIDDEN_UNITS} units a layer can have)` : ''),
    );
  }
  return sizes as number[];
}

/**
 * Parses `--split`: three fractions train,validation,test that sum to 1,
 * with a non-empty training part.
 */
export function parseSplit(raw: string): [number, number, number] {
  const parts = raw.split(',').map((s) => decimal(s));
  const expected = `three fractions train,validation,test in [0, 1] that sum to 1, e.g. 0.8,0.1,0.1`;
  if (parts.length !== 3 || parts.some((v) => v === null || !(v >= 0 && v <= 1))) {
    throw new UsageError(`--split: expected ${expected}, got '${raw}'${parts.length !== 3 ? ` (${parts.length} value${parts.length === 1 ? '' : 's'})` : ''}`);
  }
  const [train, validation, test] = parts as [number, number, number];
  const sum = train + validation + test;
  // the tolerance absorbs decimal round-off such as 0.7 + 0.2 + 0.1
  if (Math.abs(sum - 1) > 1e-6) throw new UsageError(`--split: expected ${expected}, got '${raw}' (sum ${Number(sum.toPrecision(6))})`);
  if (train === 0) throw new UsageError(`--split: expected a training fraction > 0, got '${raw}'`);
  return [train, validation, test];
}
