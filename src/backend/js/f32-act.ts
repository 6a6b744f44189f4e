import { Act } from '../abi.js';
import type { JsMemory } from './memory.js';

// Forward and backward of each activation, side by side. Every comparison is
// written so that a NaN input takes the branch that passes it through
// (`z < 0 ? … : z`, never `z >= 0 ? z : …`): NaN in → NaN out, whatever its
// sign bit. Backward selects rather than multiplies by a 0/1 mask, so a
// masked-off lane is exactly 0 even when dA is ±Inf (as a SIMD bitselect gives).

/** A = act(Z) elementwise (softmax: per row). A may alias Z. */
export function f32_act_forward(
  mem: JsMemory, act: number, rows: number, cols: number, alpha: number, Z: number, A: number,
): void {
  const f = mem.f32;
  const z0 = Z >>> 2;
  const a0 = A >>> 2;
  const n = rows * cols;
  switch (act) {
    case Act.relu:
      for (let i = 0; i < n; i++) {
        const z = f[z0 + i];
        f[a0 + i] = z < 0 ? 0 : z;
      }
      return;
    case Act.leaky_relu: {
      const slope = Math.fround(alpha);
      for (let i = 0; i < n; i++) {
        const z = f[z0 + i];
        f[a0 + i] = z < 0 ? slope * z : z;
      }
      return;
    }
    case Act.sigmoid:
      for (let i = 0; i < n; i++) {
        const z = f[z0 + i];
        // Never exp of a large positive number: no Inf/Inf for z → −∞.
        if (z >= 0) {
          f[a0 + i] = 1 / (1 + Math.exp(-z));
        } else {
          const e = Math.exp(z);
          f[a0 + i] = e / (1 + e);
        }
      }
      return;
    case Act.tanh:
      for (let i = 0; i < n; i++) f[a0 + i] = Math.tanh(f[z0 + i]);
      return;
    case Act.softmax:
      softmaxForward(f, rows, cols, z0, a0);
      return;
    default: // linear
      if (a0 !== z0) f.copyWithin(a0, z0, z0 + n);
  }
}

/**
 * dZ = dA ⊙ act'(Z); softmax: dZ = A ⊙ (dA − Σ_c dA⊙A) per row.
 * dZ may alias dA. relu'(0) = 0, leaky_relu'(0) = alpha.
 */
export function f32_act_backward(
  mem: JsMemory, act: number, rows: number, cols: number, alpha: number,
  Z: number, A: number, dA: number, dZ: number,
): void {
  const f = mem.f32;
  const z0 = Z >>> 2;
  const a0 = A >>> 2;
  const g0 = dA >>> 2;
  const d0 = dZ >>> 2;
  const n = rows * cols;
  switch (act) {
    case Act.relu:
      for (let i = 0; i < n; i++) f[d0 + i] = f[z0 + i] > 0 ? f[g0 + i] : 0;
      return;
    case Act.leaky_relu: {
      const slope = Math.fround(alpha);
      for (let i = 0; i < n; i++) {
        const g = f[g0 + i];
        f[d0 + i] = f[z0 + i] > 0 ? g : slope * g;
      }
      return;
    }
    case Act.sigmoid:
      for (let i = 0; i < n; i++) {
        const a = f[a0 + i];
        f[d0 + i] = f[g0 + i] * a * (1 - a);
      }
      return;
    case Act.tanh:
      for (let i = 0; i < n; i++) {
        const a = f[a0 + i];
        f[d0 + i] = f[g0 + i] * (1 - a * a);
      }
      return;
    case Act.softmax:
      softmaxBackward(f, rows, cols, a0, g0, d0);
      return;
    default: // linear
      if (d0 !== g0) f.copyWithin(d0, g0, g0 + n);
  }
}

// Max subtraction keeps exp ≤ 1, so logits of ±100 give no Inf. Z is read
// in full (for the max) before A is written, so A may alias Z.
function softmaxForward(f: Float32Array, rows: number, cols: number, z0: number, a0: number): void {
  for (let r = 0; r < rows; r++) {
    const pz = z0 + r * cols;
    const pa = a0 + r * cols;
    // A NaN logit is skipped here but poisons the sum below: the whole row is NaN.
    let max = -Infinity;
    for (let c = 0; c < cols; c++) {
      const z = f[pz + c];
      if (z > max) max = z;
    }
    let sum = 0;
    for (let c = 0; c < cols; c++) {
      const e = Math.exp(f[pz + c] - max);
      f[pa + c] = e;
      sum += e;
    }
    for (let c = 0; c < cols; c++) f[pa + c] /= sum;
  }
}

// dA is read in full (for the dot product) before dZ is written, so dZ may alias dA.
function softmaxBackward(f: Float32Array, rows: number, cols: number, a0: number, g0: number, d0: number): void {
  for (let r = 0; r < rows; r++) {
    const pa = a0 + r * cols;
    const pg = g0 + r * cols;
    const pd = d0 + r * cols;
    let dot = 0;
    for (let c = 0; c < cols; c++) dot += f[pg + c] * f[pa + c];
    for (let c = 0; c < cols; c++) {
      const a = f[pa + c];
      f[pd + c] = a * (f[pg + c] - dot);
    }
  }
}
