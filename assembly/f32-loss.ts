// Losses fused with their output activation, computed from the logits.
// The value is accumulated in f64; the gradient w.r.t. the logits is written
// in f32. The output layer is small (rows × classes): only cross-entropy's
// exponentials are vectorised, and every sum runs in one order in both
// builds, so both give identical bits.

import { Loss } from './abi';
import { f32_act_backward } from './f32-act';
import { expNonPositive, expNonPositive4 } from './f32-exp';

export function f32_loss_grad(loss: i32, act: i32, rows: i32, cols: i32, alpha: f32, Z: usize, A: usize, Y: usize, dZ: usize, classWeights: usize): f64 {
  const n = <usize>rows * <usize>cols;
  if (classWeights != 0 && loss == Loss.bce) return weightedBce(n, Z, A, Y, dZ, classWeights);
  if (classWeights != 0 && loss == Loss.cce) return weightedCce(rows, cols, Z, A, Y, dZ, classWeights);
  if (loss == Loss.bce) return bceWithLogits(n, Z, A, Y, dZ);
  if (loss == Loss.cce) return softmaxCrossEntropy(rows, cols, Z, A, Y, dZ);
  return meanSquaredError(act, rows, cols, alpha, Z, A, Y, dZ);
}

/** One value's binary cross-entropy from its logit: max(z,0) − z·y + log1p(e^−|z|) (the threads build's terms too). */
// @ts-ignore: decorator
@inline
export function bceTerm(z: f64, y: f64): f64 {
  return max<f64>(z, 0) - z * y + Math.log1p(Math.exp(-abs<f64>(z)));
}

/** log Σ_c e^(z_c) of one row, from its max (the threads build's too). */
// @ts-ignore: decorator
@inline
export function rowLogSumExp(cols: i32, z: usize): f64 {
  let m: f32 = -Infinity;
  for (let c = 0; c < cols; c++) m = max<f32>(m, load<f32>(z + (<usize>c << 2)));
  return <f64>m + Math.log(sumExp(cols, z, m));
}

// mean of bceTerm; dL/dz = (σ(z) − y)/n
function bceWithLogits(n: usize, Z: usize, A: usize, Y: usize, dZ: usize): f64 {
  let sum: f64 = 0;
  for (let i: usize = 0; i < n; i++) {
    const p = i << 2;
    sum += bceTerm(<f64>load<f32>(Z + p), <f64>load<f32>(Y + p));
  }
  if (dZ != 0) scaledDifference(n, A, Y, <f32>(1.0 / <f64>n), dZ);
  return sum / <f64>n;
}

// per row −Σ_c y_c·(z_c − max − log Σ e^(z − max)), mean over rows; dL/dz = (softmax − y)/rows
function softmaxCrossEntropy(rows: i32, cols: i32, Z: usize, A: usize, Y: usize, dZ: usize): f64 {
  const rowBytes = <usize>cols << 2;
  let sum: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const z = Z + <usize>r * rowBytes;
    const y = Y + <usize>r * rowBytes;
    const lse = rowLogSumExp(cols, z);
    for (let c = 0; c < cols; c++) {
      const p = <usize>c << 2;
      const yc = <f64>load<f32>(y + p);
      if (yc != 0) sum -= yc * (<f64>load<f32>(z + p) - lse);
    }
  }
  if (dZ != 0) scaledDifference(<usize>rows * <usize>cols, A, Y, <f32>(1.0 / <f64>rows), dZ);
  return sum / <f64>rows;
}

// Class-weighted losses (imbalanced classes): each value's (bce) or row's
// (cce) loss and gradient times its class's weight, the mean still over the
// count. Scalar in both builds, so both give the same bits.

// w = y·W1 + (1 − y)·W0 per value: the weight of its class (of a soft label, in between)
function weightedBce(n: usize, Z: usize, A: usize, Y: usize, dZ: usize, W: usize): f64 {
  const w0 = load<f32>(W);
  const w1 = load<f32>(W, 4);
  const inv = 1.0 / <f64>n;
  let sum: f64 = 0;
  for (let i: usize = 0; i < n; i++) sum += weightedBceValue(i << 2, w0, w1, inv, Z, A, Y, dZ);
  return sum * inv;
}

/**
 * Value p (a byte offset) of the class-weighted bce: its weighted term, and
 * its dZ (unless dZ is 0) scaled by w·inv. The threads build computes each
 * thread's values with this too (mlp-thread-loss.ts): the same bits.
 */
