/**
 * Error messages made safe and readable as one line of a terminal: a
 * message may quote what a user's file holds (a cell, a label, a header),
 * which can be megabytes long or hold control characters (NUL, escape
 * sequences that recolour or rewrite the terminal, bidirectional overrides
 * that reorder what is shown).
 */

import { count } from './format.js';

/** Characters shown of a long quoted value: its start and its end. */
const VALUE_HEAD = 60;
const VALUE_TAIL = 20;
/** A quoted value longer than this (once escaped) is cut. */
const MAX_VALUE = 100;
/** A whole message longer than this is cut in the middle. */
const MAX_LINE = 1000;

// C0 and C1 controls but the line feed (handled first), DEL, and the
// invisible characters that change how the rest of a line is shown.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\t': '\\t', '\r': '\\r', '\n': '\\n' };
// What escaped() writes; a cut must not fall inside one.
const ESCAPE = /^\\(?:x[0-9a-f]{2}|u[0-9a-f]{4}|[trn])/;

/** `\x00`, `\x1b`, `\t`, `\u202e`: a control character as text. */
function escaped(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** Control characters escaped (`\x1b`); line feeds kept (for stack traces). */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/**
 * One readable line: line breaks (multi-line messages of lower layers)
 * become spaces, control characters are escaped, a quoted value longer than
 * 100 characters shows its first 60 and last 20 with its length, and a
 * message still longer than 1,000 characters is cut in the middle.
 */
export function oneLine(message: string): string {
  const text = message
    .replace(/\s*\r?\n\s*/g, ' ')
    .replace(/'([^']*)'|"([^"]*)"|[^'"]+|['"]/g, (piece: string, single?: string, double?: string) => {
      const value = single ?? double;
      const shown = escapeControls(piece);
      if (value === undefined || shown.length <= MAX_VALUE + 2) return shown;
      const q = piece[0]!;
      return `${q}${cut(value, 0, VALUE_HEAD)}…${cut(value, value.length - VALUE_TAIL, value.length)}${q} (${count(value.length)} characters)`;
    });
  if (text.length <= MAX_LINE) return text;
  const head = safeEnd(text, Math.floor(MAX_LINE * 0.7));
  const tail = safeStart(text, text.length - Math.floor(MAX_LINE * 0.3));
  return `${text.slice(0, head)} …[${count(tail - head)} characters cut]… ${text.slice(tail)}`;
}

/** `value[start, end)` escaped, its ends moved so that no surrogate pair is split. */
function cut(value: string, start: number, end: number): string {
  const s = isLow(value.charCodeAt(start)) ? start + 1 : start;
  const e = isHigh(value.charCodeAt(end - 1)) ? end - 1 : end;
  return escapeControls(value.slice(s, e));
}

/** A cut position ≤ p that splits neither an escape nor a surrogate pair. */
function safeEnd(text: string, p: number): number {
  for (let b = Math.max(0, p - 5); b < p; b++) {
    const m = text[b] === '\\' ? ESCAPE.exec(text.slice(b, b + 6)) : null;
    if (m && b + m[0].length > p) return b;
  }
  return isHigh(text.charCodeAt(p - 1)) ? p - 1 : p;
}

/** A cut position ≥ p that splits neither an escape nor a surrogate pair. */
function safeStart(text: string, p: number): number {
  for (let b = Math.max(0, p - 5); b < p; b++) {
    const m = text[b] === '\\' ? ESCAPE.exec(text.slice(b, b + 6)) : null;
    if (m && b + m[0].length > p) return b + m[0].length;
  }
  return isLow(text.charCodeAt(p)) ? p + 1 : p;
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
