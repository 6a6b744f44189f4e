// Interleaved sampling: every contender of a workload is calibrated to a
// sample of about `targetMs`, then each round runs every contender once, in
// an order rotated from round to round, so machine noise (frequency changes,
// other processes, GC) lands on all of them alike.

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const now = () => performance.now();

// `collect`: a full collection before every timed sample (not the calibration
// runs), for every contender alike, so the garbage one contender leaves (TF.js
// makes a lot) is not collected in the middle of another's sample; used by the
// sections where TF.js runs between the samples of the others (MLP, tiny).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

function timeReps(run, reps) {
  const t0 = now();
  run(reps);
  return now() - t0;
}

/** Repetitions per sample so one sample takes about targetMs (at least 1). Warms the contender up too. */
function calibrate(run, targetMs, slowMs) {
  let reps = 1;
  let t = timeReps(run, reps);
  if (t >= slowMs) return 1; // one operation is already a long sample: that run was the warm-up
  while (t < targetMs / 8 && reps < 1 << 26) {
    reps *= 4;
    t = timeReps(run, reps);
  }
  // warm up for two samples' time, at least 10 ms (JIT tiers, the tiny
  // network's generated code), then once more to calibrate
  for (let spent = 0; spent < Math.max(2 * targetMs, 10); ) spent += timeReps(run, reps);
  t = timeReps(run, reps);
  return Math.max(1, Math.round((reps * targetMs) / Math.max(t, 1e-3)));
}

/**
 * contenders: [{ name, run(reps) }] where run performs `reps` operations.
 * Returns { [name]: { samples: ms per op[], byRound: (ms per op | null)[], reps } }.
 * A contender whose single operation takes longer than `slowMs` gets at most
 * `slowRounds` samples.
 */
export function measure(contenders, { rounds, targetMs, slowMs = 400, slowRounds = 3, collect = false }) {
  const state = contenders.map((c) => ({ c, reps: calibrate(c.run, targetMs, slowMs), samples: [], byRound: [] }));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < state.length; i++) {
      const s = state[(i + r) % state.length];
      if (s.samples.length >= slowRounds && s.samples[0] >= slowMs) {
        s.byRound[r] = null;
        continue;
      }
      if (collect) gc();
      const ms = timeReps(s.c.run, s.reps) / s.reps;
      s.samples.push(ms);
      s.byRound[r] = ms;
    }
  }
  const out = {};
  for (const s of state) out[s.c.name] = { samples: s.samples, byRound: s.byRound, reps: s.reps };
  return out;
}

/**
 * `measure` for contenders whose `run(reps)` returns a promise (ONNX
 * Runtime's session.run is asynchronous; a synchronous run works too): the
 * same calibration, rotation and samples, each awaited. `warmupMs`: how long
 * each contender runs before it is calibrated (ONNX Runtime's Wasm takes
 * thousands of calls, about half a second, to reach its steady speed).
 */
export async function measureAsync(contenders, { rounds, targetMs, slowMs = 400, slowRounds = 3, collect = false, warmupMs = 0 }) {
  const timeRepsAsync = async (run, reps) => {
    const t0 = now();
    await run(reps);
    return now() - t0;
  };
  const state = [];
  for (const c of contenders) {
    for (let spent = 0; spent < warmupMs; ) spent += await timeRepsAsync(c.run, 1);
    let reps = 1;
    let t = await timeRepsAsync(c.run, reps);
    if (t < slowMs) {
      while (t < targetMs / 8 && reps < 1 << 26) {
        reps *= 4;
        t = await timeRepsAsync(c.run, reps);
      }
      for (let spent = 0; spent < Math.max(2 * targetMs, 10); ) spent += await timeRepsAsync(c.run, reps);
      t = await timeRepsAsync(c.run, reps);
      reps = Math.max(1, Math.round((reps * targetMs) / Math.max(t, 1e-3)));
    } else {
      reps = 1;
    }
    state.push({ c, reps, samples: [], byRound: [] });
  }
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < state.length; i++) {
      const s = state[(i + r) % state.length];
      if (s.samples.length >= slowRounds && s.samples[0] >= slowMs) {
        s.byRound[r] = null;
        continue;
      }
      if (collect) gc();
      const ms = (await timeRepsAsync(s.c.run, s.reps)) / s.reps;
      s.samples.push(ms);
      s.byRound[r] = ms;
    }
  }
  const out = {};
  for (const s of state) out[s.c.name] = { samples: s.samples, byRound: s.byRound, reps: s.reps };
  return out;
}

/** Median over the rounds both were sampled in of time(b) / time(a), i.e. how many times faster a is. */
export function pairedSpeedup(a, b) {
  const ratios = [];
  a.byRound.forEach((ta, r) => {
    const tb = b.byRound[r];
    if (ta != null && tb != null) ratios.push(tb / ta);
  });
  return ratios.length ? stats(ratios).median : NaN;
}

export function stats(samples) {
  const v = [...samples].sort((a, b) => a - b);
  const n = v.length;
  const median = n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  return { median, min: v[0], max: v[n - 1], n };
}
