import { Loss, Opt, type LossName, type OptimizerName } from '../backend/abi.js';
import { StateError, TrainingError, ValueError } from '../errors.js';
import type { Network } from '../network/network.js';
import { Random } from '../random.js';
import { checkNumberIn, checkPositiveInt, describe, toMatrix, type MatrixInput } from '../validate.js';
import { checkLossFits, toTargets, type TargetInput } from './targets.js';

export interface OptimizerOptions {
  type: OptimizerName;
  /** Learning rate (default 0.01 for sgd and momentum, 0.001 for adam). */
  lr?: number;
  /** momentum: the momentum coefficient (default 0.9). */
  momentum?: number;
  /** adam: default 0.9. */
  beta1?: number;
  /** adam: default 0.999. */
  beta2?: number;
  /** adam: default 1e-8. */
  eps?: number;
  /** L2 weight decay added to the weights' gradients (never the biases'), default 0. */
  weightDecay?: number;
}

export interface TrainerOptions {
  loss: LossName;
  /** Default { type: 'adam' }. */
  optimizer?: OptimizerOptions | OptimizerName;
  /** Rows per mini-batch (default 32; capped at the number of rows). */
  batchSize?: number;
  /** Reshuffle the rows every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffling (default 0). */
  seed?: number;
}

export interface FitOptions {
  /** Default 10. */
  epochs?: number;
}

export interface History {
  /** Mean training loss of each epoch (each batch's loss before its update, weighted by its rows). */
  loss: number[];
}

interface ResolvedOptimizer {
  code: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/**
 * Trains a network by mini-batch gradient descent: each step is one call into
 * the kernels (forward, loss, backprop, update), with nothing allocated per
 * step. The optimizer state lives with the trainer: a new Trainer starts fresh.
 */
export class Trainer {
  readonly network: Network;
  readonly loss: LossName;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  private readonly optimizer: ResolvedOptimizer;
  private readonly rng: Random;
  /** Optimizer steps taken so far (Adam's t). */
  private steps = 0;

  constructor(network: Network, options: TrainerOptions) {
    if (options === null || typeof options !== 'object') {
      throw new ValueError(`Trainer: expected an options object { loss, optimizer, batchSize }, got ${describe(options)}`);
    }
    const loss = options.loss;
    if (typeof loss !== 'string' || !(loss in Loss)) {
      throw new ValueError(`loss: expected one of ${Object.keys(Loss).join(', ')}, got ${describe(loss)}`);
    }
    const plan = network.plan;
    checkLossFits(loss, plan.layers[plan.layers.length - 1]!);
    this.network = network;
    this.loss = loss;
    this.optimizer = resolveOptimizer(options.optimizer ?? 'adam');
    this.batchSize = options.batchSize === undefined ? 32 : checkPositiveInt(options.batchSize, 'batchSize');
    this.shuffle = options.shuffle ?? true;
    const seed = options.seed ?? 0;
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new ValueError(`seed: expected an integer from 0 to 4294967295, got ${describe(seed)}`);
    }
    this.seed = seed;
    this.rng = new Random(seed);
    plan.resetOptimizerState();
  }

  /**
   * Runs `epochs` passes over (x, y). With batchSize ≥ rows and shuffle off,
   * each epoch is exactly one full-batch optimizer step.
   */
  fit(x: MatrixInput, y: TargetInput, options: FitOptions = {}): History {
    const net = this.network;
    const plan = net.plan;
    if (net.training) throw new StateError('fit: this network is already being trained; wait for that fit to return');
    const epochs = options.epochs === undefined ? 10 : checkPositiveInt(options.epochs, 'epochs');
    const xs = toMatrix(x, net.inputs, 'x', "the network's inputs");
    const ys = toTargets(y, xs.rows, net.outputs, this.loss);
    const rows = xs.rows;
    const batch = Math.min(this.batchSize, rows);
    plan.ensureCapacity(batch);
    plan.setWeightDecay(this.optimizer.weightDecay);

    const k = net.runtime.backend.kernels;
    const heap = net.runtime.heap;
    const layers = plan.layers.length;
    const inputs = net.inputs;
    const outputs = net.outputs;
    const lossCode = Loss[this.loss];
    const o = this.optimizer;
    const order = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) order[i] = i;
    const history: History = { loss: [] };
    // the weights at the start of the epoch, restored if an update overflows
    const snapshot = new Float32Array(plan.paramCount);

