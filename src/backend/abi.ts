/**
 * The kernel ABI, declared once: the codes, the layer table's layout, the
 * version, and the list of primitives every backend implements.
 *
 * This file is the source of truth for both sides. scripts/generate-abi.mjs
 * (run by `npm run build:wasm` before the compiler) writes assembly/abi.ts
 * from the values below: each object becomes an AssemblyScript enum and each
 * number a constant of the same name, so the kernels say `LayerField.W`,
 * `Act.relu`, `Tail.lr` exactly as the TypeScript does. The Wasm module
 * exports every one of them (`Act.relu`, `ABI_VERSION`, …), and
 * test/backend/abi.test.ts fails when the generated file is stale or the
 * built module disagrees with this one. Keep this file pure data (no imports,
 * no code): the generator evaluates it on its own.
 *
 * Conventions:
 * - Pointers are byte offsets into the backend's memory, 16-byte aligned.
 *   Every buffer is padded to a multiple of 16 bytes; kernels never write past
 *   the logical end of an output.
 * - Matrices are f32, row-major, contiguous (leading dimension = columns).
 * - Kernels never validate and never throw: the facade validates first.
 * - Output buffers may alias inputs only where a function says so.
 * - Every offset below is in bytes, the unit of the pointers.
 */

/**
 * Bumped whenever an export's contract (a name, a signature, a code, the
 * table's layout) changes; the facade refuses a Wasm module built for another.
 */
export const ABI_VERSION = 10;

/** Activation codes (`act` arguments and LayerField.act). */
export const Act = {
  linear: 0,
  relu: 1,
  leaky_relu: 2,
  sigmoid: 3,
  tanh: 4,
  softmax: 5,
} as const;
/** An activation: 'linear', 'relu', 'leaky_relu', 'sigmoid', 'tanh' or 'softmax' (output layer only). */
export type ActivationName = keyof typeof Act;
export type ActCode = (typeof Act)[ActivationName];

/** Loss codes (`loss` arguments). */
export const Loss = { mse: 0, bce: 1, cce: 2 } as const;
/** A loss: 'mse' (mean squared error), 'bce' (binary cross-entropy on sigmoid outputs), 'cce' (categorical cross-entropy on a softmax output). */
export type LossName = keyof typeof Loss;
export type LossCode = (typeof Loss)[LossName];

/** Optimizer codes (`opt` argument of mlp_train_step). */
export const Opt = { sgd: 0, momentum: 1, adam: 2 } as const;
/** An optimizer: 'sgd', 'momentum' or 'adam'. */
export type OptimizerName = keyof typeof Opt;
export type OptCode = (typeof Opt)[OptimizerName];

/**
 * The layer table: one record of LAYER_BYTES per layer, written by the facade
 * (src/network/plan.ts) and read by the mlp_* kernels. Byte offsets of the
 * fields in a record; every field is one 32-bit word: an i32 count or code, a
 * u32 pointer, or an f32 where noted.
 */
export const LayerField = {
  inputs: 0,
  outputs: 4,
  /** an Act code */
  act: 8,
  /** f32: leaky_relu's negative slope */
  alpha: 12,
  /** inputs × outputs */
  W: 16,
  /** outputs */
  b: 20,
  /** inputs × outputs */
  dW: 24,
  /** outputs */
  db: 28,
  /** rows × outputs, the pre-activation */
  Z: 32,
  /** rows × outputs, the activation */
  A: 36,
  /** rows × outputs, dLoss/dZ */
  dZ: 40,
  /** optimizer state 1 (the momentum buffer, Adam's m) of W */
  mW: 44,
  mb: 48,
  /** optimizer state 2 (Adam's v) of W */
  vW: 52,
  vb: 56,
  /** f32: the L2 weight-decay coefficient applied to W (never to b) */
  weightDecay: 60,
  /**
   * f32_gemm_pack_b_bytes(outputs, inputs) bytes: W in the layout the forward
   * pass reads (f32_gemm_pack_b), kept by the mlp_* kernels (see Tail.packed)
   */
  Wp: 64,
} as const;
/** Bytes of one layer's record in the layer table (16-byte multiples keep the tail aligned). */
export const LAYER_BYTES = 80;

