// In-place parameter updates, PyTorch semantics (see ../shared/golden/README.md).
// L2 weight decay is added to the gradient (g = G + wd·P), as torch.optim does.
// SIMD body and scalar tail perform the same f32 operations.
//
// Each update also tells whether every parameter it wrote is finite and
// leaves the largest |parameter| it wrote (and, for momentum, the largest
// |buffer value|) in lastMaxParam / lastMaxState, so train_step needs no
// second pass over the weights to check them or to bound the next update.
// Both come from one unsigned max of the bit patterns shifted left by one
// (the sign bit dropped: the order of |x|, with NaN and ±Infinity largest).
// Shifts and compares against zero need no constant vector: V8 materialises
// a constant v128 again at every use inside a loop, which cost Adam a third
// of its time when these used masks.
//
// Optimizer state (momentum's V, Adam's M and V) is stored flushed to zero
// where it would be subnormal (|x| < 2^-126); the update that computes it
// still uses the unflushed value (off the critical path to sqrt and divide). A parameter whose gradient stays
// zero (a dead ReLU unit) has its moment decay by β each step into the
// subnormal range, where it never reaches zero (β·x rounds back up to the
// smallest subnormal) and every later update of it runs on the CPU's slow
// subnormal path: Adam took 6× as long on a 784×128 layer with 80% dead
// inputs, the whole training step 1.2×. A moment that small moves its weight
// by less than 2^-126·lr/eps, far below a float32 weight's resolution.

// |x|'s bits shifted left by one: ≥ this for NaN and ±Infinity
const NON_FINITE_BITS: u32 = 0xff000000;

/** The largest lane of v, unsigned. */
// @ts-ignore: decorator
@inline
function hmaxU(v: v128): u32 {
  return max(max(<u32>i32x4.extract_lane(v, 0), <u32>i32x4.extract_lane(v, 1)), max(<u32>i32x4.extract_lane(v, 2), <u32>i32x4.extract_lane(v, 3)));
}

// @ts-ignore: decorator
@inline
function absBits(x: f32): u32 {
  return reinterpret<u32>(x) << 1;
}

/** The parameter lastMaxParam / lastMaxState hold, from absBits-style bits. */
// @ts-ignore: decorator
@inline
function fromAbsBits(b: u32): f32 {
  return reinterpret<f32>(b >> 1);
}


/** Largest |parameter| written by the last sgdStep / momentumStep / adamStep (meaningful when it returned true). */
export let lastMaxParam: f32 = 0;
/** Largest |momentum buffer value| written by the last momentumStep. */
export let lastMaxState: f32 = 0;

/** x, or +0 where |x| is subnormal or zero: where its exponent field is 0 (NaN and ±Infinity kept). */
// @ts-ignore: decorator
@inline
function flushSubnormal(x: v128): v128 {
  return v128.andnot(x, i32x4.eq(i32x4.shr_u(i32x4.shl(x, 1), 24), i32x4.splat(0)));
}

// @ts-ignore: decorator
@inline
function flushSubnormal1(x: f32): f32 {
  return (reinterpret<u32>(x) << 1) >> 24 == 0 ? 0 : x;
}

// @ts-ignore: decorator
@inline
export function sgdStep(n: i32, P: usize, G: usize, lr: f32, wd: f32): bool {
  let i = 0;
  let mp: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const vlr = f32x4.splat(lr), vwd = f32x4.splat(wd);
    let vmp = i32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const p = v128.load(P + o);
      const g = f32x4.add(v128.load(G + o), f32x4.mul(vwd, p));
      const q = f32x4.sub(p, f32x4.mul(vlr, g));
      v128.store(P + o, q);
      vmp = i32x4.max_u(vmp, i32x4.shl(q, 1));
    }
    mp = hmaxU(vmp);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const p = load<f32>(P + o);
    const g = load<f32>(G + o) + wd * p;
    const q = p - lr * g;
    store<f32>(P + o, q);
    mp = max(mp, absBits(q));
  }
  lastMaxParam = fromAbsBits(mp);
  return mp < NON_FINITE_BITS;
}

// @ts-ignore: decorator
@inline
export function momentumStep(n: i32, P: usize, G: usize, V: usize, lr: f32, mu: f32, wd: f32): bool {
  let i = 0;
  let mp: u32 = 0, ms: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const vlr = f32x4.splat(lr), vmu = f32x4.splat(mu), vwd = f32x4.splat(wd);
    let vmp = i32x4.splat(0), vms = vmp;
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const p = v128.load(P + o);
      const g = f32x4.add(v128.load(G + o), f32x4.mul(vwd, p));
      const v = f32x4.add(f32x4.mul(vmu, v128.load(V + o)), g);
      v128.store(V + o, flushSubnormal(v));
      const q = f32x4.sub(p, f32x4.mul(vlr, v));
      v128.store(P + o, q);
      vmp = i32x4.max_u(vmp, i32x4.shl(q, 1));
      vms = i32x4.max_u(vms, i32x4.shl(v, 1));
    }
    mp = hmaxU(vmp);
    ms = hmaxU(vms);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const p = load<f32>(P + o);
    const g = load<f32>(G + o) + wd * p;
    const v = mu * load<f32>(V + o) + g;
    store<f32>(V + o, flushSubnormal1(v));
    const q = p - lr * v;
    store<f32>(P + o, q);
    mp = max(mp, absBits(q));
    ms = max(ms, absBits(v));
  }
  lastMaxParam = fromAbsBits(mp);
  lastMaxState = fromAbsBits(ms);
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
    let vmp = i32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const p = v128.load(P + o);
      const g = f32x4.add(v128.load(G + o), f32x4.mul(vwd, p));
      const m = f32x4.add(f32x4.mul(vb1, v128.load(M + o)), f32x4.mul(vc1, g));
      const v = f32x4.add(f32x4.mul(vb2, v128.load(V + o)), f32x4.mul(f32x4.mul(vc2, g), g));
      v128.store(M + o, flushSubnormal(m));
      v128.store(V + o, flushSubnormal(v));
      const denom = f32x4.add(f32x4.mul(f32x4.sqrt(v), vroot), veps);
      const q = f32x4.sub(p, f32x4.mul(vstep, f32x4.div(m, denom)));
      v128.store(P + o, q);
      vmp = i32x4.max_u(vmp, i32x4.shl(q, 1));
    }
    mp = hmaxU(vmp);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const p = load<f32>(P + o);
    const g = load<f32>(G + o) + wd * p;
    const m = beta1 * load<f32>(M + o) + c1 * g;
    const v = beta2 * load<f32>(V + o) + (c2 * g) * g;
    store<f32>(M + o, flushSubnormal1(m));
    store<f32>(V + o, flushSubnormal1(v));
    const denom = sqrt<f32>(v) * invRootBc2 + eps;
    const q = p - step * (m / denom);
    store<f32>(P + o, q);
    mp = max(mp, absBits(q));
  }
  lastMaxParam = fromAbsBits(mp);
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
