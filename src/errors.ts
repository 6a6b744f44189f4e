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
  /** The lower-level error this one explains (a file-system error, say). */
  cause?: unknown;
}

/**
 * The kinds an error belongs to, stored on it under a registry symbol. Each
 * entry point (simdnet, simdnet/csv; ESM and CJS) bundles its own copy of
 * these classes, so plain prototype checks would make `instanceof` fail
 * across copies; matching on kinds makes it hold across all of them.
 */
const KINDS = Symbol.for('simdnet.error.kinds');

/** Base class of every error simdnet throws deliberately. */
export class SimdnetError extends Error {
  /** The kind `instanceof` matches on; every subclass sets its own. */
  static readonly kind: string = 'SimdnetError';
  /** The class name, kept as a string so it survives minification and structured cloning. */
  override name = 'SimdnetError';

  /**
   * @param message - says which argument was wrong, what was expected and what was found.
   * @param options - `cause`: the lower-level error being explained, if any.
   */
  constructor(message: string, options?: SimdnetErrorOptions) {
    super(message, options);
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) {
      if (Object.prototype.hasOwnProperty.call(c, 'kind')) kinds.push((c as typeof SimdnetError).kind);
    }
    Object.defineProperty(this, KINDS, { value: kinds });
  }

  /**
   * `err instanceof ShapeError` holds for every copy of the class (each entry
   * point and module format bundles its own): it matches the error's kinds,
   * not its prototype.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (value === null || typeof value !== 'object') return false;
    const kinds = (value as { [KINDS]?: unknown })[KINDS];
    return Array.isArray(kinds) && kinds.includes(this.kind);
  }
}

/** An array, matrix or table has the wrong size or layout (ragged rows, row counts that differ, wrong width). */
export class ShapeError extends SimdnetError {
  static override readonly kind: string = 'ShapeError';
  override name = 'ShapeError';
}

/** A value is not acceptable: NaN or ±Infinity, a label outside the valid range, a bad option. */
export class ValueError extends SimdnetError {
  static override readonly kind: string = 'ValueError';
  override name = 'ValueError';
}

/** A table or file is unusable: missing or non-numeric cells, no rows, a class too small to split. */
export class DataError extends SimdnetError {
  static override readonly kind: string = 'DataError';
  override name = 'DataError';
}

/** An object was used in a state that does not allow it: before `init()`, after `dispose()`, a second concurrent `fit`. */
export class StateError extends SimdnetError {
  static override readonly kind: string = 'StateError';
  override name = 'StateError';
}

/** Linear memory cannot hold what was asked for: names the bytes needed and the limit. */
export class MemoryError extends SimdnetError {
  static override readonly kind: string = 'MemoryError';
  override name = 'MemoryError';
}

/** The kernels could not be loaded or instantiated. */
export class InitError extends SimdnetError {
  static override readonly kind: string = 'InitError';
  override name = 'InitError';
}

/** What a failed write left at the path it was to replace. */
export type PreviousFile = 'untouched' | 'none' | 'replaced';

/**
 * A file could not be written: names the file and the system's reason, and
 * says what is at the path now (`previous`): the file that was there,
 * untouched; nothing, as before; or, when only the final flush of its folder
 * failed, the new file.
 */
export class FileError extends SimdnetError {
  static override readonly kind: string = 'FileError';
  override name = 'FileError';
  /** The path the caller asked to write. */
  readonly path: string;
  /** The system error code (ENOSPC, EACCES, …), or null when the refusal is simdnet's own. */
  readonly code: string | null;
  /** The reason in words, without the path, e.g. 'no space left on the device'. */
  readonly reason: string;
  /** What is at the path now: the old file untouched, nothing as before, or (only the folder flush failed) the new file. */
  readonly previous: PreviousFile;

  /**
   * @param message - names the file and the reason.
   * @param details - the path, the system error code, the reason in words, what is at the path now.
   * @param options - `cause`: the system error.
   */
  constructor(message: string, details: { path: string; code: string | null; reason: string; previous: PreviousFile }, options?: SimdnetErrorOptions) {
    super(message, options);
    this.path = details.path;
    this.code = details.code;
    this.reason = details.reason;
    this.previous = details.previous;
  }
}

/** Training stopped: the loss or a gradient became non-finite. Says where. */
export class TrainingError extends SimdnetError {
  static override readonly kind: string = 'TrainingError';
  override name = 'TrainingError';
  /** 1-based epoch of the step that failed. */
  readonly epoch: number;
  /** 1-based batch (within the epoch) of the step that failed. */
  readonly batch: number;

  /**
   * @param message - says what became non-finite, where, and what was kept.
   * @param where - the 1-based epoch and batch of the step.
   * @param options - `cause`, if any.
   */
  constructor(message: string, where: { epoch: number; batch: number }, options?: SimdnetErrorOptions) {
    super(message, options);
    this.epoch = where.epoch;
    this.batch = where.batch;
  }
}
