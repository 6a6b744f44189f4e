// Backpropagation over the layer table: every layer's dZ, dW and db.

import { LAYER_BYTES, LayerField } from './abi';
import { f32_act_backward } from './f32-act';
import { f32_bias_grad } from './f32-bias';
import { f32_gemm } from './f32-gemm';
import { fieldF32, fieldI32, fieldPtr, layerAt } from './layer-table';
import { mlp_forward, outputLayerLoss } from './mlp-forward';

export function mlp_gradients(table: usize, layerCount: i32, X: usize, Y: usize, rows: i32, loss: i32, scratch: usize): f64 {
  mlp_forward(table, layerCount, X, rows, scratch);
  const value = outputLayerLoss(table, layerCount, Y, rows, loss, true);
  for (let l = layerCount - 1; l >= 0; l--) {
    const L = layerAt(table, l);
    const inputs = fieldI32(L, LayerField.inputs);
    const outputs = fieldI32(L, LayerField.outputs);
    const dZ = fieldPtr(L, LayerField.dZ);
    const input = l == 0 ? X : fieldPtr(L - LAYER_BYTES, LayerField.A);
    // dW = inputᵀ·dZ, db = Σ_rows dZ
    f32_gemm(1, 0, inputs, outputs, rows, input, dZ, fieldPtr(L, LayerField.dW), 0, scratch);
    f32_bias_grad(rows, outputs, dZ, fieldPtr(L, LayerField.db));
    if (l > 0) {
      // dA_{l−1} = dZ·Wᵀ, then through act_{l−1}'s derivative in place
      const P = L - LAYER_BYTES;
      const dZprev = fieldPtr(P, LayerField.dZ);
      f32_gemm(0, 1, rows, inputs, outputs, dZ, fieldPtr(L, LayerField.W), dZprev, 0, scratch);
      f32_act_backward(fieldI32(P, LayerField.act), rows, inputs, fieldF32(P, LayerField.alpha), fieldPtr(P, LayerField.Z), fieldPtr(P, LayerField.A), dZprev, dZprev);
    }
  }
  return value;
}
