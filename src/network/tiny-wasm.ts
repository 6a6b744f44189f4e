import { Act } from '../backend/abi.js';
import type { TinyPlan } from './tiny-forward.js';

/**
 * Straight-line WebAssembly for one tiny network's forward pass, generated
 * once it has predicted TINY_CALLS_BEFORE_CODE single samples.
 *
 * Why: for a network of a few units a generic loop over layers and units
 * spends most of its time on loop control and on re-checking the typed arrays
 * it reads (about 4–5× a hand-written function in V8), while straight-line
 * code with the intermediate values in registers runs at about the
 * hand-written speed. Generating JS would need `new Function` (refused under
 * a strict Content-Security-Policy); generating Wasm needs only what loading
 * the kernels already needs.
 *
 * The code has the same arithmetic, in the same order, as tinyForward (float64
 * sums starting from the bias, then the activation; softmax as max, exp, sum,
 * divide), with e^x inline (see emitExp) and tanh imported from the kernel
 * module (a Wasm-to-Wasm call). Weights live in the generated module's own
 * one-page memory as float64, refreshed when the network's weights change;
 * the code depends only on the shapes.
 *
 * Where Wasm cannot be compiled from bytes (Cloudflare Workers, a CSP without
 * 'wasm-unsafe-eval') compileTiny returns null and the JS loop is used.
 */

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

const enum Op {
  end = 0x0b,
  select = 0x1b,
  call = 0x10,
  localGet = 0x20,
  localSet = 0x21,
  i32Const = 0x41,
  f64Const = 0x44,
  f64Load = 0x2b,
  f64Store = 0x39,
  f64Lt = 0x63,
  f64Gt = 0x64,
  f64Abs = 0x99,
  f64Neg = 0x9a,
  f64Add = 0xa0,
  f64Sub = 0xa1,
  f64Mul = 0xa2,
  f64Div = 0xa3,
}

const F64 = 0x7c;
const FN_TANH = 0;

class Bytes {
  readonly b: number[] = [];
  op(...ops: number[]): this {
    this.b.push(...ops);
    return this;
  }
  uleb(n: number): this {
    do {
      let byte = n & 0x7f;
      n >>>= 7;
      if (n !== 0) byte |= 0x80;
      this.b.push(byte);
    } while (n !== 0);
    return this;
  }
  f64(v: number): this {
    const a = new Uint8Array(new Float64Array([v]).buffer);
    this.b.push(...a);
    return this;
  }
  name(s: string): this {
    this.uleb(s.length);
    for (let i = 0; i < s.length; i++) this.b.push(s.charCodeAt(i));
    return this;
  }
  vec(items: Bytes[]): this {
    this.uleb(items.length);
    for (const it of items) this.b.push(...it.b);
    return this;
  }
  section(id: number, body: Bytes): this {
    this.b.push(id);
    this.uleb(body.b.length);
    this.b.push(...body.b);
    return this;
  }
}