/**
 * The table's tail: TAIL_BYTES after the last layer's record (16-byte
 * aligned), byte offsets from its start.
 *
 * maxParam and maxState (f32) are what mlp_train_step keeps between calls:
 * the largest |parameter| and the largest |momentum buffer value| after the
 * last update, from which it bounds what the next update can reach; NaN means
 * unknown, and the facade writes NaN whenever it changes parameters or
 * optimizer state itself.
 *
 * classWeights (u32): 0, or a pointer to one f32 weight per class of the
 * output layer (2 for one sigmoid unit: class 0, class 1) by which
 * mlp_gradients and mlp_train_step weight each row's loss (mlp_loss does not:
 * validation losses stay unweighted).
 *
 * packed (i32): 1 when every layer's Wp holds its W in the forward layout,
 * 0 when some W changed since. The facade writes 0 whenever it writes a W
 * itself; mlp_train_step writes 0 when it updates the weights; mlp_forward
 * (and so every mlp_* kernel that runs the network) packs every layer's W into
 * its Wp first when it reads 0, then writes 1. Zeroed memory reads "not packed".
 *
 * These are f64: lr, beta1 (momentum's μ), beta2, eps (each rounded to
 * f32 by the kernel, as an f32 argument would be), clipNorm (0 = none) and t
 * (Adam's step count): the step's hyperparameters, written by the facade
 * before each call. result: where mlp_train_step leaves its value. lossSum:
 * to which every applied step adds loss × rows (the facade zeroes it).
 * In memory rather than as arguments and return values: a JS caller boxes
 * every float it passes to, or gets back from, a call it cannot inline — an
 * allocation per training step.
 *
 * gatherOrder (u32), gatherStart (i32), gatherX, gatherY (u32): a shuffled
 * batch, gathered by mlp_train_step itself. When gatherOrder is not 0, rows
 * i < rows of X and Y are first filled with rows order[gatherStart + i] of
 * the training rows at gatherX and targets at gatherY (order: u32 row
 * indices). The threads build has each thread gather its own rows, so the
 * copy runs in parallel with nothing serial before the step. 0: X and Y hold
 * the batch already. The facade writes all four before each step.
 */
export const Tail = {
  maxParam: 0,
  maxState: 4,
  classWeights: 8,
  packed: 12,
  lr: 16,
  beta1: 24,
  beta2: 32,
  eps: 40,
  clipNorm: 48,
  t: 56,
  result: 64,
  lossSum: 72,
  gatherOrder: 80,
  gatherStart: 84,
  gatherX: 88,
  gatherY: 92,
} as const;
/** Bytes of the table's tail. */
export const TAIL_BYTES = 96;

/** mlp_train_step's return value. */
export const StepStatus = {
  /** the update was made; the loss is in Tail.result and added to Tail.lossSum */
  applied: 0,
  /** the loss or a gradient was not finite; nothing changed */
  skipped: 1,
  /** the update overflowed a parameter and was undone from the undo block; nothing changed */
  undone: 2,
  /** the update overflowed a parameter and there was no undo block: the caller restores its own copy */
  notUndone: 3,
  /**
   * threads build only: a worker thread failed (Sync.abort says which) before
   * any parameter was updated; nothing changed
   */
  workerFailed: 4,
  /**
   * threads build only: a worker thread failed while the threads were
   * updating the parameters: some are updated, some not; the caller restores
   * its own copy
   */
  workerFailedMidUpdate: 5,
} as const;

/**
 * The threads build (simd-threads.wasm, scalar-threads.wasm: the same kernels
 * over a shared memory, plus mlp_thread_run) runs one job at a time on
 * `threads` threads: the caller's (thread 0) and workers 1 … threads − 1, each
 * calling mlp_thread_run on the same control block, which
 * src/threads/pool.ts allocates and writes. Byte offsets of its words (i32
 * unless noted), then one slot of SLOT_BYTES per thread from Sync.slots.
 *
 * A job: the caller writes job, threads and the arguments (the layer table,
 * X, Y, rows, loss, opt, undo: as mlp_train_step takes them; the scratch per
 * thread in its slot), zeroes done and abort, then bumps each worker's
 * SyncSlot.gen; a worker that sees its gen change runs mlp_thread_run and
 * then adds 1 to done, also when it failed. Thread 0's mlp_thread_run returns
 * once done = threads − 1, so when it returns no worker touches memory.
 * abort: 0, or 1 + the index of a thread that failed (its slot says nothing
 * more; faultText holds faultLength bytes of UTF-8 saying what happened):
 * every thread stops at its next barrier.
 */
