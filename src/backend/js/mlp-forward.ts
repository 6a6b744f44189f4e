import { LayerField, Tail } from '../abi.js';
import { f32_act_forward } from './f32-act.js';
import { f32_bias_add } from './f32-bias.js';
import { f32_gemm_pack_b } from './f32-gemm-pack-b.js';
import { f32_gemm_prepacked } from './f32-gemm-prepacked.js';
import { f32_loss_grad } from './f32-loss.js';
import { tailOf, word } from './layer-table.js';
import type { JsMemory } from './memory.js';

// The forward pass over the layer table (LAYER_BYTES per layer, laid out by
// the facade) and the loss of its output layer. alpha is an f32 field, read
// through the f32 view of the same word. Each W is read through its packed
// copy Wp, packed first whenever Tail.packed says a W changed since, as
// assembly/mlp-forward.ts does.

function packWeights(mem: JsMemory, table: number, layerCount: number): void {
  const packed = (tailOf(table, layerCount) + Tail.packed) >>> 2;
  if (mem.i32[packed] !== 0) return;
  const t = mem.i32;
  for (let l = 0; l < layerCount; l++) {
    f32_gemm_pack_b(mem, t[word(table, l, LayerField.outputs)]!, t[word(table, l, LayerField.inputs)]!, t[word(table, l, LayerField.W)]!, t[word(table, l, LayerField.Wp)]!);
  }
  mem.i32[packed] = 1;
}

/** Pointer to layer l's input: X for layer 0, else layer l−1's A. */
export function inputOf(mem: JsMemory, table: number, l: number, X: number): number {
  return l === 0 ? X : mem.i32[word(table, l - 1, LayerField.A)]!;
}

/** Each layer's Z = input·W + b and A = act(Z). */
export function mlp_forward(mem: JsMemory, table: number, layerCount: number, X: number, rows: number, scratch: number): void {
  packWeights(mem, table, layerCount);
  for (let l = 0; l < layerCount; l++) {
    const t = mem.i32;
    const inputs = t[word(table, l, LayerField.inputs)]!;
    const outputs = t[word(table, l, LayerField.outputs)]!;
    const Z = t[word(table, l, LayerField.Z)]!;
    f32_gemm_prepacked(mem, rows, outputs, inputs, inputOf(mem, table, l, X), t[word(table, l, LayerField.W)]!, t[word(table, l, LayerField.Wp)]!, Z, scratch);
    f32_bias_add(mem, rows, outputs, Z, t[word(table, l, LayerField.b)]!);
    f32_act_forward(mem, t[word(table, l, LayerField.act)]!, rows, outputs, mem.f32[word(table, l, LayerField.alpha)]!, Z, t[word(table, l, LayerField.A)]!);
  }
}

/** The loss of the last layer's A against Y, with its dZ written when withGrad (then weighted by the table's class weights, if any). */
export function outputLayerLoss(
  mem: JsMemory, table: number, layerCount: number, Y: number, rows: number, loss: number, withGrad: boolean,
): number {
  const t = mem.i32;
  const l = layerCount - 1;
  const weights = withGrad ? mem.i32[(tailOf(table, layerCount) + Tail.classWeights) >>> 2]! >>> 0 : 0;
  return f32_loss_grad(
    mem, loss, t[word(table, l, LayerField.act)]!, rows, t[word(table, l, LayerField.outputs)]!,
    mem.f32[word(table, l, LayerField.alpha)]!, t[word(table, l, LayerField.Z)]!, t[word(table, l, LayerField.A)]!, Y,
    withGrad ? t[word(table, l, LayerField.dZ)]! : 0, weights,
  );
}

/** mlp_forward, then the loss value only. */
export function mlp_loss(
  mem: JsMemory, table: number, layerCount: number, X: number, Y: number, rows: number, loss: number, scratch: number,
): number {
  mlp_forward(mem, table, layerCount, X, rows, scratch);
  return outputLayerLoss(mem, table, layerCount, Y, rows, loss, false);
}
