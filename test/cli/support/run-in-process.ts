/** The `simdnet` command run in this process (src/cli/run.ts) with a recording io: what it wrote, and its exit code. */
import { run } from '../../../src/cli/run.js';
import type { Io } from '../../../src/cli/io.js';

export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `simdnet <argv>` in process; `tty` makes stderr a terminal (progress bars). */
export async function runInProcess(argv: readonly string[], o: { tty?: boolean } = {}): Promise<InProcessRun> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (t: string) => { stdout += t; return true; } },
    stderr: { write: (t: string) => { stderr += t; return true; }, isTTY: o.tty ?? false, columns: 80 },
  };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/** The one `simdnet: ` line of a refusal (throws unless there is exactly one and nothing went to stdout). */
export function refusalLine(r: InProcessRun): string {
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  if (r.stdout !== '' || lines.length !== 1 || !lines[0]!.startsWith('simdnet: ')) {
    throw new Error(`expected one 'simdnet: ' line on stderr and nothing on stdout, got stdout ${JSON.stringify(r.stdout.slice(0, 200))}, stderr ${JSON.stringify(r.stderr.slice(0, 400))}`);
  }
  return lines[0]!;
}