/** The function body: returns the bytes and the number of f64 locals it uses. */
function body(p: TinyPlan, inputAt: number, outputAt: number): { code: Bytes; locals: number } {
  const c = new Bytes();
  const desc = p.desc;
  let locals = 0;
  const local = (): number => locals++;
  // f64.load / f64.store at a constant float index (address 0 + byte offset)
  const load = (index: number) => c.op(Op.i32Const, 0, Op.f64Load, 3).uleb(index * 8);
  const get = (l: number) => c.op(Op.localGet).uleb(l);
  const set = (l: number) => c.op(Op.localSet).uleb(l);
  // the value on the stack where local z < 0, else z itself
  const elseZIfNonNegative = (z: number) => {
    get(z);
    get(z);
    c.op(Op.f64Const).f64(0).op(Op.f64Lt, Op.select);
  };

  // e^x of the value on the stack, for x ≤ 0 or NaN (all the activations
  // exponentiate: −|z| and z − max), inline: a call would cost about as much
  // as the rest of a small network. k = round(x·log2 e), r = x − k·ln 2 in two
  // parts (Cody–Waite), e^r by its Taylor series to r⁹ (|r| ≤ ln2/2: relative
  // error below 1e−11, far inside the float32 rounding of the outputs), times
  // 2^k built from its bits; below −708 (where 2^k would leave the normal
  // range) the result is 0, smaller than any float32 output can show.
  const expX = local();
  const expK = local();
  const expR = local();
  const expR2 = local();
  const expR4 = local();
  const emitExp = () => {
    set(expX);
    c.op(Op.f64Const).f64(0); // the select's "below −708" value
    get(expX);
    c.op(Op.f64Const).f64(Math.LOG2E).op(Op.f64Mul, 0x9e /* f64.nearest */);
    set(expK);
    get(expX);
    get(expK);
    c.op(Op.f64Const).f64(6.93147180369123816490e-1).op(Op.f64Mul, Op.f64Sub);
    get(expK);
    c.op(Op.f64Const).f64(1.90821492927058770002e-10).op(Op.f64Mul, Op.f64Sub);
    set(expR);
    // Estrin (short dependency chains): e^r ≈ Σ_{i≤9} rⁱ/i! as
    // (q0 + q1·r²) + r⁴·(q2 + q3·r²) + r⁸·q4, with q_j = c_2j + c_2j+1·r
    const inv = [1];
    for (let i = 1; i <= 9; i++) inv.push(inv[i - 1]! / i);
    const pair = (j: number) => {
      get(expR);
      c.op(Op.f64Const).f64(inv[2 * j + 1]!).op(Op.f64Mul, Op.f64Const).f64(inv[2 * j]!).op(Op.f64Add);
    };
    get(expR);
    get(expR);
    c.op(Op.f64Mul);
    set(expR2);
    pair(0);
    pair(1);
    get(expR2);
    c.op(Op.f64Mul, Op.f64Add); // q0 + q1·r²
    pair(2);
    pair(3);
    get(expR2);
    c.op(Op.f64Mul, Op.f64Add); // q2 + q3·r²
    get(expR2);
    get(expR2);
    c.op(Op.f64Mul); // r⁴
    c.op(Op.f64Mul, Op.f64Add); // + r⁴·(q2 + q3·r²)
    pair(4);
    get(expR2);
    get(expR2);
    c.op(Op.f64Mul);
    set(expR4);
    get(expR4);
    get(expR4);
    c.op(Op.f64Mul, Op.f64Mul, Op.f64Add); // + r⁸·q4
    // · 2^k, from the bits (k + 1023) << 52
    get(expK);
    c.op(0xfc, 0x06 /* i64.trunc_sat_f64_s */, 0x42 /* i64.const 1023 */, 0xff, 0x07, 0x7c /* i64.add */);
    c.op(0x42 /* i64.const 52 */, 52, 0x86 /* i64.shl */, 0xbf /* f64.reinterpret_i64 */, Op.f64Mul);
    get(expX);
    c.op(Op.f64Const).f64(-708).op(Op.f64Lt, Op.select);
  };
  let src: number[] = [];
  for (let k = 0; k < desc[0]!; k++) {
    const l = local();
    load(inputAt + k);
    set(l);
    src.push(l);
  }
  const t = local();
  const e = local();
  let o = 0;
  for (let layer = 0, d = 0; layer < p.layers; layer++, d += 3) {
    const nIn = desc[d]!;
    const n = desc[d + 1]!;
    const code = desc[d + 2]!;
    const dst: number[] = [];
    for (let j = 0; j < n; j++) {
      const out = local();
      dst.push(out);
      load(o + nIn);
      for (let k = 0; k < nIn; k++) {
        get(src[k]!);
        load(o + k);
        c.op(Op.f64Mul, Op.f64Add);
      }
      o += nIn + 1;
      if (code === Act.relu) {
        // z < 0 ? 0 : z
        set(t);
        c.op(Op.f64Const).f64(0);
        elseZIfNonNegative(t);
      } else if (code === Act.leaky_relu) {
        // z < 0 ? alpha·z : z
        set(t);
        get(t);
        c.op(Op.f64Const).f64(p.alpha[layer]!).op(Op.f64Mul);
        elseZIfNonNegative(t);
      } else if (code === Act.sigmoid) {
        // e = exp(−|z|); z < 0 ? e/(1+e) : 1/(1+e)
        set(t);
        get(t);
        c.op(Op.f64Abs, Op.f64Neg);
        emitExp();
        set(e);
        get(e);
        c.op(Op.f64Const).f64(1);
        get(e);
        c.op(Op.f64Add, Op.f64Div);
        c.op(Op.f64Const).f64(1).op(Op.f64Const).f64(1);
        get(e);
        c.op(Op.f64Add, Op.f64Div);
        get(t);
        c.op(Op.f64Const).f64(0).op(Op.f64Lt, Op.select);
      } else if (code === Act.tanh) {
        c.op(Op.call).uleb(FN_TANH);
      }
      set(out);
    }
    if (code === Act.softmax) {
      // max (NaN never wins, as in tinyForward), e_j = exp(z_j − max), Σ in j order, then divide
      const max = t;
      c.op(Op.f64Const).f64(-Infinity);
      set(max);
      for (const z of dst) {
        get(z);
        get(max);
        get(z);
        get(max);
        c.op(Op.f64Gt, Op.select);
        set(max);
      }
      const sum = e;
      c.op(Op.f64Const).f64(0);
      set(sum);
      for (const z of dst) {
        get(z);
        get(max);
        c.op(Op.f64Sub);
        emitExp();
        set(z);
        get(sum);
        get(z);
        c.op(Op.f64Add);
        set(sum);
      }
      for (const z of dst) {
        get(z);
        get(sum);
        c.op(Op.f64Div);
        set(z);
      }
    }
    src = dst;
  }
  src.forEach((l, j) => {
    c.op(Op.i32Const, 0);
    get(l);
    c.op(Op.f64Store, 3).uleb((outputAt + j) * 8);
  });
  get(src[0]!);
  c.op(Op.end);
  return { code: c, locals };
}

