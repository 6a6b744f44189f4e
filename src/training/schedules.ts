/**
 * Learning-rate schedules: the rate of every step as a function of the
 * optimizer's `lr` (the base rate), the epoch and the step, or of the
 * monitored metric (reduce on plateau). A schedule runs within one fit: its
 * first epoch starts from the base rate. It computes one number per epoch
 * (cosine: per step) and writes it where the step reads it, so the training
 * step still allocates nothing.
 */

import type { LossName } from '../backend/abi.js';
import { ValueError } from '../errors.js';
import { lookupName, readOptions } from '../options.js';
import { checkNumberIn, checkPositiveInt } from '../validate.js';
import { improves, monitoredValue, resolveMonitor, type Monitor, type MonitorMode, type MonitorName } from './monitor.js';

/** Step decay (PyTorch's StepLR): `lr · gamma^floor((epoch − 1) / stepSize)`, changing at epoch starts. */
export interface StepSchedule {
  /** `'step'`. */
  type: 'step';
  /** Epochs between two decays, a positive integer. */
  stepSize: number;
  /** The factor of each decay, in (0, 1] (default 0.1). */
  gamma?: number;
}

/** Exponential decay (PyTorch's ExponentialLR): `lr · gamma^(epoch − 1)`, changing at epoch starts. */
export interface ExponentialSchedule {
  /** `'exponential'`. */
  type: 'exponential';
  /** The factor per epoch, in (0, 1]. */
  gamma: number;
}

/**
 * Linear warm-up, then a half cosine from `lr` down to `minLr`, updated every
 * step. With B batches an epoch, step s (0-based, counted over the fit) is at
 * t = s / B epochs: during the warm-up (t < warmup) the rate is
 * `lr · (s + 1) / (warmup · B)`; after it, `minLr + (lr − minLr) · (1 + cos(π·q)) / 2`
 * with q = (t − warmup) / (epochs − warmup), at most 1.
 */
export interface CosineSchedule {
  /** `'cosine'`. */
  type: 'cosine';
  /** Epochs of linear warm-up, ≥ 0, fractions allowed (default 0); less than `epochs`. */
  warmup?: number;
  /** The rate the cosine ends at, ≥ 0 and below the optimizer's lr (default 0). */
  minLr?: number;
  /** Epochs from the start to the end of the cosine (default: the fit's `epochs`); after it, `minLr`. */
  epochs?: number;
}

/**
 * Reduce on plateau (Keras's ReduceLROnPlateau): after `patience` epochs
 * without an improvement of the monitored metric, the rate is multiplied by
 * `factor` (never below `minLr`), then `cooldown` epochs pass before the
 * count starts again. Changes take effect at the next epoch.
 */
export interface PlateauSchedule {
  /** `'plateau'`. */
  type: 'plateau';
  /** The metric to watch (default `'val_loss'`, which needs validation data; `'loss'` without it). */
  monitor?: MonitorName;
  /** Whether the metric should fall or rise (default `'auto'`: rise for accuracy). */
  mode?: MonitorMode;
  /** The factor of each reduction, in (0, 1) (default 0.1). */
  factor?: number;
  /** Epochs without improvement before a reduction (default 10). */
  patience?: number;
  /** The least change that counts as an improvement, ≥ 0 (default 0). */
  minDelta?: number;
  /** Epochs after a reduction during which no epoch counts as one without improvement (default 0). */
  cooldown?: number;
  /** The lowest rate, ≥ 0 (default 0). */
  minLr?: number;
}

/** A learning-rate schedule, the Trainer's `schedule` option. */
export type ScheduleOptions = StepSchedule | ExponentialSchedule | CosineSchedule | PlateauSchedule;

const TYPES = { step: 0, exponential: 1, cosine: 2, plateau: 3 } as const;
const KEYS = {
  step: ['type', 'stepSize', 'gamma'],
  exponential: ['type', 'gamma'],
  cosine: ['type', 'warmup', 'minLr', 'epochs'],
  plateau: ['type', 'monitor', 'mode', 'factor', 'patience', 'minDelta', 'cooldown', 'minLr'],
} as const;

/** A schedule's options, checked once (in the Trainer's constructor); what depends on the fit is checked by {@link startSchedule}. */
export type ResolvedSchedule =
  | { type: 'step'; stepSize: number; gamma: number }
  | { type: 'exponential'; gamma: number }
  | { type: 'cosine'; warmup: number; minLr: number; epochs: number | null }
  | { type: 'plateau'; monitor: unknown; mode: unknown; factor: number; patience: number; minDelta: number; cooldown: number; minLr: number };

