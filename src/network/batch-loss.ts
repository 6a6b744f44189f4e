import { Loss, type LossName } from '../backend/abi.js';
import type { Network } from './network.js';

/**
 * Loss (as the kernels compute it) and a score over prepared rows, in chunks
 * of the plan's batch capacity: accuracy for classification losses (argmax
 * for cce, each output thresholded at 0.5 for bce), mean absolute error for mse.
 */
export function outputLossAndScore(
  net: Network, loss: LossName, x: Float32Array, y: Float32Array, rows: number,
): { loss: number; score: number } {
  const plan = net.plan;
  const k = net.runtime.backend.kernels;
  const heap = net.runtime.heap;
  const inputs = net.inputs;
  const outputs = net.outputs;
  const last = plan.layers.length - 1;
  const chunk = Math.max(1, plan.capacity);
  let lossSum = 0;
  let score = 0;
  for (let r = 0; r < rows; r += chunk) {
    const n = Math.min(chunk, rows - r);
    const f32 = heap.f32();
    f32.set(x.subarray(r * inputs, (r + n) * inputs), plan.X >>> 2);
    f32.set(y.subarray(r * outputs, (r + n) * outputs), plan.Y >>> 2);
    const value = k.mlp_loss(plan.table, plan.layers.length, plan.X, plan.Y, n, Loss[loss], plan.scratch);
    lossSum += value * n;
    const A = plan.activations(last).A >>> 2;
    const a = heap.f32();
    for (let i = 0; i < n; i++) {
      const o = A + i * outputs;
      const t = (r + i) * outputs;
      if (loss === 'cce') {
        let best = 0;
        let truth = 0;
        for (let c = 1; c < outputs; c++) {
          if (a[o + c]! > a[o + best]!) best = c;
          if (y[t + c]! > y[t + truth]!) truth = c;
        }
        if (best === truth) score++;
      } else if (loss === 'bce') {
        let right = 0;
        for (let c = 0; c < outputs; c++) if ((a[o + c]! > 0.5 ? 1 : 0) === (y[t + c]! > 0.5 ? 1 : 0)) right++;
        score += right / outputs;
      } else {
        let abs = 0;
        for (let c = 0; c < outputs; c++) abs += Math.abs(a[o + c]! - y[t + c]!);
        score += abs / outputs;
      }
    }
  }
  return { loss: lossSum / rows, score: score / rows };
}
