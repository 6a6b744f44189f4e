/**
 * Text encodings of CSV bytes: UTF-8 validation, and decoding a field's
 * bytes as UTF-8, Windows-1252 or Latin-1 (ISO-8859-1).
 *
 * The tokenizer works on bytes, and all three encodings agree on ASCII, so
 * the choice only matters for the (rare) non-ASCII cells that are read as
 * text; the reader (csv-reader.ts) makes it, record by record.
 */

/** The encodings simdnet reads. `latin1` maps each byte to the code point of the same value. */
export type CsvEncoding = 'utf-8' | 'windows-1252' | 'latin1';

export const ENCODINGS: readonly CsvEncoding[] = ['utf-8', 'windows-1252', 'latin1'];

// Windows-1252 at 0x80..0x9F (as the WHATWG Encoding Standard: the five bytes
// it leaves unassigned map to the C1 control of the same value).
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8d, 0x017d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x9d, 0x017e, 0x0178,
];

/** Whether Windows-1252 leaves `byte` unassigned (0x81, 0x8D, 0x8F, 0x90, 0x9D): text in it never holds one. */
export function unassignedIn1252(byte: number): boolean {
  return byte === 0x81 || byte === 0x8d || byte === 0x8f || byte === 0x90 || byte === 0x9d;
}

/** What {@link scanUtf8} found. */
export interface Utf8Scan {
  /** Offset of the first byte that is not valid UTF-8, or -1. */
  invalid: number;
  /** Offset of the first valid multi-byte character (before `invalid` if that is set), or -1. */
  multibyte: number;
}

/**
 * Validates `bytes[start, end)` as UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF). A character cut by `end` is invalid:
 * callers pass whole records, which end at an ASCII line end.
 */
export function scanUtf8(bytes: Uint8Array, start: number, end: number, out: Utf8Scan): Utf8Scan {
  out.invalid = -1;
  out.multibyte = -1;
  let i = start;
  while (i < end) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else {
      out.invalid = i;
      return out;
    }
    for (let k = 1; k <= need; k++) {
      const c = i + k < end ? (bytes[i + k] as number) : -1;
      if (c < lo || c > hi) {
        out.invalid = i;
        return out;
      }
      lo = 0x80;
      hi = 0xbf;
    }
    if (out.multibyte < 0) out.multibyte = i;
    i += need + 1;
  }
  return out;
}

const utf8 = new TextDecoder('utf-8');

/**
 * `bytes[start, end)` as text in `encoding`. UTF-8 that is not valid decodes
 * with U+FFFD (the reader refuses such bytes before anything is decoded).
 */
export function decodeBytes(bytes: Uint8Array, start: number, end: number, encoding: CsvEncoding): string {
  const n = end - start;
  if (n <= 0) return '';
  // Short ASCII (the usual label or header name) is cheaper by hand than through TextDecoder.
  if (n <= 64) {
    let s = '';
    let i = start;
    for (; i < end; i++) {
      const b = bytes[i] as number;
      if (b >= 0x80) break;
      s += String.fromCharCode(b);
    }
    if (i === end) return s;
  }
  if (encoding === 'utf-8') return utf8.decode(bytes.subarray(start, end));
  const codes = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const b = bytes[start + i] as number;
    codes[i] = encoding === 'windows-1252' && b >= 0x80 && b < 0xa0 ? (CP1252_HIGH[b - 0x80] as number) : b;
  }
  let s = '';
  // fromCharCode takes its codes as arguments: bounded pieces stay below engines' argument limits
  for (let i = 0; i < n; i += 8192) s += String.fromCharCode(...codes.subarray(i, Math.min(n, i + 8192)));
  return s;
}
