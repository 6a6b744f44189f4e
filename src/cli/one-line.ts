/**
 * Error messages made safe and readable as one line of a terminal: a
 * message may quote what a user's file holds (a cell, a label, a header),
 * which can be megabytes long or hold control characters (NUL, escape
 * sequences that recolour or rewrite the terminal, bidirectional overrides
 * that reorder what is shown).
 */

import { count } from './format.js';

/** Characters of a quoted value kept: its start and its end. */
const VALUE_HEAD = 60;
const VALUE_TAIL = 20;
/** A quoted value longer than this is cut. */
const MAX_VALUE = VALUE_HEAD + VALUE_TAIL + 20;
/** A whole message longer than this is cut in the middle. */
const MAX_LINE = 1000;

// C0 and C1 controls (line breaks are handled first), DEL, and the
// invisible characters that change how the rest of a line is shown.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\t': '\\t', '\r': '\\r', '\n': '\\n' };

/** `\x00`, `\x1b`, `\t`, `\u202e`: a control character as text. */
function escaped(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** Control characters escaped; line breaks kept (for stack traces). */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/**
 * One readable line: line breaks (multi-line messages of lower layers)
 * become spaces, control characters are escaped, quoted values longer than
 * 100 characters keep their first 60 and last 20 with their length noted,
 * and a message still longer than 1,000 characters is cut in the middle.
 */
export function oneLine(message: string): string {
  let text = message.replace(/\s*\r?\n\s*/g, ' ').replace(UNSAFE, escaped);
  text = text.replace(/'([^']*)'|"([^"]*)"/g, (quoted, single?: string, double?: string) => {
    const value = single ?? double ?? '';
    if (value.length <= MAX_VALUE) return quoted;
    const q = quoted[0]!;
    return `${q}${head(value, VALUE_HEAD)}…${tail(value, VALUE_TAIL)}${q} (${count(value.length)} characters)`;
  });
  if (text.length <= MAX_LINE) return text;
  const cut = text.length - MAX_LINE;
  return `${head(text, MAX_LINE * 0.7)} …[${count(cut)} characters cut]… ${tail(text, MAX_LINE * 0.3)}`;
}

// Cuts that never split a surrogate pair (half an emoji prints as garbage).
function head(s: string, n: number): string {
  let end = Math.floor(n);
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return s.slice(0, end);
}

function tail(s: string, n: number): string {
  let start = s.length - Math.floor(n);
  const c = s.charCodeAt(start);
  if (c >= 0xdc00 && c <= 0xdfff) start++;
  return s.slice(start);
}
