import { LAYER_BYTES } from '../abi.js';

/** Index in 32-bit views of field `field` (a LayerField byte offset) of layer `l` of the table at byte offset `table`. */
export function word(table: number, l: number, field: number): number {
  return (table + l * LAYER_BYTES + field) >>> 2;
}

/** Byte offset of the table's tail (Tail), after `layerCount` records. */
export function tailOf(table: number, layerCount: number): number {
  return table + layerCount * LAYER_BYTES;
}
