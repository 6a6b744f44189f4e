// GEMM: simdnet's kernels through the library's ABI (Runtime.backend.kernels,
// buffers from its heap) on the SIMD, scalar and pure-JS backends, and on the
// optional relaxed-SIMD build when the runtime can run it; TensorFlow.js
// matMul on its Wasm and CPU backends; and the 4×8 micro-kernel yardstick; in
// GFLOP/s (2·M·N·K per product).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import { measure, pairedSpeedup, stats } from './timing.mjs';
import { tf, withTf } from './tfjs.mjs';

/** [label, M, K, N]: op(A) is M×K, op(B) K×N. */
export function gemmShapes() {
  const squares = [64, 128, 256, 512, 1024].map((n) => [`${n}`, n, n, n]);
  return [...squares, ['128×784×128', 128, 784, 128], ['128×128×10', 128, 128, 10]];
}
export const FORMS = [
  ['A·B', 0, 0],
  ['Aᵀ·B', 1, 0],
  ['A·Bᵀ', 0, 1],
];

/** n deterministic values in [−1, 1) from the library's generator (`lib`: the imported dist/index.js). */
export function values(lib, n, seed) {
  const rng = new lib.Random(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.nextFloat() * 2 - 1;
  return out;
}

class Operands {
  constructor(runtime, tA, tB, M, N, K, A, B) {
    this.rt = runtime;
    this.k = runtime.backend.kernels;
    const heap = runtime.heap;
    this.args = [tA, tB, M, N, K];
    this.pA = heap.alloc(A.length * 4 + 16, 'bench A');
    this.pB = heap.alloc(B.length * 4 + 16, 'bench B');
    this.pC = heap.alloc(M * N * 4 + 16, 'bench C');
    this.pS = heap.alloc(this.k.f32_gemm_scratch_bytes(tA, tB, M, N, K) + 16, 'bench scratch');
    heap.f32().set(A, this.pA >>> 2);
    heap.f32().set(B, this.pB >>> 2);
    this.n = M * N;
  }
  run(reps) {
    const [tA, tB, M, N, K] = this.args;
    const { k, pA, pB, pC, pS } = this;
    for (let r = 0; r < reps; r++) k.f32_gemm(tA, tB, M, N, K, pA, pB, pC, 0, pS);
  }
  result() {
    return this.rt.heap.f32().slice(this.pC >>> 2, (this.pC >>> 2) + this.n);
  }
  free() {
    for (const p of [this.pA, this.pB, this.pC, this.pS]) this.rt.heap.release(p);
  }
}

/**
 * The yardstick: bench/yardstick.ts around the library's own 4×8
 * micro-kernel, on L1-resident panels, checked against float64.
 */
export async function loadYardstick(lib) {
  const binary = await compileYardstick();
  const mem = new WebAssembly.Memory({ initial: 1 });
  const { instance } = await WebAssembly.instantiate(binary, { env: { memory: mem } });
  const KC = 256;
  // A panel 4·KC, B panel KC·8, C 4×8: 12.1 KiB, L1-resident
  const base = 1024;
  const pA = base, pB = pA + KC * 16, pC = pB + KC * 32;
  const f32 = new Float32Array(mem.buffer);
  f32.set(values(lib, 4 * KC, 11), pA >>> 2);
  f32.set(values(lib, 8 * KC, 12), pB >>> 2);
  const run = (reps) => {
    f32.fill(0, pC >>> 2, (pC >>> 2) + 32);
    instance.exports.f32_gemm_4x8_repeat(reps, KC, pA, pB, pC);
  };
  // correctness: one call is C += Apanel·Bpanel
  run(1);
  const A = f32.slice(pA >>> 2, (pA >>> 2) + 4 * KC), B = f32.slice(pB >>> 2, (pB >>> 2) + 8 * KC);
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 8; j++) {
      let s = 0, mag = 0;
      for (let k = 0; k < KC; k++) {
        s += A[k * 4 + i] * B[k * 8 + j];
        mag += Math.abs(A[k * 4 + i] * B[k * 8 + j]);
      }
      if (Math.abs(f32[(pC >>> 2) + i * 8 + j] - s) > KC * 2 ** -23 * mag + 1e-6) throw new Error(`bench: the yardstick micro-kernel is wrong at (${i}, ${j})`);
    }
  }
  return { run: (reps) => instance.exports.f32_gemm_4x8_repeat(reps, KC, pA, pB, pC), flops: 2 * 4 * 8 * KC, KC };
}

/**
 * bench/yardstick.ts (and the kernel file it imports) as Wasm bytes, compiled
 * with the library's own flags (asconfig.json's options and its simd
 * target's features); nothing is written to disk. Like the library's modules
 * it imports its memory.
 */
export function compileYardstick() {
  return compileBenchWasm('yardstick.ts');
}

/** An AssemblyScript file of bench/ compiled as compileYardstick does, as Wasm bytes. */
export async function compileBenchWasm(file) {
  const { options, targets } = JSON.parse(readFileSync(fileURLToPath(new URL('../asconfig.json', import.meta.url)), 'utf8'));
  const flags = [];
  for (const [name, value] of Object.entries({ ...options, enable: targets.simd.enable })) {
    if (value === false) continue;
    flags.push(`--${name}`);
    if (value !== true) flags.push(Array.isArray(value) ? value.join(',') : String(value));
  }
  let binary = null;
  const outFile = file.replace(/\.ts$/, '.wasm');
  // baseDir bench/: asc reads no asconfig.json there, so the library's entries stay out of this module
  const { error, stderr } = await asc.main([file, '--baseDir', fileURLToPath(new URL('.', import.meta.url)), ...flags, '--outFile', outFile], {
    writeFile: (name, contents) => {
      if (name.endsWith(outFile)) binary = contents;
    },
  });
  if (error || !binary) throw new Error(`bench: compiling bench/${file} failed:\n${stderr.toString()}`);
  return binary;
}

