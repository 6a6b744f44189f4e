// A shuffled batch, gathered by the training step itself (Tail.gatherOrder in
// src/backend/abi.ts): rows of the training rows and targets, in the order
// of a row index array, into the batch's X and Y. The threads build calls it
// on each thread for that thread's rows of the batch, so the copy is shared
// like the rest of the step instead of running alone before it.

import { LayerField, Tail } from './abi';
import { fieldI32, layerAt } from './layer-table';

/** Rows order[start + i] (r0 ≤ i < r1) of the matrix at `src`, `cols` f32 wide, to rows i of `dst`. */
export function f32_gather_rows(src: usize, order: usize, start: i32, r0: i32, r1: i32, cols: i32, dst: usize): void {
  const bytes = <usize>cols << 2;
  for (let i = r0; i < r1; i++) {
    const row = <usize>load<u32>(order + (<usize>(start + i) << 2));
    memory.copy(dst + <usize>i * bytes, src + row * bytes, bytes);
  }
}

/** Rows [r0, r1) of the step's X and Y, gathered when the tail asks for it (Tail.gatherOrder ≠ 0). */
export function gatherBatch(table: usize, layerCount: i32, tail: usize, X: usize, Y: usize, r0: i32, r1: i32): void {
  const order = <usize>load<u32>(tail, Tail.gatherOrder);
  if (order == 0) return;
  const start = load<i32>(tail, Tail.gatherStart);
  const inputs = fieldI32(layerAt(table, 0), LayerField.inputs);
  const outputs = fieldI32(layerAt(table, layerCount - 1), LayerField.outputs);
  f32_gather_rows(<usize>load<u32>(tail, Tail.gatherX), order, start, r0, r1, inputs, X);
  f32_gather_rows(<usize>load<u32>(tail, Tail.gatherY), order, start, r0, r1, outputs, Y);
}