    net.training = true;
    try {
      for (let epoch = 0; epoch < epochs; epoch++) {
        if (this.shuffle) this.rng.shuffle(order);
        plan.readParams(snapshot);
        let sum = 0;
        for (let start = 0, b = 0; start < rows; start += batch, b++) {
          const n = Math.min(batch, rows - start);
          // views are taken after the last allocation and stay valid for the whole step
          const f32 = heap.f32();
          gatherRows(xs.data, order, start, n, inputs, f32, plan.X >>> 2);
          gatherRows(ys, order, start, n, outputs, f32, plan.Y >>> 2);
          const value = k.train_step(plan.table, layers, plan.X, plan.Y, n, lossCode, o.code, o.lr, o.beta1, o.beta2, o.eps, this.steps + 1, plan.scratch);
          if (Number.isNaN(value)) {
            throw new TrainingError(
              `fit: the loss or a gradient is not finite at epoch ${epoch + 1}, batch ${b + 1}; that step was not applied, so the weights are those after the last finite step (try a smaller learning rate)`,
              { epoch: epoch + 1, batch: b + 1 },
            );
          }
          if (value === -Infinity) {
            plan.writeParams(snapshot);
            plan.resetOptimizerState();
            throw new TrainingError(
              `fit: the update at epoch ${epoch + 1}, batch ${b + 1} made a weight non-finite; the weights were restored to the start of epoch ${epoch + 1} and the optimizer state reset (try a smaller learning rate)`,
              { epoch: epoch + 1, batch: b + 1 },
            );
          }
          this.steps++;
          sum += value * n;
        }
        history.loss.push(sum / rows);
      }
    } finally {
      net.training = false;
    }
    return history;
  }
}

// A plain loop rather than set(subarray(...)): no view objects per step.
function gatherRows(
  src: Float32Array, order: Uint32Array, start: number, n: number, cols: number,
  dst: Float32Array, dstIndex: number,
): void {
  for (let i = 0; i < n; i++) {
    const s = order[start + i]! * cols;
    const d = dstIndex + i * cols;
    for (let c = 0; c < cols; c++) dst[d + c] = src[s + c]!;
  }
}

function resolveOptimizer(opt: OptimizerOptions | OptimizerName): ResolvedOptimizer {
  const o: OptimizerOptions = typeof opt === 'string' ? { type: opt } : opt;
  if (o === null || typeof o !== 'object' || typeof o.type !== 'string' || !(o.type in Opt)) {
    const got = o !== null && typeof o === 'object' ? describe(o.type) : describe(o);
    throw new ValueError(`optimizer.type: expected one of ${Object.keys(Opt).join(', ')}, got ${got}`);
  }
  const lr = checkNumberIn(o.lr ?? (o.type === 'adam' ? 0.001 : 0.01), 'optimizer.lr', 0, Infinity, true);
  const weightDecay = checkNumberIn(o.weightDecay ?? 0, 'optimizer.weightDecay', 0, Infinity);
  if (o.type === 'momentum') {
    const m = checkNumberIn(o.momentum ?? 0.9, 'optimizer.momentum', 0, 1, false, true);
    return { code: Opt.momentum, lr, beta1: m, beta2: 0, eps: 0, weightDecay };
  }
  if (o.type === 'adam') {
    return {
      code: Opt.adam,
      lr,
      beta1: checkNumberIn(o.beta1 ?? 0.9, 'optimizer.beta1', 0, 1, false, true),
      beta2: checkNumberIn(o.beta2 ?? 0.999, 'optimizer.beta2', 0, 1, false, true),
      eps: checkNumberIn(o.eps ?? 1e-8, 'optimizer.eps', 0, Infinity, true),
      weightDecay,
    };
  }
  return { code: Opt.sgd, lr, beta1: 0, beta2: 0, eps: 0, weightDecay };
}
