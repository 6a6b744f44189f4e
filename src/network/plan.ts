import { Act, LAYER_BYTES, LayerField, Opt, TAIL_BYTES, Tail, type ActivationName, type KernelExports, type OptCode } from '../backend/abi.js';
import type { Heap } from '../memory/heap.js';

export interface LayerShape {
  inputs: number;
  outputs: number;
  activation: ActivationName;
  alpha: number;
}

/** Byte pointers of one layer's parameter-side buffers. */
interface ParamPointers {
  W: number;
  b: number;
  dW: number;
  db: number;
  mW: number;
  mb: number;
  vW: number;
  vb: number;
  /** W packed for the forward pass (f32_gemm_pack_b), kept by the kernels */
  Wp: number;
}

/** Byte pointers of one layer's batch-side buffers. */
interface ActivationPointers {
  Z: number;
  A: number;
  dZ: number;
}

const f32Bytes = (n: number): number => Math.ceil((n * 4) / 16) * 16;

/** Bytes of the class weights a fit keeps after its targets: one f32 per class (2 for one sigmoid unit). */
export function classWeightBytes(outputs: number): number {
  return 4 * Math.max(outputs, 2);
}

/** The sizes of a layer, all the memory layout depends on. */
export type LayerSize = Pick<LayerShape, 'inputs' | 'outputs'>;

/**
 * Bytes of a plan's fixed block: the layer table, then W and b, dW and db, and
 * two optimizer states of every layer, then every W's packed copy (its size
 * is the kernels' to say: `k`).
 */
export function paramBlockBytes(layers: readonly LayerSize[], k: KernelExports): number {
  let packed = 0;
  for (const l of layers) packed += k.f32_gemm_pack_b_bytes(l.outputs, l.inputs);
  return layers.length * LAYER_BYTES + TAIL_BYTES + 4 * paramRegionBytes(layers) + packed;
}

/** Bytes of every W and b with their padding: one snapshot of the parameters (Plan.paramRegion). */
export function paramRegionBytes(layers: readonly LayerSize[]): number {
  let bytes = 0;
  for (const l of layers) bytes += f32Bytes(l.inputs * l.outputs) + f32Bytes(l.outputs);
  return bytes;
}

/** Bytes of the GEMM scratch for batches of `rows` rows: the largest any of backprop's three products needs. */
function gemmScratchBytes(layers: readonly LayerSize[], rows: number, k: KernelExports): number {
  let bytes = 0;
  for (const l of layers) {
    bytes = Math.max(
      bytes,
      k.f32_gemm_scratch_bytes(0, 0, rows, l.outputs, l.inputs),
      k.f32_gemm_scratch_bytes(1, 0, l.inputs, l.outputs, rows),
      k.f32_gemm_scratch_bytes(0, 1, rows, l.inputs, l.outputs),
    );
  }
  return bytes;
}

/** Bytes of a plan's batch block for `rows` rows: X, Y, the GEMM scratch, and Z, A, dZ of every layer. */
export function batchBlockBytes(layers: readonly LayerSize[], rows: number, k: KernelExports): number {
  const inputs = layers[0]!.inputs;
  const outputs = layers[layers.length - 1]!.outputs;
  let bytes = f32Bytes(rows * inputs) + f32Bytes(rows * outputs) + f32Bytes(gemmScratchBytes(layers, rows, k) / 4);
  for (const l of layers) bytes += 3 * f32Bytes(rows * l.outputs);
  return bytes;
}

/**
 * A network laid out in linear memory: one block for the layer table,
 * parameters, gradients and optimizer state (fixed for the network's life),
 * and one block for a batch of `capacity` rows (X, Y, every layer's Z, A, dZ,
 * and the GEMM scratch), re-laid only when a larger batch arrives.
 * Every buffer is 16-byte aligned and padded to 16 bytes.
 */
export class Plan {
  readonly heap: Heap;
  readonly layers: readonly LayerShape[];
  readonly table: number;
  readonly params: readonly ParamPointers[];
  private readonly paramBlock: number;
  private batchBlock = 0;
  private acts: ActivationPointers[] = [];
  private _capacity = 0;
  private _X = 0;
  private _Y = 0;
  private _scratch = 0;
  /** L2 coefficient the kernels apply to every W (set by the trainer). */
  private weightDecay = 0;