/** The module's bytes for this plan's shapes (weights are data, not code). */
export function tinyModuleBytes(p: TinyPlan): { bytes: Uint8Array<ArrayBuffer>; inputAt: number; outputAt: number } {
  const inputAt = p.weights.length;
  const outputAt = inputAt + p.desc[0]!;
  const outputs = p.desc[3 * (p.layers - 1) + 1]!;
  const pages = Math.ceil(((outputAt + outputs) * 8) / 65536);
  const { code, locals } = body(p, inputAt, outputAt);

  const fn = new Bytes().uleb(1).uleb(locals).op(F64);
  fn.b.push(...code.b);
  const m = new Bytes().op(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
  // types: 0 = () → f64, 1 = (f64) → f64
  m.section(1, new Bytes().vec([new Bytes().op(0x60, 0x00, 0x01, F64), new Bytes().op(0x60, 0x01, F64, 0x01, F64)]));
  m.section(2, new Bytes().vec([new Bytes().name('m').name('tanh').op(0x00, 0x01)]));
  m.section(3, new Bytes().vec([new Bytes().op(0x00)]));
  m.section(5, new Bytes().vec([new Bytes().op(0x00).uleb(pages)]));
  m.section(7, new Bytes().vec([new Bytes().name('run').op(0x00, 0x01), new Bytes().name('mem').op(0x02, 0x00)]));
  m.section(10, new Bytes().vec([new Bytes().uleb(fn.b.length).op(...fn.b)]));
  return { bytes: Uint8Array.from(m.b), inputAt, outputAt };
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
  const m = new Bytes().op(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);
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
