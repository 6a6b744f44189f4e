import { Loss, StepStatus, Tail, type LossName, type OptCode } from '../backend/abi.js';
import { StateError, ValueError } from '../errors.js';
import { labelTargets } from '../network/class-labels.js';
import { Network } from '../network/network.js';
import { checkLossFits, type TargetInput } from '../network/targets.js';
import { lookupName, optionalBoolean, optionalFunction, readOptions } from '../options.js';
import { Random } from '../random.js';
import { checkNumberIn, checkPositiveInt, checkSeed, describe, toMatrix, type MatrixInput } from '../validate.js';
import { FitRun } from './fit-run.js';
import { fitStream, type BatchSource, type FitStreamOptions } from './fit-stream.js';
import type { FitOptions, History, TrainerOptions } from './options.js';
import {
  balancedClassWeights, FIT_KEYS, isAbortSignal, resolveClassWeight, resolveEarlyStopping, resolveOptimizer,
  type ResolvedEarlyStopping, type ResolvedOptimizer,
} from './resolve-options.js';
import { resolveSchedule, ScheduleRun, type ResolvedSchedule } from './schedules.js';
import { holdOut, type Rows } from './validation-split.js';

/** What fit's `y` takes: targets (class indices, 0/1 values, one-hot rows, regression values) or class labels. */
export type FitTargets = TargetInput | readonly string[];

/**
 * Trains a network by mini-batch gradient descent: each step is one call into
 * the kernels (forward, loss, backprop, update), with nothing allocated per
 * step. The optimizer state lives with the trainer: a new Trainer starts fresh.
 */
export class Trainer {
  /** The network this trainer trains (its weights change in place). */
  readonly network: Network;
  /** The loss minimised: 'bce', 'cce' or 'mse'. */
  readonly loss: LossName;
  /** Rows per mini-batch (capped at the rows of each fit). */
  readonly batchSize: number;
  /** Whether the rows are reshuffled every epoch. */
  readonly shuffle: boolean;
  /** Seed of the shuffling and of `validationSplit`. */
  readonly seed: number;
  private readonly optimizer: ResolvedOptimizer;
  private readonly schedule: ResolvedSchedule | null;
  /** The rate of the next step, where a schedule writes it and the step reads it (an array: no number is boxed per step). */
  private readonly rate = new Float64Array(1);
  private readonly rng: Random;
  /** Optimizer steps taken so far (Adam's t). */
  private steps = 0;

  /**
   * @param network - the network to train; its output layer must suit the loss.
   * @param options - the loss (required), optimizer, schedule, batch size, shuffling and seed.
   * @throws ValueError for an unknown or misspelt option or name, a value out
   *   of range, or a loss the output layer does not suit.
   */
  constructor(network: Network, options: TrainerOptions) {
    if (!isNetwork(network)) throw new ValueError(`network: expected a Network, got ${describe(network)}`);
    const o = readOptions(options, 'Trainer options', ['loss', 'optimizer', 'schedule', 'batchSize', 'shuffle', 'seed', 'classWeight'], '{ loss, optimizer, schedule, batchSize, shuffle, seed, classWeight }');
    const loss = lookupName(Loss, o.loss, 'loss');
    const plan = network.plan;
    checkLossFits(loss, plan.layers[plan.layers.length - 1]!);
    const optimizer = resolveOptimizer(o.optimizer === undefined ? 'adam' : o.optimizer);
    const schedule = resolveSchedule(o.schedule, optimizer.lr);
    const batchSize = o.batchSize === undefined ? 32 : checkPositiveInt(o.batchSize, 'batchSize');
    const shuffle = optionalBoolean(o.shuffle, 'shuffle') ?? true;
    const seed = checkSeed(o.seed, 'seed');
    const outputs = plan.layers[plan.layers.length - 1]!.outputs;
    this.classWeight = resolveClassWeight(o.classWeight, loss, loss === 'bce' ? outputs + 1 : outputs);
    this.network = network;
    this.loss = loss;
    this.optimizer = optimizer;
    this.schedule = schedule;
    this.rate[0] = optimizer.lr;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.rng = new Random(seed);
    plan.resetOptimizerState();
  }

  /**
   * The learning rate: during a fit, the rate of the step that runs next (or,
   * in onBatchEnd, of the step that just ran); after a fit, the rate of its
   * last step. With a schedule it changes during a fit, and each fit starts
   * again from `optimizer.lr`. Setting it (a finite number > 0, e.g. from a
   * callback) sets the optimizer's rate from the next step on, for this and
   * later fits; while a fit with a schedule runs, the schedule owns the rate
   * and setting it is a StateError.
   */
  get learningRate(): number {
    return this.rate[0]!;
  }
  set learningRate(v: number) {
    if (this.schedule !== null && this.network.training) {
      throw new StateError(`learningRate: this fit's '${this.schedule.type}' schedule sets the rate; create the Trainer without a schedule to set it yourself`);
    }
    const lr = checkNumberIn(v, 'learningRate', 0, Infinity, true);
    this.optimizer.lr = lr;
    this.rate[0] = lr;
  }

