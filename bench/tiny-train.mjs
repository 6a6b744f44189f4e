// The tiny network's training workload (bench/tiny-workload.mjs) timed in a
// process of its own that holds one simdnet runtime, as a program using the
// library does. Started by bench/tiny.mjs; prints JSON on stdout.
//
// Why a process of its own: a program that trains a small network holds one
// runtime and nothing else; the bench's main process also holds the other
// runtimes, TF.js and the garbage they leave, whose collections would land in
// the samples of this workload (a few milliseconds each).
//
//   node bench/tiny-train.mjs <wasm-simd|wasm-scalar|js> warm <rounds> <targetMs>
//     hand-written loop and simdnet interleaved (bench/timing.mjs), after warm-up
//   node bench/tiny-train.mjs <wasm-simd|wasm-scalar|js> short <reps> <hand|simdnet>
//     the first <reps> repetitions of each, alternated, the named one first
import { measure } from './timing.mjs';
import { EPOCHS, freshFit, handTrain, sameLoss } from './tiny-workload.mjs';

const [kind, mode, a, b] = process.argv.slice(2);
const lib = await import('../dist/index.js');
const runtime = await lib.init(kind === 'js' ? { backend: 'js' } : { simd: kind === 'wasm-simd' });
if (runtime.kind !== kind) throw new Error(`bench: tiny training: asked for runtime ${kind}, got ${runtime.kind}`);
const fresh = freshFit(lib, runtime);
const hand = () => handTrain(EPOCHS);

if (mode === 'short') {
  const reps = Number(a);
  const order = b === 'simdnet' ? ['simdnet', 'hand'] : ['hand', 'simdnet'];
  const ms = { hand: 0, simdnet: 0 };
  const loss = { hand: 0, simdnet: 0 };
  for (let r = 0; r < reps; r++) {
    for (const c of order) {
      const t0 = performance.now();
      loss[c] = c === 'hand' ? hand() : fresh();
      ms[c] += performance.now() - t0;
    }
  }
  if (!sameLoss(loss.simdnet, loss.hand)) throw new Error(`bench: tiny training, short run: simdnet's loss ${loss.simdnet}, hand-written JS ${loss.hand}`);
  process.stdout.write(`${JSON.stringify({ ms })}\n`);
} else {
  const handLoss = hand();
  const ours = fresh();
  if (!sameLoss(ours, handLoss)) throw new Error(`bench: tiny training: after ${EPOCHS} epochs ${kind} has loss ${ours}, hand-written JS ${handLoss}`);
  let sink = 0;
  const repeat = (fit) => (reps) => {
    let s = 0;
    for (let r = 0; r < reps; r++) s += fit();
    sink += s;
  };
  const out = measure(
    [{ name: 'hand-js', run: repeat(hand) }, { name: kind, run: repeat(fresh) }],
    // no forced collection before each sample: nothing else here leaves garbage
    { rounds: Number(a), targetMs: Number(b) },
  );
  if (!Number.isFinite(sink)) throw new Error('bench: tiny training: a loss was not finite');
  process.stdout.write(`${JSON.stringify(out)}\n`);
}
