// In-place parameter updates, PyTorch semantics (see ../shared/golden/README.md).
// L2 weight decay is added to the gradient (g = G + wd·P), as torch.optim does.
// SIMD body and scalar tail perform the same f32 operations.
//
// Each update also tells whether every parameter it wrote is finite and
// leaves the largest |parameter| it wrote (and, for momentum, the largest
// |buffer value|) in lastMaxParam / lastMaxState, so train_step needs no
// second pass over the weights to check them or to bound the next update.
// Both come from one integer max of the sign-cleared bit patterns (as in
// finite.ts: NaN and ±Infinity have the largest), a one-cycle chain that
// rides along in loops bound by memory or by the divider.
//
// Optimizer state (momentum's V, Adam's M and V) is stored flushed to zero
// where it would be subnormal (|x| < 2^-126). A parameter whose gradient stays
// zero (a dead ReLU unit) has its moment decay by β each step into the
// subnormal range, where it never reaches zero (β·x rounds back up to the
// smallest subnormal) and every later update of it runs on the CPU's slow
// subnormal path: Adam took 6× as long on a 784×128 layer with 80% dead
// inputs, the whole training step 1.2×. A moment that small moves its weight
// by less than 2^-126·lr/eps, far below a float32 weight's resolution.

const NON_FINITE_BITS: u32 = 0x7f800000;
const ABS_MASK: i32 = 0x7fffffff;

/** The largest lane of v as unsigned bits (lanes are sign-cleared, so signed max is the same). */
// @ts-ignore: decorator
@inline
function hmaxBits(v: v128): u32 {
  return <u32>max(max(i32x4.extract_lane(v, 0), i32x4.extract_lane(v, 1)), max(i32x4.extract_lane(v, 2), i32x4.extract_lane(v, 3)));
}

// @ts-ignore: decorator
@inline
function absBits(x: f32): u32 {
  return reinterpret<u32>(x) & <u32>ABS_MASK;
}

const MIN_NORMAL: f32 = 1.17549435e-38;

/** Largest |parameter| written by the last sgdStep / momentumStep / adamStep (meaningful when it returned true). */
export let lastMaxParam: f32 = 0;
/** Largest |momentum buffer value| written by the last momentumStep. */
export let lastMaxState: f32 = 0;

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
  let mp: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const vlr = f32x4.splat(lr), vwd = f32x4.splat(wd), mask = i32x4.splat(ABS_MASK);
    let vmp = i32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const p = v128.load(P + o);
      const g = f32x4.add(v128.load(G + o), f32x4.mul(vwd, p));
      const q = f32x4.sub(p, f32x4.mul(vlr, g));
      v128.store(P + o, q);
      vmp = i32x4.max_s(vmp, v128.and(q, mask));
    }
    mp = hmaxBits(vmp);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const p = load<f32>(P + o);
    const g = load<f32>(G + o) + wd * p;
    const q = p - lr * g;
    store<f32>(P + o, q);
    mp = max(mp, absBits(q));
  }
  lastMaxParam = reinterpret<f32>(mp);
  return mp < NON_FINITE_BITS;
}

// @ts-ignore: decorator
@inline
export function momentumStep(n: i32, P: usize, G: usize, V: usize, lr: f32, mu: f32, wd: f32): bool {
  let i = 0;
  let mp: u32 = 0, ms: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const vlr = f32x4.splat(lr), vmu = f32x4.splat(mu), vwd = f32x4.splat(wd), mask = i32x4.splat(ABS_MASK);
    let vmp = i32x4.splat(0), vms = vmp;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const p = v128.load(P + o);
      const g = f32x4.add(v128.load(G + o), f32x4.mul(vwd, p));
      const v = flushSubnormal(f32x4.add(f32x4.mul(vmu, v128.load(V + o)), g));
      v128.store(V + o, v);
      const q = f32x4.sub(p, f32x4.mul(vlr, v));
      v128.store(P + o, q);
      vmp = i32x4.max_s(vmp, v128.and(q, mask));
      vms = i32x4.max_s(vms, v128.and(v, mask));
    }
    mp = hmaxBits(vmp);
    ms = hmaxBits(vms);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const p = load<f32>(P + o);
    const g = load<f32>(G + o) + wd * p;
    const v = flushSubnormal1(mu * load<f32>(V + o) + g);
    store<f32>(V + o, v);
    const q = p - lr * v;
    store<f32>(P + o, q);
    mp = max(mp, absBits(q));
    ms = max(ms, absBits(v));
  }
  lastMaxParam = reinterpret<f32>(mp);
  lastMaxState = reinterpret<f32>(ms);
  return mp < NON_FINITE_BITS;
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
  let mp: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const vb1 = f32x4.splat(beta1), vb2 = f32x4.splat(beta2), vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
    const vstep = f32x4.splat(step), vroot = f32x4.splat(invRootBc2), veps = f32x4.splat(eps), vwd = f32x4.splat(wd);
    const mask = i32x4.splat(ABS_MASK);
    let vmp = i32x4.splat(0);
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
      vmp = i32x4.max_s(vmp, v128.and(q, mask));
    }
    mp = hmaxBits(vmp);
  }
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
    mp = max(mp, absBits(q));
  }
  lastMaxParam = reinterpret<f32>(mp);
  return mp < NON_FINITE_BITS;
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
