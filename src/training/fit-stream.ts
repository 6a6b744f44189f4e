/**
 * Training from a stream of mini-batches: rows that never sit in linear
 * memory all at once (a file larger than Wasm's 4 GiB, a generator, a
 * network source). Each batch is copied into the network's batch block and
 * stepped on exactly as `fit` steps on a batch of its rows, so a stream that
 * gives the batches fit would form gives fit's weights, bit for bit.
 */

import { StateError, ValueError } from '../errors.js';
import { labelTargets } from '../network/class-labels.js';
import type { TargetInput } from '../network/targets.js';
import { optionalBoolean, readOptions } from '../options.js';
import { checkPositiveInt, describe, type MatrixInput } from '../validate.js';
import { FitRun } from './fit-run.js';
import type { FitOptions, History } from './options.js';
import { FIT_KEYS } from './resolve-options.js';
import type { FitTargets, Trainer } from './trainer.js';

/** One mini-batch of a stream: rows and their targets, in the forms `fit` takes. */
export interface StreamBatch {
  /** Inputs: nested rows or row-major values, raw (the network's scaler applies). */
  x: MatrixInput;
  /** Targets of those rows, as fit's `y` takes them (class labels need `network.classes` set). */
  y: FitTargets;
}

/**
 * Where a fit on a stream gets its batches, all of them once per epoch: an
 * iterable (sync or async) that starts over each time it is iterated (an
 * array, a tf.data-like dataset object), or a function returning a fresh
 * iterable each epoch (`() => readBatches(file)`; a generator object runs
 * only once, so give the function that makes it).
 */
export type BatchSource =
  | AsyncIterable<StreamBatch>
  | Iterable<StreamBatch>
  | (() => AsyncIterable<StreamBatch> | Iterable<StreamBatch>);

/** What `trainer.fitStream(batches, options)` takes: fit's options, but `validationSplit` (a stream has no rows to hold out). */
export interface FitStreamOptions extends Omit<FitOptions, 'validationSplit'> {
  /**
   * Batches in each epoch, when known in advance (Keras's steps_per_epoch):
   * a cosine schedule needs it, callbacks report it, and an epoch that gives
   * another count is refused. Default: not known (callbacks see 0).
   */
  batchesPerEpoch?: number;
}

export const FIT_STREAM_KEYS = [...FIT_KEYS.filter((k) => k !== 'validationSplit'), 'batchesPerEpoch'] as const;

