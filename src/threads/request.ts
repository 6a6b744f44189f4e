/**
 * What init's `threads` option asks for: the one part of threads the core
 * carries (checked before anything is loaded); the rest is loaded on demand
 * (threads-loader.ts), only when more than one thread is asked for or, for
 * the default, once its large calls have done enough work (work.ts START_WORK).
 */
import { InitError } from '../errors.js';
import { describe } from '../describe.js';

/** The most threads a runtime takes (and what 'auto' gives at most). */
export const MAX_THREADS = 64;

/**
 * The thread count asked for: 0 for the default (threads where this runtime
 * has them, started lazily: src/threads/default-threads.ts), else 'auto' or
 * 1 … MAX_THREADS; an InitError for anything else.
 */
export function requestedThreads(threads: unknown): number | 'auto' {
  if (threads === undefined || threads === 'auto') return threads === 'auto' ? 'auto' : 0;
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new InitError(`init: threads: expected 'auto' or an integer from 1 to ${MAX_THREADS}, got ${typeof threads === 'number' ? String(threads) : describe(threads)}`);
  }
  return threads;
}
