/**
 * The library's error classes.
 *
 * Every error simdnet throws on purpose is a {@link SimdnetError}, so callers
 * can tell "the library rejected my input" from a bug or a runtime failure
 * with one `instanceof`. The subclasses say which kind of input was wrong.
 * Messages name the argument, what was expected and what was found, e.g.
 * `x: expected 2 columns per row (the network's inputs), got 3 at row 5`.
 */

/** Options accepted by every simdnet error: the underlying error, if any. */
export interface SimdnetErrorOptions {
  /** The lower-level error this one explains (a csv-parse or file-system error, say). */
  cause?: unknown;
}

/** Base class of every error simdnet throws deliberately. */
export class SimdnetError extends Error {
  /** The class name, kept as a string so it survives minification and structured cloning. */
  override name = 'SimdnetError';

  /**
   * @param message - says which argument was wrong, what was expected and what was found.
   * @param options - `cause`: the lower-level error being explained, if any.
   */
  constructor(message: string, options?: SimdnetErrorOptions) {
    super(message, options);
  }
}

/** An array, matrix or table has the wrong size or layout (ragged rows, row counts that differ, wrong width). */
export class ShapeError extends SimdnetError {
  override name = 'ShapeError';
}

/** A value is not acceptable: NaN or ±Infinity, a label outside the valid range, a bad option. */
export class ValueError extends SimdnetError {
  override name = 'ValueError';
}

/** A table or file is unusable: missing or non-numeric cells, no rows, a class too small to split. */
export class DataError extends SimdnetError {
  override name = 'DataError';
}

/** An object was used in a state that does not allow it: before `init()`, after `dispose()`, a second concurrent `fit`. */
export class StateError extends SimdnetError {
  override name = 'StateError';
}

/** Linear memory cannot hold what was asked for: names the bytes needed and the limit. */
export class MemoryError extends SimdnetError {
  override name = 'MemoryError';
}

/** The kernels could not be loaded or instantiated. */
export class InitError extends SimdnetError {
  override name = 'InitError';
}

/** Training stopped: the loss or a gradient became non-finite. Says where. */
export class TrainingError extends SimdnetError {
  override name = 'TrainingError';
  /** 1-based epoch and batch of the step that failed. */
  readonly epoch: number;
  readonly batch: number;

  constructor(message: string, where: { epoch: number; batch: number }, options?: SimdnetErrorOptions) {
    super(message, options);
    this.epoch = where.epoch;
    this.batch = where.batch;
  }
}
