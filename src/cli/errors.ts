/**
 * The CLI's own failures. Library errors (SimdnetError) already carry
 * user-facing messages; these cover what only the command line knows about:
 * its arguments and its files.
 */

/** A malformed command line: unknown option, missing argument, bad option value. Exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A problem with a file or with how the inputs fit together (unreadable file, columns that do not match the model). Exit code 1. */
export class CliError extends Error {
  override name = 'CliError';
}
