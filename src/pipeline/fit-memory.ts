/**
 * How much linear memory training needs, worked out before anything is
 * allocated: a network too large for the runtime is refused in milliseconds,
 * not after its weights were drawn (which takes long for large layers) or
 * after training. The sums mirror what Network (its plan), Trainer.fit and
 * trainModel's evaluations allocate; test/pipeline/fit-memory.test.ts holds
 * them against the allocations actually made.
 */

import type { KernelExports } from '../backend/abi.js';
import { MemoryError } from '../errors.js';
import { batchBlockBytes, classWeightBytes, paramBlockBytes, paramRegionBytes, type LayerSize } from '../network/plan.js';
import type { Runtime } from '../runtime.js';

/** The rows a training run handles, as far as memory is concerned. */
export interface FitRows {
  /** Rows of the training part, copied into linear memory for the whole fit; 0 counts the network alone. */
  trainRows: number;
  /** Rows of one mini-batch: min(batchSize, trainRows), at least 1. */
  batchRows: number;
  /** Rows of each part evaluated after training, in order (trainModel: test, then validation); evaluation works in chunks of at most 1,024 rows. */
  evalRows: readonly number[];
}

/** Bytes of linear memory a training run needs at its peak, and what they are for. */
export interface FitMemory {
  /** The peak: the larger of the fit's needs and the evaluations' (the fit's own blocks are released before them). */
  bytes: number;
  /** The network's fixed block: weights and biases, their gradients, two optimizer states, the packed weights, the layer table. */
  network: number;
  /** The two copies of the weights a fit keeps: at the start of each epoch and at the best epoch. */
  snapshots: number;
  /** The training rows and targets. */
  data: number;
  /** Batch blocks (inputs, activations, gradients and GEMM scratch of a batch): the one-row block of a new network, then the training batch's. */
  batches: number;
  /** Batch blocks of the evaluation chunks, where larger than the training batch's. */
  evaluation: number;
}

// Evaluation predicts in chunks of at most this many rows (evaluate(), Network.predict).
const EVAL_CHUNK = 1024;
const ALIGN = 16;
const aligned = (bytes: number): number => Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);

/**
 * The linear memory a network of `layers` needs to be built, trained on
 * `rows.trainRows` rows with early stopping that keeps the best epoch, and
 * evaluated, as trainModel does. An upper bound: blocks freed along the way
 * are counted as if never reused, which overstates the peak by at most the
 * one-row batch block. Leaves out the block Trainer.fit takes only where
 * there is room (to undo an overflowing update in place).
 *
 * @param kernels - the runtime's kernels (the GEMM scratch size depends on the build).
 */
export function fitMemory(kernels: KernelExports, layers: readonly LayerSize[], rows: FitRows): FitMemory {
  const inputs = layers[0]!.inputs;
  const outputs = layers[layers.length - 1]!.outputs;
  const network = paramBlockBytes(layers, kernels);
  const snapshots = 2 * paramRegionBytes(layers);
  // the targets' block also holds the class weights (one f32 per class: 2 for one sigmoid unit); then the shuffled order (u32 per row)
  const data = rows.trainRows > 0
    ? aligned(rows.trainRows * inputs * 4) + aligned(rows.trainRows * outputs * 4 + classWeightBytes(outputs)) + aligned(rows.trainRows * 4)
    : 0;
  // a new network lays out a batch of one row; a fit with larger batches lays
  // out its own before releasing that one
  const batchRows = Math.max(1, rows.batchRows);
  const batches = batchBlockBytes(layers, 1, kernels) + (batchRows > 1 ? batchBlockBytes(layers, batchRows, kernels) : 0);
  let evaluation = 0;
  let capacity = batchRows;
  for (const n of rows.evalRows) {
    const chunk = Math.min(n, EVAL_CHUNK);
    if (chunk <= capacity) continue;
    evaluation += batchBlockBytes(layers, chunk, kernels);
    capacity = chunk;
  }
  const bytes = network + batches + Math.max(snapshots + data, evaluation);
  return { bytes, network, snapshots, data, batches, evaluation };
}

/**
 * Refuses, before anything is allocated, a training run that cannot fit in
 * what is left of `runtime`'s linear memory (its limit, less the kernels'
 * own data and what live networks hold).
 *
 * @param what - who is asking, for the message, e.g. 'trainModel'.
 * @param advice - what the caller can change, appended to the message.
 * @throws MemoryError naming the bytes needed, what they are for, the limit and the bytes free.
 */
export function checkFitMemory(runtime: Runtime, layers: readonly LayerSize[], rows: FitRows, what: string, advice: string): FitMemory {
  const backend = runtime.backend;
  const need = fitMemory(backend.kernels, layers, rows);
  const limit = backend.maxBytes;
  const free = Math.max(0, limit - aligned(backend.kernels.heap_base()) - runtime.liveBytes);
  if (need.bytes <= free) return need;
  const parameters = layers.reduce((n, l) => n + l.inputs * l.outputs + l.outputs, 0);
  const shape = [layers[0]!.inputs, ...layers.map((l) => l.outputs)].join(' → ');
  const parts = [
    `${size(need.network)} for the weights, gradients and optimizer state (with the weights packed for the forward pass)`,
    `${size(need.snapshots)} for 2 snapshots of the weights`,
    `${size(need.batches)} for batches of ${count(rows.batchRows)} row${rows.batchRows === 1 ? '' : 's'}`,
  ];
  if (need.data > 0) parts.push(`${size(need.data)} for the ${count(rows.trainRows)} training rows`);
  if (need.evaluation > need.snapshots + need.data) parts.push(`${size(need.evaluation)} for evaluation in chunks of up to ${count(EVAL_CHUNK)} rows`);
  throw new MemoryError(
    `${what}: a ${shape} network (${count(parameters)} parameters) needs ${count(need.bytes)} bytes (${size(need.bytes)}) of linear memory ` +
      `to train: ${parts.join(', ')}; over the limit of ${count(limit)} bytes (${size(limit)}), of which ${count(free)} are free; ${advice}`,
  );
}

function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `5.73 GiB`, `14.12 MiB`, `512 bytes`: readable at a glance. */
function size(n: number): string {
  const units: [number, string][] = [[2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];
  const unit = units.find(([bytes]) => n >= bytes);
  return unit ? `${(n / unit[0]).toFixed(2)} ${unit[1]}` : `${n} bytes`;
}
