// What a fit does before its first step: the options, inputs and targets
// checked and prepared, the validation rows, the run. A module of its own so
// that the first part of the Node build (tsup.lazy.config.ts) need not hold
// it: it is loaded with the first fit.
import { StateError, ValueError } from '../errors.js';
import { labelTargets } from '../network/class-labels.js';
import type { TargetInput } from '../network/targets.js';
import { optionalBoolean, readOptions } from '../options.js';
import { checkPositiveInt, toMatrix, type MatrixInput } from '../validate.js';
import { FitRun } from './fit-run.js';
import type { FitOptions } from './options.js';
import { FIT_KEYS } from './resolve-options.js';
import type { FitTargets, Trainer } from './trainer.js';
import { holdOut, type Rows } from './validation-split.js';

/** The run of one fit, every check passed and the rows in linear memory. */
export function startFit(trainer: Trainer, x: MatrixInput, y: FitTargets, options: FitOptions): FitRun {
  const net = trainer.network;
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
  const ys = net.prepareTargets((labels?.targets ?? y) as TargetInput, xs.rows, trainer.loss, false);
  let train: Rows = { x: xs.data, y: ys, rows: xs.rows };
  let val = validationRows(trainer, o, classes, numbersAreLabels);
  if (val === null && o.validationSplit !== undefined) {
    ({ train, validation: val } = holdOut(train, net.inputs, net.outputs, trainer.loss, o.validationSplit, trainer.seed));
  }
  const early = trainer.fitControls(o, val !== null);
  const batches = Math.ceil(train.rows / Math.min(trainer.batchSize, train.rows));
  const schedule = trainer.scheduleRun(epochs, batches, val !== null);
  const rejectNonFinite = (): never => {
    // names the first bad value as the caller gave it (the scaler may have changed it)
    toMatrix(x, net.inputs, 'x', "the network's inputs", false);
    throw new ValueError('x: expected finite numbers, but scaling them with the network\'s scaler gave non-finite values');
  };
  const run = new FitRun(trainer, train, epochs, val, early, schedule, o, rejectNonFinite);
  // every check has passed and the memory is in place: only now does the network take the labels' classes
  if (labels?.newClasses) net.classes = labels.newClasses;
  return run;
}

/** `validation` ({ x, y }) of fit options, checked and prepared; null when not given. */
export function validationRows(trainer: Trainer, o: FitOptions, classes: readonly string[] | null, numbersAreLabels: boolean): Rows | null {
  if (o.validation === undefined) return null;
  const net = trainer.network;
  const v = readOptions(o.validation, 'validation', ['x', 'y'], '{ x, y }');
  if (v.x === undefined || v.y === undefined) throw new ValueError(`validation: expected { x, y }, got no ${v.x === undefined ? 'x' : 'y'}`);
  const vx = net.prepareInputs(v.x as MatrixInput, 'validation.x');
  const vl = labelTargets(v.y, vx.rows, net.shapes, classes, 'validation.y', numbersAreLabels);
  return { x: vx.data, y: net.prepareTargets((vl?.targets ?? v.y) as TargetInput, vx.rows, trainer.loss, true, 'validation.y'), rows: vx.rows };
}
