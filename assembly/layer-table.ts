// Reading the layer table the facade writes (layout: LayerField, LAYER_BYTES
// and Tail in abi.ts, generated from src/backend/abi.ts): the mlp_* kernels
// take the table's address and its number of records.

import { LAYER_BYTES } from './abi';

/** The record of layer l. */
// @ts-ignore: decorator
@inline
export function layerAt(table: usize, l: i32): usize {
  return table + <usize>l * LAYER_BYTES;
}

/** The table's tail, after the last record. */
// @ts-ignore: decorator
@inline
export function tailOf(table: usize, layerCount: i32): usize {
  return table + <usize>layerCount * LAYER_BYTES;
}

/** An i32 field (a count or a code) of a layer's record. */
// @ts-ignore: decorator
@inline
export function fieldI32(layer: usize, field: usize): i32 {
  return load<i32>(layer + field);
}

/** A pointer field of a layer's record. */
// @ts-ignore: decorator
@inline
export function fieldPtr(layer: usize, field: usize): usize {
  return <usize>load<u32>(layer + field);
}

/** An f32 field of a layer's record. */
// @ts-ignore: decorator
@inline
export function fieldF32(layer: usize, field: usize): f32 {
  return load<f32>(layer + field);
}
