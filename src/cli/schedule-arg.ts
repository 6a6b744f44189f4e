/**
 * `--schedule` and `--monitor` of `simdnet train`: a learning-rate schedule
 * written as `name[:key=value,…]` (the keys of TrainerOptions.schedule in
 * kebab case), and the metric early stopping watches.
 */

import type { MonitorName, ScheduleOptions } from '../index.js';
import { decimal } from './args.js';
import { UsageError } from './errors.js';

const KEYS: Record<ScheduleOptions['type'], Record<string, string>> = {
  step: { 'step-size': 'stepSize', gamma: 'gamma' },
  exponential: { gamma: 'gamma' },
  cosine: { warmup: 'warmup', 'min-lr': 'minLr', epochs: 'epochs' },
  plateau: { factor: 'factor', patience: 'patience', 'min-delta': 'minDelta', cooldown: 'cooldown', 'min-lr': 'minLr' },
};

export const SCHEDULE_EXAMPLES = 'cosine:warmup=5, step:step-size=30,gamma=0.5, exponential:gamma=0.98, plateau:patience=10,factor=0.5';

/**
 * Parses `--schedule`: `none`, or a schedule name and its numbers, e.g.
 * `cosine:warmup=5,min-lr=0.0001`. The values' ranges are checked by the
 * Trainer, whose messages name the option.
 */
export function parseSchedule(raw: string): ScheduleOptions | null {
  const [name = '', rest] = raw.trim().split(/:(.*)/s, 2);
  if (name === 'none' && rest === undefined) return null;
  if (!Object.prototype.hasOwnProperty.call(KEYS, name)) {
    throw new UsageError(`--schedule: expected none, step, exponential, cosine or plateau, optionally with values (e.g. ${SCHEDULE_EXAMPLES}), got '${raw}'`);
  }
  const type = name as ScheduleOptions['type'];
  const keys = KEYS[type];
  const schedule: Record<string, unknown> = { type };
  for (const part of rest === undefined || rest.trim() === '' ? [] : rest.split(',')) {
    const [key = '', text] = part.split('=', 2).map((s) => s.trim());
    const value = text === undefined ? null : decimal(text);
    if (!Object.prototype.hasOwnProperty.call(keys, key)) {
      throw new UsageError(`--schedule: the ${type} schedule takes ${Object.keys(keys).join(', ')}, got '${key}' in '${raw}'`);
    }
    if (value === null || !Number.isFinite(value)) throw new UsageError(`--schedule: expected ${key}=<number>, got '${part.trim()}' in '${raw}'`);
    schedule[keys[key]!] = value;
  }
  if (type === 'step' && schedule.stepSize === undefined) throw new UsageError(`--schedule: the step schedule needs step-size=<epochs>, e.g. step:step-size=30, got '${raw}'`);
  if (type === 'exponential' && schedule.gamma === undefined) throw new UsageError(`--schedule: the exponential schedule needs gamma=<factor per epoch>, e.g. exponential:gamma=0.98, got '${raw}'`);
  return schedule as unknown as ScheduleOptions;
}

/** Parses `--monitor`. */
export function parseMonitor(raw: string): MonitorName {
  const names: MonitorName[] = ['val_loss', 'val_accuracy', 'val_mae', 'loss'];
  if ((names as string[]).includes(raw)) return raw as MonitorName;
  throw new UsageError(`--monitor: expected one of ${names.join(', ')}, got '${raw}'`);
}