export const Sync = {
  /** a Job code */
  job: 0,
  threads: 4,
  table: 8,
  layerCount: 12,
  X: 16,
  Y: 20,
  rows: 24,
  loss: 28,
  opt: 32,
  undo: 36,
  abort: 40,
  done: 44,
  /** arrivals at the current barrier */
  arrived: 48,
  /** barriers passed in this job; threads waiting at a barrier wait on it */
  sense: 52,
  /** threads blocked (not spinning) on sense or done: a notify is owed only then */
  sleepers: 56,
  /** f64: the loss value thread 0 computed, for every thread to read */
  value: 64,
  /** f64: the gradient-clipping factor thread 0 computed (≥ 1: none) */
  coef: 72,
  faultLength: 80,
  /** tests only: a worker fails on purpose (see src/threads/thread-worker.ts) */
  inject: 84,
  /**
   * the job's loss terms area (8 bytes per output value of a batch, see
   * assembly/mlp-thread-loss.ts): each thread writes its rows' terms there,
   * thread 0 adds them up
   */
  terms: 88,
  /** 256 bytes */
  faultText: 128,
  slots: 384,
} as const;
/** Bytes of one thread's slot in the control block (a cache line of its own). */
export const SLOT_BYTES = 64;
/** Bytes of the fault text in the control block. */
export const FAULT_TEXT_BYTES = 256;

/** Fields of a thread's slot: what it is told (gen, scratch) and what it reports (the rest). */
export const SyncSlot = {
  /** bumped by the caller for every job this thread takes part in */
  gen: 0,
  /** 1 while the worker is blocked waiting for gen to change */
  sleeping: 4,
  /** 1 once the worker has its instance and waits for jobs */
  ready: 8,
  /** this thread's GEMM scratch (f32_gemm_scratch_bytes of the job's largest product) */
  scratch: 12,
  /** UPDATE_VECTORS_BYTES (160) bytes, 16-byte aligned: this thread's optimizer vector area */
  vectors: 16,
  /** f32: max |gradient| over this thread's share (NaN if one is not finite) */
  maxGrad: 20,
  /** f32: max |parameter| over its share, before the update */
  maxParam: 24,
  /** f32: max |momentum value| over its share, before the update */
  maxState: 28,
  /** f32: max |parameter| it wrote */
  newParam: 32,
  /** f32: max |momentum value| it wrote */
  newState: 36,
  /** 1 when every parameter it wrote is finite */
  finite: 40,
} as const;

/** Sync.job codes. */
export const Job = {
  /** mlp_train_step on the job's arguments */
  trainStep: 1,
  /** mlp_forward */
  forward: 2,
  /** mlp_loss; the value in Sync.value */
  loss: 3,
  /** the worker leaves its loop */
  exit: 4,
} as const;

/** Wasm page size; the JS backend grows in the same unit. */
export const PAGE_BYTES = 65536;

/**
 * The primitives, named by what they are: `f32_…`/`f64_…` kernels work on
 * arrays of that type (`__scalar` marks the scalar twin of a SIMD kernel),
 * `mlp_…` kernels walk the layer table. Sizes are i32 counts; `rows` is the
 * batch size, `layerCount` the number of records in the table. Float
 * arguments are f32 unless noted; loss values are returned as f64.
 */
export interface KernelExports {
  /** First free byte after the module's static data; the facade's heap starts here. */
  heap_base(): number;

  /** Bytes of scratch `f32_gemm` needs for these sizes (0 if none). */
  f32_gemm_scratch_bytes(transA: number, transB: number, M: number, N: number, K: number): number;
  /**
   * C[M×N] = op(A)·op(B)  (accumulate = 0)  or  C += op(A)·op(B)  (accumulate = 1).
   * op(A) is A (stored M×K) when transA = 0, Aᵀ (A stored K×M) when 1;
   * op(B) is B (stored K×N) when transB = 0, Bᵀ (B stored N×K) when 1.
   * K = 0 gives C = 0 (or C unchanged when accumulating). C must not alias A or B.
   * `scratch` points to at least f32_gemm_scratch_bytes(...) bytes.
   */
  f32_gemm(transA: number, transB: number, M: number, N: number, K: number, A: number, B: number, C: number, accumulate: number, scratch: number): void;
  /** The scalar twin of `f32_gemm` (same contract, same bits), exported by every build for tests and benchmarks. */
  f32_gemm__scalar(transA: number, transB: number, M: number, N: number, K: number, A: number, B: number, C: number, accumulate: number, scratch: number): void;