/**
 * The JS reference: float64 sums of op(A)·op(B) for a set of rows (all of
 * them up to 256, else 48 spread over M, first and last included), with the
 * float32 error bound of each element, (K+2)·2⁻²³·Σ|a||b|.
 */
function reference(tA, tB, M, N, K, A, B) {
  const rows = M <= 256 ? [...Array(M).keys()] : [...new Set([...Array(48).keys()].map((i) => Math.round((i * (M - 1)) / 47)))];
  const C = new Float64Array(rows.length * N), bound = new Float64Array(rows.length * N);
  rows.forEach((i, r) => {
    for (let j = 0; j < N; j++) {
      let s = 0, mag = 0;
      for (let k = 0; k < K; k++) {
        const p = (tA ? A[k * M + i] : A[i * K + k]) * (tB ? B[j * K + k] : B[k * N + j]);
        s += p;
        mag += Math.abs(p);
      }
      C[r * N + j] = s;
      bound[r * N + j] = (K + 2) * 2 ** -23 * mag + 1e-30;
    }
  });
  return { rows, C, bound };
}

function check(name, label, C, ref, N) {
  ref.rows.forEach((i, r) => {
    for (let j = 0; j < N; j++) {
      const got = C[i * N + j], e = ref.C[r * N + j], tol = ref.bound[r * N + j];
      if (!(Math.abs(got - e) <= tol)) {
        throw new Error(`bench: GEMM ${label} by ${name} is wrong at [${i}][${j}]: ${got}, the JS reference gives ${e} (float32 bound ${tol})`);
      }
    }
  });
}

/**
 * Runs every GEMM workload. runtimes: { 'wasm-simd', 'wasm-scalar', js }.
 * Slow contenders (scalar Wasm, pure JS, TF.js CPU) run on every size in a
 * full run and up to 128³ multiply-adds in a quick one.
 */
export function benchGemm({ lib, runtimes, yardstick, quick, rounds, targetMs, log }) {
  const results = [];
  for (const [label, M, K, N] of gemmShapes()) {
    for (const [form, tA, tB] of FORMS) {
      const workload = `${form} ${label}`;
      const A = values(lib, M * K, M * 7 + K);
      const B = values(lib, K * N, N * 13 + K + 1);
      const slowOk = !quick || M * N * K <= 128 ** 3;
      const ops = {};
      for (const [name, rt] of Object.entries(runtimes)) {
        if (name === 'wasm-simd' || name === 'wasm-relaxed' || slowOk) ops[name] = new Operands(rt, tA, tB, M, N, K, A, B);
      }
      const ref = reference(tA, tB, M, N, K, A, B);
      // the yardstick runs in every workload's rounds, so each ratio compares samples taken side by side
      const contenders = [{ name: 'yardstick', run: yardstick.run }, ...Object.entries(ops).map(([name, op]) => ({ name, run: (reps) => op.run(reps) }))];
      const tfs = {};
      for (const backend of slowOk ? ['wasm', 'cpu'] : ['wasm']) {
        withTf(backend, () => {
          const a = tf.tensor2d(A, tA ? [K, M] : [M, K]);
          const b = tf.tensor2d(B, tB ? [N, K] : [K, N]);
          tfs[backend] = { a, b };
        });
        const { a, b } = tfs[backend];
        contenders.push({
          name: `tfjs-${backend}`,
          run: (reps) =>
            withTf(backend, () => {
              for (let r = 0; r < reps; r++) tf.matMul(a, b, tA === 1, tB === 1).dispose();
            }),
        });
      }
      const m = measure(contenders, { rounds, targetMs, slowRounds: quick ? 1 : 3 });
      // what was timed is checked afterwards (the buffers hold the last result)
      for (const [name, op] of Object.entries(ops)) check(name, workload, op.result(), ref, N);
      for (const [backend, { a, b }] of Object.entries(tfs)) {
        withTf(backend, () => {
          const c = tf.matMul(a, b, tA === 1, tB === 1);
          check(`tfjs-${backend}`, workload, c.dataSync(), ref, N);
          c.dispose();
          a.dispose();
          b.dispose();
        });
      }
      for (const op of Object.values(ops)) op.free();
      const flops = 2 * M * N * K;
      for (const [name, r] of Object.entries(m)) {
        const s = stats(r.samples.map((ms) => (name === 'yardstick' ? yardstick.flops : flops) / (ms * 1e6)));
        const row = { group: 'gemm', workload, shape: label, form, contender: name, unit: 'GFLOP/s', higherIsBetter: true, ...s };
        if (name === 'wasm-simd') {
          // ratios of samples taken side by side in the same round (robust to the machine's drift)
          const y = m.yardstick;
          row.ofYardstick = pairedSpeedup({ byRound: r.byRound.map((ms) => ms && ms / flops) }, { byRound: y.byRound.map((ms) => ms && ms / yardstick.flops) });
          row.vsTfjsWasm = pairedSpeedup(r, m['tfjs-wasm']);
        }
        results.push(row);
      }
      log(`${workload}: ${results.slice(-Object.keys(m).length).map((r) => `${r.contender} ${r.median.toFixed(1)}`).join(', ')}`);
    }
  }
  return results;
}
