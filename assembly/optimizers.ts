// In-place parameter updates, PyTorch semantics (see ../shared/golden/README.md).
// L2 weight decay is added to the gradient (g = G + wd·P), as torch.optim does.
// SIMD body and scalar tail perform the same f32 operations.
//
// Each update also tells whether every parameter it wrote is finite (sums of
// p·0, as in finite.ts), so train_step needs no second pass over the weights:
// the sums ride along in loops bound by memory or by the divider.
//
// Optimizer state (momentum's V, Adam's M and V) is stored flushed to zero
// where it would be subnormal (|x| < 2^-126). A parameter whose gradient stays
// zero (a dead ReLU unit) has its moment decay by β each step into the
// subnormal range, where it never reaches zero (β·x rounds back up to the
// smallest subnormal) and every later update of it runs on the CPU's slow
// subnormal path: Adam took 6× as long on a 784×128 layer with 80% dead
// inputs, the whole training step 1.2×. A moment that small moves its weight
// by less than 2^-126·lr/eps, far below a float32 weight's resolution.

// @ts-ignore: decorator
@inline
function finiteSum(v: v128): bool {
  return i32x4.all_true(f32x4.eq(v, v));
}

const MIN_NORMAL: f32 = 1.17549435e-38;

/** x, or +0 where |x| is subnormal (NaN and ±Infinity kept). */
// @ts-ignore: decorator
@inline
function flushSubnormal(x: v128): v128 {
  return v128.andnot(x, f32x4.lt(f32x4.abs(x), f32x4.splat(MIN_NORMAL)));
}

// @ts-ignore: decorator
@inline
function flushSubnormal1(x: f32): f32 {
  return abs<f32>(x) < MIN_NORMAL ? 0 : x;
}

// @ts-ignore: decorator
@inline
export function sgdStep(n: i32, P: usize, G: usize, lr: f32, wd: f32): bool {
  let i = 0;
  let ok = true;
  if (ASC_FEATURE_SIMD) {
    const vlr = f32x4.splat(lr), vwd = f32x4.splat(wd), zero = f32x4.splat(0);
    let probe = zero;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const p = v128.load(P + o);
      const g = f32x4.add(v128.load(G + o), f32x4.mul(vwd, p));
      const q = f32x4.sub(p, f32x4.mul(vlr, g));
      v128.store(P + o, q);
      probe = f32x4.add(probe, f32x4.mul(q, zero));
    }
    ok = finiteSum(probe);
  }
  let s: f32 = 0;
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const p = load<f32>(P + o);
    const g = load<f32>(G + o) + wd * p;
    const q = p - lr * g;
    store<f32>(P + o, q);
    s += q * 0;
  }
  return ok && s == s;
}

// @ts-ignore: decorator
@inline
export function momentumStep(n: i32, P: usize, G: usize, V: usize, lr: f32, mu: f32, wd: f32): bool {
  let i = 0;
  let ok = true;
  if (ASC_FEATURE_SIMD) {
    const vlr = f32x4.splat(lr), vmu = f32x4.splat(mu), vwd = f32x4.splat(wd), zero = f32x4.splat(0);
    let probe = zero;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const p = v128.load(P + o);
      const g = f32x4.add(v128.load(G + o), f32x4.mul(vwd, p));
      const v = flushSubnormal(f32x4.add(f32x4.mul(vmu, v128.load(V + o)), g));
      v128.store(V + o, v);
      const q = f32x4.sub(p, f32x4.mul(vlr, v));
      v128.store(P + o, q);
      probe = f32x4.add(probe, f32x4.mul(q, zero));
    }
    ok = finiteSum(probe);
  }
  let s: f32 = 0;
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const p = load<f32>(P + o);
    const g = load<f32>(G + o) + wd * p;
    const v = flushSubnormal1(mu * load<f32>(V + o) + g);
    store<f32>(V + o, v);
    const q = p - lr * v;
    store<f32>(P + o, q);
    s += q * 0;
  }
  return ok && s == s;
}

// @ts-ignore: decorator
@inline
export function adamStep(
  n: i32, P: usize, G: usize, M: usize, V: usize,
  lr: f32, beta1: f32, beta2: f32, eps: f32, t: f64, wd: f32,
): bool {
  // Bias corrections in f64, as torch.optim computes them in Python floats.
  const step = <f32>(<f64>lr / (1.0 - Math.pow(<f64>beta1, t)));
  // multiplying by 1/√(1−β2^t) instead of dividing saves a division per element
  const invRootBc2 = <f32>(1.0 / Math.sqrt(1.0 - Math.pow(<f64>beta2, t)));
  const c1: f32 = <f32>1 - beta1;
  const c2: f32 = <f32>1 - beta2;
  let i = 0;
  let ok = true;
  if (ASC_FEATURE_SIMD) {
    const vb1 = f32x4.splat(beta1), vb2 = f32x4.splat(beta2), vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
    const vstep = f32x4.splat(step), vroot = f32x4.splat(invRootBc2), veps = f32x4.splat(eps), vwd = f32x4.splat(wd);
    const zero = f32x4.splat(0);
    let probe = zero;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const p = v128.load(P + o);
      const g = f32x4.add(v128.load(G + o), f32x4.mul(vwd, p));
      const m = flushSubnormal(f32x4.add(f32x4.mul(vb1, v128.load(M + o)), f32x4.mul(vc1, g)));
      const v = flushSubnormal(f32x4.add(f32x4.mul(vb2, v128.load(V + o)), f32x4.mul(f32x4.mul(vc2, g), g)));
      v128.store(M + o, m);
      v128.store(V + o, v);
      const denom = f32x4.add(f32x4.mul(f32x4.sqrt(v), vroot), veps);
      const q = f32x4.sub(p, f32x4.mul(vstep, f32x4.div(m, denom)));
      v128.store(P + o, q);
      probe = f32x4.add(probe, f32x4.mul(q, zero));
    }
    ok = finiteSum(probe);
  }
  let s: f32 = 0;
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const p = load<f32>(P + o);
    const g = load<f32>(G + o) + wd * p;
    const m = flushSubnormal1(beta1 * load<f32>(M + o) + c1 * g);
    const v = flushSubnormal1(beta2 * load<f32>(V + o) + (c2 * g) * g);
    store<f32>(M + o, m);
    store<f32>(V + o, v);
    const denom = sqrt<f32>(v) * invRootBc2 + eps;
    const q = p - step * (m / denom);
    store<f32>(P + o, q);
    s += q * 0;
  }
  return ok && s == s;
}

export function sgd_update(n: i32, P: usize, G: usize, lr: f32, wd: f32): void {
  sgdStep(n, P, G, lr, wd);
}

export function momentum_update(n: i32, P: usize, G: usize, V: usize, lr: f32, mu: f32, wd: f32): void {
  momentumStep(n, P, G, V, lr, mu, wd);
}

export function adam_update(
  n: i32, P: usize, G: usize, M: usize, V: usize,
  lr: f32, beta1: f32, beta2: f32, eps: f32, t: f64, wd: f32,
): void {
  adamStep(n, P, G, M, V, lr, beta1, beta2, eps, t, wd);
}
