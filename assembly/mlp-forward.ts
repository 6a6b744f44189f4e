// The forward pass over the layer table, and the loss of its output layer.
// Each W is read through its packed copy Wp (f32_gemm_prepacked), packed here
// whenever the table's tail says a W changed since (Tail.packed): after the
// facade wrote weights, after a training step's update.

import { LayerField, Tail } from './abi';
import { f32_bias_act_forward } from './f32-act';
import { f32_gemm_pack_b } from './f32-gemm-pack-b';
import { f32_gemm_prepacked } from './f32-gemm-prepacked';
import { f32_loss_grad } from './f32-loss';
import { fieldF32, fieldI32, fieldPtr, layerAt, tailOf } from './layer-table';

function packWeights(table: usize, layerCount: i32): void {
  const tail = tailOf(table, layerCount);
  if (load<i32>(tail, Tail.packed) != 0) return;
  for (let l = 0; l < layerCount; l++) {
    const L = layerAt(table, l);
    f32_gemm_pack_b(fieldI32(L, LayerField.outputs), fieldI32(L, LayerField.inputs), fieldPtr(L, LayerField.W), fieldPtr(L, LayerField.Wp));
  }
  store<i32>(tail, 1, Tail.packed);
}

export function mlp_forward(table: usize, layerCount: i32, X: usize, rows: i32, scratch: usize): void {
  packWeights(table, layerCount);
  let input = X;
  for (let l = 0; l < layerCount; l++) {
    const L = layerAt(table, l);
    const inputs = fieldI32(L, LayerField.inputs);
    const outputs = fieldI32(L, LayerField.outputs);
    const Z = fieldPtr(L, LayerField.Z);
    const A = fieldPtr(L, LayerField.A);
    f32_gemm_prepacked(rows, outputs, inputs, input, fieldPtr(L, LayerField.W), fieldPtr(L, LayerField.Wp), Z, scratch);
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
  const weights: usize = withGrad ? <usize>load<u32>(tailOf(table, layerCount), Tail.classWeights) : 0;
  return f32_loss_grad(
    loss, fieldI32(L, LayerField.act), rows, fieldI32(L, LayerField.outputs), fieldF32(L, LayerField.alpha),
    fieldPtr(L, LayerField.Z), fieldPtr(L, LayerField.A), Y, withGrad ? fieldPtr(L, LayerField.dZ) : 0, weights,
  );
}

export function mlp_loss(table: usize, layerCount: i32, X: usize, Y: usize, rows: i32, loss: i32, scratch: usize): f64 {
  mlp_forward(table, layerCount, X, rows, scratch);
  return outputLayerLoss(table, layerCount, Y, rows, loss, false);
}
