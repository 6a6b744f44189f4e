import { LayerField } from '../abi.js';
import { f32_act_backward } from './f32-act.js';
import { f32_bias_grad } from './f32-bias.js';
import { f32_gemm } from './f32-gemm.js';
import { word } from './layer-table.js';
import type { JsMemory } from './memory.js';
import { inputOf, mlp_forward, outputLayerLoss } from './mlp-forward.js';

/** Forward, loss and backpropagation into every layer's dZ, dW, db (not dX). Returns the loss. */
export function mlp_gradients(
  mem: JsMemory, table: number, layerCount: number, X: number, Y: number, rows: number, loss: number, scratch: number,
): number {
  mlp_forward(mem, table, layerCount, X, rows, scratch);
  const value = outputLayerLoss(mem, table, layerCount, Y, rows, loss, true);
  for (let l = layerCount - 1; l >= 0; l--) {
    const t = mem.i32;
    const inputs = t[word(table, l, LayerField.inputs)]!;
    const outputs = t[word(table, l, LayerField.outputs)]!;
    const dZ = t[word(table, l, LayerField.dZ)]!;
    f32_gemm(mem, 1, 0, inputs, outputs, rows, inputOf(mem, table, l, X), dZ, t[word(table, l, LayerField.dW)]!, 0, scratch);
    f32_bias_grad(mem, rows, outputs, dZ, t[word(table, l, LayerField.db)]!);
    if (l > 0) {
      // dA of the layer below is written straight into its dZ, then f32_act_backward runs in place.
      const below = t[word(table, l - 1, LayerField.dZ)]!;
      f32_gemm(mem, 0, 1, rows, inputs, outputs, dZ, t[word(table, l, LayerField.W)]!, below, 0, scratch);
      f32_act_backward(
        mem, t[word(table, l - 1, LayerField.act)]!, rows, inputs, mem.f32[word(table, l - 1, LayerField.alpha)]!,
        t[word(table, l - 1, LayerField.Z)]!, t[word(table, l - 1, LayerField.A)]!, below, below,
      );
    }
  }
  return value;
}
