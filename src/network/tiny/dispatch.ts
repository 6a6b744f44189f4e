import { tinyModuleBytes } from './codegen.js';
import type { TinyPlan } from './plan.js';
import { Bytes, F64, Op, WASM_HEADER } from './wasm-bytes.js';

/** Single-sample predictions a network makes with the JS loop before its code is generated. */
export const TINY_CALLS_BEFORE_CODE = 64;

/**
 * Networks with generated code alive at once. Each has a Wasm memory of its
 * own, and engines reserve gigabytes of address space per memory; past this
 * many (until disposed or collected ones free a slot) a network keeps the JS
 * loop.
 */
export const TINY_CODE_LIMIT = 512;

export interface TinyWasm {
  /** The network's slot in the shared dispatch table: `callTiny(slot)` runs it. */
  slot: number;
  /** The module's memory: the weights from index 0 (TinyPlan.weights' layout), then the inputs, then the outputs. */
  f64: Float64Array;
  inputAt: number;
  outputAt: number;
}

export interface TinyMath {
  f64_tanh: (x: number) => number;
}

/**
 * Every network's generated function is called through one dispatcher,
 * `call(slot)` → call_indirect into a shared table: a JS call site that sees
 * the functions of several networks directly goes generic (about 1.5× the
 * time per call in V8), while it always sees the same dispatcher. Slots are
 * given back when a network is disposed or collected.
 */
interface Dispatch {
  call: (slot: number) => number;
  table: WebAssembly.Table;
  free: number[];
  collected: FinalizationRegistry<number>;
}

// created on first use; null where Wasm cannot be compiled from bytes
let dispatch: Dispatch | null | undefined;

function dispatcher(): Dispatch | null {
  if (dispatch !== undefined) return dispatch;
  const m = new Bytes().op(...WASM_HEADER);
  // types: 0 = () → f64 (a network's run), 1 = (i32) → f64 (call)
  m.section(1, new Bytes().vec([new Bytes().op(0x60, 0x00, 0x01, F64), new Bytes().op(0x60, 0x01, 0x7f, 0x01, F64)]));
  m.section(3, new Bytes().vec([new Bytes().op(0x01)]));
  // a funcref table of 8 to start with, growable
  m.section(4, new Bytes().vec([new Bytes().op(0x70, 0x00, 0x08)]));
  m.section(7, new Bytes().vec([new Bytes().name('call').op(0x00, 0x00), new Bytes().name('table').op(0x01, 0x00)]));
  const body = new Bytes().op(0x00, Op.localGet, 0x00, 0x11, 0x00, 0x00, Op.end);
  m.section(10, new Bytes().vec([new Bytes().uleb(body.b.length).op(...body.b)]));
  try {
    const { exports } = new WebAssembly.Instance(new WebAssembly.Module(Uint8Array.from(m.b)));
    const table = exports.table as WebAssembly.Table;
    const free: number[] = [];
    for (let i = table.length - 1; i >= 0; i--) free.push(i);
    const collected = new FinalizationRegistry<number>((slot) => releaseSlot(slot));
    dispatch = { call: exports.call as (slot: number) => number, table, free, collected };
  } catch {
    dispatch = null;
  }
  return dispatch;
}

/** Slots of the dispatch table in use. @internal (tests) */
export function tinySlotsInUse(): number {
  return dispatch ? dispatch.table.length - dispatch.free.length : 0;
}

/** Runs the network in `slot` (see TinyWasm). */
export function callTiny(slot: number): number {
  return (dispatch as Dispatch).call(slot);
}

function releaseSlot(slot: number): void {
  const d = dispatch as Dispatch;
  d.table.set(slot, null);
  d.free.push(slot);
}

/** Gives the network's slot back (its generated code can then be collected). */
export function releaseTiny(w: TinyWasm): void {
  if (w.slot < 0) return;
  (dispatch as Dispatch).collected.unregister(w);
  releaseSlot(w.slot);
  w.slot = -1;
}

/** Compiles and instantiates the plan's module; null where Wasm cannot be compiled from bytes. */
export function compileTiny(p: TinyPlan, math: TinyMath): TinyWasm | null {
  const d = dispatcher();
  if (d === null || (d.free.length === 0 && d.table.length >= TINY_CODE_LIMIT)) return null;
  const { bytes, inputAt, outputAt } = tinyModuleBytes(p);
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { tanh: math.f64_tanh } });
  } catch {
    return null;
  }
  const exports = instance.exports as { run: () => number; mem: WebAssembly.Memory };
  if (d.free.length === 0) {
    const n = d.table.length;
    const more = Math.min(n, TINY_CODE_LIMIT - n);
    d.table.grow(more);
    for (let i = n + more - 1; i >= n; i--) d.free.push(i);
  }
  const slot = d.free.pop()!;
  d.table.set(slot, exports.run);
  const f64 = new Float64Array(exports.mem.buffer);
  f64.set(p.weights);
  const w: TinyWasm = { slot, f64, inputAt, outputAt };
  d.collected.register(w, slot, w);
  return w;
}
