/**
 * The forms a network's inputs and outputs come in — one sample, row-major
 * rows, nested rows — and the errors about them that are not the input
 * reader's (validate.ts).
 */

import { ShapeError, ValueError } from '../errors.js';

export function outLengthError(out: Float32Array, rows: number, outputs: number): ShapeError {
  const rowsText = rows === 1 ? '1 row' : `${rows} rows`;
  return new ShapeError(`out: expected ${rows * outputs} values (${rowsText} × ${outputs} outputs), got a Float32Array of ${out.length}`);
}

export function isOneSample(x: unknown, inputs: number): boolean {
  return (
    x !== null && typeof x === 'object' && (x as ArrayLike<unknown>).length === inputs &&
    typeof (x as ArrayLike<unknown>)[0] === 'number'
  );
}

export function isNestedInput(x: unknown): boolean {
  return Array.isArray(x) && x.length > 0 && typeof x[0] === 'object';
}

export function checkScaled(data: Float32Array, cols: number, name: string): void {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) {
      throw new ValueError(
        `${name}: the value at row ${Math.floor(i / cols)}, column ${i % cols} is finite, but scaling it with the network's scaler gives ${String(v)}; it lies far outside the range the scaler was fitted on`,
      );
    }
  }
}

/** A real Float32Array: a Proxy of one passes instanceof, but its length getter throws. */
export function isFloat32Array(v: unknown): v is Float32Array {
  return ArrayBuffer.isView(v) && v instanceof Float32Array;
}
