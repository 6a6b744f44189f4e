import type { JsMemory } from './memory.js';

// In-place optimizer updates of parameters with PyTorch semantics; weight decay is L2 added
// to the gradient (not AdamW's decoupled decay). Scalars arrive as f32 in the
// Wasm ABI, so they are rounded to f32 here too; the arithmetic is float64
// with one rounding per stored value. Optimizer state that would be stored
// subnormal is stored as zero, as the Wasm kernels do (why: assembly/f32-update.ts).

const MIN_NORMAL = 1.1754943508222875e-38;

/** x, or 0 where x rounded to float32 is subnormal. */
function stateValue(x: number): number {
  return Math.abs(Math.fround(x)) < MIN_NORMAL ? 0 : x;
}

/** P −= lr·(G + wd·P). */
export function f32_sgd_update(mem: JsMemory, n: number, P: number, G: number, lr: number, wd: number): void {
  const f = mem.f32;
  const p0 = P >>> 2;
  const g0 = G >>> 2;
  const rate = Math.fround(lr);
  const decay = Math.fround(wd);
  for (let i = 0; i < n; i++) {
    const p = f[p0 + i];
    f[p0 + i] = p - rate * (f[g0 + i] + decay * p);
  }
}

/** g = G + wd·P; V = mu·V + g; P −= lr·V (dampening 0, no Nesterov). */
export function f32_momentum_update(
  mem: JsMemory, n: number, P: number, G: number, V: number, lr: number, mu: number, wd: number,
): void {
  const f = mem.f32;
  const p0 = P >>> 2;
  const g0 = G >>> 2;
  const v0 = V >>> 2;
  const rate = Math.fround(lr);
  const m = Math.fround(mu);
  const decay = Math.fround(wd);
  for (let i = 0; i < n; i++) {
    const p = f[p0 + i];
    const v = m * f[v0 + i] + (f[g0 + i] + decay * p);
    f[v0 + i] = stateValue(v);
    f[p0 + i] = p - rate * v;
  }
}

/**
 * g = G + wd·P; M = β1·M + (1−β1)·g; V = β2·V + (1−β2)·g²;
 * P −= (lr/(1−β1^t)) · M / (√V/√(1−β2^t) + eps). t is f64.
 */
export function f32_adam_update(
  mem: JsMemory, n: number, P: number, G: number, M: number, V: number,
  lr: number, beta1: number, beta2: number, eps: number, t: number, wd: number,
): void {
  const f = mem.f32;
  const p0 = P >>> 2;
  const g0 = G >>> 2;
  const m0 = M >>> 2;
  const v0 = V >>> 2;
  const b1 = Math.fround(beta1);
  const b2 = Math.fround(beta2);
  const e = Math.fround(eps);
  const decay = Math.fround(wd);
  const stepSize = Math.fround(lr) / (1 - Math.pow(b1, t));
  const sqrtBc2 = Math.sqrt(1 - Math.pow(b2, t));
  for (let i = 0; i < n; i++) {
    const p = f[p0 + i];
    const g = f[g0 + i] + decay * p;
    const m = b1 * f[m0 + i] + (1 - b1) * g;
    const v = b2 * f[v0 + i] + (1 - b2) * g * g;
    f[m0 + i] = stateValue(m);
    f[v0 + i] = stateValue(v);
    f[p0 + i] = p - (stepSize * m) / (Math.sqrt(v) / sqrtBc2 + e);
  }
}
