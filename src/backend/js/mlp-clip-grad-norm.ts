import { LayerField } from '../abi.js';
import { f32_sum_squares } from './f32-sum-squares.js';
import { word } from './layer-table.js';
import type { JsMemory } from './memory.js';

// Gradient clipping by global norm, in the order of assembly/mlp-clip-grad-norm.ts
// so the JS backend clips bit for bit like the Wasm builds: the layers' sums
// of squares added dW then db, layer 0 first; one float32 scale factor.

/** Scales every dW and db by maxNorm / (‖g‖ + 1e-6) when that is below 1; returns ‖g‖. */
export function mlp_clip_grad_norm(mem: JsMemory, table: number, layerCount: number, maxNorm: number): number {
  const t = mem.i32;
  const f = mem.f32;
  let total = 0;
  for (let l = 0; l < layerCount; l++) {
    const outputs = t[word(table, l, LayerField.outputs)]!;
    total += f32_sum_squares(mem, t[word(table, l, LayerField.inputs)]! * outputs, t[word(table, l, LayerField.dW)]!);
    total += f32_sum_squares(mem, outputs, t[word(table, l, LayerField.db)]!);
  }
  const norm = Math.sqrt(total);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) {
    const c = Math.fround(coef);
    for (let l = 0; l < layerCount; l++) {
      const outputs = t[word(table, l, LayerField.outputs)]!;
      for (const [p, n] of [[t[word(table, l, LayerField.dW)]!, t[word(table, l, LayerField.inputs)]! * outputs], [t[word(table, l, LayerField.db)]!, outputs]] as const) {
        const p0 = p >>> 2;
        // a product of two float32 values is exact in float64; storing rounds it once, like f32.mul
        for (let i = 0; i < n; i++) f[p0 + i] = f[p0 + i]! * c;
      }
    }
  }
  return norm;
}
