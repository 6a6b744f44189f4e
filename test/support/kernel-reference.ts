/**
 * Float64 references for the kernels, written from the formulas over flat
 * row-major arrays, with the ABI's codes: nothing here calls a backend.
 */
import { Act, Loss, type ActivationName } from '../../src/backend/abi.js';
import { refActivation } from './reference.js';

/** The activation's name for its code. */
export const ACT_NAME: Record<number, ActivationName> = Object.fromEntries(Object.entries(Act).map(([k, v]) => [v, k])) as Record<number, ActivationName>;

/** An elementwise activation of one value (not softmax). */
export function actF64(act: number, z: number, alpha: number): number {
  return refActivation(ACT_NAME[act]!, [z], alpha)[0]!;
}

/** Derivative of actF64, written from the formulas (not the kernels' use of A). */
export function actDerivF64(act: number, z: number, alpha: number): number {
  switch (act) {
    case Act.relu:
      return z > 0 ? 1 : 0;
    case Act.leaky_relu:
      return z > 0 ? 1 : alpha;
    case Act.sigmoid: {
      const e = Math.exp(-z);
      return e / ((1 + e) * (1 + e));
    }
    case Act.tanh: {
      const c = Math.cosh(z);
      return 1 / (c * c);
    }
    default:
      return 1;
  }
}

export function softmaxF64(z: number[]): number[] {
  return refActivation('softmax', z, 0);
}

/** act applied to a rows×cols matrix (softmax per row). */
export function applyAct(act: number, rows: number, cols: number, z: number[], alpha: number): number[] {
  if (act !== Act.softmax) return z.map((v) => actF64(act, v, alpha));
  const out: number[] = [];
  for (let r = 0; r < rows; r++) out.push(...softmaxF64(z.slice(r * cols, (r + 1) * cols)));
  return out;
}

/** dA pulled back through act at z, with the full softmax Jacobian. */
export function actBackwardF64(act: number, rows: number, cols: number, z: number[], dA: number[], alpha: number): number[] {
  if (act !== Act.softmax) return z.map((v, i) => dA[i]! * actDerivF64(act, v, alpha));
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const s = softmaxF64(z.slice(r * cols, (r + 1) * cols));
    for (let j = 0; j < cols; j++) {
      let g = 0;
      for (let c = 0; c < cols; c++) g += dA[r * cols + c]! * s[c]! * ((c === j ? 1 : 0) - s[j]!);
      out.push(g);
    }
  }
  return out;
}

/** The losses from their textbook definitions (moderate logits only). */
export function lossF64(loss: number, act: number, rows: number, cols: number, z: number[], y: number[], alpha: number): number {
  const a = applyAct(act, rows, cols, z, alpha);
  let s = 0;
  if (loss === Loss.bce) {
    for (let i = 0; i < a.length; i++) s -= y[i]! * Math.log(a[i]!) + (1 - y[i]!) * Math.log(1 - a[i]!);
    return s / (rows * cols);
  }
  if (loss === Loss.cce) {
    for (let i = 0; i < a.length; i++) s -= y[i]! * Math.log(a[i]!);
    return s / rows;
  }
  for (let i = 0; i < a.length; i++) s += (a[i]! - y[i]!) ** 2;
  return s / (rows * cols);
}

/** Central differences of f at x, every coordinate. */
export function numericGrad(f: (x: number[]) => number, x: number[], h: number): number[] {
  return x.map((_, i) => {
    const xp = x.slice();
    const xm = x.slice();
    xp[i] = x[i]! + h;
    xm[i] = x[i]! - h;
    return (f(xp) - f(xm)) / (2 * h);
  });
}

/** op(A)·op(B) in float64, with Σ|a·b| per element (the scale of its rounding error). */
export function gemmF64(
  tA: number, tB: number, M: number, N: number, K: number, a: ArrayLike<number>, b: ArrayLike<number>,
): { c: number[]; abs: number[] } {
  const c: number[] = [];
  const abs: number[] = [];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let s = 0;
      let m = 0;
      for (let k = 0; k < K; k++) {
        const x = tA ? a[k * M + i]! : a[i * K + k]!;
        const w = tB ? b[j * K + k]! : b[k * N + j]!;
        s += x * w;
        m += Math.abs(x * w);
      }
      c.push(s);
      abs.push(m);
    }
  }
  return { c, abs };
}
