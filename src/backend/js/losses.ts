import { Act, Loss } from '../abi.js';
import { actBackward } from './activations.js';
import type { JsMemory } from './memory.js';

// Loss value and dLoss/dZ, fused with the output activation. Sigmoid+BCE and
// softmax+CCE are computed from the logits Z, so logits of ±100 give a finite
// loss; their gradient is (A − Y)/count. Loss sums are float64.

/** See KernelExports.loss_grad. dZ = 0 computes the value only. */
export function lossGrad(
  mem: JsMemory, loss: number, act: number, rows: number, cols: number, alpha: number,
  Z: number, A: number, Y: number, dZ: number,
): number {
  switch (loss) {
    case Loss.bce:
      return bce(mem.f32, rows, cols, Z >>> 2, A >>> 2, Y >>> 2, dZ >>> 2, dZ !== 0);
    case Loss.cce:
      return cce(mem.f32, rows, cols, Z >>> 2, A >>> 2, Y >>> 2, dZ >>> 2, dZ !== 0);
    default:
      return mseLoss(mem, act, rows, cols, alpha, Z, A, Y, dZ);
  }
}

// max(z,0) − z·y + log1p(e^−|z|) is −[y·log σ(z) + (1−y)·log(1 − σ(z))] without log(0).
function bce(
  f: Float32Array, rows: number, cols: number, z0: number, a0: number, y0: number, d0: number, grad: boolean,
): number {
  const n = rows * cols;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const z = f[z0 + i];
    sum += (z > 0 ? z : 0) - z * f[y0 + i] + Math.log1p(Math.exp(-Math.abs(z)));
  }
  if (grad) {
    for (let i = 0; i < n; i++) f[d0 + i] = (f[a0 + i] - f[y0 + i]) / n;
  }
  return sum / n;
}

// log_softmax(z)_c = z_c − max − log Σ exp(z − max).
function cce(
  f: Float32Array, rows: number, cols: number, z0: number, a0: number, y0: number, d0: number, grad: boolean,
): number {
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const pz = z0 + r * cols;
    const py = y0 + r * cols;
    let max = -Infinity;
    for (let c = 0; c < cols; c++) {
      const z = f[pz + c];
      if (z > max) max = z;
    }
    let se = 0;
    for (let c = 0; c < cols; c++) se += Math.exp(f[pz + c] - max);
    const logSe = Math.log(se);
    for (let c = 0; c < cols; c++) {
      // 0·log 0 = 0: a class with y = 0 contributes nothing, even at a logit of −Inf.
      const y = f[py + c];
      if (y !== 0) sum -= y * (f[pz + c] - max - logSe);
    }
  }
  if (grad) {
    const n = rows * cols;
    for (let i = 0; i < n; i++) f[d0 + i] = (f[a0 + i] - f[y0 + i]) / rows;
  }
  return sum / rows;
}

// dZ first holds dL/dA = 2(A − Y)/n, then goes through act_backward in place.
function mseLoss(
  mem: JsMemory, act: number, rows: number, cols: number, alpha: number,
  Z: number, A: number, Y: number, dZ: number,
): number {
  const f = mem.f32;
  const a0 = A >>> 2;
  const y0 = Y >>> 2;
  const d0 = dZ >>> 2;
  const n = rows * cols;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = f[a0 + i] - f[y0 + i];
    sum += e * e;
  }
  if (dZ !== 0) {
    for (let i = 0; i < n; i++) f[d0 + i] = (2 * (f[a0 + i] - f[y0 + i])) / n;
    if (act !== Act.linear) actBackward(mem, act, rows, cols, alpha, Z, A, dZ, dZ);
  }
  return sum / n;
}
