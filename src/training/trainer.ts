import { Loss, Opt, StepStatus, TailF64, type LossName, type OptCode, type OptimizerName } from '../backend/abi.js';
import { MemoryError, StateError, TrainingError, ValueError } from '../errors.js';
import type { Heap } from '../memory/heap.js';
import { Network } from '../network/network.js';
import { guardRead, lookupName, optionalBoolean, optionalFunction, readOptions } from '../options.js';
import { Random } from '../random.js';
import { checkNumberIn, checkPositiveInt, checkSeed, describe, toMatrix, type MatrixInput } from '../validate.js';
import { outputLossAndScore } from './batch-eval.js';
import { checkLossFits, type TargetInput } from './targets.js';

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
  /**
   * Gradient clipping: when the L2 norm of the whole gradient (every layer's
   * weights and biases together, before weight decay) exceeds this, it is
   * scaled down to this norm, as PyTorch's clip_grad_norm_. Default: no clipping.
   */
  clipNorm?: number;
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

export interface EarlyStoppingOptions {
  /**
   * What must keep improving: 'val_loss' (the default; needs validation
   * data) or 'loss' (the training loss). Without validation data, pass
   * `monitor: 'loss'` explicitly: early stopping would otherwise watch
   * something that was never given.
   */
  monitor?: 'val_loss' | 'loss';
  /** Epochs without improvement before stopping (default 10). */
  patience?: number;
  /** The least decrease that counts as an improvement (default 0). */
  minDelta?: number;
  /** Put back the weights of the best epoch when training ends (default true). */
  restoreBest?: boolean;
}

export interface EpochInfo {
  /** 1-based. */
  epoch: number;
  epochs: number;
  loss: number;
  /** Present when validation data was given. */
  valLoss?: number;
  /** Classification losses with validation data: accuracy on it. */
  valAccuracy?: number;
  /** mse with validation data: mean absolute error on it. */
  valMae?: number;
}

export interface BatchInfo {
  epoch: number;
  /** 1-based within the epoch. */
  batch: number;
  batches: number;
  /** Loss of this batch before its update. */
  loss: number;
}

export interface FitOptions {
  /** Default 10. */
  epochs?: number;
  /** Held-out data: its loss (and accuracy or MAE) is computed after every epoch. */
  validation?: { x: MatrixInput; y: TargetInput };
  /** Stop when the monitored loss (validation if given, else training) stops improving. */
  earlyStopping?: EarlyStoppingOptions | boolean;
  /** Called after every epoch; return false to stop training there. */
  onEpochEnd?: (info: EpochInfo) => void | boolean;
  /** Called after every batch. */
  onBatchEnd?: (info: BatchInfo) => void;
  /** Cancels training between batches; fit returns what it has (stopReason 'aborted'). */
  signal?: AbortSignal;
}

export type StopReason = 'epochs' | 'early-stopping' | 'callback' | 'aborted';

export interface History {
  /** Mean training loss of each epoch (each batch's loss before its update, weighted by its rows). */
  loss: number[];
  /** Validation loss after each epoch (empty without validation data). */
  valLoss: number[];
  /** Validation accuracy after each epoch (classification losses with validation data). */
  valAccuracy: number[];
  /** Validation mean absolute error after each epoch (mse with validation data). */
  valMae: number[];
  /** Epochs run. */
  epochs: number;
  /** 1-based epoch with the lowest monitored loss (validation if given, else training). */
  bestEpoch: number;
  /** Whether the weights were set back to bestEpoch's. */
  restoredBest: boolean;
  stopReason: StopReason;
}

