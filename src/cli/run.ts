/**
 * The `simdnet` command's dispatch: train / evaluate / predict / import /
 * export, and every failure turned into one line on stderr and an exit code
 * (2 for a malformed command line, 1 for everything else). No side effects
 * on import (main.ts is the process entry), so tests run it in process.
 */

import { SimdnetError } from '../index.js';
import { hasOwn, nearestName } from '../names.js';
import { UsageError, CliError } from './errors.js';
import { evaluate } from './evaluate.js';
import { exportModel } from './export.js';
import { MAIN_HELP, EVALUATE_HELP, EXPORT_HELP, IMPORT_HELP, PREDICT_HELP, TRAIN_HELP } from './help.js';
import { importModel } from './import.js';
import type { Io, Stream } from './io.js';
import { oneLine } from './one-line.js';
import { predict } from './predict.js';
import { train } from './train.js';
import { VERSION } from './version.js';

interface Command {
  run: (argv: readonly string[], io: Io) => Promise<number>;
  help: string;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  train: { run: train, help: TRAIN_HELP },
  evaluate: { run: evaluate, help: EVALUATE_HELP },
  predict: { run: predict, help: PREDICT_HELP },
  import: { run: importModel, help: IMPORT_HELP },
  export: { run: exportModel, help: EXPORT_HELP },
};
const NAMES = Object.keys(COMMANDS).join(', ');

/** The command called `word`: an own key of the table only, so `toString` or `__proto__` is no command. */
function commandNamed(word: string): Command | undefined {
  return hasOwn(COMMANDS, word) ? COMMANDS[word] : undefined;
}

/** Runs the CLI on `argv` (the words after `simdnet`); returns the exit code. Never throws. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  // before parsing, so that even a parse failure can be shown with its stack
  const verbose = argv.includes('--verbose');
  try {
    const [first, ...rest] = argv;
    if (first === undefined) throw new UsageError(`missing command (${NAMES}); see 'simdnet --help'`);
    // what follows help or the version is a command or nothing: a word more would be ignored
    const words = rest.filter((w) => w !== '--verbose');
    if (first === '--help' || first === '-h' || first === 'help') {
      const [name, extra] = words;
      if (name === undefined) {
        io.stdout.write(MAIN_HELP);
        return 0;
      }
      const topic = commandNamed(name);
      if (topic === undefined) throw name.startsWith('-') ? new UsageError(`${first}: expected a command (${NAMES}) or nothing, got '${name}'`) : unknownCommand(name);
      if (extra !== undefined) throw new UsageError(`${first}: unexpected argument '${extra}' (usage: simdnet help <command>)`);
      io.stdout.write(topic.help);
      return 0;
    }
    if (first === '--version' || first === '-v') {
      if (words[0] !== undefined) throw new UsageError(`${first}: unexpected argument '${words[0]}' (usage: simdnet --version)`);
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const command = commandNamed(first);
    if (command === undefined) throw unknownCommand(first);
    return await command.run(rest, io);
  } catch (err) {
    return report(err, verbose, io.stderr);
  }
}

function unknownCommand(word: string): UsageError {
  const near = nearestName(word.replace(/^-+/, ''), Object.keys(COMMANDS));
  const hint = near === null ? '' : ` (did you mean '${near}'?)`;
  if (word.startsWith('-')) return new UsageError(`unknown option '${word}' before the command${hint}; expected a command (${NAMES}), --help or --version`);
  return new UsageError(`unknown command '${word}'${hint}; expected ${NAMES}; see 'simdnet --help'`);
}

/** One line for the user; the stack (and the causes) only with --verbose. */
function report(err: unknown, verbose: boolean, stderr: Stream): number {
  const known = err instanceof UsageError || err instanceof CliError || err instanceof SimdnetError;
  const message = err instanceof Error ? err.message : String(err);
  const text = known ? message : `internal error: ${message}${verbose ? '' : ' (run with --verbose for the stack trace)'}`;
  // messages from lower layers (the file system, say) may span lines, and
  // may quote a user's file whole: the contract is one readable line
  stderr.write(`simdnet: ${oneLine(text)}\n`);
  if (verbose) {
    for (let e: unknown = err; e !== undefined && e !== null; e = e instanceof Error ? e.cause : undefined) {
      // each line made one readable line: the stack's first repeats the message, which may quote a 1 MB value
      const text = e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
      stderr.write(`${text.split('\n').map(oneLine).join('\n')}\n`);
      if (!(e instanceof Error) || e.cause === undefined) break;
      stderr.write('caused by: ');
    }
  }
  return err instanceof UsageError ? 2 : 1;
}
