/**
 * Layer tables for testing the mlp_* kernels: laid out in a KernelHeap the
 * way the facade lays them out, and the same network in float64, written out
 * in full (forward, loss, backprop) as the reference.
 */
import { Act, LAYER_BYTES, LayerField, Loss, TAIL_BYTES } from '../../src/backend/abi.js';
import type { KernelHeap } from './kernel-heap.js';
import { actBackwardF64, applyAct, lossF64 } from './kernel-reference.js';
import { randomF32, uniform } from './random-values.js';

export interface LayerSpec {
  outputs: number;
  act: number;
  alpha?: number;
  weightDecay?: number;
}

export interface LayerPtrs {
  inputs: number;
  outputs: number;
  act: number;
  alpha: number;
  W: number; b: number; dW: number; db: number; Z: number; A: number; dZ: number;
  mW: number; mb: number; vW: number; vb: number;
  /** W packed for the forward pass (f32_gemm_pack_b); the kernels fill it (Tail.packed starts at 0) */
  Wp: number;
}

export interface Net {
  table: number;
  layers: LayerPtrs[];
  X: number;
  Y: number;
  rows: number;
  /** f32_gemm's scratch for every product of a step, as src/network/plan.ts sizes it. */
  scratch: number;
}

const BUFFERS = ['W', 'b', 'dW', 'db', 'Z', 'A', 'dZ', 'mW', 'mb', 'vW', 'vb'] as const;
type BufferField = (typeof BUFFERS)[number];

/** Lays out a table and its buffers the way the facade would, with random parameters. */
export function layoutNet(heap: KernelHeap, inputs: number, specs: LayerSpec[], rows: number, x: number[], y: number[], seed: number): Net {
  const rand = uniform(seed);
  // the layer records, then the tail mlp_train_step reads its hyperparameters from
  const table = heap.alloc((specs.length * LAYER_BYTES + TAIL_BYTES) / 4);
  const layers: LayerPtrs[] = [];
  let fanIn = inputs;
  for (const s of specs) {
    const nW = fanIn * s.outputs;
    const sizes: Record<BufferField, number> = { W: nW, b: s.outputs, dW: nW, db: s.outputs, Z: rows * s.outputs, A: rows * s.outputs, dZ: rows * s.outputs, mW: nW, mb: s.outputs, vW: nW, vb: s.outputs };
    const p = {} as Record<BufferField, number>;
    for (const w of BUFFERS) p[w] = heap.alloc(sizes[w]);
    const Wp = heap.alloc(heap.k.f32_gemm_pack_b_bytes(s.outputs, fanIn) / 4);
    heap.write(p.W, randomF32(rand, nW, -1, 1));
    heap.write(p.b, randomF32(rand, s.outputs, -0.5, 0.5));
    const record = table + layers.length * LAYER_BYTES;
    const i32 = heap.i32();
    i32[(record + LayerField.inputs) >>> 2] = fanIn;
    i32[(record + LayerField.outputs) >>> 2] = s.outputs;
    i32[(record + LayerField.act) >>> 2] = s.act;
    for (const w of BUFFERS) i32[(record + LayerField[w]) >>> 2] = p[w];
    i32[(record + LayerField.Wp) >>> 2] = Wp;
    const f32 = heap.f32();
    f32[(record + LayerField.alpha) >>> 2] = s.alpha ?? 0;
    f32[(record + LayerField.weightDecay) >>> 2] = s.weightDecay ?? 0;
    layers.push({ inputs: fanIn, outputs: s.outputs, act: s.act, alpha: Math.fround(s.alpha ?? 0), ...p, Wp });
    fanIn = s.outputs;
  }
  let scratchBytes = 0;
  for (const L of layers) {
    scratchBytes = Math.max(
      scratchBytes,
      heap.k.f32_gemm_scratch_bytes(0, 0, rows, L.outputs, L.inputs),
      heap.k.f32_gemm_scratch_bytes(1, 0, L.inputs, L.outputs, rows),
      heap.k.f32_gemm_scratch_bytes(0, 1, rows, L.inputs, L.outputs),
    );
  }
  return { table, layers, X: heap.put(x), Y: heap.put(y), rows, scratch: heap.alloc(scratchBytes / 4) };
}

/** One layer of the float64 network: flat row-major W (inputs × outputs). */
export interface LayerF64 {
  inputs: number;
  outputs: number;
  act: number;
  alpha: number;
  W: number[];
  b: number[];
}

/** The float64 network with the parameters the table holds now. */
export function layersF64(heap: KernelHeap, net: Net): LayerF64[] {
  return net.layers.map((L) => ({
    inputs: L.inputs, outputs: L.outputs, act: L.act, alpha: L.alpha,
    W: heap.read(L.W, L.inputs * L.outputs), b: heap.read(L.b, L.outputs),
  }));
}

