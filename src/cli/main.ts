#!/usr/bin/env node
/**
 * The `simdnet` command: dispatches to train / evaluate / predict / import /
 * export and turns every failure into one line on stderr and an exit code
 * (2 for a malformed command line, 1 for everything else).
 */

import { SimdnetError } from '../index.js';
import { UsageError, CliError } from './errors.js';
import { evaluate } from './evaluate.js';
import { exportModel } from './export.js';
import { MAIN_HELP, EVALUATE_HELP, EXPORT_HELP, IMPORT_HELP, PREDICT_HELP, TRAIN_HELP } from './help.js';
import { importModel } from './import.js';
import type { Io, Stream } from './io.js';
import { escapeControls, oneLine } from './one-line.js';
import { predict } from './predict.js';
import { train } from './train.js';
import { VERSION } from './version.js';

const COMMANDS: Record<string, { run: (argv: readonly string[], io: Io) => Promise<number>; help: string }> = {
  train: { run: train, help: TRAIN_HELP },
  evaluate: { run: evaluate, help: EVALUATE_HELP },
  predict: { run: predict, help: PREDICT_HELP },
  import: { run: importModel, help: IMPORT_HELP },
  export: { run: exportModel, help: EXPORT_HELP },
};
const NAMES = Object.keys(COMMANDS).join(', ');

/** Runs the CLI on `argv` (the words after `simdnet`); returns the exit code. Never throws. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  // before parsing, so that even a parse failure can be shown with its stack
  const verbose = argv.includes('--verbose');
  try {
    const [first, ...rest] = argv;
    if (first === undefined) throw new UsageError(`missing command (${NAMES}); see 'simdnet --help'`);
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' && rest[0] !== undefined ? COMMANDS[rest[0]] : undefined;
      if (first === 'help' && rest[0] !== undefined && topic === undefined) throw unknownCommand(rest[0]);
      io.stdout.write(topic ? topic.help : MAIN_HELP);
      return 0;
    }
    if (first === '--version' || first === '-v') {
      io.stdout.write(`${VERSION}\n`);
      return 0;
    }
    const command = COMMANDS[first];
    if (command === undefined) throw unknownCommand(first);
    return await command.run(rest, io);
  } catch (err) {
    return report(err, verbose, io.stderr);
  }
}

function unknownCommand(word: string): UsageError {
  if (word.startsWith('-')) return new UsageError(`unknown option '${word}' before the command; expected a command (${NAMES}), --help or --version`);
  return new UsageError(`unknown command '${word}' (expected ${NAMES}); see 'simdnet --help'`);
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
      stderr.write(`${escapeControls(e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e))}\n`);
      if (!(e instanceof Error) || e.cause === undefined) break;
      stderr.write('caused by: ');
    }
  }
  return err instanceof UsageError ? 2 : 1;
}

// A reader that stops early (`simdnet predict … | head`) closes the pipe;
// that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
