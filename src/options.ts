/**
 * Options objects and names as users (and files) give them: own keys only, so
 * that `'toString'` or `'__proto__'` is never found on Object.prototype; an
 * unknown key is an error naming the nearest known one, because a typo that
 * is silently ignored (`activaton`, `seeed`) trains a different model than
 * the one the user asked for.
 */

import { SimdnetError, ValueError } from './errors.js';
import { describe } from './validate.js';
import { hasOwn, nearestName } from './names.js';
import { readOwnOptions, thrownText } from './option-reader.js';

/**
 * The value `table` holds for `name`, looked up among the table's own keys;
 * a ValueError naming the argument, the accepted names and the nearest one
 * otherwise.
 */
export function lookupName<T extends Record<string, unknown>>(table: T, name: unknown, argument: string): keyof T & string {
  if (typeof name === 'string' && hasOwn(table, name)) return name;
  const names = Object.keys(table);
  const near = typeof name === 'string' ? nearestName(name, names) : null;
  throw new ValueError(`${argument}: expected one of ${names.join(', ')}, got ${describe(name)}${near ? ` (did you mean '${near}'?)` : ''}`);
}

/**
 * A plain copy of an options object holding only `known` keys; see
 * option-reader.ts. Refuses with a ValueError naming the argument or key.
 */
export function readOptions<K extends string>(
  value: unknown, name: string, known: readonly K[], shape?: string, otherKeys: 'refuse' | 'skip' = 'refuse',
): Partial<Record<K, unknown>> {
  return readOwnOptions(value, name, known, valueError, shape, otherKeys);
}

const valueError = (message: string, cause?: unknown): ValueError => (cause === undefined ? new ValueError(message) : new ValueError(message, { cause }));

/** Throws a ValueError unless `v` is undefined or a boolean. */
export function optionalBoolean(v: unknown, name: string): boolean | undefined {
  if (v === undefined || typeof v === 'boolean') return v;
  throw new ValueError(`${name}: expected true or false, got ${describe(v)}`);
}

/** Throws a ValueError unless `v` is undefined or a function. */
export function optionalFunction<F>(v: unknown, name: string): F | undefined {
  if (v === undefined || typeof v === 'function') return v as F | undefined;
  throw new ValueError(`${name}: expected a function, got ${describe(v)}`);
}

/**
 * Runs `read` (which walks a caller's arrays or objects) and turns anything
 * it throws that is not the library's own error — a getter or a Proxy trap
 * that throws, a revoked Proxy — into a ValueError naming the argument.
 */
export function guardRead<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw readError(name, e);
  }
}

/**
 * What to throw for an error raised while a call read the argument `name`:
 * the library's own errors and Wasm traps (a bug, never bad input) as they
 * are, anything else — a getter or Proxy trap of the caller's that threw, a
 * revoked Proxy — as a ValueError naming the argument.
 */
export function readError(name: string, e: unknown): unknown {
  if (e instanceof SimdnetError || (typeof WebAssembly === 'object' && e instanceof WebAssembly.RuntimeError)) return e;
  return new ValueError(`${name}: reading it threw (${thrownText(e)})`, { cause: e });
}

