// The output layer's loss for a thread's rows of the batch (threads build):
// each thread writes the loss gradient dZ of its own rows, right after its
// forward pass over them and before its backward pass (no barrier between
// the three), and each term of the loss value into the job's terms area;
// thread 0 then adds the terms of every row in row order, as f32_loss_grad
// adds them (f32-loss.ts): the same floats, the same sums, the same bits
// whatever the number of threads. A term is one value's (bce, mse), one
// value's y·(z − lse) (cce, subtracted; 0 where y is 0: subtracting +0 from a
// sum that is never −0 leaves it as it is) or one row's (class-weighted cce).

import { Loss } from './abi';
import { f32_act_backward } from './f32-act';
import { bceTerm, rowLogSumExp, scaledDifference, weightedBceValue, weightedCceRow } from './f32-loss';

/** Bytes of the terms area for `rows` rows of `cols` outputs. */
// @ts-ignore: decorator
@inline
export function lossTermsBytes(rows: i32, cols: i32): usize {
  return <usize>rows * <usize>cols << 3;
}

/**
 * dZ and the loss terms of rows [r0, r1) of a batch of `rows` rows (Z, A, Y,
 * dZ: the whole batch's), as f32_loss_grad(…, dZ, classWeights) computes them.
 */
export function lossRows(
  loss: i32, act: i32, rows: i32, r0: i32, r1: i32, cols: i32, alpha: f32,
  Z: usize, A: usize, Y: usize, dZ: usize, classWeights: usize, terms: usize,
): void {
  if (r1 <= r0) return;
  const off = <usize>r0 * <usize>cols << 2;
  const n = <usize>(r1 - r0) * <usize>cols;
  const all = <usize>rows * <usize>cols;
  const T = terms + (off << 1);
  if (classWeights != 0 && loss == Loss.bce) weightedBce(n, all, Z + off, A + off, Y + off, dZ + off, classWeights, T);
  else if (classWeights != 0 && loss == Loss.cce) weightedCce(r0, r1, rows, cols, Z, A, Y, dZ, classWeights, terms);
  else if (loss == Loss.bce) {
    for (let i: usize = 0; i < n; i++) {
      const p = i << 2;
      store<f64>(T + (i << 3), bceTerm(<f64>load<f32>(Z + off + p), <f64>load<f32>(Y + off + p)));
    }
    scaledDifference(n, A + off, Y + off, <f32>(1.0 / <f64>all), dZ + off);
  } else if (loss == Loss.cce) {
    const rowBytes = <usize>cols << 2;
    for (let r = r0; r < r1; r++) {
      const z = Z + <usize>r * rowBytes;
      const y = Y + <usize>r * rowBytes;
      const t = terms + (<usize>r * rowBytes << 1);
      const lse = rowLogSumExp(cols, z);
      for (let c = 0; c < cols; c++) {
        const p = <usize>c << 2;
        const yc = <f64>load<f32>(y + p);
        store<f64>(t + (p << 1), yc != 0 ? yc * (<f64>load<f32>(z + p) - lse) : 0);
      }
    }
    scaledDifference(n, A + off, Y + off, <f32>(1.0 / <f64>rows), dZ + off);
  } else {
    for (let i: usize = 0; i < n; i++) {
      const p = i << 2;
      const d = <f64>load<f32>(A + off + p) - <f64>load<f32>(Y + off + p);
      store<f64>(T + (i << 3), d * d);
    }
    scaledDifference(n, A + off, Y + off, <f32>(2.0 / <f64>all), dZ + off);
    f32_act_backward(act, r1 - r0, cols, alpha, Z + off, A + off, dZ + off, dZ + off);
  }
}

/** Thread 0, every thread's terms written: the loss value of the whole batch, as f32_loss_grad returns it. */
export function lossValue(loss: i32, rows: i32, cols: i32, classWeights: usize, terms: usize): f64 {
  let sum: f64 = 0;
  if (classWeights != 0 && loss == Loss.cce) {
    for (let r = 0; r < rows; r++) sum += load<f64>(terms + (<usize>r * <usize>cols << 3));
    return sum * (1.0 / <f64>rows);
  }
  const n = <usize>rows * <usize>cols;
  if (loss == Loss.cce) {
    for (let i: usize = 0; i < n; i++) sum -= load<f64>(terms + (i << 3));
    return sum / <f64>rows;
  }
  for (let i: usize = 0; i < n; i++) sum += load<f64>(terms + (i << 3));
  return classWeights != 0 && loss == Loss.bce ? sum * (1.0 / <f64>n) : sum / <f64>n;
}

// f32-loss.ts weightedBce over n values of a batch of `all` (pointers at the first of them)
function weightedBce(n: usize, all: usize, Z: usize, A: usize, Y: usize, dZ: usize, W: usize, T: usize): void {
  const w0 = load<f32>(W);
  const w1 = load<f32>(W, 4);
  const inv = 1.0 / <f64>all;
  for (let i: usize = 0; i < n; i++) store<f64>(T + (i << 3), weightedBceValue(i << 2, w0, w1, inv, Z, A, Y, dZ));
}

// f32-loss.ts weightedCce over rows [r0, r1) of `rows`: row r's term at terms + r·cols·8
function weightedCce(r0: i32, r1: i32, rows: i32, cols: i32, Z: usize, A: usize, Y: usize, dZ: usize, W: usize, terms: usize): void {
  const inv = 1.0 / <f64>rows;
  for (let r = r0; r < r1; r++) store<f64>(terms + (<usize>r * <usize>cols << 3), weightedCceRow(r, cols, inv, Z, A, Y, dZ, W));
}
