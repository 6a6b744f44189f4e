/**
 * How a value is shown in an error message: its kind and, for short ones,
 * the value itself; never a throw, whatever the value.
 */

/** A value as an error message names it ("an array of length 3", "number 3", a short string quoted). */
export function describe(v: unknown): string {
  try {
    return describeValue(v);
  } catch {
    return 'a value that cannot be inspected'; // a revoked Proxy, say
  }
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'function') return 'a function';
  return `${typeof v} ${String(v)}`;
}
