/**
 * The metric a fit watches — for early stopping, for the best epoch and for
 * the reduce-on-plateau schedule — and what counts as an improvement of it.
 */

import type { LossName } from '../backend/abi.js';
import { ValueError } from '../errors.js';
import { lookupName } from '../options.js';

/**
 * A metric computed after every epoch: `'loss'` (the training loss),
 * `'val_loss'`, `'val_accuracy'` (classification losses) or `'val_mae'`
 * (mse); the `val_` ones need validation data.
 */
export type MonitorName = 'loss' | 'val_loss' | 'val_accuracy' | 'val_mae';

/** Whether the monitored value should fall (`'min'`) or rise (`'max'`); `'auto'`: max for accuracy, min otherwise. */
export type MonitorMode = 'min' | 'max' | 'auto';

const MONITORS = { loss: 0, val_loss: 1, val_accuracy: 2, val_mae: 3 } as const;
const MODES = { min: 0, max: 1, auto: 2 } as const;

const WORDS: Record<MonitorName, string> = {
  loss: 'the training loss',
  val_loss: 'the validation loss',
  val_accuracy: 'the validation accuracy',
  val_mae: 'the validation mean absolute error',
};

/** A monitor, checked against the fit it watches. */
export interface Monitor {
  name: MonitorName;
  /** True: larger is better. */
  max: boolean;
}

/** The monitor named `monitor` (default `fallback`), with its mode, checked against the loss and the validation data. */
export function resolveMonitor(
  monitor: unknown, mode: unknown, where: string, loss: LossName, hasValidation: boolean, fallback: MonitorName = 'val_loss',
): Monitor {
  const name = monitor === undefined ? fallback : lookupName(MONITORS, monitor, `${where}.monitor`);
  const m = mode === undefined ? 'auto' : lookupName(MODES, mode, `${where}.mode`);
  if (name !== 'loss' && !hasValidation) {
    throw new ValueError(
      `${where}: monitors ${WORDS[name]}, but no validation data was given; pass validation: { x, y }, or ${where}: { monitor: 'loss' } to watch the training loss, or hold rows out with validationSplit`,
    );
  }
  if (name === 'val_accuracy' && loss === 'mse') {
    throw new ValueError(`${where}.monitor: 'val_accuracy' is computed for classification losses (bce, cce), got loss 'mse'; monitor 'val_mae' or 'val_loss'`);
  }
  if (name === 'val_mae' && loss !== 'mse') {
    throw new ValueError(`${where}.monitor: 'val_mae' is computed for loss 'mse', got loss '${loss}'; monitor 'val_accuracy' or 'val_loss'`);
  }
  return { name, max: m === 'auto' ? name === 'val_accuracy' : m === 'max' };
}

/** The epoch's value of the monitored metric. */
export function monitoredValue(monitor: Monitor, info: { loss: number; valLoss?: number; valAccuracy?: number; valMae?: number }): number {
  switch (monitor.name) {
    case 'loss':
      return info.loss;
    case 'val_loss':
      return info.valLoss!;
    case 'val_accuracy':
      return info.valAccuracy!;
    case 'val_mae':
      return info.valMae!;
  }
}

/** Whether `value` improves on `best` by more than `minDelta` in the monitor's direction (any value beats no best yet). */
export function improves(monitor: Monitor, value: number, best: number | null, minDelta: number): boolean {
  if (best === null) return true;
  return monitor.max ? value > best + minDelta : value < best - minDelta;
}
