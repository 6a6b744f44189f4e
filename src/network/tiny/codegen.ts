import { Act } from '../../backend/abi.js';
import type { TinyPlan } from './plan.js';
import { Bytes, F64, Op, WASM_HEADER } from './wasm-bytes.js';

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
 * The code has the same arithmetic, in the same order, as tinyForward (forward-js.ts) (float64
 * sums starting from the bias, then the activation; softmax as max, exp, sum,
 * divide), with e^x inline (see emitExp) and tanh imported from the kernel
 * module (a Wasm-to-Wasm call). Weights live in the generated module's own
 * one-page memory as float64, refreshed when the network's weights change;
 * the code depends only on the shapes.
 *
 * Where Wasm cannot be compiled from bytes (Cloudflare Workers, a CSP without
 * 'wasm-unsafe-eval') compileTiny (dispatch.ts) returns null and the JS loop is used.
 */

/** Index of the imported tanh among the module's functions. */
const FN_TANH = 0;

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
  const m = new Bytes().op(...WASM_HEADER);
  // types: 0 = () → f64, 1 = (f64) → f64
  m.section(1, new Bytes().vec([new Bytes().op(0x60, 0x00, 0x01, F64), new Bytes().op(0x60, 0x01, F64, 0x01, F64)]));
  m.section(2, new Bytes().vec([new Bytes().name('m').name('tanh').op(0x00, 0x01)]));
  m.section(3, new Bytes().vec([new Bytes().op(0x00)]));
  m.section(5, new Bytes().vec([new Bytes().op(0x00).uleb(pages)]));
  m.section(7, new Bytes().vec([new Bytes().name('run').op(0x00, 0x01), new Bytes().name('mem').op(0x02, 0x00)]));
  m.section(10, new Bytes().vec([new Bytes().uleb(fn.b.length).op(...fn.b)]));
  return { bytes: Uint8Array.from(m.b), inputAt, outputAt };
}
