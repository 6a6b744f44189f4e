/**
 * Reading an options object as users write them: own keys only, an unknown
 * key refused with the nearest known one, each value read once. Pure and
 * free of the core's error classes (the caller says what to throw), so
 * simdnet/csv reads its options the same way with the classes of the
 * 'simdnet' it was given, not copies of its own.
 */

import { describe } from './describe.js';
import { hasOwn, nearestName } from './names.js';

/** Makes the error to throw for a bad option: the core's and simdnet/csv's ValueError. */
export type OptionError = (message: string, cause?: unknown) => Error;

/**
 * A plain copy of an options object holding only `known` keys. Refuses a
 * value that is not an options object, an unknown own key (naming the
 * nearest known one) and a getter that throws; every value is read exactly
 * once, so a getter cannot answer differently to the check and to the use.
 *
 * @param name - the argument as the caller wrote it, e.g. 'options' or 'layers[2]'.
 * @param shape - what the object should look like, for the message, e.g. '{ units, activation }'.
 * @param otherKeys - 'skip' reads `known` and leaves the other keys to a second, stricter read.
 */
export function readOwnOptions<K extends string>(
  value: unknown, name: string, known: readonly K[], fail: OptionError, shape?: string, otherKeys: 'refuse' | 'skip' = 'refuse',
): Partial<Record<K, unknown>> {
  if (!isOptionsObject(value)) {
    throw fail(`${name}: expected an options object${shape ? ` ${shape}` : ''}, got ${describe(value)}`);
  }
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch (e) {
    throw fail(`${name}: its keys could not be listed (${thrownText(e)})`, e);
  }
  if (otherKeys === 'refuse') {
    for (const key of keys) {
      // an unknown key set to undefined gives nothing that could be ignored (`{ momentum: cfg.momentum }`)
      if (!(known as readonly string[]).includes(key) && readKey(value, key, name, fail) !== undefined) throw fail(unknownKeyMessage(name, key, known));
    }
  }
  const out: Partial<Record<K, unknown>> = {};
  for (const key of known) {
    if (!hasOwn(value, key)) continue;
    const v = readKey(value, key, name, fail);
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

function readKey(value: object, key: string, name: string, fail: OptionError): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch (e) {
    throw fail(`${name}.${key}: reading it threw (${thrownText(e)})`, e);
  }
}

/** The message for an unknown option key: the key, the nearest known one, the known ones. */
export function unknownKeyMessage(name: string, key: string, known: readonly string[]): string {
  const near = nearestName(key, known);
  const hint = near ? ` (did you mean '${near}'?)` : '';
  return `${name}: unknown option ${describe(key)}${hint}; expected ${known.length ? known.map((k) => `'${k}'`).join(', ') : 'no options'}`;
}

/** What a caller's getter or Proxy trap threw, as a short text for a message. */
export function thrownText(e: unknown): string {
  let text: string;
  try {
    text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  } catch {
    text = 'a value that cannot be shown';
  }
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
