// "Nothing allocated per training step", measured: bytes allocated in V8's
// young generation (where every new JS object starts) over many steps,
// against over few. An allocation per step shows as its size times the extra
// steps (the smallest JS object, a boxed number, is 16 bytes); compiling and
// other one-off costs show in both and cancel. Each measurement is repeated
// and the smallest kept, as the optimizing compiler may still run in one.
import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { Tail } from '../../src/backend/abi.js';
import { Network, Trainer, type OptimizerName, type Runtime, type ScheduleOptions } from '../../src/index.js';
import { BACKENDS, runtimeFor } from '../support/backends.js';
import { values } from '../support/random-values.js';

function youngBytes(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')!.space_used_size;
}

/**
 * Bytes allocated per unit of work: (run(many) − run(few)) / (many − few), the
 * smallest of several tries. No collection is forced in between (a full GC
 * throws away optimized code that holds objects it frees, and the next runs
 * would measure the interpreter); a try during which a scavenge ran (the
 * young generation shrank), or one-off costs landed in the few runs (a
 * negative result), is not counted.
 */
function bytesPer(run: (n: number) => void, few: number, many: number): number {
  let best = Infinity;
  for (let i = 0; i < 8 && best === Infinity || i < 3; i++) {
    const y0 = youngBytes();
    run(few);
    const y1 = youngBytes();
    run(many);
    const y2 = youngBytes();
    // fewer bytes over many runs than over few can only be a one-off cost (a compilation) landing in the few: not counted either
    if (y1 >= y0 && y2 >= y1 && y2 - y1 >= y1 - y0) best = Math.min(best, (y2 - y1 - (y1 - y0)) / (many - few));
  }
  return best;
}

/**
 * bytesPer once the code runs optimized: V8 optimizes on a background
 * thread, and on a busy machine that job may not have finished when the
 * measurement starts (the interpreter boxes every float it passes: ~32 bytes
 * a call). A real allocation shows in every try; one that goes away after a
 * pause and more warm-up was the unoptimized code.
 */
async function steadyBytesPer(run: (n: number) => void, few: number, many: number, bound: number): Promise<number> {
  let best = bytesPer(run, few, many);
  for (let i = 0; i < 4 && best >= bound; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    run(many);
    best = Math.min(best, bytesPer(run, few, many));
  }
  return best;
}

const ROWS = 256, INPUTS = 12, CLASSES = 3;

function setup(runtime: Runtime, optimizer: OptimizerName, batchSize: number, schedule?: ScheduleOptions) {
  const net = new Network({ inputs: INPUTS, layers: [{ units: 16, activation: 'relu' }, { units: CLASSES, activation: 'softmax' }], seed: 3, runtime });
  const x = values(ROWS * INPUTS, 5);
  const y = new Float32Array(ROWS * CLASSES);
  for (let r = 0; r < ROWS; r++) y[r * CLASSES + (r % CLASSES)] = 1;
  // clipping on, so that every hyperparameter is a float
  const trainer = new Trainer(net, { loss: 'cce', optimizer: { type: optimizer, lr: 0.01, clipNorm: 5.5 }, batchSize, ...(schedule ? { schedule } : {}) });
  return { net, trainer, x, y };
}

// Under 4 bytes a step is nothing per step (the smallest object is 16 bytes;
// a compilation during a measurement leaves a few bytes a step). The pure-JS
// backend is the readable reference: its kernels pass floats between JS
// functions, which boxes some of them (about 400 bytes a step).
const ALLOWED: Record<string, number> = { 'wasm-simd': 4, 'wasm-scalar': 4, js: 1024 };

describe.each(BACKENDS)('JS allocation per training step on $name', ({ name, options }) => {
  const allowed = ALLOWED[name]!;

  it.each(['sgd', 'momentum', 'adam'] as const)(`%s: Trainer.step allocates under ${allowed} bytes a step`, async (optimizer) => {
    const rt = await runtimeFor(options);
    const batch = 16;
    const { net, trainer, x, y } = setup(rt, optimizer, batch);
    const heap = rt.heap;
    const X = heap.alloc(x.byteLength, 'x', false), Y = heap.alloc(y.byteLength, 'y', false);
    heap.f32().set(x, X >>> 2);
    heap.f32().set(y, Y >>> 2);
    const steps = (n: number): void => {
      for (let i = 0; i < n; i++) {
        const b = i % (ROWS / batch);
        trainer.step(batch, X + b * batch * INPUTS * 4, Y + b * batch * CLASSES * 4);
      }
    };
    steps(5000); // the step's code compiled and optimized
    const perStep = await steadyBytesPer(steps, 200, 6200, allowed);
    expect(perStep, `${perStep} bytes per step`).toBeLessThan(allowed);
    // and the steps trained
    expect(Number.isFinite(heap.f64()[(net.plan.tail + Tail.result) >>> 3]!)).toBe(true);
    heap.release(X);
    heap.release(Y);
    net.dispose();
  });

  it.each([
    ['no schedule', undefined],
    // a new rate every step: computed and stored without a number boxed
    ['a cosine schedule', { type: 'cosine', warmup: 1, epochs: 400 } as const],
  ])(`fit with %s: an epoch of 64 steps allocates no more than one of 4, but for under ${allowed} bytes a step`, async (_, schedule) => {
    const rt = await runtimeFor(options);
    // the same epochs, split into 4 or 64 steps: what an epoch allocates (its
    // history entry, its callback's argument) cancels, what a step allocates
    // does not; 60 extra steps an epoch keep an epoch's noise (tens of bytes)
    // far below one boxed number a step
    const four = setup(rt, 'adam', ROWS / 4, schedule);
    const many = setup(rt, 'adam', ROWS / 64, schedule);
    const fit = (s: typeof four) => (epochs: number): void => void s.trainer.fit(s.x, s.y, { epochs });
    fit(four)(300);
    fit(many)(300);
    // bytes per epoch of each, over 20 → 220 epochs
    const a = bytesPer(fit(four), 20, 220);
    const b = bytesPer(fit(many), 20, 220);
    expect((b - a) / 60, `${a} bytes per epoch of 4 steps, ${b} of 64`).toBeLessThan(allowed);
    four.net.dispose();
    many.net.dispose();
  });

  it(`predictInto, one sample of a tiny network: under ${allowed} bytes a call`, async () => {
    const rt = await runtimeFor(options);
    const net = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 1, runtime: rt });
    const x = new Float32Array([0.5, 0.6]);
    const out = new Float32Array(1);
    const predict = (n: number): void => {
      for (let i = 0; i < n; i++) net.predictInto(x, out);
    };
    predict(20000); // past the generated code's threshold, and optimized
    const perCall = await steadyBytesPer(predict, 1000, 21000, allowed);
    expect(perCall, `${perCall} bytes per call`).toBeLessThan(allowed);
    expect(out[0]).toBeCloseTo(net.predict([0.5, 0.6])[0]!, 6);
    net.dispose();
  });
});
