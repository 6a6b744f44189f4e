#!/usr/bin/env node
/**
 * The `simdnet` command's process entry: runs the CLI (run.ts) on the
 * process's arguments and sets the exit code.
 */

import { run } from './run.js';

// A reader that stops early (`simdnet predict … | head`) closes the pipe;
// that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((code) => {
  process.exitCode = code;
});
