import { Loss, StepStatus, Tail, type LossName, type OptCode } from '../backend/abi.js';
import { StateError, ValueError } from '../errors.js';
import { Network } from '../network/network.js';
import { checkLossFits, type TargetInput } from '../network/targets.js';
import { lookupName, optionalBoolean, optionalFunction, readOptions } from '../options.js';
import { Random } from '../random.js';
import { checkPositiveInt, checkSeed, describe, toMatrix, type MatrixInput } from '../validate.js';
import { FitRun } from './fit-run.js';
import {
  balancedClassWeights, FIT_KEYS, isAbortSignal, resolveClassWeight, resolveEarlyStopping, resolveOptimizer,
  type FitOptions, type History, type ResolvedOptimizer, type TrainerOptions,
} from './options.js';

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
    if (!isNetwork(network)) throw new ValueError(`network: expected a Network, got ${describe(network)}`);
    const o = readOptions(options, 'Trainer options', ['loss', 'optimizer', 'batchSize', 'shuffle', 'seed', 'classWeight'], '{ loss, optimizer, batchSize, shuffle, seed, classWeight }');
    const loss = lookupName(Loss, o.loss, 'loss');
    const plan = network.plan;
    checkLossFits(loss, plan.layers[plan.layers.length - 1]!);
    const optimizer = resolveOptimizer(o.optimizer === undefined ? 'adam' : o.optimizer);
    const batchSize = o.batchSize === undefined ? 32 : checkPositiveInt(o.batchSize, 'batchSize');
    const shuffle = optionalBoolean(o.shuffle, 'shuffle') ?? true;
    const seed = checkSeed(o.seed, 'seed');
    const outputs = plan.layers[plan.layers.length - 1]!.outputs;
    this.classWeight = resolveClassWeight(o.classWeight, loss, loss === 'bce' ? outputs + 1 : outputs);
    this.network = network;
    this.loss = loss;
    this.optimizer = optimizer;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.rng = new Random(seed);
    plan.resetOptimizerState();
  }

  /**
   * Runs up to `epochs` passes over (x, y). With batchSize ≥ rows and shuffle
   * off, each epoch is exactly one full-batch optimizer step.
   */
  fit(x: MatrixInput, y: TargetInput, options: FitOptions = {}): History {
    const run = this.start(x, y, options);
    try {
      while (run.epoch()) {
        /* one epoch per iteration */
      }
      return run.finish();
    } finally {
      run.release();
    }
  }

  /**
   * `fit` that yields to the event loop between epochs, so a UI or a worker
   * stays responsive and `signal` can cancel from outside.
   */
  async fitAsync(x: MatrixInput, y: TargetInput, options: FitOptions = {}): Promise<History> {
    const run = this.start(x, y, options);
    try {
      while (run.epoch()) await yieldToEventLoop();
      return run.finish();
    } finally {
      run.release();
    }
  }

  private start(x: MatrixInput, y: TargetInput, options: FitOptions): FitRun {
    const net = this.network;
    net.plan; // throws if disposed
    if (net.training) throw new StateError('fit: this network is already being trained; wait for that fit to return');
    const o = readOptions(options, 'fit options', FIT_KEYS, '{ epochs, validation, earlyStopping, onEpochEnd, onBatchEnd, signal }') as FitOptions;
    const epochs = o.epochs === undefined ? 10 : checkPositiveInt(o.epochs, 'epochs');
    // no defensive copy: FitRun copies the rows into linear memory before fit
    // returns or awaits, and checks that copy for non-finite values
    const xs = net.prepareInputs(x, 'x', false, false);
    const ys = net.prepareTargets(y, xs.rows, this.loss, false);
    let val: { x: Float32Array; y: Float32Array; rows: number } | null = null;
    if (o.validation !== undefined) {
      const v = readOptions(o.validation, 'validation', ['x', 'y'], '{ x, y }');
      if (v.x === undefined || v.y === undefined) throw new ValueError(`validation: expected { x, y }, got no ${v.x === undefined ? 'x' : 'y'}`);
      const vx = net.prepareInputs(v.x as MatrixInput, 'validation.x');
      val = { x: vx.data, y: net.prepareTargets(v.y as TargetInput, vx.rows, this.loss, true, 'validation.y'), rows: vx.rows };
    }
    const early = resolveEarlyStopping(o.earlyStopping, val !== null);
    optionalFunction(o.onEpochEnd, 'onEpochEnd');
    optionalFunction(o.onBatchEnd, 'onBatchEnd');
    if (o.signal !== undefined && !isAbortSignal(o.signal)) throw new ValueError(`signal: expected an AbortSignal (AbortController's signal), got ${describe(o.signal)}`);
    const rejectNonFinite = (): never => {
      // names the first bad value as the caller gave it (the scaler may have changed it)
      toMatrix(x, net.inputs, 'x', "the network's inputs", false);
      throw new ValueError('x: expected finite numbers, but scaling them with the network\'s scaler gave non-finite values');
    };
    return new FitRun(this, xs.data, ys, xs.rows, epochs, val, early, o, rejectNonFinite);
  }

  /**
   * @internal one optimizer step on `rows` rows at byte pointers X and Y, with
   * `undo` (0 or a block of plan.undoBytes) to undo an overflowing update in.
   * Returns a StepStatus; the kernel's value (the loss, see mlp_train_step in
   * src/backend/abi.ts) is in `heap.f64()[(plan.tail + Tail.result) >>> 3]`
   * and the running loss × rows in Tail.lossSum: a float returned would be
   * a new heap number every step.
   */
  step(rows: number, X: number, Y: number, undo = 0): number {
    const net = this.network;
    const plan = net.plan;
    const heap = net.runtime.heap;
    const o = this.optimizer;
    // the hyperparameters go through memory, not arguments (see Tail): no float crosses a call
    const f64 = heap.f64();
    f64[(plan.tail + Tail.lr) >>> 3] = o.lr;
    f64[(plan.tail + Tail.beta1) >>> 3] = o.beta1;
    f64[(plan.tail + Tail.beta2) >>> 3] = o.beta2;
    f64[(plan.tail + Tail.eps) >>> 3] = o.eps;
    f64[(plan.tail + Tail.clipNorm) >>> 3] = o.clipNorm;
    f64[(plan.tail + Tail.t) >>> 3] = this.steps + 1;
    const status = net.runtime.backend.kernels.mlp_train_step(plan.table, plan.layers.length, X, Y, rows, Loss[this.loss], o.code, plan.scratch, undo);
    if (status === StepStatus.applied) this.steps++;
    net.weightsVersion++;
    return status;
  }

  /** 'balanced', fixed weights, or null (see TrainerOptions.classWeight). */
  private readonly classWeight: 'balanced' | Float32Array | null;

  /** @internal the class weights of a fit on targets `y` (rows × outputs), or null */
  classWeightsFor(y: Float32Array, rows: number): Float32Array | null {
    const w = this.classWeight;
    return w === 'balanced' ? balancedClassWeights(y, rows, this.network.outputs) : w;
  }

  /** @internal bytes of the undo block `step` takes */
  get undoBytes(): number {
    return this.network.plan.undoBytes(this.optimizer.code as OptCode);
  }

  /** @internal */
  get weightDecay(): number {
    return this.optimizer.weightDecay;
  }

  /** @internal */
  get random(): Random {
    return this.rng;
  }

  /** @internal after a restored snapshot the moments no longer match the weights */
  resetState(): void {
    this.network.plan.resetOptimizerState();
    this.steps = 0;
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

// instanceof throws on a revoked Proxy: no Network either
function isNetwork(v: unknown): v is Network {
  try {
    return v instanceof Network;
  } catch {
    return false;
  }
}
