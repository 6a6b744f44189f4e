/**
 * One sample through a tiny network without the batch machinery: for a few
 * units, the JS→Wasm call, the buffer copies and a Float32Array cost more
 * than the arithmetic. The first TINY_CALLS_BEFORE_CODE samples take the JS
 * loop (forward-js.ts); then, on a Wasm runtime, code generated for the
 * network (codegen.ts) runs through the shared dispatcher (dispatch.ts).
 */

import { F32_MAX } from '../../validate.js';
import type { Network } from '../network.js';
import { callTiny, compileTiny, releaseTiny, TINY_CALLS_BEFORE_CODE, type TinyWasm } from './dispatch.js';
import { tinyForward } from './forward-js.js';
import { tinyPlan, type TinyPlan } from './plan.js';

export class TinyPath {
  /** The generated code: null where it cannot be compiled, undefined until first needed. */
  wasm: TinyWasm | null | undefined = undefined;
  /** The network's weightsVersion the plan and the code's weights were built from. */
  version = -1;
  private plan: TinyPlan | null = null;
  private calls = 0;
  private readonly scaled: Float32Array;

  constructor(private readonly net: Network) {
    this.scaled = new Float32Array(net.inputs);
  }

  /**
   * One sample (`inputs` numbers): a plain array out for a plain array in, a
   * Float32Array otherwise; null (nothing to rely on written) when a value is
   * not a finite float32 number, which the batch path then refuses by name.
   */
  predict(x: ArrayLike<number>): Float32Array | number[] | null {
    const net = this.net;
    let plan = this.plan;
    if (this.version !== net.weightsVersion || plan === null) {
      plan = this.plan = tinyPlan(net.plan.layers, net.plan.readParams(plan?.params));
      this.version = net.weightsVersion;
      if (this.wasm) this.wasm.f64.set(plan.weights);
    }
    // Generating code pays off over many calls; the first ones (a cold start's
    // first prediction among them) take the JS loop rather than two compiles.
    if (this.wasm === undefined && ++this.calls > TINY_CALLS_BEFORE_CODE) {
      const backend = net.runtime.backend;
      this.wasm = backend.kind === 'js' ? null : compileTiny(plan, backend.kernels);
    }
    const scaler = net.scaler;
    const wasm = this.wasm;
    if (scaler !== null && !finiteRow(x, net.inputs)) return null;
    const input = scaler !== null ? scaler.transformRow(x, this.scaled) : x;
    const array = Array.isArray(x);
    const n = net.outputs;
    // a plain array costs a few ns; a Float32Array allocation costs more than the whole forward pass
    const out: Float32Array | number[] = array ? new Array<number>(n) : new Float32Array(n);
    if (wasm) {
      if (!inputsFromArrayLike(wasm, input, net.inputs)) return null;
      outputs(wasm, Math.fround(callTiny(wasm.slot)), out);
    } else if (!tinyForward(plan, input, out)) {
      return null;
    }
    const targetScaler = net.targetScaler;
    if (targetScaler === null) return out;
    const back = targetScaler.inverseTransform(Float32Array.from(out), 1);
    return array ? Array.from(back) : back;
  }

  dispose(): void {
    if (this.wasm) releaseTiny(this.wasm);
    this.wasm = null;
  }
}

// The inputs of one sample into the generated code's memory; false (nothing
// to rely on written) at a value that is not a finite float32 number. One
// function per array kind, so that each element access sees one kind of array.

export function inputsFromArray(w: TinyWasm, x: readonly unknown[]): boolean {
  const m = w.f64;
  const at = w.inputAt;
  for (let k = 0; k < x.length; k++) {
    const e = x[k];
    // false for NaN too; a finite double beyond float32 is refused like the batch path refuses it
    if (typeof e !== 'number' || !(e <= F32_MAX && e >= -F32_MAX)) return false;
    m[at + k] = e;
  }
  return true;
}

export function inputsFromF32(w: TinyWasm, x: Float32Array): boolean {
  const m = w.f64;
  const at = w.inputAt;
  for (let k = 0; k < x.length; k++) {
    const e = x[k]!;
    if (e - e !== 0) return false; // NaN for NaN and ±Infinity
    m[at + k] = e;
  }
  return true;
}

function inputsFromArrayLike(w: TinyWasm, x: ArrayLike<unknown>, n: number): boolean {
  const m = w.f64;
  const at = w.inputAt;
  for (let k = 0; k < n; k++) {
    const e = x[k];
    if (typeof e !== 'number' || !(e <= F32_MAX && e >= -F32_MAX)) return false;
    m[at + k] = e;
  }
  return true;
}

/** out[0] = first, the other outputs from the generated code's memory. */
export function outputs<T extends number[] | Float32Array>(w: TinyWasm, first: number, out: T): T {
  out[0] = first;
  for (let j = 1; j < out.length; j++) out[j] = Math.fround(w.f64[w.outputAt + j]!);
  return out;
}

function finiteRow(x: ArrayLike<unknown>, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    // false for NaN, non-numbers and values beyond float32
    if (typeof v !== 'number' || !(v <= F32_MAX && v >= -F32_MAX)) return false;
  }
  return true;
}
