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
 * A plain copy of an options object holding only `known` keys. Refuses a
 * value that is not a plain object, an unknown own key (naming the nearest
 * known one) and a getter that throws; every value is read exactly once, so a
 * getter cannot answer differently to the check and to the use.
 *
 * @param name - the argument as the caller wrote it, e.g. 'options' or 'layers[2]'.
 * @param shape - what the object should look like, for the message, e.g. '{ units, activation }'.
 * @param otherKeys - 'skip' reads `known` and leaves the other keys to a second, stricter read.
 */
export function readOptions<K extends string>(
  value: unknown, name: string, known: readonly K[], shape?: string, otherKeys: 'refuse' | 'skip' = 'refuse',
): Partial<Record<K, unknown>> {
  if (!isOptionsObject(value)) {
    throw new ValueError(`${name}: expected an options object${shape ? ` ${shape}` : ''}, got ${describe(value)}`);
  }
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch (e) {
    throw new ValueError(`${name}: its keys could not be listed (${errorText(e)})`, { cause: e });
  }
  if (otherKeys === 'refuse') {
    for (const key of keys) {
      // an unknown key set to undefined gives nothing that could be ignored (`{ momentum: cfg.momentum }`)
      if (!(known as readonly string[]).includes(key) && read(value, key, name) !== undefined) throw unknownKey(name, key, known);
    }
  }
  const out: Partial<Record<K, unknown>> = {};
  for (const key of known) {
    if (!hasOwn(value, key)) continue;
    const v = read(value, key, name);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/**
 * An object whose own keys are its options: a plain object, one without a
 * prototype, a class instance. Not an array, a typed array, a Map (its
 * entries are no keys) or a boxed primitive (`new Boolean(false)` would read
 * as `{}`, i.e. every default). A revoked Proxy, which throws on any
 * inspection, is none either.
 */
function isOptionsObject(value: unknown): value is object {
  try {
    return value !== null && typeof value === 'object' && Object.prototype.toString.call(value) === '[object Object]';
  } catch {
    return false;
  }
}

function read(value: object, key: string, name: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch (e) {
    throw new ValueError(`${name}.${key}: reading it threw (${errorText(e)})`, { cause: e });
  }
}

/** The ValueError for an unknown option key. */
export function unknownKey(name: string, key: string, known: readonly string[]): ValueError {
  const near = nearestName(key, known);
  const hint = near ? ` (did you mean '${near}'?)` : '';
  return new ValueError(`${name}: unknown option ${describe(key)}${hint}; expected ${known.length ? known.map((k) => `'${k}'`).join(', ') : 'no options'}`);
}

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
  return new ValueError(`${name}: reading it threw (${errorText(e)})`, { cause: e });
}

function errorText(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
