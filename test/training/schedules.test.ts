// Learning-rate schedules: the rate of every step against the formulas,
// computed here in float64 independently of src/training/schedules.ts; the
// optimizer really uses it (a scheduled fit equals one whose callback sets
// the same rates by hand); reduce-on-plateau replays Keras's rule on the
// fit's own history.
import { describe, expect, it } from 'vitest';
import { Network, StateError, Trainer, ValueError, type Runtime, type ScheduleOptions } from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { expectError } from '../support/expect-error.js';
import { values } from '../support/random-values.js';

const ROWS = 40, BATCH = 10, BATCHES = ROWS / BATCH;

function data(seed: number) {
  const x = values(ROWS * 3, seed);
  const y = Array.from({ length: ROWS }, (_, r) => (x[r * 3]! + x[r * 3 + 1]! > 0 ? 1 : 0));
  return { x, y };
}

function net(runtime: Runtime): Network {
  return new Network({ inputs: 3, layers: [{ units: 8, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 5, runtime });
}

/** The rate of every step of a fit, as onBatchEnd sees it right after the step. */
function stepRates(trainer: Trainer, x: Float32Array, y: number[], epochs: number): number[] {
  const rates: number[] = [];
  trainer.fit(x, y, { epochs, onBatchEnd: () => { rates.push(trainer.learningRate); } });
  return rates;
}

const LR = 0.05;

describe.each(BACKENDS)('learning-rate schedules on $name', ({ options }) => {
  const close = (a: number[], b: number[]) => {
    expect(a).toHaveLength(b.length);
    a.forEach((v, i) => expect(Math.abs(v - b[i]!), `step ${i}: ${v} vs ${b[i]}`).toBeLessThanOrEqual(1e-15));
  };

  it('step, exponential: one rate per epoch, lr · γ^floor((e − 1)/stepSize) and lr · γ^(e − 1)', async () => {
    const rt = await runtimeFor(options);
    const { x, y } = data(1);
    const cases: [ScheduleOptions, (e: number) => number][] = [
      [{ type: 'step', stepSize: 3, gamma: 0.5 }, (e) => LR * 0.5 ** Math.floor((e - 1) / 3)],
      [{ type: 'step', stepSize: 2 }, (e) => LR * 0.1 ** Math.floor((e - 1) / 2)],
      [{ type: 'exponential', gamma: 0.9 }, (e) => LR * 0.9 ** (e - 1)],
    ];
    for (const [schedule, rate] of cases) {
      const n = net(rt);
      const t = new Trainer(n, { loss: 'bce', optimizer: { type: 'sgd', lr: LR }, schedule, batchSize: BATCH });
      const expected = Array.from({ length: 7 * BATCHES }, (_, s) => rate(Math.floor(s / BATCHES) + 1));
      close(stepRates(t, x, y, 7), expected);
      n.dispose();
    }
  });

  it('cosine with warm-up: every step, linear (s + 1)/(warmup · B), then a half cosine to minLr', async () => {
    const rt = await runtimeFor(options);
    const { x, y } = data(2);
    const epochs = 8, warmup = 1.5, minLr = 0.001;
    const n = net(rt);
    const t = new Trainer(n, { loss: 'bce', optimizer: { type: 'adam', lr: LR }, schedule: { type: 'cosine', warmup, minLr }, batchSize: BATCH });
    const expected = Array.from({ length: epochs * BATCHES }, (_, s) => {
      const w = warmup * BATCHES;
      if (s < w) return (LR * (s + 1)) / w;
      const q = (s - w) / (epochs * BATCHES - w);
      return minLr + ((LR - minLr) * (1 + Math.cos(Math.PI * q))) / 2;
    });
    close(stepRates(t, x, y, epochs), expected);
    // every fit starts again from the base rate
    close(stepRates(t, x, y, epochs), expected);
    // a shorter period ends at minLr and stays there
    const short = new Trainer(n, { loss: 'bce', optimizer: { type: 'adam', lr: LR }, schedule: { type: 'cosine', epochs: 2 }, batchSize: BATCH });
    const rates = stepRates(short, x, y, 4);
    expect(rates.slice(2 * BATCHES)).toEqual(Array(2 * BATCHES).fill(0));
    expect(rates[0]).toBe(LR);
    n.dispose();
  });

  it('the optimizer uses the scheduled rate: a scheduled fit equals one whose onEpochBegin sets the same rates', async () => {
    const rt = await runtimeFor(options);
    const { x, y } = data(3);
    const a = net(rt);
    const ta = new Trainer(a, { loss: 'bce', optimizer: { type: 'momentum', lr: LR }, schedule: { type: 'step', stepSize: 2, gamma: 0.3 }, batchSize: BATCH, seed: 1 });
    const ha = ta.fit(x, y, { epochs: 6 });
    const b = net(rt);
    const tb = new Trainer(b, { loss: 'bce', optimizer: { type: 'momentum', lr: LR }, batchSize: BATCH, seed: 1 });
    const hb = tb.fit(x, y, { epochs: 6, onEpochBegin: ({ epoch }) => { tb.learningRate = LR * 0.3 ** Math.floor((epoch - 1) / 2); } });
    expect(ha.loss).toEqual(hb.loss);
    expect(ha.lr).toEqual(hb.lr);
    expect(a.getWeights({ flat: true })).toEqual(b.getWeights({ flat: true }));
    // and differs from a constant rate
    const c = net(rt);
    const hc = new Trainer(c, { loss: 'bce', optimizer: { type: 'momentum', lr: LR }, batchSize: BATCH, seed: 1 }).fit(x, y, { epochs: 6 });
    expect(hc.loss.slice(3)).not.toEqual(ha.loss.slice(3));
    expect(hc.lr).toEqual(Array(6).fill(LR));
    for (const n of [a, b, c]) n.dispose();
  });

  it("reduce on plateau follows Keras's rule on the monitored metric (patience, factor, cooldown, minLr)", async () => {
    const rt = await runtimeFor(options);
    const { x, y } = data(4);
    // validation labels the network cannot learn: the validation loss soon stops improving
    const val = { x, y: y.map((c) => 1 - c) };
    const n = net(rt);
    const schedule = { type: 'plateau', patience: 2, factor: 0.5, cooldown: 1, minLr: 0.01 } as const;
    const h = new Trainer(n, { loss: 'bce', optimizer: { type: 'adam', lr: LR }, schedule, batchSize: BATCH }).fit(x, y, { epochs: 25, validation: val });
    // replay: the rate of epoch e + 1 from the losses of epochs 1..e
    const expected: number[] = [];
    let lr = LR, best = Infinity, wait = 0, cooling = 0;
    for (const v of h.valLoss) {
      expected.push(lr);
      const inCooldown = cooling > 0;
      if (inCooldown) { cooling--; wait = 0; }
      if (v < best) { best = v; wait = 0; }
      else if (!inCooldown && ++wait >= schedule.patience) { lr = Math.max(lr * schedule.factor, schedule.minLr); cooling = schedule.cooldown; wait = 0; }
    }
    expect(h.lr).toEqual(expected);
    expect(Math.min(...h.lr)).toBe(0.01); // the test exercises the reductions down to minLr
    n.dispose();
  });

  it('options are checked when the Trainer is made; learningRate cannot be set while a schedule runs', async () => {
    const rt = await runtimeFor(options);
    const n = net(rt);
    const make = (schedule: unknown, lr = LR) => new Trainer(n, { loss: 'bce', optimizer: { type: 'sgd', lr }, schedule: schedule as ScheduleOptions });
    expectError(() => make({ type: 'linear' }), ValueError, 'schedule.type: expected one of step, exponential, cosine, plateau');
    expectError(() => make({ type: 'cosine', warmpu: 2 }), ValueError, 'schedule: unknown option "warmpu" (did you mean \'warmup\'?)');
    expectError(() => make({ type: 'step' }), ValueError, "schedule.stepSize: expected a positive integer (epochs between decays) for the 'step' schedule, got none");
    expectError(() => make({ type: 'step', stepSize: 2, gamma: 1.5 }), ValueError, 'schedule.gamma: expected a number in (0, 1], got number 1.5');
    expectError(() => make({ type: 'exponential' }), ValueError, "schedule.gamma: expected the factor per epoch, in (0, 1], for the 'exponential' schedule");
    expectError(() => make({ type: 'cosine', minLr: 0.1 }), ValueError, "schedule.minLr: expected a rate below the optimizer's lr (0.05), got 0.1");
    expectError(() => make({ type: 'cosine', warmup: 4, epochs: 4 }), ValueError, 'schedule.warmup: expected fewer epochs than schedule.epochs (4), got 4');
    expectError(() => make({ type: 'plateau', factor: 1 }), ValueError, 'schedule.factor: expected a number in (0, 1), got number 1');
    const { x, y } = data(5);
    expectError(() => make({ type: 'cosine', warmup: 3 }).fit(x, y, { epochs: 3 }), ValueError, "schedule.warmup: expected fewer epochs than the fit's 3, got 3");
    expectError(() => make({ type: 'plateau' }).fit(x, y, { epochs: 3 }), ValueError, 'schedule: monitors the validation loss, but no validation data was given');
    const t = make({ type: 'exponential', gamma: 0.5 });
    expectError(() => t.fit(x, y, { epochs: 2, onEpochEnd: () => { t.learningRate = 0.2; } }), StateError, "learningRate: this fit's 'exponential' schedule sets the rate");
    const plain = make(undefined);
    expectError(() => { plain.learningRate = -1; }, ValueError, 'learningRate: expected a finite number > 0, got number -1');
    plain.learningRate = 0.2;
    expect(plain.fit(x, y, { epochs: 2 }).lr).toEqual([0.2, 0.2]);
    n.dispose();
  });
});
