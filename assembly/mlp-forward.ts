// The forward pass over the layer table, and the loss of its output layer.

import { LAYER_BYTES, LayerField, Tail } from './abi';
import { f32_bias_act_forward } from './f32-act';
import { f32_gemm } from './f32-gemm';
import { f32_loss_grad } from './f32-loss';
import { fieldF32, fieldI32, fieldPtr, layerAt } from './layer-table';

export function mlp_forward(table: usize, layerCount: i32, X: usize, rows: i32, scratch: usize): void {
  let input = X;
  for (let l = 0; l < layerCount; l++) {
    const L = layerAt(table, l);
    const inputs = fieldI32(L, LayerField.inputs);
    const outputs = fieldI32(L, LayerField.outputs);
    const Z = fieldPtr(L, LayerField.Z);
    const A = fieldPtr(L, LayerField.A);
    f32_gemm(0, 0, rows, outputs, inputs, input, fieldPtr(L, LayerField.W), Z, 0, scratch);
    f32_bias_act_forward(fieldI32(L, LayerField.act), rows, outputs, fieldF32(L, LayerField.alpha), Z, fieldPtr(L, LayerField.b), A);
    input = A;
  }
}

/**
 * The loss of the last layer's A against Y, with its dZ written when
 * withGrad; training (withGrad) weights it by the table's class weights,
 * if any (Tail.classWeights).
 */
export function outputLayerLoss(table: usize, layerCount: i32, Y: usize, rows: i32, loss: i32, withGrad: bool): f64 {
  const L = layerAt(table, layerCount - 1);
  const weights: usize = withGrad ? <usize>load<u32>(table + <usize>layerCount * LAYER_BYTES, Tail.classWeights) : 0;
  return f32_loss_grad(
    loss, fieldI32(L, LayerField.act), rows, fieldI32(L, LayerField.outputs), fieldF32(L, LayerField.alpha),
    fieldPtr(L, LayerField.Z), fieldPtr(L, LayerField.A), Y, withGrad ? fieldPtr(L, LayerField.dZ) : 0, weights,
  );
}

export function mlp_loss(table: usize, layerCount: i32, X: usize, Y: usize, rows: i32, loss: i32, scratch: usize): f64 {
  mlp_forward(table, layerCount, X, rows, scratch);
  return outputLayerLoss(table, layerCount, Y, rows, loss, false);
}
