// In-place optimizer updates of parameters, PyTorch semantics (the golden vectors in test/fixtures/golden/README.md).
// L2 weight decay is added to the gradient (g = G + wd·P), as torch.optim does.
// SIMD body and scalar tail perform the same f32 operations.
//
// Each checked update (…UpdateChecked, what mlp_train_step runs) also tells
// whether every parameter it wrote is finite and leaves the largest
// |parameter| it wrote (and, for momentum, the largest |buffer value|) in
// lastMaxParam / lastMaxState, so mlp_train_step needs no second pass over the
// weights to check them or to bound the next update.
// Both come from one unsigned max of the bit patterns shifted left by one
// (the sign bit dropped: the order of |x|, with NaN and ±Infinity largest).
// Shifts and compares against zero need no constant vector: V8 materialises
// a constant v128 again at every use inside a loop, which cost Adam a third
// of its time when these used masks.
//
// Optimizer state (momentum's V, Adam's M and V) is stored flushed to zero
// where it would be subnormal (|x| < 2^-126); the update that computes it
// still uses the unflushed value (off the critical path to sqrt and divide). A parameter whose gradient stays
// zero (a dead ReLU unit) has its moment decay by β every training step into the
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


/** Largest |parameter| written by the last checked update (meaningful when it returned true). */
export let lastMaxParam: f32 = 0;
/** Largest |momentum buffer value| written by the last momentumUpdateChecked. */
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

// An update's scalars (lr, β, …) as vectors, stored here once per update and
// loaded in its loop: V8 re-broadcasts a loop-invariant splat at every
// iteration (eight broadcasts per vector in Adam's loop), while a load from
// memory costs a load port only. Without weight decay each update runs a loop
// that leaves it out (x + 0·p is x, up to the sign of a zero). Each checked
// update takes the area as `K`: the exported kernels and mlp_train_step pass
// this one (a constant, folded into every load), the threads build's workers
// an area of their own (several updates run at once there).
/** Bytes of an update's vector area (UPDATE_VECTORS or a thread's own). */
export const UPDATE_VECTORS_BYTES: i32 = 10 * 16;
export const UPDATE_VECTORS: usize = memory.data(UPDATE_VECTORS_BYTES, 16);
// byte offsets into UPDATE_VECTORS
const K_WD = 0, K_LR = 16, K_MU = 32;
const A_BETA1 = 48, A_BETA2 = 64, A_C1 = 80, A_C2 = 96, A_STEP_SIZE = 112, A_ROOT = 128, A_EPS = 144;

// @ts-ignore: decorator
@inline
export function sgdUpdateChecked(n: i32, P: usize, G: usize, lr: f32, wd: f32, K: usize): bool {
  let i = 0;
  let mp: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    v128.store(K, f32x4.splat(lr), K_LR);
    v128.store(K, f32x4.splat(wd), K_WD);
    let vmp = i32x4.splat(0);
    if (wd != 0) {
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        const p = v128.load(P + o);
        vmp = sgdVector(K, P + o, p, withDecay(K, v128.load(G + o), p), vmp);
      }
    } else {
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        vmp = sgdVector(K, P + o, v128.load(P + o), v128.load(G + o), vmp);
      }
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

/** g + wd·p, wd from the vector area K. */
// @ts-ignore: decorator
@inline
function withDecay(K: usize, g: v128, p: v128): v128 {
  return f32x4.add(g, f32x4.mul(v128.load(K, K_WD), p));
}

/** p − lr·g stored at P; vmp with its bits << 1 maxed in. */
// @ts-ignore: decorator
@inline
function sgdVector(K: usize, P: usize, p: v128, g: v128, vmp: v128): v128 {
  const q = f32x4.sub(p, f32x4.mul(v128.load(K, K_LR), g));
  v128.store(P, q);
  return i32x4.max_u(vmp, i32x4.shl(q, 1));
}

// @ts-ignore: decorator
@inline
export function momentumUpdateChecked(n: i32, P: usize, G: usize, V: usize, lr: f32, mu: f32, wd: f32, K: usize): bool {
  let i = 0;
  let mp: u32 = 0, ms: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    v128.store(K, f32x4.splat(lr), K_LR);
    v128.store(K, f32x4.splat(wd), K_WD);
    v128.store(K, f32x4.splat(mu), K_MU);
    let vmp = i32x4.splat(0), vms = vmp;
    if (wd != 0) {
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        const p = v128.load(P + o);
        const v = momentumState(K, V + o, withDecay(K, v128.load(G + o), p));
        vmp = sgdVector(K, P + o, p, v, vmp);
        vms = i32x4.max_u(vms, i32x4.shl(v, 1));
      }
    } else {
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        const v = momentumState(K, V + o, v128.load(G + o));
        vmp = sgdVector(K, P + o, v128.load(P + o), v, vmp);
        vms = i32x4.max_u(vms, i32x4.shl(v, 1));
      }
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

