/** oneLine / escapeControls: what report() in src/cli/run.ts does to every message before it reaches stderr. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControls, oneLine } from '../../src/cli/one-line.js';

// Every character a terminal acts on instead of showing: C0 (but \n), DEL, C1, bidi and line/paragraph separators.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('oneLine', () => {
  it('leaves an ordinary message as it is', () => {
    const m = "iris.csv: row 2 (line 3): column 'b': expected a number, got 'n/a'; pass --drop-invalid to drop such rows";
    expect(oneLine(m)).toBe(m);
  });

  it('joins the lines of a multi-line message with single spaces', () => {
    expect(oneLine('first line\n   second line\r\nthird')).toBe('first line second line third');
  });

  it('escapes NUL, terminal escape sequences, DEL, C1 controls, tabs, carriage returns and bidi overrides', () => {
    expect(oneLine("got 'a\u0000b\u001b[31mred\u007f\u0085\tx\ry\u202egnp.exe'")).toBe("got 'a\\x00b\\x1b[31mred\\x7f\\x85\\tx\\ry\\u202egnp.exe'");
    expect(escapeControls('at f (x.js:1)\n\u001b[2J')).toBe('at f (x.js:1)\n\\x1b[2J');
  });

  it('cuts a long quoted value to its first 60 and last 20 characters and states its length', () => {
    const value = `${'a'.repeat(500_000)}MIDDLE${'z'.repeat(500_000)}`;
    const out = oneLine(`column 'b': expected a number, got '${value}'; pass --drop-invalid`);
    expect(out).toBe(`column 'b': expected a number, got '${'a'.repeat(60)}…${'z'.repeat(20)}' (1,000,006 characters); pass --drop-invalid`);
    expect(oneLine(`label "${'x'.repeat(101)}"`)).toBe(`label "${'x'.repeat(60)}…${'x'.repeat(20)}" (101 characters)`);
    // a value of exactly 100 characters is shown whole
    expect(oneLine(`'${'y'.repeat(100)}'`)).toBe(`'${'y'.repeat(100)}'`);
  });

  it('counts a value by its escaped length, and never cuts inside an escape or a surrogate pair', () => {
    const nuls = '\u0000'.repeat(30); // 30 characters, 120 once escaped
    const out = oneLine(`got '${nuls}'`);
    expect(out).toMatch(/^got '(\\x00)+…(\\x00)+' \(30 characters\)$/);
    // 'x' first and 'y' last put both cut points (60 and length − 20) between the halves of a pair
    const emoji = `x${'😀'.repeat(200)}y`;
    const cut = oneLine(`got '${emoji}'`);
    expect(cut).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
    expect(cut).toBe(`got 'x${'😀'.repeat(29)}…${'😀'.repeat(9)}y' (402 characters)`);
  });

  it('cuts a long message in the middle, keeping its start and its end, at an escape boundary', () => {
    const message = `start ${'word '.repeat(1000)}\u0000 end of the advice`;
    const out = oneLine(message);
    expect(out.length).toBeLessThanOrEqual(1100);
    expect(out.startsWith('start word')).toBe(true);
    expect(out.endsWith('\\x00 end of the advice')).toBe(true);
    expect(out).toMatch(/ …\[[\d,]+ characters cut\]… /);
    // a cut that would fall inside '\x1b' moves to its edge
    for (let shift = 0; shift < 8; shift++) {
      const m = `${'p'.repeat(700 - shift)}${'\u001b'.repeat(400)}${'q'.repeat(400)}`;
      const o = oneLine(m);
      expect(o.replace(/ …\[[\d,]+ characters cut\]… /, '')).toMatch(/^p+(\\x1b)*q*$/);
    }
  });

  it('property: any message gives one line of at most ~1,100 characters with no character a terminal acts on', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom("'", '"', '\n', '\u0000', '\u001b[31m', '\u202e', '😀', '\ud800', '\\x0'),
      fc.integer({ min: 90, max: 3000 }).map((n) => 'v'.repeat(n)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (pieces) => {
        const out = oneLine(pieces.join(''));
        expect(out).not.toContain('\n');
        expect(out).not.toMatch(UNSAFE);
        expect(out.length).toBeLessThanOrEqual(1100);
      }),
      { seed: 20251206, numRuns: 400 },
    );
  });
});

describe('--verbose', () => {
  it('the stack after the message is cut and escaped line by line too: its first line repeats the message, which may quote a value of 100,000 characters', async () => {
    const { runInProcess } = await import('./support/run-in-process.js');
    const r = await runInProcess(['train', 'd.csv', '--seed', `v\u001b${'v'.repeat(100_000)}`, '--verbose']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^simdnet: --seed: expected a whole number from 0 to 4294967295, got 'v\\x1bvvv.*' \(100,002 characters\)$/);
    expect(lines[1]).toMatch(/^UsageError: --seed: .* \(100,002 characters\)$/);
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(1000);
    expect(r.stderr).not.toContain('\u001b');
  });
});
