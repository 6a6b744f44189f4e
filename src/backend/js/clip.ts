import { Field } from '../abi.js';
import type { JsMemory } from './memory.js';
import { word } from './table.js';

// Gradient clipping by global norm, in the order of assembly/clip.ts so the
// JS backend clips bit for bit like the Wasm builds: float64 squares (exact
// for float32 values), four lane sums combined as (s0 + s1) + (s2 + s3), the
// tail in order; one float32 scale factor.

/** Σ f[p/4 + i]² for i < n, in float64. */
export function sumSquares(f: Float32Array, p: number, n: number): number {
  const p0 = p >>> 2;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = f[p0 + i]!, b = f[p0 + i + 1]!, c = f[p0 + i + 2]!, d = f[p0 + i + 3]!;
    s0 += a * a;
    s1 += b * b;
    s2 += c * c;
    s3 += d * d;
  }
  let s = (s0 + s1) + (s2 + s3);
  for (; i < n; i++) {
    const x = f[p0 + i]!;
    s += x * x;
  }
  return s;
}

/** Scales every dW and db by maxNorm / (‖g‖ + 1e-6) when that is below 1; returns ‖g‖. */
export function clipGradNorm(mem: JsMemory, table: number, layers: number, maxNorm: number): number {
  const t = mem.i32;
  const f = mem.f32;
  let total = 0;
  for (let l = 0; l < layers; l++) {
    const outputs = t[word(table, l, Field.outputs)]!;
    total += sumSquares(f, t[word(table, l, Field.dW)]!, t[word(table, l, Field.inputs)]! * outputs);
    total += sumSquares(f, t[word(table, l, Field.db)]!, outputs);
  }
  const norm = Math.sqrt(total);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) {
    const c = Math.fround(coef);
    for (let l = 0; l < layers; l++) {
      const outputs = t[word(table, l, Field.outputs)]!;
      for (const [p, n] of [[t[word(table, l, Field.dW)]!, t[word(table, l, Field.inputs)]! * outputs], [t[word(table, l, Field.db)]!, outputs]] as const) {
        const p0 = p >>> 2;
        // a product of two float32 values is exact in float64; storing rounds it once, like f32.mul
        for (let i = 0; i < n; i++) f[p0 + i] = f[p0 + i]! * c;
      }
    }
  }
  return norm;
}