export function resolveSchedule(v: unknown, baseLr: number): ResolvedSchedule | null {
  if (v === undefined || v === null) return null;
  const type = lookupName(TYPES, readOptions(v, 'schedule', ['type'], '{ type, … }', 'skip').type, 'schedule.type');
  const o = readOptions(v, 'schedule', KEYS[type], `{ ${KEYS[type].join(', ')} }`);
  const fraction = (key: string, value: unknown, fallback: number, hiOpen = false): number =>
    checkNumberIn(value ?? fallback, `schedule.${key}`, 0, 1, true, hiOpen);
  const minLr = (value: unknown): number => {
    const m = checkNumberIn(value ?? 0, 'schedule.minLr', 0, Infinity);
    if (m >= baseLr) throw new ValueError(`schedule.minLr: expected a rate below the optimizer's lr (${baseLr}), got ${m}`);
    return m;
  };
  switch (type) {
    case 'step':
      if (o.stepSize === undefined) throw new ValueError("schedule.stepSize: expected a positive integer (epochs between decays) for the 'step' schedule, got none");
      return { type, stepSize: checkPositiveInt(o.stepSize, 'schedule.stepSize'), gamma: fraction('gamma', o.gamma, 0.1) };
    case 'exponential':
      if (o.gamma === undefined) throw new ValueError("schedule.gamma: expected the factor per epoch, in (0, 1], for the 'exponential' schedule, got none");
      return { type, gamma: fraction('gamma', o.gamma, 1) };
    case 'cosine': {
      const epochs = o.epochs === undefined ? null : checkPositiveInt(o.epochs, 'schedule.epochs');
      const warmup = checkNumberIn(o.warmup ?? 0, 'schedule.warmup', 0, Infinity);
      if (epochs !== null && warmup >= epochs) throw new ValueError(`schedule.warmup: expected fewer epochs than schedule.epochs (${epochs}), got ${warmup}`);
      return { type, warmup, minLr: minLr(o.minLr), epochs };
    }
    case 'plateau':
      return {
        type,
        monitor: o.monitor,
        mode: o.mode,
        factor: fraction('factor', o.factor, 0.1, true),
        patience: o.patience === undefined ? 10 : checkPositiveInt(o.patience, 'schedule.patience'),
        minDelta: checkNumberIn(o.minDelta ?? 0, 'schedule.minDelta', 0, Infinity),
        cooldown: o.cooldown === undefined ? 0 : checkNonNegativeInt(o.cooldown, 'schedule.cooldown'),
        minLr: minLr(o.minLr),
      };
  }
}

function checkNonNegativeInt(v: unknown, name: string): number {
  if (v === 0) return 0;
  return checkPositiveInt(v, name);
}

/**
 * One fit's run of a schedule. `rate` is where the training step reads the
 * rate from (the Trainer's one-element array): the schedule writes it.
 */
export class ScheduleRun {
  private readonly monitor: Monitor | null;
  private best: number | null = null;
  private wait = 0;
  private cooling = 0;
  /** The plateau schedule's current rate. */
  private current: number;

  constructor(
    private readonly s: ResolvedSchedule,
    private readonly base: number,
    private readonly rate: Float64Array,
    private readonly epochs: number,
    private readonly batches: number,
    loss: LossName,
    hasValidation: boolean,
  ) {
    this.monitor = s.type === 'plateau' ? resolveMonitor(s.monitor, s.mode, 'schedule', loss, hasValidation) : null;
    if (s.type === 'cosine' && s.epochs === null && s.warmup >= epochs) {
      throw new ValueError(`schedule.warmup: expected fewer epochs than the fit's ${epochs}, got ${s.warmup}`);
    }
    this.current = base;
    rate[0] = base;
  }

  /** Whether the rate changes within an epoch (then {@link atStep} runs before every step). */
  get perStep(): boolean {
    return this.s.type === 'cosine';
  }

  /** Sets the rate of epoch `epoch` (1-based). */
  atEpoch(epoch: number): void {
    const s = this.s;
    if (s.type === 'step') this.rate[0] = this.base * s.gamma ** Math.floor((epoch - 1) / s.stepSize);
    else if (s.type === 'exponential') this.rate[0] = this.base * s.gamma ** (epoch - 1);
    else if (s.type === 'plateau') this.rate[0] = this.current;
    else this.atStep(epoch, 0);
  }

  /** Sets the rate of batch `batch` (0-based) of epoch `epoch` (1-based): cosine only. Arithmetic only, nothing allocated. */
  atStep(epoch: number, batch: number): void {
    const s = this.s as Extract<ResolvedSchedule, { type: 'cosine' }>;
    const B = this.batches;
    const step = (epoch - 1) * B + batch;
    const warmupSteps = s.warmup * B;
    if (step < warmupSteps) {
      this.rate[0] = (this.base * (step + 1)) / warmupSteps;
      return;
    }
    const span = ((s.epochs ?? this.epochs) - s.warmup) * B;
    const q = Math.min(1, (step - warmupSteps) / span);
    this.rate[0] = s.minLr + ((this.base - s.minLr) * (1 + Math.cos(Math.PI * q))) / 2;
  }

  /** After an epoch's metrics: the plateau schedule counts epochs without improvement and reduces the rate. */
  afterEpoch(info: { loss: number; valLoss?: number; valAccuracy?: number; valMae?: number }): void {
    const s = this.s;
    if (s.type !== 'plateau') return;
    const value = monitoredValue(this.monitor!, info);
    const cooling = this.cooling > 0;
    if (cooling) {
      this.cooling--;
      this.wait = 0;
    }
    if (improves(this.monitor!, value, this.best, s.minDelta)) {
      this.best = value;
      this.wait = 0;
    } else if (!cooling && ++this.wait >= s.patience) {
      this.current = Math.max(this.current * s.factor, s.minLr);
      this.cooling = s.cooldown;
      this.wait = 0;
    }
  }
}
