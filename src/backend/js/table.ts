import { LAYER_FIELDS } from '../abi.js';

/** Word index of field `field` of layer `l` in the layer table at byte offset `table`. */
export function word(table: number, l: number, field: number): number {
  return (table >>> 2) + l * LAYER_FIELDS + field;
}