  constructor(heap: Heap, layers: readonly LayerShape[]) {
    this.heap = heap;
    this.layers = layers;
    const tableBytes = layers.length * LAYER_BYTES + TAIL_BYTES;
    const k = heap.backend.kernels;
    this.paramBlock = heap.alloc(paramBlockBytes(layers, k), 'network parameters');
    this.table = this.paramBlock;
    let p = this.paramBlock + tableBytes;
    const take = (n: number): number => {
      const ptr = p;
      p += f32Bytes(n);
      return ptr;
    };
    // Every W and b first, in one contiguous region, so a snapshot of the
    // parameters is one copy; then gradients, then the optimizer state, then
    // the packed copies. One object literal per layer, filled region by
    // region (spreading five partial objects into one took a third of a tiny
    // network's construction in V8).
    const params: ParamPointers[] = layers.map(() => ({ W: 0, b: 0, dW: 0, db: 0, mW: 0, mb: 0, vW: 0, vb: 0, Wp: 0 }));
    layers.forEach((l, i) => {
      params[i]!.W = take(l.inputs * l.outputs);
      params[i]!.b = take(l.outputs);
    });
    this.paramRegion = { start: params[0]!.W, end: p };
    layers.forEach((l, i) => {
      params[i]!.dW = take(l.inputs * l.outputs);
      params[i]!.db = take(l.outputs);
    });
    layers.forEach((l, i) => {
      params[i]!.mW = take(l.inputs * l.outputs);
      params[i]!.mb = take(l.outputs);
    });
    layers.forEach((l, i) => {
      params[i]!.vW = take(l.inputs * l.outputs);
      params[i]!.vb = take(l.outputs);
    });
    layers.forEach((l, i) => {
      params[i]!.Wp = take(k.f32_gemm_pack_b_bytes(l.outputs, l.inputs) / 4);
    });
    this.params = params;
    this.tail = this.table + layers.length * LAYER_BYTES;
    this.invalidateStepStats();
    this.invalidatePacked();
  }

  /** Byte offset of the table's tail (Tail in src/backend/abi.ts); the table is 16-byte aligned. */
  readonly tail: number;

  /**
   * The train step's bounds on the parameters and optimizer state (see
   * Tail in src/backend/abi.ts) become unknown: called by every method that
   * writes either outside the kernels.
   */
  private invalidateStepStats(): void {
    const f32 = this.heap.f32();
    f32[(this.tail + Tail.maxParam) >>> 2] = NaN;
    f32[(this.tail + Tail.maxState) >>> 2] = NaN;
  }

  /**
   * The packed copies of W no longer match W (see Tail.packed in
   * src/backend/abi.ts): called by every method that writes a W outside the
   * kernels; the next forward pass repacks.
   */
  private invalidatePacked(): void {
    this.heap.i32()[(this.tail + Tail.packed) >>> 2] = 0;
  }

  /** Bytes of the buffer mlp_train_step saves the parameters and this optimizer's state in before a risky update. */
  undoBytes(opt: OptCode): number {
    const states = opt === Opt.adam ? 2 : opt === Opt.momentum ? 1 : 0;
    return (this.paramRegion.end - this.paramRegion.start) * (1 + states);
  }

  /** Byte range holding every W and b (with their padding). */
  readonly paramRegion: { start: number; end: number };

  /** Copies the parameter region into a heap block of paramRegion's size (no allocation). */
  snapshotParams(to: number): void {
    const f32 = this.heap.f32();
    f32.copyWithin(to >>> 2, this.paramRegion.start >>> 2, this.paramRegion.end >>> 2);
  }

  /** Inverse of snapshotParams. */
  restoreParams(from: number): void {
    const f32 = this.heap.f32();
    const { start, end } = this.paramRegion;
    f32.copyWithin(start >>> 2, from >>> 2, (from + end - start) >>> 2);
    this.invalidateStepStats();
    this.invalidatePacked();
  }

  get capacity(): number {
    return this._capacity;
  }
  get X(): number {
    return this._X;
  }
  get Y(): number {
    return this._Y;
  }
  get scratch(): number {
    return this._scratch;
  }
  activations(l: number): Readonly<ActivationPointers> {
    return this.acts[l]!;
  }

  /** Makes room for batches of up to `rows` rows (never shrinks). */
  ensureCapacity(rows: number): void {
    if (rows <= this._capacity) return;
    const k = this.heap.backend.kernels;
    const inputs = this.layers[0]!.inputs;
    const outputs = this.layers[this.layers.length - 1]!.outputs;
    const scratchBytes = gemmScratchBytes(this.layers, rows, k);
    // allocate before releasing: a refused allocation leaves the old layout intact
    const block = this.heap.alloc(batchBlockBytes(this.layers, rows, k), `a batch of ${rows} rows`);
    if (this.batchBlock) this.heap.release(this.batchBlock);
    this.batchBlock = block;
    let p = block;
    const take = (n: number): number => {
      const ptr = p;
      p += f32Bytes(n);
      return ptr;
    };
    this._X = take(rows * inputs);
    this._Y = take(rows * outputs);
    this._scratch = take(scratchBytes / 4);
    this.acts = this.layers.map((l) => ({ Z: take(rows * l.outputs), A: take(rows * l.outputs), dZ: take(rows * l.outputs) }));
    this._capacity = rows;
    this.writeTable();
  }