interface ResolvedOptimizer {
  code: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 0: no clipping. */
  clipNorm: number;
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
    if (!isNetwork(network)) throw new ValueError(`network: expected a Network, got ${describe(network)}`);
    const o = readOptions(options, 'Trainer options', ['loss', 'optimizer', 'batchSize', 'shuffle', 'seed'], '{ loss, optimizer, batchSize, shuffle, seed }');
    const loss = lookupName(Loss, o.loss, 'loss');
    const plan = network.plan;
    checkLossFits(loss, plan.layers[plan.layers.length - 1]!);
    const optimizer = resolveOptimizer(o.optimizer === undefined ? 'adam' : o.optimizer);
    const batchSize = o.batchSize === undefined ? 32 : checkPositiveInt(o.batchSize, 'batchSize');
    const shuffle = optionalBoolean(o.shuffle, 'shuffle') ?? true;
    const seed = checkSeed(o.seed, 'seed');
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
   * Returns a StepStatus; the kernel's value (the loss, see train_step in
   * src/backend/abi.ts) is in `heap.f64()[plan.tailF64 + TailF64.result]`
   * and the running loss × rows in TailF64.lossSum: a float returned would be
   * a new heap number every step.
   */
  step(rows: number, X: number, Y: number, undo = 0): number {
    const net = this.network;
    const plan = net.plan;
    const heap = net.runtime.heap;
    const o = this.optimizer;
    // the hyperparameters go through memory, not arguments (see Tail): no float crosses a call
    const f64 = heap.f64();
    f64[plan.tailF64 + TailF64.lr] = o.lr;
    f64[plan.tailF64 + TailF64.beta1] = o.beta1;
    f64[plan.tailF64 + TailF64.beta2] = o.beta2;
    f64[plan.tailF64 + TailF64.eps] = o.eps;
    f64[plan.tailF64 + TailF64.clipNorm] = o.clipNorm;
    f64[plan.tailF64 + TailF64.t] = this.steps + 1;
    const status = net.runtime.backend.kernels.train_step(plan.table, plan.layers.length, X, Y, rows, Loss[this.loss], o.code, plan.scratch, undo);
    if (status === StepStatus.applied) this.steps++;
    net.weightsVersion++;
    return status;
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

/** The state of one fit: data, order, snapshots, history. */
class FitRun {
  private readonly history: History = {
    loss: [], valLoss: [], valAccuracy: [], valMae: [], epochs: 0, bestEpoch: 0, restoredBest: false, stopReason: 'epochs',
  };
  private readonly order: Uint32Array;
  private readonly batch: number;
  private readonly dataX: number;
  private readonly dataY: number;
  /** Heap block with the weights at the start of the current epoch: restored if an overflowing update could not be undone. */
  private readonly epochStart: number;
  /** Heap block where a step saves the parameters and optimizer state before an update that could overflow. */
  private readonly undo: number;
  /** Heap block with the best epoch's weights (early stopping with restoreBest). */
  private readonly best: number;
  private bestValue = Infinity;
  private wait = 0;
  private done = false;

  constructor(
    private readonly trainer: Trainer,
    x: Float32Array,
    y: Float32Array,
    private readonly rows: number,
    private readonly epochs: number,
    private readonly val: { x: Float32Array; y: Float32Array; rows: number } | null,
    private readonly early: Required<EarlyStoppingOptions> | null,
    private readonly options: FitOptions,
    rejectNonFinite: () => never,
  ) {
    const net = trainer.network;
    const plan = net.plan;
    this.batch = Math.min(trainer.batchSize, rows);
    plan.ensureCapacity(this.batch);
    plan.setWeightDecay(trainer.weightDecay);
    this.order = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) this.order[i] = i;
    const heap = net.runtime.heap;
    const region = plan.paramRegion.end - plan.paramRegion.start;
    const blocks: number[] = [];
    try {
      // The training rows live in linear memory for the whole fit: an
      // unshuffled batch is used where it lies, a shuffled one gathered with memmoves.
      this.dataX = heap.alloc(rows * net.inputs * 4, `the ${rows} training rows`, false);
      blocks.push(this.dataX);
      this.dataY = heap.alloc(rows * net.outputs * 4, `the ${rows} training targets`, false);
      blocks.push(this.dataY);
      this.epochStart = heap.alloc(region, 'a snapshot of the weights', false);
      blocks.push(this.epochStart);
      // optional: without it an overflowing update falls back to the epoch snapshot
      this.undo = allocOptional(heap, trainer.undoBytes, 'room to undo an overflowing update');
      if (this.undo) blocks.push(this.undo);
      this.best = this.early?.restoreBest ? heap.alloc(region, 'a snapshot of the best weights', false) : 0;
    } catch (e) {
      for (const b of blocks) heap.release(b);
      throw e;
    }
    const f32 = heap.f32();
    f32.set(x, this.dataX >>> 2);
    f32.set(y, this.dataY >>> 2);
    if (!net.runtime.backend.kernels.all_finite(x.length, this.dataX)) {
      this.release();
      rejectNonFinite();
    }
    net.training = true;
  }

  /** Runs one epoch; false once training is over. */
  epoch(): boolean {
    if (this.done) return false;
    const { trainer, options, history } = this;
    const net = trainer.network;
    const plan = net.plan;
    const heap = net.runtime.heap;
    const inputs = net.inputs;
    const outputs = net.outputs;
    const epoch = history.epochs + 1;
    const batches = Math.ceil(this.rows / this.batch);
    if (trainer.shuffle) trainer.random.shuffle(this.order);
    plan.snapshotParams(this.epochStart);
    // the step kernel sums loss × rows into the tail: no float is handled here per step
    heap.f64()[plan.tailF64 + TailF64.lossSum] = 0;
    for (let b = 0; b < batches; b++) {
      if (options.signal?.aborted) return this.stop('aborted');
      const start = b * this.batch;
      const n = Math.min(this.batch, this.rows - start);
      let X = this.dataX + start * inputs * 4;
      let Y = this.dataY + start * outputs * 4;
      if (trainer.shuffle) {
        // views are taken after the last allocation and stay valid for the whole step
        const f32 = heap.f32();
        gatherRows(f32, this.dataX >>> 2, this.order, start, n, inputs, plan.X >>> 2);
        gatherRows(f32, this.dataY >>> 2, this.order, start, n, outputs, plan.Y >>> 2);
        X = plan.X;
        Y = plan.Y;
      }
      const status = trainer.step(n, X, Y, this.undo);
      if (status === StepStatus.skipped) {
        throw new TrainingError(
          `fit: the loss or a gradient is not finite at epoch ${epoch}, batch ${b + 1}; that step was not applied, so the weights are those after the last finite step (try a smaller learning rate)`,
          { epoch, batch: b + 1 },
        );
      }
      if (status === StepStatus.undone) {
        throw new TrainingError(
          `fit: the update at epoch ${epoch}, batch ${b + 1} made a weight non-finite; it was undone, so the weights and optimizer state are those after the last finite step (try a smaller learning rate)`,
          { epoch, batch: b + 1 },
        );
      }
      if (status === StepStatus.notUndone) {
        plan.restoreParams(this.epochStart);
        trainer.resetState();
        throw new TrainingError(
          `fit: the update at epoch ${epoch}, batch ${b + 1} made a weight non-finite; the weights were restored to the start of epoch ${epoch} and the optimizer state reset (try a smaller learning rate)`,
          { epoch, batch: b + 1 },
        );
      }
      if (options.onBatchEnd) options.onBatchEnd({ epoch, batch: b + 1, batches, loss: heap.f64()[plan.tailF64 + TailF64.result]! });
    }
    history.epochs = epoch;
    const info: EpochInfo = { epoch, epochs: this.epochs, loss: heap.f64()[plan.tailF64 + TailF64.lossSum]! / this.rows };
    history.loss.push(info.loss);
    if (this.val) {
      const r = outputLossAndScore(net, trainer.loss, this.val.x, this.val.y, this.val.rows);
      info.valLoss = r.loss;
      history.valLoss.push(r.loss);
      if (trainer.loss === 'mse') history.valMae.push((info.valMae = r.score));
      else history.valAccuracy.push((info.valAccuracy = r.score));
    }
    const monitored = this.early?.monitor === 'loss' ? info.loss : info.valLoss ?? info.loss;
    const minDelta = this.early?.minDelta ?? 0;
    if (monitored < this.bestValue - minDelta || history.bestEpoch === 0) {
      this.bestValue = monitored;
      history.bestEpoch = epoch;
      this.wait = 0;
      if (this.best) plan.snapshotParams(this.best);
    } else {
      this.wait++;
    }
    if (options.onEpochEnd?.(info) === false) return this.stop('callback');
    if (this.early && this.wait >= this.early.patience) return this.stop('early-stopping');
    if (epoch >= this.epochs) return this.stop('epochs');
    return true;
  }

  private stop(reason: StopReason): false {
    this.history.stopReason = reason;
    this.done = true;
    return false;
  }

  finish(): History {
    const h = this.history;
    if (this.best && h.bestEpoch > 0 && h.bestEpoch !== h.epochs) {
      this.trainer.network.plan.restoreParams(this.best);
      this.trainer.network.weightsVersion++;
      h.restoredBest = true;
    }
    return h;
  }

  release(): void {
    const heap = this.trainer.network.runtime.heap;
    heap.release(this.dataX);
    heap.release(this.dataY);
    heap.release(this.epochStart);
    if (this.undo) heap.release(this.undo);
    if (this.best) heap.release(this.best);
    this.trainer.network.training = false;
  }
}