  /**
   * Bytes of B (K×N, row-major, not transposed: a layer's W with N = outputs,
   * K = inputs) packed by f32_gemm_pack_b; a multiple of 16. The same in every build.
   */
  f32_gemm_pack_b_bytes(N: number, K: number): number;
  /**
   * Packs B (K×N, row-major) into Bp (f32_gemm_pack_b_bytes(N, K) bytes) in the
   * layout f32_gemm_prepacked reads, the same in every build:
   * - narrow N (N mod 8 ≠ 0 and N < 24), N4 = N&~3, K4 = K&~3: first, for
   *   j < N4 in steps of 4 and k < K4 in steps of 4, sixteen floats
   *   Bp[(j·K4 + 4k) + 4c + q] = B[k+q][j+c] (c, q < 4); then the last N − N4
   *   columns as rows of Bᵀ, Bp[N4·K4 + (j−N4)·K + k] = B[k][j];
   * - other N: panels of nr columns, nr = 16 when N is a multiple of 16, else 8,
   *   k-major: Bp[(p·K + k)·nr + c] = B[k][p·nr + c], 0 past column N − 1.
   */
  f32_gemm_pack_b(N: number, K: number, B: number, Bp: number): void;
  /**
   * C[M×N] = A[M×K]·B[K×N] (no transposes, C overwritten), with Bp holding B
   * as f32_gemm_pack_b leaves it: the same bits as f32_gemm(0, 0, M, N, K, A,
   * B, C, 0, scratch) on the same build, without packing B. Reads B itself only
   * where f32_gemm would not pack it (tiny products, the last K mod 4 rows of
   * narrow N). K = 0 gives C = 0. `scratch`: f32_gemm_scratch_bytes(0, 0, M, N, K) bytes.
   */
  f32_gemm_prepacked(M: number, N: number, K: number, A: number, B: number, Bp: number, C: number, scratch: number): void;
  /** The scalar twin of `f32_gemm_prepacked` (same contract, same bits), exported by every build. */
  f32_gemm_prepacked__scalar(M: number, N: number, K: number, A: number, B: number, Bp: number, C: number, scratch: number): void;

  /** Z[r][c] += b[c]. */
  f32_bias_add(rows: number, cols: number, Z: number, b: number): void;
  /** db[c] = Σ_r dZ[r][c]. */
  f32_bias_grad(rows: number, cols: number, dZ: number, db: number): void;

  /** A = act(Z) elementwise (softmax: per row). A may alias Z. NaN in → NaN out. */
  f32_act_forward(act: number, rows: number, cols: number, alpha: number, Z: number, A: number): void;
  /**
   * dZ = dA ⊙ act'(Z) (softmax: dZ = A ⊙ (dA − Σ_c dA⊙A) per row).
   * Uses Z and/or A as convenient (A = act(Z) must hold). dZ may alias dA.
   * relu'(0) = 0; leaky_relu'(0) = alpha.
   */
  f32_act_backward(act: number, rows: number, cols: number, alpha: number, Z: number, A: number, dA: number, dZ: number): void;

  /**
   * Loss of an output layer and its gradient w.r.t. the logits Z, fused with
   * the output activation (A = act(Z) must already hold).
   *   bce (act sigmoid): mean over rows·cols of max(z,0) − z·y + log1p(e^−|z|); dZ = (A − Y)/(rows·cols)
   *   cce (act softmax): mean over rows of −Σ_c y·log_softmax(z);                dZ = (A − Y)/rows
   *   mse (any act):     mean over rows·cols of (A − Y)²;  dZ = act'(Z) ⊙ 2(A − Y)/(rows·cols)
   * Returns the loss (f64). dZ = 0 (null pointer) computes the value only.
   * classWeights ≠ 0 (bce and cce; mse ignores it): a pointer to one f32
   * weight per class; each value's loss and gradient are multiplied by its
   * class's weight, and the mean is still over the count (as Keras's
   * class_weight): bce w = y·W[1] + (1 − y)·W[0] per value, cce w = Σ_c y_c·W[c]
   * per row, summed in column order.
   */
  f32_loss_grad(loss: number, act: number, rows: number, cols: number, alpha: number, Z: number, A: number, Y: number, dZ: number, classWeights: number): number;

