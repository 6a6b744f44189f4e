/**
 * The kernel ABI: the one list of numeric primitives every backend implements.
 *
 * The Wasm module (assembly/index.ts) exports exactly these functions; the
 * pure-JS backend (src/backend/js/) implements them with plain loops over the
 * same byte-addressed memory. Everything above this file (plans, networks,
 * training) is shared by both backends.
 *
 * Conventions, shared with assembly/abi.ts (a test checks the codes match):
 * - Pointers are byte offsets into the backend's memory, 16-byte aligned.
 *   Every buffer is padded to a multiple of 16 bytes; kernels never write past
 *   the logical end of an output.
 * - Matrices are f32, row-major, contiguous (leading dimension = columns).
 * - Kernels never validate and never throw: the facade validates first.
 * - Output buffers may alias inputs only where a function says so.
 */

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

export const Loss = { mse: 0, bce: 1, cce: 2 } as const;
/** A loss: 'mse' (mean squared error), 'bce' (binary cross-entropy on sigmoid outputs), 'cce' (categorical cross-entropy on a softmax output). */
export type LossName = keyof typeof Loss;
export type LossCode = (typeof Loss)[LossName];

export const Opt = { sgd: 0, momentum: 1, adam: 2 } as const;
/** An optimizer: 'sgd', 'momentum' or 'adam'. */
export type OptimizerName = keyof typeof Opt;
export type OptCode = (typeof Opt)[OptimizerName];

/**
 * Layer table: `LAYER_FIELDS` i32 words per layer, laid out in memory by the
 * facade (src/network/plan.ts) and read by `forward`, `compute_gradients`,
 * `train_step`, `loss_only`. Word indices:
 */
export const Field = {
  inputs: 0,
  outputs: 1,
  act: 2,
  /** f32 bits: leaky_relu negative slope */
  alpha: 3,
  W: 4, // inputs × outputs
  b: 5, // outputs
  dW: 6, // inputs × outputs
  db: 7, // outputs
  Z: 8, // rows × outputs, pre-activation
  A: 9, // rows × outputs, activation
  dZ: 10, // rows × outputs, dLoss/dZ
  mW: 11, // optimizer state 1 (momentum buffer / Adam m) for W
  mb: 12,
  vW: 13, // optimizer state 2 (Adam v) for W
  vb: 14,
  /** f32 bits: L2 weight-decay coefficient applied to W (never to b) */
  weightDecay: 15,
} as const;
export const LAYER_FIELDS = 16;
export const LAYER_BYTES = LAYER_FIELDS * 4;
/**
 * After the last layer's fields, the table's tail (TAIL_FIELDS words,
 * 16-byte aligned). f32 words (Tail, indexes from the tail's start):
 * maxParam, maxState: what train_step keeps (NaN = unknown; the facade writes
 * NaN whenever it changes parameters or optimizer state): the largest
 * |parameter| and the largest |momentum buffer value| after the last update,
 * from which the next update is bounded. f64 words (TailF64, indexes in
 * 8-byte units from the tail's start): train_step's hyperparameters lr,
 * beta1 (momentum's μ), beta2, eps (each rounded to f32 by the kernel, as an
 * f32 argument would be), clipNorm (0 = none) and t (Adam's step count),
 * written before each call; result, where train_step leaves its value;
 * lossSum, to which every applied step adds loss × rows (the facade zeroes it).
 * In memory rather than as arguments: a JS caller boxes every float it passes
 * to a call it cannot inline, and returns one the same way — an allocation
 * per training step.
 */
export const Tail = { maxParam: 0, maxState: 1 } as const;
export const TailF64 = { lr: 2, beta1: 3, beta2: 4, eps: 5, clipNorm: 6, t: 7, result: 8, lossSum: 9 } as const;
export const TAIL_FIELDS = 20;
/** train_step's return value. */
export const StepStatus = { applied: 0, skipped: 1, undone: 2, notUndone: 3 } as const;

/** Wasm page size; the JS backend grows in the same unit. */
export const PAGE_BYTES = 65536;

/**
 * The primitives. Sizes are i32 counts; `rows` is the batch size.
 * Float arguments are f32 unless noted; loss values are returned as f64.
 */
export interface KernelExports {
  /** First free byte after the module's static data; the facade's heap starts here. */
  heap_base(): number;

  /** Bytes of scratch `gemm` needs for these sizes (0 if none). */
  gemm_scratch_bytes(transA: number, transB: number, M: number, N: number, K: number): number;
  /**
   * C[M×N] = op(A)·op(B)  (accumulate = 0)  or  C += op(A)·op(B)  (accumulate = 1).
   * op(A) is A (stored M×K) when transA = 0, Aᵀ (A stored K×M) when 1;
   * op(B) is B (stored K×N) when transB = 0, Bᵀ (B stored N×K) when 1.
   * K = 0 gives C = 0 (or C unchanged when accumulating). C must not alias A or B.
   * `scratch` points to at least gemm_scratch_bytes(...) bytes.
   */
  gemm(transA: number, transB: number, M: number, N: number, K: number, A: number, B: number, C: number, accumulate: number, scratch: number): void;
  /** The scalar twin of `gemm` (same contract), exported by every build for tests and benchmarks. */
  gemm__scalar(transA: number, transB: number, M: number, N: number, K: number, A: number, B: number, C: number, accumulate: number, scratch: number): void;