/** Trainer.fitStream: checks, then runs the epochs, each over the source from its start. */
export async function fitStream(trainer: Trainer, source: BatchSource, options: FitStreamOptions): Promise<History> {
  const net = trainer.network;
  net.plan; // throws if disposed
  if (net.training) throw new StateError('fitStream: this network is already being trained; wait for that fit to return');
  const open = batchOpener(source);
  const o = readOptions(options, 'fitStream options', FIT_STREAM_KEYS, `{ ${FIT_STREAM_KEYS.join(', ')} }`) as FitStreamOptions;
  const epochs = o.epochs === undefined ? 10 : checkPositiveInt(o.epochs, 'epochs');
  const perEpoch = o.batchesPerEpoch === undefined ? 0 : checkPositiveInt(o.batchesPerEpoch, 'batchesPerEpoch');
  if (trainer.schedulePerStep && perEpoch === 0) {
    throw new ValueError("batchesPerEpoch: a 'cosine' schedule sets the rate of every step from the steps of the whole fit; give batchesPerEpoch for a stream");
  }
  if (trainer.balancedClassWeights) {
    throw new ValueError("classWeight: 'balanced' counts every training row's class before the first step, which a stream cannot; give the weights per class (n / (k · count) from your counts)");
  }
  const labels = optionalBoolean(o.labels, 'labels') ?? false;
  const val = trainer.validationRows(o, net.classes, labels);
  const early = trainer.fitControls(o, val !== null);
  const schedule = trainer.scheduleRun(epochs, perEpoch, val !== null);
  const run = new FitRun(trainer, null, epochs, val, early, schedule, o, () => {
    throw new ValueError('fitStream: no rows');
  });
  try {
    for (;;) {
      const epoch = run.beginEpoch(0, perEpoch);
      let b = 0;
      let rows = 0;
      let stopped = false;
      for await (const item of open(epoch)) {
        const n = stepOn(trainer, run, item, epoch, b, perEpoch, labels);
        if (n === 0) {
          stopped = true;
          break;
        }
        rows += n;
        b++;
      }
      if (stopped) break;
      if (b === 0) {
        const why = epoch > 1 ? ': an iterator or generator runs once; pass a function that returns a new one for each epoch (() => makeBatches())' : '';
        throw new ValueError(`batches: expected at least one batch in epoch ${epoch}, got none${why}`);
      }
      if (perEpoch > 0 && b !== perEpoch) throw new ValueError(`batchesPerEpoch: expected ${perEpoch} batches in each epoch, got ${b} in epoch ${epoch}`);
      if (!run.endEpoch(epoch, rows)) break;
      // a source of plain arrays never awaits: let the event loop (a signal, a UI) in between epochs
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    return run.finish();
  } finally {
    run.release();
  }
}

/**
 * Batch `b` of `epoch`, checked, scaled and copied into the network's batch
 * block, and one step taken on it. Returns its rows, or 0 when the signal
 * stopped the fit first.
 */
function stepOn(trainer: Trainer, run: FitRun, item: unknown, epoch: number, b: number, perEpoch: number, labels: boolean): number {
  const net = trainer.network;
  const name = `epoch ${epoch}, batch ${b + 1}`;
  const batch = readOptions(item, name, ['x', 'y'], '{ x, y }');
  if (batch.x === undefined || batch.y === undefined) throw new ValueError(`${name}: expected { x, y }, got no ${batch.x === undefined ? 'x' : 'y'}`);
  const xs = net.prepareInputs(batch.x as MatrixInput, `${name}: x`, false);
  const lt = labelTargets(batch.y, xs.rows, net.shapes, net.classes, `${name}: y`, labels);
  if (lt?.newClasses) {
    throw new ValueError(`${name}: y: class labels need network.classes set before a fit on a stream (a later batch may hold a label this one lacks), got none; set network.classes to every label`);
  }
  const ys = net.prepareTargets((lt?.targets ?? batch.y) as TargetInput, xs.rows, trainer.loss, false, `${name}: y`);
  const plan = net.plan;
  plan.ensureCapacity(xs.rows);
  // views after the last allocation: valid until the step
  const f32 = net.runtime.heap.f32();
  f32.set(xs.data, plan.X >>> 2);
  f32.set(ys, plan.Y >>> 2);
  return run.step(epoch, b, perEpoch, xs.rows, plan.X, plan.Y) ? xs.rows : 0;
}

/** The batches of each epoch from a source: a new iteration per epoch. */
function batchOpener(source: BatchSource): (epoch: number) => AsyncIterable<unknown> | Iterable<unknown> {
  const iterable = (v: unknown): v is AsyncIterable<unknown> | Iterable<unknown> =>
    v !== null && (typeof v === 'object' || typeof v === 'function') && (Symbol.asyncIterator in v || Symbol.iterator in v);
  if (typeof source === 'function' && !iterable(source)) {
    return (epoch) => {
      const made = (source as () => unknown)();
      if (!iterable(made)) throw new ValueError(`batches: expected the function to return an iterable of { x, y } batches (epoch ${epoch}), got ${describe(made)}`);
      return made;
    };
  }
  if (!iterable(source) || typeof source === 'string') {
    throw new ValueError(`batches: expected an iterable of { x, y } batches (sync or async) or a function returning one, got ${describe(source)}`);
  }
  return () => source;
}