  /** P −= lr·(G + wd·P). */
  f32_sgd_update(n: number, P: number, G: number, lr: number, wd: number): void;
  /** g = G + wd·P; V = mu·V + g; P −= lr·V   (PyTorch SGD momentum, dampening 0). */
  f32_momentum_update(n: number, P: number, G: number, V: number, lr: number, mu: number, wd: number): void;
  /**
   * Adam, PyTorch semantics: g = G + wd·P; M = β1·M + (1−β1)·g; V = β2·V + (1−β2)·g²;
   * P −= (lr/(1−β1^t)) · M / (√V/√(1−β2^t) + eps). t ≥ 1 is the step count (f64).
   */
  f32_adam_update(n: number, P: number, G: number, M: number, V: number, lr: number, beta1: number, beta2: number, eps: number, t: number, wd: number): void;

  /** tanh(x) in double precision (imported by the run-time generated tiny-network code). */
  f64_tanh(x: number): number;

  /** 1 when the n f32 values at P are all finite, else 0 (NaN or ±Infinity among them). */
  f32_all_finite(n: number, P: number): number;
  /** max |P[i]| over n f32 values (0 when n is 0), NaN when any is NaN or ±Infinity. */
  f32_max_abs_finite(n: number, P: number): number;
  /** Σ P[i]² over n f32 values, in float64 (order in assembly/f32-sum-squares.ts). */
  f32_sum_squares(n: number, P: number): number;

  /**
   * Every layer's dW and db scaled by maxNorm / (‖g‖ + 1e-6) when that is below 1,
   * ‖g‖ the L2 norm of all of them together (PyTorch's clip_grad_norm_). Returns ‖g‖.
   */
  mlp_clip_grad_norm(table: number, layerCount: number, maxNorm: number): number;
  /**
   * X[rows×inputs(0)] through every layer of the table: each layer's Z and A.
   * Reads each W through its packed copy Wp, packing every layer first when
   * Tail.packed is 0 (see Tail).
   */
  mlp_forward(table: number, layerCount: number, X: number, rows: number, scratch: number): void;
  /** mlp_forward, then the loss value only (validation). Returns the loss (f64). */
  mlp_loss(table: number, layerCount: number, X: number, Y: number, rows: number, loss: number, scratch: number): number;
  /**
   * mlp_forward, then f32_loss_grad on the last layer, then backpropagation:
   * every layer's dZ, dW, db (not the gradient w.r.t. X). Returns the loss (f64).
   */
  mlp_gradients(table: number, layerCount: number, X: number, Y: number, rows: number, loss: number, scratch: number): number;
  /**
   * One training step: mlp_gradients, then — only if the loss and every
   * gradient are finite — mlp_clip_grad_norm when clipNorm > 0, then one
   * optimizer update of every W (with the layer's weight decay) and b.
   * opt: an Opt code; lr, beta1 (momentum's μ), beta2, eps, clipNorm and t
   * (Adam's step count) are read from the table's tail (Tail).
   * undo: 0, or a block of (1 + state arrays: momentum 1, Adam 2) × every W and b
   * where the parameters and state are saved before an update that could overflow.
   * Writes Tail.packed = 0 once it starts updating (the next forward pass repacks).
   * Leaves in Tail.result: the loss; NaN when the update was skipped because
   * the loss or a gradient was not finite (nothing changed); −Infinity when
   * the update made a parameter non-finite and was undone from `undo`
   * (nothing changed); +Infinity when it made a parameter non-finite and could
   * not be undone (the caller restores its own snapshot). Returns the same as
   * a StepStatus (an integer: no float crosses the call).
   */
  mlp_train_step(table: number, layerCount: number, X: number, Y: number, rows: number, loss: number, opt: number, scratch: number, undo: number): number;
}

/** The threads build's exports: every kernel, plus the entry each thread calls for its part of a job. */
export interface ThreadKernelExports extends KernelExports {
  /**
   * Thread `thread`'s part of the job described by the control block at
   * `sync` (see Sync). canWait: 1 where this thread may block in
   * memory.atomic.wait, 0 where it must spin (a browser's main thread).
   * Every thread computes a share of each product, split by output rows so
   * that every value is summed in the order one thread sums it: the same bits
   * for any thread count. Thread 0 returns once every worker is done, with a
   * StepStatus for Job.trainStep (workerFailed or workerFailedMidUpdate when
   * a worker failed), 0 or StepStatus.workerFailed for the others; workers
   * return 0.
   */
  mlp_thread_run(sync: number, thread: number, canWait: number): number;
}
