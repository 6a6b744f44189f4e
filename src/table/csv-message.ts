/**
 * Cells and names shown in error messages: cut to a readable length and with
 * control characters escaped, so a 1 MB cell or a NUL byte cannot flood or
 * garble a terminal or a log line.
 */

/** Characters of a value a message shows before cutting it. */
export const SHOWN_CHARS = 40;

/** Bytes of a field worth decoding for a message: enough for {@link SHOWN_CHARS} characters in any encoding. */
export const SHOWN_BYTES = SHOWN_CHARS * 4 + 4;

const ESCAPES: Record<string, string> = { '\0': '\\0', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * `text` for a message, in single quotes: control characters (C0, DEL, C1,
 * U+2028/U+2029) escaped (`\0`, `\t`, `\n`, `\r`, `\xHH`, `\uHHHH`), and cut
 * after {@link SHOWN_CHARS} characters with `…`.
 *
 * @param truncated - `text` is only the value's start (decoded from its first bytes): cut it anyway.
 */
export function quoteCell(text: string, truncated = false): string {
  const chars = Array.from(text.length > SHOWN_CHARS * 2 + 2 ? text.slice(0, SHOWN_CHARS * 2 + 2) : text);
  const cut = truncated || chars.length > SHOWN_CHARS;
  let shown = '';
  for (const ch of cut ? chars.slice(0, SHOWN_CHARS) : chars) {
    const code = ch.codePointAt(0) as number;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code === 0x2028 || code === 0x2029) {
      shown += ESCAPES[ch] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
    } else {
      shown += ch;
    }
  }
  return cut ? `'${shown}…'` : `'${shown}'`;
}

/** Up to `max` names for a message, each through {@link quoteCell}, the rest counted. */
export function quoteList(names: readonly string[], max = 8): string {
  const shown = names.slice(0, max).map((n) => quoteCell(n));
  const rest = names.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}
