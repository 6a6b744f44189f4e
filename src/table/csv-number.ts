/**
 * Numbers in CSV cells: plain decimal notation only, parsed straight from
 * the bytes in the common case, with the same result as `Number(text)`.
 */

// Plain decimal notation only: Number() alone would also accept '', ' ',
// '0x1F', 'Infinity' and '1_000'-free oddities that are never meant as data.
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number written in `text` (surrounding whitespace allowed), or null when it is not plain decimal notation. */
export function decimal(text: string): number | null {
  const s = text.trim();
  return DECIMAL.test(s) ? Number(s) : null;
}

// 10^0..10^22: every one exact in a double
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

const ZERO = 0x30;
const DOT = 0x2e;
const PLUS = 0x2b;
const MINUS = 0x2d;
const LOWER_E = 0x65;
const UPPER_E = 0x45;

/**
 * The plain decimal number in `bytes[start, end)` (ASCII: `[+-]digits[.digits][e[+-]digits]`),
 * or NaN when this fast path cannot tell — anything else, including blanks
 * around it, more than 15 digits or a decimal exponent beyond ±22. NaN is never a parsed value, so it is an unambiguous "ask
 * {@link decimal} on the decoded text".
 *
 * Exact: at most 15 digits make an integer below 2^53 (exact in a double),
 * 10^k is exact for k ≤ 22, and one IEEE multiplication or division of two
 * exact values is correctly rounded — the same double `Number(text)` gives
 * (Clinger's fast path).
 */
export function parseDecimalBytes(bytes: Uint8Array, start: number, end: number): number {
  let i = start;
  if (i >= end) return NaN;
  let b = bytes[i] as number;
  const negative = b === MINUS;
  if (negative || b === PLUS) i++;
  // Every digit goes into the mantissa; leading zeros add nothing to it, but
  // count towards the 15 (so 0.0000000000001234 takes the slow path: rare).
  let mantissa = 0;
  let d = 0;
  const intStart = i;
  while (i < end && (d = (bytes[i] as number) - ZERO) >= 0 && d <= 9) {
    mantissa = mantissa * 10 + d;
    i++;
  }
  let digits = i - intStart;
  let scale = 0;
  if (i < end && bytes[i] === DOT) {
    const fracStart = ++i;
    while (i < end && (d = (bytes[i] as number) - ZERO) >= 0 && d <= 9) {
      mantissa = mantissa * 10 + d;
      i++;
    }
    scale = fracStart - i;
    digits -= scale;
  }
  if (digits === 0 || digits > 15) return NaN;
  if (i === end) return finish(mantissa, scale, negative);
  b = bytes[i] as number;
  if (b !== LOWER_E && b !== UPPER_E) return NaN;
  if (++i === end) return NaN;
  b = bytes[i] as number;
  const negativeExponent = b === MINUS;
  if (negativeExponent || b === PLUS) i++;
  if (i === end) return NaN;
  let exponent = 0;
  for (; i < end; i++) {
    d = (bytes[i] as number) - ZERO;
    if (d < 0 || d > 9) return NaN;
    exponent = exponent * 10 + d;
    if (exponent > 1000) return NaN;
  }
  return finish(mantissa, negativeExponent ? scale - exponent : scale + exponent, negative);
}

function finish(mantissa: number, scale: number, negative: boolean): number {
  let value: number;
  if (mantissa === 0 || scale === 0) value = mantissa;
  else if (scale > 0 && scale <= 22) value = mantissa * (POW10[scale] as number);
  else if (scale < 0 && scale >= -22) value = mantissa / (POW10[-scale] as number);
  else return NaN;
  return negative ? -value : value;
}
