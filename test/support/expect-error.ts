/**
 * Error assertions that cannot pass by accident: the error must be of the
 * given class (checked by instanceof AND by name, so a re-thrown copy or a
 * wrong subclass fails) and its message must contain every given fragment.
 */
import { expect } from 'vitest';

type ErrorClass = abstract new (...args: never[]) => Error;

function check(caught: unknown, type: ErrorClass, fragments: readonly (string | RegExp)[]): Error {
  expect(caught, `expected a ${type.name} to be thrown`).toBeInstanceOf(type);
  const err = caught as Error;
  expect(err.name).toBe(type.name);
  for (const fragment of fragments) {
    if (typeof fragment === 'string') expect(err.message).toContain(fragment);
    else expect(err.message).toMatch(fragment);
  }
  return err;
}

/** Calls `fn` and asserts it throws a `type` whose message contains every fragment. Returns the error. */
export function expectError(fn: () => unknown, type: ErrorClass, ...fragments: (string | RegExp)[]): Error {
  let caught: unknown = undefined;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  return check(caught, type, fragments);
}

/** The async twin of {@link expectError}. */
export async function expectRejection(fn: () => Promise<unknown>, type: ErrorClass, ...fragments: (string | RegExp)[]): Promise<Error> {
  let caught: unknown = undefined;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  return check(caught, type, fragments);
}