  /** Z[r][c] += b[c]. */
  bias_add(rows: number, cols: number, Z: number, b: number): void;
  /** db[c] = Σ_r dZ[r][c]. */
  bias_grad(rows: number, cols: number, dZ: number, db: number): void;

  /** A = act(Z) elementwise (softmax: per row). A may alias Z. NaN in → NaN out. */
  act_forward(act: number, rows: number, cols: number, alpha: number, Z: number, A: number): void;
  /**
   * dZ = dA ⊙ act'(Z) (softmax: dZ = A ⊙ (dA − Σ_c dA⊙A) per row).
   * Uses Z and/or A as convenient (A = act(Z) must hold). dZ may alias dA.
   * relu'(0) = 0; leaky_relu'(0) = alpha.
   */
  act_backward(act: number, rows: number, cols: number, alpha: number, Z: number, A: number, dA: number, dZ: number): void;

  /**
   * Loss of an output layer and its gradient w.r.t. the logits Z, fused with
   * the output activation (A = act(Z) must already hold).
   *   bce (act sigmoid): mean over rows·cols of max(z,0) − z·y + log1p(e^−|z|); dZ = (A − Y)/(rows·cols)
   *   cce (act softmax): mean over rows of −Σ_c y·log_softmax(z);                dZ = (A − Y)/rows
   *   mse (any act):     mean over rows·cols of (A − Y)²;  dZ = act'(Z) ⊙ 2(A − Y)/(rows·cols)
   * Returns the loss (f64). dZ = 0 (null pointer) computes the value only.
   */
  loss_grad(loss: number, act: number, rows: number, cols: number, alpha: number, Z: number, A: number, Y: number, dZ: number): number;

  /** P −= lr·(G + wd·P). */
  sgd_update(n: number, P: number, G: number, lr: number, wd: number): void;
  /** g = G + wd·P; V = mu·V + g; P −= lr·V   (PyTorch SGD momentum, dampening 0). */
  momentum_update(n: number, P: number, G: number, V: number, lr: number, mu: number, wd: number): void;
  /**
   * Adam, PyTorch semantics: g = G + wd·P; M = β1·M + (1−β1)·g; V = β2·V + (1−β2)·g²;
   * P −= (lr/(1−β1^t)) · M / (√V/√(1−β2^t) + eps). t ≥ 1 is the step count (f64).
   */
  adam_update(n: number, P: number, G: number, M: number, V: number, lr: number, beta1: number, beta2: number, eps: number, t: number, wd: number): void;

  /** tanh(x) in double precision (imported by the run-time generated tiny-network code). */
  tanh64(x: number): number;

  /** 1 when the n f32 values at P are all finite, else 0 (NaN or ±Infinity among them). */
  all_finite(n: number, P: number): number;
  /** max |P[i]| over n f32 values (0 when n is 0), NaN when any is NaN or ±Infinity. */
  max_abs_finite(n: number, P: number): number;
  /** Σ P[i]² over n f32 values, in float64 (order in assembly/clip.ts). */
  sum_squares(n: number, P: number): number;
  /**
   * Every layer's dW and db scaled by maxNorm / (‖g‖ + 1e-6) when that is below 1,
   * ‖g‖ the L2 norm of all of them together (PyTorch's clip_grad_norm_). Returns ‖g‖.
   */
  clip_grad_norm(table: number, layers: number, maxNorm: number): number;

  /** X[rows×inputs(0)] through every layer of the table: each layer's Z and A. */
  forward(table: number, layers: number, X: number, rows: number, scratch: number): void;
  /**
   * forward, then loss_grad on the last layer, then backprop: every layer's dZ, dW, db
   * (not the gradient w.r.t. X). Returns the loss (f64).
   */
  compute_gradients(table: number, layers: number, X: number, Y: number, rows: number, loss: number, scratch: number): number;
  /**
   * compute_gradients, then — only if the loss and every gradient are finite —
   * clip_grad_norm when clipNorm > 0, then one optimizer update of every W (with
   * the layer's weight decay) and b.
   * opt: Opt code; lr, beta1 (momentum's μ), beta2, eps, clipNorm and t (Adam's
   * step count) are read from the table's tail (Tail, TailF64).
   * undo: 0, or a buffer of (1 + state arrays: momentum 1, Adam 2) × every W and b
   * where the parameters and state are saved before an update that could overflow.
   * Leaves in the tail's result word: the loss; NaN when the update was skipped
   * because the loss or a gradient was not finite (nothing changed); −Infinity
   * when the update made a parameter non-finite and was undone from `undo`
   * (nothing changed); +Infinity when it made a parameter non-finite and could
   * not be undone (the caller restores its own snapshot). Returns the same as
   * a StepStatus (an integer: no float crosses the call).
   */
  train_step(table: number, layers: number, X: number, Y: number, rows: number, loss: number, opt: number, scratch: number, undo: number): number;
  /** forward, then the loss value only (validation). Returns the loss (f64). */
  loss_only(table: number, layers: number, X: number, Y: number, rows: number, loss: number, scratch: number): number;
}
