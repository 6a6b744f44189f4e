import { StepStatus, Tail } from '../backend/abi.js';
import { MemoryError, TrainingError } from '../errors.js';
import type { Heap } from '../memory/heap.js';
import { outputLossAndScore } from '../network/batch-loss.js';
import { classWeightBytes } from '../network/plan.js';
import { improves, monitoredValue, type Monitor } from './monitor.js';
import type { EpochInfo, FitOptions, History, StopReason } from './options.js';
import type { ResolvedEarlyStopping } from './resolve-options.js';
import type { ScheduleRun } from './schedules.js';
import type { Trainer } from './trainer.js';
import type { Rows } from './validation-split.js';

/**
 * The state of one fit: data, order, snapshots, history. A fit on rows
 * (`train` given) holds them in linear memory; a fit on a stream of batches
 * (`train` null, see fit-stream.ts) holds none and brings each batch in itself.
 */
export class FitRun {
  private readonly history: History = {
    loss: [], valLoss: [], valAccuracy: [], valMae: [], lr: [], epochs: 0, bestEpoch: 0, restoredBest: false, stopReason: 'epochs',
  };
  /** What decides the best epoch: early stopping's monitor, else the validation loss if given, else the training loss. */
  private readonly monitor: Monitor;
  private readonly rows: number;
  private readonly order: Uint32Array;
  /** The order in linear memory, copied there every epoch, from which the step kernel gathers a shuffled batch (Tail.gatherOrder); 0 without shuffling. */
  private orderAt = 0;
  private readonly batch: number;
  /** Steps per epoch. */
  private readonly batches: number;
  /** Whether onTrainBegin, onEpochBegin or a schedule wants to know when an epoch begins. */
  private readonly watched: boolean;
  private readonly dataX: number;
  private readonly dataY: number;
  /** Heap block with the weights at the start of the current epoch: restored if an overflowing update could not be undone. */
  private readonly epochStart: number;
  /** Heap block where a step saves the parameters and optimizer state before an update that could overflow. */
  private readonly undo: number;
  /** Heap block with the best epoch's weights (early stopping with restoreBest). */
  private readonly best: number;
  private bestValue: number | null = null;
  private wait = 0;
  private done = false;

