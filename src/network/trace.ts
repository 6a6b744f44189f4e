/**
 * One forward and backward pass laid open, layer by layer, without changing
 * the weights: what the textbook pictures show (z, a, dz, dW, db), computed by
 * the same kernels as training.
 */

import { Loss, type LossName } from '../backend/abi.js';
import { lookupName, readOptions } from '../options.js';
import type { MatrixInput } from '../validate.js';
import type { Network } from './network.js';
import { checkLossFits, type TargetInput } from './targets.js';
import { nest } from './weights.js';

/** One layer of a `trace`: batch-major matrices (rows × units) and the parameter gradients. */
export interface LayerTrace {
  /** Pre-activations a_{l−1}·W + b, rows × units. */
  z: number[][];
  /** Activations act(z), rows × units. */
  a: number[][];
  /** dLoss/dz, rows × units. */
  dz: number[][];
  /** dLoss/dW, inputs × units. */
  dW: number[][];
  /** dLoss/db, one per unit. */
  db: number[];
}

/** What `net.trace` returns. */
export interface Trace {
  /** The loss of the batch (mean, as training reduces it). */
  loss: number;
  /** The network's outputs, rows × outputs (the last layer's `a`). */
  output: number[][];
  /** Per layer, input side first. */
  layers: LayerTrace[];
}

export function traceNetwork(net: Network, x: MatrixInput, y: TargetInput, options: { loss: LossName }): Trace {
  const plan = net.plan;
  const lossName = lookupName(Loss, readOptions(options, 'options', ['loss'], '{ loss }').loss, 'loss');
  checkLossFits(lossName, plan.layers[plan.layers.length - 1]!);
  const m = net.prepareInputs(x, 'x');
  const t = net.prepareTargets(y, m.rows, lossName);
  plan.ensureCapacity(m.rows);
  const heap = net.runtime.heap;
  heap.f32().set(m.data, plan.X >>> 2);
  heap.f32().set(t, plan.Y >>> 2);
  const loss = net.runtime.backend.kernels.mlp_gradients(plan.table, plan.layers.length, plan.X, plan.Y, m.rows, Loss[lossName], plan.scratch);
  const f32 = heap.f32();
  const read = (ptr: number, n: number): Float32Array => f32.slice(ptr >>> 2, (ptr >>> 2) + n);
  const layers = plan.layers.map((s, i): LayerTrace => {
    const a = plan.activations(i);
    const p = plan.params[i]!;
    const n = m.rows * s.outputs;
    return {
      z: nest(read(a.Z, n), s.outputs),
      a: nest(read(a.A, n), s.outputs),
      dz: nest(read(a.dZ, n), s.outputs),
      dW: nest(read(p.dW, s.inputs * s.outputs), s.outputs),
      db: Array.from(read(p.db, s.outputs)),
    };
  });
  return { loss, output: layers[layers.length - 1]!.a, layers };
}