  /**
   * Runs up to `epochs` passes over (x, y). With batchSize ≥ rows and shuffle
   * off, each epoch is exactly one full-batch optimizer step.
   *
   * @param x - inputs: nested rows or row-major values, raw (the network's scaler applies).
   * @param y - targets, one per row: class indices (cce), 0/1 values (bce),
   *   one-hot rows, regression values (nested rows or row-major), or class
   *   labels — strings always, numbers with `labels: true` — mapped through
   *   `network.classes` (set from the labels when it is null: text in
   *   code-unit order, numbers in numeric order).
   * @returns the history: per-epoch losses and metrics, the best epoch, why it stopped.
   * @throws ShapeError, ValueError for bad inputs or options (before any step);
   *   StateError when the network is disposed or already training;
   *   TrainingError when the loss or a weight becomes non-finite.
   */
  fit(x: MatrixInput, y: FitTargets, options: FitOptions = {}): History {
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
  async fitAsync(x: MatrixInput, y: FitTargets, options: FitOptions = {}): Promise<History> {
    const run = this.start(x, y, options);
    try {
      while (run.epoch()) await yieldToEventLoop();
      return run.finish();
    } finally {
      run.release();
    }
  }

  /**
   * Trains on mini-batches from a stream instead of rows held in memory:
   * for data larger than linear memory (4 GiB) or made on the fly, as Keras'
   * fit(generator) or a tf.data dataset. Every epoch iterates `batches`
   * from its start and takes one optimizer step per batch, in the order
   * given (shuffling, batch sizes and the order are the source's: this
   * trainer's `batchSize` and `shuffle` do not apply). A stream that gives
   * the batches `fit` would form gives fit's weights and history, bit for bit.
   * Validation data (`validation`), early stopping, schedules (a cosine
   * schedule with `batchesPerEpoch`), callbacks and `signal` work as in fit.
   *
   * Each batch is checked as it arrives; a bad one stops the fit with an
   * error naming its epoch and batch, the weights then those after the last
   * step. Class labels need `network.classes` set first, and class weights
   * must be given per class ('balanced' needs every row before the first step).
   *
   * @returns the history, as fit's (`onTrainBegin` sees rows 0 and batches
   *   `batchesPerEpoch` or 0: a stream's size is not known in advance).
   * @throws ValueError for bad options, a source that is not iterable, an
   *   epoch without batches, or a bad batch; StateError when the network is
   *   disposed or already training; TrainingError as fit.
   */
  fitStream(batches: BatchSource, options: FitStreamOptions = {}): Promise<History> {
    return fitStream(this, batches, options);
  }

  private start(x: MatrixInput, y: FitTargets, options: FitOptions): FitRun {
    const net = this.network;
    net.plan; // throws if disposed
    if (net.training) throw new StateError('fit: this network is already being trained; wait for that fit to return');
    const o = readOptions(options, 'fit options', FIT_KEYS, `{ ${FIT_KEYS.join(', ')} }`) as FitOptions;
    const epochs = o.epochs === undefined ? 10 : checkPositiveInt(o.epochs, 'epochs');
    const numbersAreLabels = optionalBoolean(o.labels, 'labels') ?? false;
    if (o.validation !== undefined && o.validationSplit !== undefined) {
      throw new ValueError('validationSplit: expected either validation data or validationSplit, got both; remove one');
    }
    // no defensive copy: FitRun copies the rows into linear memory before fit
    // returns or awaits, and checks that copy for non-finite values (held-out
    // validation rows are checked here, as they never go there)
    const xs = net.prepareInputs(x, 'x', false, o.validationSplit !== undefined);
    const labels = labelTargets(y, xs.rows, net.shapes, net.classes, 'y', numbersAreLabels);
    const classes = net.classes ?? labels?.newClasses ?? null;
    const ys = net.prepareTargets((labels?.targets ?? y) as TargetInput, xs.rows, this.loss, false);
    let train: Rows = { x: xs.data, y: ys, rows: xs.rows };
    let val = this.validationRows(o, classes, numbersAreLabels);
    if (val === null && o.validationSplit !== undefined) {
      ({ train, validation: val } = holdOut(train, net.inputs, net.outputs, this.loss, o.validationSplit, this.seed));
    }
    const early = this.fitControls(o, val !== null);
    const batches = Math.ceil(train.rows / Math.min(this.batchSize, train.rows));
    const schedule = this.scheduleRun(epochs, batches, val !== null);
    const rejectNonFinite = (): never => {
      // names the first bad value as the caller gave it (the scaler may have changed it)
      toMatrix(x, net.inputs, 'x', "the network's inputs", false);
      throw new ValueError('x: expected finite numbers, but scaling them with the network\'s scaler gave non-finite values');
    };
    const run = new FitRun(this, train, epochs, val, early, schedule, o, rejectNonFinite);
    // every check has passed and the memory is in place: only now does the network take the labels' classes
    if (labels?.newClasses) net.classes = labels.newClasses;
    return run;
  }

  /** @internal `validation` ({ x, y }) of fit options, checked and prepared; null when not given */
  validationRows(o: FitOptions, classes: readonly string[] | null, numbersAreLabels: boolean): Rows | null {
    if (o.validation === undefined) return null;
    const net = this.network;
    const v = readOptions(o.validation, 'validation', ['x', 'y'], '{ x, y }');
    if (v.x === undefined || v.y === undefined) throw new ValueError(`validation: expected { x, y }, got no ${v.x === undefined ? 'x' : 'y'}`);
    const vx = net.prepareInputs(v.x as MatrixInput, 'validation.x');
    const vl = labelTargets(v.y, vx.rows, net.shapes, classes, 'validation.y', numbersAreLabels);
    return { x: vx.data, y: net.prepareTargets((vl?.targets ?? v.y) as TargetInput, vx.rows, this.loss, true, 'validation.y'), rows: vx.rows };
  }

  /** @internal early stopping, the callbacks and the signal of fit options, checked */
  fitControls(o: FitOptions, hasValidation: boolean): ResolvedEarlyStopping | null {
    const early = resolveEarlyStopping(o.earlyStopping, this.loss, hasValidation);
    for (const key of ['onTrainBegin', 'onEpochBegin', 'onEpochEnd', 'onBatchEnd', 'onTrainEnd'] as const) optionalFunction(o[key], key);
    if (o.signal !== undefined && !isAbortSignal(o.signal)) throw new ValueError(`signal: expected an AbortSignal (AbortController's signal), got ${describe(o.signal)}`);
    return early;
  }

  /** @internal this trainer's schedule for a fit of `epochs` epochs of `batches` batches (0: unknown), or null */
  scheduleRun(epochs: number, batches: number, hasValidation: boolean): ScheduleRun | null {
    return this.schedule && new ScheduleRun(this.schedule, this.optimizer.lr, this.rate, epochs, batches, this.loss, hasValidation);
  }

  /** @internal whether this trainer's schedule changes the rate within an epoch (it then needs the batches of an epoch in advance) */
  get schedulePerStep(): boolean {
    return this.schedule?.type === 'cosine';
  }

  /**
   * @internal one optimizer step on `rows` rows at byte pointers X and Y, with
   * `undo` (0 or a block of plan.undoBytes) to undo an overflowing update in.
   * With `order` (a pointer to u32 row indices; 0: none), the kernel first
   * gathers rows order[orderStart…] of the rows at fromX and the targets at
   * fromY into X and Y (Tail.gatherOrder).
   * Returns a StepStatus; the kernel's value (the loss, see mlp_train_step in
   * src/backend/abi.ts) is in `heap.f64()[(plan.tail + Tail.result) >>> 3]`
   * and the running loss × rows in Tail.lossSum: a float returned would be
   * a new heap number every step.
   */
  step(rows: number, X: number, Y: number, undo = 0, order = 0, orderStart = 0, fromX = 0, fromY = 0): number {
    const net = this.network;
    const plan = net.plan;
    const heap = net.runtime.heap;
    const o = this.optimizer;
    // the hyperparameters go through memory, not arguments (see Tail): no float crosses a call
    const f64 = heap.f64();
    f64[(plan.tail + Tail.lr) >>> 3] = this.rate[0]!;
    f64[(plan.tail + Tail.beta1) >>> 3] = o.beta1;
    f64[(plan.tail + Tail.beta2) >>> 3] = o.beta2;
    f64[(plan.tail + Tail.eps) >>> 3] = o.eps;
    f64[(plan.tail + Tail.clipNorm) >>> 3] = o.clipNorm;
    f64[(plan.tail + Tail.t) >>> 3] = this.steps + 1;
    // a shuffled batch: rows order[orderStart…] of the rows at fromX and fromY, gathered into X and Y by the kernel (0: X and Y hold the batch)
    const u32 = heap.u32();
    u32[(plan.tail + Tail.gatherOrder) >>> 2] = order;
    u32[(plan.tail + Tail.gatherStart) >>> 2] = orderStart;
    u32[(plan.tail + Tail.gatherX) >>> 2] = fromX;
    u32[(plan.tail + Tail.gatherY) >>> 2] = fromY;
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

  /** @internal fixed per-class weights (what a fit on a stream can use: 'balanced' needs every row first), or null */
  get fixedClassWeights(): Float32Array | null {
    return this.classWeight === 'balanced' ? null : this.classWeight;
  }

  /** @internal whether the class weights are 'balanced' (counted from a fit's rows) */
  get balancedClassWeights(): boolean {
    return this.classWeight === 'balanced';
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
