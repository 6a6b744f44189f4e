/**
 * Where the commands write: stdout for results (tables, JSON, predictions),
 * stderr for progress and notes. An interface so the commands never reach
 * for `process` themselves.
 */

/** The part of a Node stream the CLI uses; `process.stdout` and `process.stderr` fit it. */
export interface Stream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  /** Terminal width, when a terminal. */
  readonly columns?: number;
}

export interface Io {
  stdout: Stream;
  stderr: Stream;
}