export function forwardF64(layers: LayerF64[], x: number[], rows: number): { Z: number[][]; A: number[][] } {
  const Z: number[][] = [];
  const A: number[][] = [];
  let input = x;
  for (const L of layers) {
    const z: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < L.outputs; j++) {
        let s = L.b[j]!;
        for (let i = 0; i < L.inputs; i++) s += input[r * L.inputs + i]! * L.W[i * L.outputs + j]!;
        z.push(s);
      }
    }
    Z.push(z);
    input = applyAct(L.act, rows, L.outputs, z, L.alpha);
    A.push(input);
  }
  return { Z, A };
}

export function lossOfF64(layers: LayerF64[], x: number[], y: number[], rows: number, loss: number): number {
  const { Z } = forwardF64(layers, x, rows);
  const last = layers[layers.length - 1]!;
  return lossF64(loss, last.act, rows, last.outputs, Z[Z.length - 1]!, y, last.alpha);
}

export function gradientsF64(layers: LayerF64[], x: number[], y: number[], rows: number, loss: number): { dW: number[][]; db: number[][]; dZ: number[][] } {
  const { Z, A } = forwardF64(layers, x, rows);
  const last = layers.length - 1;
  const L = layers[last]!;
  const a = A[last]!;
  const count = rows * L.outputs;
  let dZ: number[] =
    loss === Loss.bce ? a.map((v, i) => (v - y[i]!) / count)
    : loss === Loss.cce ? a.map((v, i) => (v - y[i]!) / rows)
    : actBackwardF64(L.act, rows, L.outputs, Z[last]!, a.map((v, i) => (2 * (v - y[i]!)) / count), L.alpha);
  const dWs: number[][] = [];
  const dbs: number[][] = [];
  const dZs: number[][] = [];
  for (let l = last; l >= 0; l--) {
    const cur = layers[l]!;
    const input = l === 0 ? x : A[l - 1]!;
    const dW: number[] = [];
    for (let i = 0; i < cur.inputs; i++) {
      for (let j = 0; j < cur.outputs; j++) {
        let s = 0;
        for (let r = 0; r < rows; r++) s += input[r * cur.inputs + i]! * dZ[r * cur.outputs + j]!;
        dW.push(s);
      }
    }
    const db: number[] = [];
    for (let j = 0; j < cur.outputs; j++) {
      let s = 0;
      for (let r = 0; r < rows; r++) s += dZ[r * cur.outputs + j]!;
      db.push(s);
    }
    dWs[l] = dW;
    dbs[l] = db;
    dZs[l] = dZ;
    if (l > 0) {
      const dA: number[] = [];
      for (let r = 0; r < rows; r++) {
        for (let i = 0; i < cur.inputs; i++) {
          let s = 0;
          for (let j = 0; j < cur.outputs; j++) s += dZ[r * cur.outputs + j]! * cur.W[i * cur.outputs + j]!;
          dA.push(s);
        }
      }
      const below = layers[l - 1]!;
      dZ = actBackwardF64(below.act, rows, below.outputs, Z[l - 1]!, dA, below.alpha);
    }
  }
  return { dW: dWs, db: dbs, dZ: dZs };
}

export interface NetCase {
  name: string;
  inputs: number;
  specs: LayerSpec[];
  loss: number;
}

export const NET_CASES: NetCase[] = [
  { name: 'relu → softmax, cce', inputs: 3, specs: [{ outputs: 4, act: Act.relu }, { outputs: 3, act: Act.softmax }], loss: Loss.cce },
  { name: 'tanh → sigmoid, bce, weight decay', inputs: 3, specs: [{ outputs: 4, act: Act.tanh, weightDecay: 0.01 }, { outputs: 2, act: Act.sigmoid, weightDecay: 0.02 }], loss: Loss.bce },
  { name: 'leaky_relu → linear, mse', inputs: 3, specs: [{ outputs: 5, act: Act.leaky_relu, alpha: 0.2 }, { outputs: 2, act: Act.linear }], loss: Loss.mse },
  { name: 'sigmoid → softmax, mse', inputs: 3, specs: [{ outputs: 4, act: Act.sigmoid }, { outputs: 3, act: Act.softmax }], loss: Loss.mse },
  { name: 'softmax (hidden) → tanh, mse', inputs: 2, specs: [{ outputs: 3, act: Act.softmax }, { outputs: 2, act: Act.tanh }], loss: Loss.mse },
];

export function labelsFor(c: NetCase, rows: number, rand: () => number): number[] {
  const out = c.specs[c.specs.length - 1]!.outputs;
  if (c.loss === Loss.mse) return randomF32(rand, rows * out, -1, 1);
  if (c.loss === Loss.bce) return Array.from({ length: rows * out }, () => (rand() < 0.5 ? 0 : 1));
  return Array.from({ length: rows * out }, (_, i) => (i % out === Math.floor(i / out) % out ? 1 : 0));
}

/** Every layer's parameters and optimizer state, in one array. */
export function snapshot(heap: KernelHeap, net: Net): number[] {
  return net.layers.flatMap((L) => {
    const nW = L.inputs * L.outputs;
    return [...heap.read(L.W, nW), ...heap.read(L.b, L.outputs), ...heap.read(L.mW, nW), ...heap.read(L.mb, L.outputs), ...heap.read(L.vW, nW), ...heap.read(L.vb, L.outputs)];
  });
}