// @ts-ignore: decorator
@inline
export function weightedBceValue(p: usize, w0: f32, w1: f32, inv: f64, Z: usize, A: usize, Y: usize, dZ: usize): f64 {
  const yf = load<f32>(Y + p);
  const w: f32 = yf * w1 + (<f32>1 - yf) * w0;
  if (dZ != 0) store<f32>(dZ + p, (load<f32>(A + p) - yf) * <f32>(<f64>w * inv));
  return <f64>w * bceTerm(<f64>load<f32>(Z + p), <f64>yf);
}

function weightedCce(rows: i32, cols: i32, Z: usize, A: usize, Y: usize, dZ: usize, W: usize): f64 {
  const inv = 1.0 / <f64>rows;
  let sum: f64 = 0;
  for (let r = 0; r < rows; r++) sum += weightedCceRow(r, cols, inv, Z, A, Y, dZ, W);
  return sum * inv;
}

/**
 * Row r of the class-weighted cce: its term w_r·(−Σ_c y_c·(z_c − lse)), with
 * w_r = Σ_c y_c·W_c in column order, and its dZ (unless dZ is 0) scaled by
 * w_r·inv. The threads build computes each thread's rows with this too
 * (mlp-thread-loss.ts): the same operations in the same order, the same bits.
 */
// @ts-ignore: decorator
@inline
export function weightedCceRow(r: i32, cols: i32, inv: f64, Z: usize, A: usize, Y: usize, dZ: usize, W: usize): f64 {
  const rowBytes = <usize>cols << 2;
  const z = Z + <usize>r * rowBytes;
  const y = Y + <usize>r * rowBytes;
  let w: f32 = 0;
  for (let c = 0; c < cols; c++) w += load<f32>(y + (<usize>c << 2)) * load<f32>(W + (<usize>c << 2));
  const lse = rowLogSumExp(cols, z);
  let rowLoss: f64 = 0;
  for (let c = 0; c < cols; c++) {
    const p = <usize>c << 2;
    const yc = <f64>load<f32>(y + p);
    if (yc != 0) rowLoss -= yc * (<f64>load<f32>(z + p) - lse);
  }
  if (dZ != 0) {
    const scale = <f32>(<f64>w * inv);
    const a = A + <usize>r * rowBytes;
    const d = dZ + <usize>r * rowBytes;
    for (let c = 0; c < cols; c++) {
      const p = <usize>c << 2;
      store<f32>(d + p, (load<f32>(a + p) - load<f32>(y + p)) * scale);
    }
  }
  return <f64>w * rowLoss;
}

/**
 * Σ_c e^(z_c − m) over one row, m its max, summed in f64 in column order. The
 * terms are float32 exponentials (≈ 2 ulp, the softmax's own), a tenth of the
 * cost of f64 Math.exp; log of the sum is then within ~3·10⁻⁷ of the f64 one.
 */
export function sumExp(cols: i32, z: usize, m: f32): f64 {
  let s: f64 = 0;
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    const vm = f32x4.splat(m);
    for (; c + 4 <= cols; c += 4) {
      const e = expNonPositive4(f32x4.sub(v128.load(z + (<usize>c << 2)), vm));
      s += <f64>f32x4.extract_lane(e, 0);
      s += <f64>f32x4.extract_lane(e, 1);
      s += <f64>f32x4.extract_lane(e, 2);
      s += <f64>f32x4.extract_lane(e, 3);
    }
  }
  for (; c < cols; c++) s += <f64>expNonPositive(load<f32>(z + (<usize>c << 2)) - m);
  return s;
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
    scaledDifference(n, A, Y, <f32>(2.0 / <f64>n), dZ);
    f32_act_backward(act, rows, cols, alpha, Z, A, dZ, dZ);
  }
  return sum / <f64>n;
}

/** dZ = (A − Y)·scale over n values. */
export function scaledDifference(n: usize, A: usize, Y: usize, scale: f32, dZ: usize): void {
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = f32x4.splat(scale);
    for (; i + 4 <= n; i += 4) {
      const p = i << 2;
      v128.store(dZ + p, f32x4.mul(f32x4.sub(v128.load(A + p), v128.load(Y + p)), vs));
    }
  }
  for (; i < n; i++) {
    const p = i << 2;
    store<f32>(dZ + p, (load<f32>(A + p) - load<f32>(Y + p)) * scale);
  }
}