/** A heap block, or 0 where memory is short (the caller can do without it). */
function allocOptional(heap: Heap, bytes: number, what: string): number {
  try {
    return heap.alloc(bytes, what, false);
  } catch (e) {
    if (e instanceof MemoryError) return 0;
    throw e;
  }
}

// Rows `order[start..start+n)` of the matrix at float index `src` to `dst`,
// both in the heap view `f32`: memmove per row when rows are wide, a plain
// loop when they are narrow (where the call would cost more than the copy).
// Neither allocates.
function gatherRows(
  f32: Float32Array, src: number, order: Uint32Array, start: number, n: number, cols: number, dst: number,
): void {
  if (cols >= 16) {
    for (let i = 0; i < n; i++) {
      const s = src + order[start + i]! * cols;
      f32.copyWithin(dst + i * cols, s, s + cols);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const s = src + order[start + i]! * cols;
    const d = dst + i * cols;
    for (let c = 0; c < cols; c++) f32[d + c] = f32[s + c]!;
  }
}

// instanceof throws on a revoked Proxy: no Network either
function isNetwork(v: unknown): v is Network {
  try {
    return v instanceof Network;
  } catch {
    return false;
  }
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

const FIT_KEYS = ['epochs', 'validation', 'earlyStopping', 'onEpochEnd', 'onBatchEnd', 'signal'] as const;

function isAbortSignal(v: unknown): v is AbortSignal {
  if (typeof AbortSignal === 'function' && v instanceof AbortSignal) return true;
  // a signal from another realm (a worker, a polyfill) has the same shape
  return v !== null && typeof v === 'object' && typeof (v as AbortSignal).aborted === 'boolean' && typeof (v as AbortSignal).addEventListener === 'function';
}

function resolveEarlyStopping(e: unknown, hasValidation: boolean): Required<EarlyStoppingOptions> | null {
  if (e === undefined || e === false) return null;
  const o = e === true ? {} : readOptions(e, 'earlyStopping', ['monitor', 'patience', 'minDelta', 'restoreBest'], 'true or { monitor, patience, minDelta, restoreBest }');
  const monitor = o.monitor === undefined ? 'val_loss' : lookupName({ val_loss: 0, loss: 1 }, o.monitor, 'earlyStopping.monitor');
  if (monitor === 'val_loss' && !hasValidation) {
    throw new ValueError("earlyStopping: monitors the validation loss, but no validation data was given; pass validation: { x, y }, or earlyStopping: { monitor: 'loss' } to stop on the training loss");
  }
  return {
    monitor,
    patience: o.patience === undefined ? 10 : checkPositiveInt(o.patience, 'earlyStopping.patience'),
    minDelta: checkNumberIn(o.minDelta === undefined ? 0 : o.minDelta, 'earlyStopping.minDelta', 0, Infinity),
    restoreBest: optionalBoolean(o.restoreBest, 'earlyStopping.restoreBest') ?? true,
  };
}

/** The keys each optimizer takes: a key another optimizer takes is named as such, not silently ignored. */
const OPTIMIZER_KEYS: Record<OptimizerName, readonly string[]> = {
  sgd: ['type', 'lr', 'weightDecay', 'clipNorm'],
  momentum: ['type', 'lr', 'momentum', 'weightDecay', 'clipNorm'],
  adam: ['type', 'lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'clipNorm'],
};

function resolveOptimizer(opt: unknown): ResolvedOptimizer {
  const named = typeof opt === 'string';
  const type = named ? lookupName(Opt, opt, 'optimizer.type') : lookupName(Opt, readOptions(opt, 'optimizer', ['type'], '{ type, lr, … }', 'skip').type, 'optimizer.type');
  const known = OPTIMIZER_KEYS[type];
  if (!named) {
    for (const key of Object.keys(opt as object)) {
      if (guardRead(`optimizer.${key}`, () => (opt as Record<string, unknown>)[key]) === undefined) continue; // not given, as readOptions sees it
      const owner = (Object.keys(OPTIMIZER_KEYS) as OptimizerName[]).find((t) => OPTIMIZER_KEYS[t].includes(key));
      if (!known.includes(key) && owner !== undefined) {
        throw new ValueError(`optimizer.${key}: the '${type}' optimizer does not take ${key} (the '${owner}' optimizer does); remove it or change optimizer.type`);
      }
    }
  }
  const o: Partial<Record<string, unknown>> = named ? {} : readOptions(opt, 'optimizer', known);
  // undefined is the default; null is a value given, refused like any other non-number
  const or = (v: unknown, fallback: number): unknown => (v === undefined ? fallback : v);
  const lr = checkNumberIn(or(o.lr, type === 'adam' ? 0.001 : 0.01), 'optimizer.lr', 0, Infinity, true);
  const weightDecay = checkNumberIn(or(o.weightDecay, 0), 'optimizer.weightDecay', 0, Infinity);
  const clipNorm = o.clipNorm === undefined ? 0 : checkNumberIn(o.clipNorm, 'optimizer.clipNorm', 0, Infinity, true);
  if (type === 'momentum') {
    const m = checkNumberIn(or(o.momentum, 0.9), 'optimizer.momentum', 0, 1, false, true);
    return { code: Opt.momentum, lr, beta1: m, beta2: 0, eps: 0, weightDecay, clipNorm };
  }
  if (type === 'adam') {
    return {
      code: Opt.adam,
      lr,
      beta1: checkNumberIn(or(o.beta1, 0.9), 'optimizer.beta1', 0, 1, false, true),
      beta2: checkNumberIn(or(o.beta2, 0.999), 'optimizer.beta2', 0, 1, false, true),
      eps: checkNumberIn(or(o.eps, 1e-8), 'optimizer.eps', 0, Infinity, true),
      weightDecay,
      clipNorm,
    };
  }
  return { code: Opt.sgd, lr, beta1: 0, beta2: 0, eps: 0, weightDecay, clipNorm };
}