  /** Writes the layer table the kernels read (see src/backend/abi.ts). */
  writeTable(): void {
    const weightDecay = this.weightDecay;
    const i32 = this.heap.i32();
    const f32 = this.heap.f32();
    this.layers.forEach((l, i) => {
      const base = this.table + i * LAYER_BYTES;
      const p = this.params[i]!;
      const a = this.acts[i];
      i32[(base + LayerField.inputs) >>> 2] = l.inputs;
      i32[(base + LayerField.outputs) >>> 2] = l.outputs;
      i32[(base + LayerField.act) >>> 2] = Act[l.activation];
      f32[(base + LayerField.alpha) >>> 2] = l.alpha;
      i32[(base + LayerField.W) >>> 2] = p.W;
      i32[(base + LayerField.b) >>> 2] = p.b;
      i32[(base + LayerField.dW) >>> 2] = p.dW;
      i32[(base + LayerField.db) >>> 2] = p.db;
      i32[(base + LayerField.Z) >>> 2] = a ? a.Z : 0;
      i32[(base + LayerField.A) >>> 2] = a ? a.A : 0;
      i32[(base + LayerField.dZ) >>> 2] = a ? a.dZ : 0;
      i32[(base + LayerField.mW) >>> 2] = p.mW;
      i32[(base + LayerField.mb) >>> 2] = p.mb;
      i32[(base + LayerField.vW) >>> 2] = p.vW;
      i32[(base + LayerField.vb) >>> 2] = p.vb;
      i32[(base + LayerField.Wp) >>> 2] = p.Wp;
      f32[(base + LayerField.weightDecay) >>> 2] = weightDecay;
    });
  }

  /** Points the table at one f32 weight per class (mlp_gradients weights the loss by them), or at none (0). */
  setClassWeights(ptr: number): void {
    this.heap.u32()[(this.tail + Tail.classWeights) >>> 2] = ptr;
  }

  setWeightDecay(wd: number): void {
    // every fit sets it: the table already holds an unchanged value (written by every writeTable)
    if (Object.is(wd, this.weightDecay)) return;
    this.weightDecay = wd;
    this.writeTable();
  }

  /** Zeroes the optimizer state (a new Trainer starts fresh). */
  resetOptimizerState(): void {
    const f32 = this.heap.f32();
    this.layers.forEach((l, i) => {
      const p = this.params[i]!;
      const w = l.inputs * l.outputs;
      f32.fill(0, p.mW >>> 2, (p.mW >>> 2) + w);
      f32.fill(0, p.vW >>> 2, (p.vW >>> 2) + w);
      f32.fill(0, p.mb >>> 2, (p.mb >>> 2) + l.outputs);
      f32.fill(0, p.vb >>> 2, (p.vb >>> 2) + l.outputs);
    });
    this.invalidateStepStats();
  }

  /** Parameters (W then b of every layer) as one array, for snapshots. */
  readParams(out: Float32Array = new Float32Array(this.paramCount)): Float32Array {
    const f32 = this.heap.f32();
    let o = 0;
    this.layers.forEach((l, i) => {
      const p = this.params[i]!;
      const w = l.inputs * l.outputs;
      out.set(f32.subarray(p.W >>> 2, (p.W >>> 2) + w), o);
      o += w;
      out.set(f32.subarray(p.b >>> 2, (p.b >>> 2) + l.outputs), o);
      o += l.outputs;
    });
    return out;
  }

  /** Inverse of readParams. */
  writeParams(flat: Float32Array): void {
    const f32 = this.heap.f32();
    let o = 0;
    this.layers.forEach((l, i) => {
      const p = this.params[i]!;
      const w = l.inputs * l.outputs;
      f32.set(flat.subarray(o, o + w), p.W >>> 2);
      o += w;
      f32.set(flat.subarray(o, o + l.outputs), p.b >>> 2);
      o += l.outputs;
    });
    this.invalidateStepStats();
    this.invalidatePacked();
  }

  get paramCount(): number {
    let n = 0;
    for (const l of this.layers) n += l.inputs * l.outputs + l.outputs;
    return n;
  }

  /** Gives both blocks back; a second call does nothing (the blocks may belong to others by then). */
  /** Gives both blocks back; a second call does nothing (the blocks may belong to others by then). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.batchBlock) this.heap.release(this.batchBlock);
    this.heap.release(this.paramBlock);
    this.batchBlock = 0;
    this._capacity = 0;
  }

  private disposed = false;
}