  constructor(
    private readonly trainer: Trainer,
    train: Rows | null,
    private readonly epochs: number,
    private readonly val: Rows | null,
    private readonly early: ResolvedEarlyStopping | null,
    private readonly schedule: ScheduleRun | null,
    private readonly options: FitOptions,
    rejectNonFinite: () => never,
  ) {
    const rows = train?.rows ?? 0;
    this.rows = rows;
    this.monitor = early?.monitor ?? { name: val ? 'val_loss' : 'loss', max: false };
    const net = trainer.network;
    const plan = net.plan;
    this.batch = train ? Math.min(trainer.batchSize, rows) : trainer.batchSize;
    this.batches = train ? Math.ceil(rows / this.batch) : 0;
    this.watched = schedule !== null || options.onTrainBegin !== undefined || options.onEpochBegin !== undefined;
    if (train) plan.ensureCapacity(this.batch);
    plan.setWeightDecay(trainer.weightDecay);
    this.order = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) this.order[i] = i;
    const heap = net.runtime.heap;
    const region = plan.paramRegion.end - plan.paramRegion.start;
    const blocks: number[] = [];
    try {
      // The training rows live in linear memory for the whole fit: an
      // unshuffled batch is used where it lies, a shuffled one gathered with memmoves.
      this.dataX = train ? heap.alloc(rows * net.inputs * 4, `the ${rows} training rows`, false) : 0;
      if (this.dataX) blocks.push(this.dataX);
      // the class weights, if any, right after the targets (a stream's targets come a batch at a time: there, the weights alone)
      this.dataY = heap.alloc(rows * net.outputs * 4 + classWeightBytes(net.outputs), train ? `the ${rows} training targets` : 'the class weights', false);
      blocks.push(this.dataY);
      this.orderAt = train && trainer.shuffle ? heap.alloc(rows * 4, `the order of the ${rows} training rows`, false) : 0;
      if (this.orderAt) blocks.push(this.orderAt);
      this.epochStart = heap.alloc(region, 'a snapshot of the weights', false);
      blocks.push(this.epochStart);
      this.best = this.early?.restoreBest ? heap.alloc(region, 'a snapshot of the best weights', false) : 0;
      if (this.best) blocks.push(this.best);
      // optional, so taken last: it must never take the room of a block the
      // fit needs (src/pipeline/fit-memory.ts counts those only); without it
      // an overflowing update falls back to the epoch snapshot
      this.undo = allocOptional(heap, trainer.undoBytes, 'room to undo an overflowing update');
    } catch (e) {
      for (const b of blocks) heap.release(b);
      throw e;
    }
    if (train) {
      const f32 = heap.f32();
      f32.set(train.x, this.dataX >>> 2);
      f32.set(train.y, this.dataY >>> 2);
      if (!net.runtime.backend.kernels.f32_all_finite(train.x.length, this.dataX)) {
        this.release();
        rejectNonFinite();
      }
    }
    const weights = train ? trainer.classWeightsFor(train.y, rows) : trainer.fixedClassWeights;
    if (weights) {
      const at = this.dataY + rows * net.outputs * 4;
      heap.f32().set(weights, at >>> 2);
      plan.setClassWeights(at);
    }
    net.training = true;
  }

  /** Runs one epoch over the rows in linear memory; false once training is over. */
  epoch(): boolean {
    if (this.done) return false;
    const { trainer } = this;
    const plan = trainer.network.plan;
    const inputs = trainer.network.inputs;
    const outputs = trainer.network.outputs;
    const batches = this.batches;
    const epoch = this.beginEpoch(this.rows, batches);
    for (let b = 0; b < batches; b++) {
      const start = b * this.batch;
      const n = Math.min(this.batch, this.rows - start);
      // a shuffled batch is gathered into the network's batch block by the step kernel (on every thread, its own rows)
      const ok = this.orderAt
        ? this.step(epoch, b, batches, n, plan.X, plan.Y, start)
        : this.step(epoch, b, batches, n, this.dataX + start * inputs * 4, this.dataY + start * outputs * 4);
      if (!ok) return false;
    }
    return this.endEpoch(epoch, this.rows);
  }

  /**
   * Starts the next epoch of `rows` rows in `batches` batches (0 where a
   * stream does not say): callbacks, the schedule's rate, the shuffled
   * order, the snapshot an overflow falls back to. Returns its 1-based number.
   * @internal (fitStream runs its epochs from these pieces)
   */
  beginEpoch(rows: number, batches: number): number {
    const { trainer, options } = this;
    const plan = trainer.network.plan;
    const epoch = this.history.epochs + 1;
    if (this.watched) {
      if (epoch === 1) {
        options.onTrainBegin?.({ epochs: this.epochs, rows, validationRows: this.val?.rows ?? 0, batchSize: this.batch, batches });
      }
      this.schedule?.atEpoch(epoch);
      options.onEpochBegin?.({ epoch, epochs: this.epochs, lr: trainer.learningRate });
    }
    if (trainer.shuffle && this.rows > 0) {
      trainer.random.shuffle(this.order);
      if (this.orderAt) trainer.network.runtime.heap.u32().set(this.order, this.orderAt >>> 2);
    }
    plan.snapshotParams(this.epochStart);
    // the step kernel sums loss × rows into the tail: no float is handled here per step
    trainer.network.runtime.heap.f64()[(plan.tail + Tail.lossSum) >>> 3] = 0;
    return epoch;
  }

  /**
   * Batch `b` (0-based) of `epoch`: one optimizer step on `n` rows at byte
   * pointers X and Y (with `orderStart`, rows orderStart… of this fit's
   * shuffled order, which the kernel gathers there first). False when the
   * signal has aborted the fit (no step taken); a TrainingError when the step
   * could not be applied. @internal
   */
  step(epoch: number, b: number, batches: number, n: number, X: number, Y: number, orderStart = -1): boolean {
    const { trainer, options, schedule } = this;
    const net = trainer.network;
    const plan = net.plan;
    if (options.signal?.aborted) return this.stop('aborted');
    if (schedule !== null && b > 0 && schedule.perStep) schedule.atStep(epoch, b);
    const status = orderStart < 0 ? trainer.step(n, X, Y, this.undo) : trainer.step(n, X, Y, this.undo, this.orderAt, orderStart, this.dataX, this.dataY);
    if (status !== StepStatus.applied) this.refuseStep(status, epoch, b);
    if (options.onBatchEnd) options.onBatchEnd({ epoch, batch: b + 1, batches, loss: net.runtime.heap.f64()[(plan.tail + Tail.result) >>> 3]! });
    return true;
  }

  /**
   * Ends `epoch`, which trained on `rows` rows: its mean loss, validation,
   * the best epoch, the schedule and early stopping. False once training is
   * over. @internal
   */
  endEpoch(epoch: number, rows: number): boolean {
    const { trainer, options, history, schedule } = this;
    const net = trainer.network;
    const plan = net.plan;
    history.epochs = epoch;
    const loss = net.runtime.heap.f64()[(plan.tail + Tail.lossSum) >>> 3]! / rows;
    const lr = trainer.learningRate;
    history.loss.push(loss);
    history.lr.push(lr);
    // Without validation data, a schedule or onEpochEnd nothing reads an
    // EpochInfo, and the monitor can only be the training loss (resolveMonitor
    // refuses the others): a tiny network's epoch costs about a microsecond,
    // so the object and the calls are left out.
    let info: EpochInfo | null = null;
    let monitored = loss;
    if (this.val !== null || schedule !== null || options.onEpochEnd !== undefined) {
      info = { epoch, epochs: this.epochs, loss, lr };
      if (this.val) {
        const r = outputLossAndScore(net, trainer.loss, this.val.x, this.val.y, this.val.rows);
        info.valLoss = r.loss;
        history.valLoss.push(r.loss);
        if (trainer.loss === 'mse') history.valMae.push((info.valMae = r.score));
        else history.valAccuracy.push((info.valAccuracy = r.score));
      }
      monitored = monitoredValue(this.monitor, info);
    }
    if (improves(this.monitor, monitored, this.bestValue, this.early?.minDelta ?? 0)) {
      this.bestValue = monitored;
      history.bestEpoch = epoch;
      this.wait = 0;
      if (this.best) plan.snapshotParams(this.best);
    } else {
      this.wait++;
    }
    if (info !== null) {
      schedule?.afterEpoch(info);
      if (options.onEpochEnd?.(info) === false) return this.stop('callback');
    }
    if (this.early && this.wait >= this.early.patience) return this.stop('early-stopping');
    if (epoch >= this.epochs) return this.stop('epochs');
    return true;
  }

  /** The TrainingError of a step that was not applied (after restoring the epoch's start where the step could not undo itself). */
  private refuseStep(status: number, epoch: number, b: number): never {
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
    if (status > StepStatus.notUndone) {
      // a worker thread failed (the runtime now runs on one thread; threadsNote says what happened): before
      // the update nothing had changed; during it some parameters were updated and some not
      const during = status === StepStatus.workerFailedMidUpdate;
      if (during) {
        this.trainer.network.plan.restoreParams(this.epochStart);
        this.trainer.resetState();
      }
      throw new TrainingError(
        `fit: ${this.trainer.network.runtime.threadsNote}, at epoch ${epoch}, batch ${b + 1}; the weights are those ${during ? `of the start of epoch ${epoch} (optimizer state reset)` : 'after the last finished step'}; the runtime goes on on one thread`,
        { epoch, batch: b + 1 },
      );
    }
    this.trainer.network.plan.restoreParams(this.epochStart);
    this.trainer.resetState();
    throw new TrainingError(
      `fit: the update at epoch ${epoch}, batch ${b + 1} made a weight non-finite; the weights were restored to the start of epoch ${epoch} and the optimizer state reset (try a smaller learning rate)`,
      { epoch, batch: b + 1 },
    );
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
    this.options.onTrainEnd?.(h);
    return h;
  }

  release(): void {
    const heap = this.trainer.network.runtime.heap;
    this.trainer.network.plan.setClassWeights(0);
    if (this.dataX) heap.release(this.dataX);
    if (this.orderAt) heap.release(this.orderAt);
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
