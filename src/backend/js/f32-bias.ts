import { rowAccumulator } from './f32-gemm.js';
import type { JsMemory } from './memory.js';

/** Z[r][c] += b[c]. */
export function f32_bias_add(mem: JsMemory, rows: number, cols: number, Z: number, b: number): void {
  const f = mem.f32;
  const b0 = b >>> 2;
  let pz = Z >>> 2;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) f[pz + c] += f[b0 + c];
    pz += cols;
  }
}

/** db[c] = Σ_r dZ[r][c], summed in float64 over rows in order, reading dZ row by row. */
export function f32_bias_grad(mem: JsMemory, rows: number, cols: number, dZ: number, db: number): void {
  const f = mem.f32;
  const b0 = db >>> 2;
  const sum = rowAccumulator(cols);
  sum.fill(0, 0, cols);
  let pd = dZ >>> 2;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) sum[c] += f[pd + c];
    pd += cols;
  }
  for (let c = 0; c < cols; c++) f[b0 + c] = sum[c];
}
