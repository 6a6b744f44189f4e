import { Act, Loss } from '../abi.js';
import { f32_act_backward } from './f32-act.js';
import type { JsMemory } from './memory.js';

// Loss value and dLoss/dZ, fused with the output activation. Sigmoid+BCE and
// softmax+CCE are computed from the logits Z, so logits of ±100 give a finite
// loss; their gradient is (A − Y)/count. Loss sums are float64.

/** See KernelExports.f32_loss_grad. dZ = 0 computes the value only. */
export function f32_loss_grad(
  mem: JsMemory, loss: number, act: number, rows: number, cols: number, alpha: number,
  Z: number, A: number, Y: number, dZ: number, classWeights = 0,
): number {
  if (classWeights !== 0 && loss === Loss.bce) return weightedBce(mem.f32, rows * cols, Z >>> 2, A >>> 2, Y >>> 2, dZ >>> 2, dZ !== 0, classWeights >>> 2);
  if (classWeights !== 0 && loss === Loss.cce) return weightedCce(mem.f32, rows, cols, Z >>> 2, A >>> 2, Y >>> 2, dZ >>> 2, dZ !== 0, classWeights >>> 2);
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
    // as the kernels: float32 (a − y) times the float32 scale 1/n
    const scale = Math.fround(1 / n);
    for (let i = 0; i < n; i++) f[d0 + i] = Math.fround(f[a0 + i]! - f[y0 + i]!) * scale;
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
    const scale = Math.fround(1 / rows);
    for (let i = 0; i < n; i++) f[d0 + i] = Math.fround(f[a0 + i]! - f[y0 + i]!) * scale;
  }
  return sum / rows;
}

const f32 = Math.fround;

// Class-weighted bce and cce (see KernelExports.f32_loss_grad): the weight in
// float32 as the kernels form it, the loss sum in float64.
function weightedBce(f: Float32Array, n: number, z0: number, a0: number, y0: number, d0: number, grad: boolean, w0: number): number {
  const W0 = f[w0]!;
  const W1 = f[w0 + 1]!;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const y = f[y0 + i]!;
    const w = f32(f32(y * W1) + f32(f32(1 - y) * W0));
    const z = f[z0 + i]!;
    sum += w * ((z > 0 ? z : 0) - z * y + Math.log1p(Math.exp(-Math.abs(z))));
    if (grad) f[d0 + i] = f32(f[a0 + i]! - y) * f32(w / n);
  }
  return sum / n;
}

function weightedCce(f: Float32Array, rows: number, cols: number, z0: number, a0: number, y0: number, d0: number, grad: boolean, w0: number): number {
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const pz = z0 + r * cols;
    const py = y0 + r * cols;
    let w = 0;
    for (let c = 0; c < cols; c++) w = f32(w + f32(f[py + c]! * f[w0 + c]!));
    let max = -Infinity;
    for (let c = 0; c < cols; c++) if (f[pz + c]! > max) max = f[pz + c]!;
    let se = 0;
    for (let c = 0; c < cols; c++) se += Math.exp(f[pz + c]! - max);
    const logSe = Math.log(se);
    let rowLoss = 0;
    for (let c = 0; c < cols; c++) {
      const y = f[py + c]!;
      if (y !== 0) rowLoss -= y * (f[pz + c]! - max - logSe);
    }
    sum += w * rowLoss;
    if (grad) {
      const scale = f32(w / rows);
      for (let c = 0; c < cols; c++) f[d0 + r * cols + c] = f32(f[a0 + r * cols + c]! - f[py + c]!) * scale;
    }
  }
  return sum / rows;
}

// dZ first holds dL/dA = 2(A − Y)/n, then goes through f32_act_backward in place.
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
    const scale = Math.fround(2 / n);
    for (let i = 0; i < n; i++) f[d0 + i] = Math.fround(f[a0 + i]! - f[y0 + i]!) * scale;
    if (act !== Act.linear) f32_act_backward(mem, act, rows, cols, alpha, Z, A, dZ, dZ);
  }
  return sum / n;
}
