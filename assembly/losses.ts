// Losses fused with their output activation, computed from the logits.
// The value is accumulated in f64; the gradient w.r.t. the logits is written
// in f32. The output layer is small (rows × classes), so this stays scalar
// and identical in both builds.

import { LOSS_BCE, LOSS_CCE } from './abi';
import { act_backward } from './activations';

export function loss_grad(loss: i32, act: i32, rows: i32, cols: i32, alpha: f32, Z: usize, A: usize, Y: usize, dZ: usize): f64 {
  const n = <usize>rows * <usize>cols;
  if (loss == LOSS_BCE) return bceWithLogits(n, Z, A, Y, dZ);
  if (loss == LOSS_CCE) return softmaxCrossEntropy(rows, cols, Z, A, Y, dZ);
  return meanSquaredError(act, rows, cols, alpha, Z, A, Y, dZ);
}

// mean of max(z,0) − z·y + log1p(e^−|z|); dL/dz = (σ(z) − y)/n
function bceWithLogits(n: usize, Z: usize, A: usize, Y: usize, dZ: usize): f64 {
  let sum: f64 = 0;
  for (let i: usize = 0; i < n; i++) {
    const p = i << 2;
    const z = <f64>load<f32>(Z + p);
    const y = <f64>load<f32>(Y + p);
    sum += max<f64>(z, 0) - z * y + Math.log1p(Math.exp(-abs<f64>(z)));
  }
  if (dZ != 0) {
    const inv: f32 = <f32>(1.0 / <f64>n);
    for (let i: usize = 0; i < n; i++) {
      const p = i << 2;
      store<f32>(dZ + p, (load<f32>(A + p) - load<f32>(Y + p)) * inv);
    }
  }
  return sum / <f64>n;
}

// per row −Σ_c y_c·(z_c − max − log Σ e^(z − max)), mean over rows; dL/dz = (softmax − y)/rows
function softmaxCrossEntropy(rows: i32, cols: i32, Z: usize, A: usize, Y: usize, dZ: usize): f64 {
  const rowBytes = <usize>cols << 2;
  let sum: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const z = Z + <usize>r * rowBytes;
    const y = Y + <usize>r * rowBytes;
    let m: f64 = -Infinity;
    for (let c = 0; c < cols; c++) m = max<f64>(m, <f64>load<f32>(z + (<usize>c << 2)));
    let s: f64 = 0;
    for (let c = 0; c < cols; c++) s += Math.exp(<f64>load<f32>(z + (<usize>c << 2)) - m);
    const lse = m + Math.log(s);
    for (let c = 0; c < cols; c++) {
      const p = <usize>c << 2;
      const yc = <f64>load<f32>(y + p);
      if (yc != 0) sum -= yc * (<f64>load<f32>(z + p) - lse);
    }
  }
  if (dZ != 0) {
    const inv: f32 = <f32>(1.0 / <f64>rows);
    const n = <usize>rows * <usize>cols;
    for (let i: usize = 0; i < n; i++) {
      const p = i << 2;
      store<f32>(dZ + p, (load<f32>(A + p) - load<f32>(Y + p)) * inv);
    }
  }
  return sum / <f64>rows;
}

// mean of (a − y)²; dL/dz = act'(z) · 2(a − y)/n
function meanSquaredError(act: i32, rows: i32, cols: i32, alpha: f32, Z: usize, A: usize, Y: usize, dZ: usize): f64 {
  const n = <usize>rows * <usize>cols;
  let sum: f64 = 0;
  for (let i: usize = 0; i < n; i++) {
    const p = i << 2;
    const d = <f64>load<f32>(A + p) - <f64>load<f32>(Y + p);
    sum += d * d;
  }
  if (dZ != 0) {
    const scale: f32 = <f32>(2.0 / <f64>n);
    for (let i: usize = 0; i < n; i++) {
      const p = i << 2;
      store<f32>(dZ + p, (load<f32>(A + p) - load<f32>(Y + p)) * scale);
    }
    act_backward(act, rows, cols, alpha, Z, A, dZ, dZ);
  }
  return sum / <f64>n;
}