/** The momentum buffer's four values at V with gradient g: stores them (flushed) and returns them unflushed. */
// @ts-ignore: decorator
@inline
function momentumState(K: usize, V: usize, g: v128): v128 {
  const v = f32x4.add(f32x4.mul(v128.load(K, K_MU), v128.load(V)), g);
  v128.store(V, flushSubnormal(v));
  return v;
}

// @ts-ignore: decorator
@inline
export function adamUpdateChecked(
  n: i32, P: usize, G: usize, M: usize, V: usize,
  lr: f32, beta1: f32, beta2: f32, eps: f32, t: f64, wd: f32, K: usize,
): bool {
  // Bias corrections in f64, as torch.optim computes them in Python floats.
  const stepSize = <f32>(<f64>lr / (1.0 - Math.pow(<f64>beta1, t)));
  // multiplying by 1/√(1−β2^t) instead of dividing saves a division per element
  const invRootBc2 = <f32>(1.0 / Math.sqrt(1.0 - Math.pow(<f64>beta2, t)));
  const c1: f32 = <f32>1 - beta1;
  const c2: f32 = <f32>1 - beta2;
  let i = 0;
  let mp: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    v128.store(K, f32x4.splat(beta1), A_BETA1);
    v128.store(K, f32x4.splat(beta2), A_BETA2);
    v128.store(K, f32x4.splat(c1), A_C1);
    v128.store(K, f32x4.splat(c2), A_C2);
    v128.store(K, f32x4.splat(stepSize), A_STEP_SIZE);
    v128.store(K, f32x4.splat(invRootBc2), A_ROOT);
    v128.store(K, f32x4.splat(eps), A_EPS);
    v128.store(K, f32x4.splat(wd), K_WD);
    let vmp = i32x4.splat(0);
    if (wd != 0) {
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        const p = v128.load(P + o);
        vmp = adamVector(K, P + o, p, withDecay(K, v128.load(G + o), p), M + o, V + o, vmp);
      }
    } else {
      for (; i + 4 <= n; i += 4) {
        const o = <usize>i << 2;
        vmp = adamVector(K, P + o, v128.load(P + o), v128.load(G + o), M + o, V + o, vmp);
      }
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
    const q = p - stepSize * (m / denom);
    store<f32>(P + o, q);
    mp = max(mp, absBits(q));
  }
  lastMaxParam = fromAbsBits(mp);
  return mp < NON_FINITE_BITS;
}

/** Adam on the four values at P, M, V with gradient g; vmp with the written parameters' bits << 1 maxed in. */
// @ts-ignore: decorator
@inline
function adamVector(K: usize, P: usize, p: v128, g: v128, M: usize, V: usize, vmp: v128): v128 {
  const m = f32x4.add(f32x4.mul(v128.load(K, A_BETA1), v128.load(M)), f32x4.mul(v128.load(K, A_C1), g));
  const v = f32x4.add(f32x4.mul(v128.load(K, A_BETA2), v128.load(V)), f32x4.mul(f32x4.mul(v128.load(K, A_C2), g), g));
  v128.store(M, flushSubnormal(m));
  v128.store(V, flushSubnormal(v));
  const denom = f32x4.add(f32x4.mul(f32x4.sqrt(v), v128.load(K, A_ROOT)), v128.load(K, A_EPS));
  const q = f32x4.sub(p, f32x4.mul(v128.load(K, A_STEP_SIZE), f32x4.div(m, denom)));
  v128.store(P, q);
  return i32x4.max_u(vmp, i32x4.shl(q, 1));
}

export function f32_sgd_update(n: i32, P: usize, G: usize, lr: f32, wd: f32): void {
  sgdUpdateChecked(n, P, G, lr, wd, UPDATE_VECTORS);
}

export function f32_momentum_update(n: i32, P: usize, G: usize, V: usize, lr: f32, mu: f32, wd: f32): void {
  momentumUpdateChecked(n, P, G, V, lr, mu, wd, UPDATE_VECTORS);
}

export function f32_adam_update(
  n: i32, P: usize, G: usize, M: usize, V: usize,
  lr: f32, beta1: f32, beta2: f32, eps: f32, t: f64, wd: f32,
): void {
  adamUpdateChecked(n, P, G, M, V, lr, beta1, beta2, eps, t, wd, UPDATE_VECTORS);
}
