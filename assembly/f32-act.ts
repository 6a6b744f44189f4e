// Activations, forward and backward side by side, in place over buffers.
// Elementwise ones run 4 lanes at a time with a scalar tail that performs the
// same f32 operations, so the SIMD and scalar builds agree bit for bit.
// NaN in gives NaN out (relu keeps NaN: written as z < 0 ? 0 : z).

import { Act } from './abi';
import { f32_bias_add } from './f32-bias';
import { expNonPositive, expNonPositive4, K_ONE, VCONST } from './f32-exp';

// Cephes tanhf: odd polynomial below 0.625, exponential form above.
// @ts-ignore: decorator
@inline const T0: f32 = -5.70498872745e-3;
// @ts-ignore: decorator
@inline const T1: f32 = 2.06390887954e-2;
// @ts-ignore: decorator
@inline const T2: f32 = -5.37397155531e-2;
// @ts-ignore: decorator
@inline const T3: f32 = 1.33314422036e-1;
// @ts-ignore: decorator
@inline const T4: f32 = -3.33332819422e-1;
// @ts-ignore: decorator
@inline const TANH_SMALL: f32 = 0.625;

// tanh's vector constants, loaded where used (why: VCONST in f32-exp.ts)
const TCONST: usize = memory.data<f32>([
  T0, T0, T0, T0,
  T1, T1, T1, T1,
  T2, T2, T2, T2,
  T3, T3, T3, T3,
  T4, T4, T4, T4,
  -2, -2, -2, -2,
  -0.0, -0.0, -0.0, -0.0,
  TANH_SMALL, TANH_SMALL, TANH_SMALL, TANH_SMALL,
], 16);

// @ts-ignore: decorator
@inline
function sigmoid1(z: f32): f32 {
  const e = expNonPositive(-abs<f32>(z));
  const s: f32 = <f32>1 / (<f32>1 + e);
  return z < 0 ? e * s : s;
}

// @ts-ignore: decorator
@inline
function sigmoid4(z: v128): v128 {
  const e = expNonPositive4(f32x4.neg(f32x4.abs(z)));
  const one = v128.load(VCONST, K_ONE);
  const s = f32x4.div(one, f32x4.add(one, e));
  return v128.bitselect(f32x4.mul(e, s), s, f32x4.lt(z, f32x4.splat(0)));
}

// @ts-ignore: decorator
@inline
function tanh1(z: f32): f32 {
  const a = abs<f32>(z);
  if (a < TANH_SMALL) {
    const q = z * z;
    let p = T0 * q + T1;
    p = p * q + T2;
    p = p * q + T3;
    p = p * q + T4;
    return p * q * z + z;
  }
  const e = expNonPositive(a * -2);
  return copysign<f32>((<f32>1 - e) / (<f32>1 + e), z);
}

// @ts-ignore: decorator
@inline
function tanh4(z: v128): v128 {
  const signBit = v128.load(TCONST, 96);
  const a = v128.andnot(z, signBit);
  const q = f32x4.mul(z, z);
  let p = f32x4.add(f32x4.mul(v128.load(TCONST, 0), q), v128.load(TCONST, 16));
  p = f32x4.add(f32x4.mul(p, q), v128.load(TCONST, 32));
  p = f32x4.add(f32x4.mul(p, q), v128.load(TCONST, 48));
  p = f32x4.add(f32x4.mul(p, q), v128.load(TCONST, 64));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, q), z), z);
  const e = expNonPositive4(f32x4.mul(a, v128.load(TCONST, 80)));
  const one = v128.load(VCONST, K_ONE);
  const t = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
  // copysign: magnitude from t, sign bit from z
  const large = v128.or(v128.andnot(t, signBit), v128.and(z, signBit));
  return v128.bitselect(small, large, f32x4.lt(a, v128.load(TCONST, 112)));
}

// An elementwise activation on four lanes.
// @ts-ignore: decorator
@inline
function activate4(act: i32, z: v128, va: v128): v128 {
  if (act == Act.relu) return f32x4.pmax(z, f32x4.splat(0));
  if (act == Act.leaky_relu) return v128.bitselect(f32x4.mul(va, z), z, f32x4.lt(z, f32x4.splat(0)));
  if (act == Act.sigmoid) return sigmoid4(z);
  if (act == Act.tanh) return tanh4(z);
  return z;
}

// @ts-ignore: decorator
@inline
function activate1(act: i32, z: f32, alpha: f32): f32 {
  if (act == Act.relu) return z < 0 ? 0 : z;
  if (act == Act.leaky_relu) return z < 0 ? alpha * z : z;
  if (act == Act.sigmoid) return sigmoid1(z);
  if (act == Act.tanh) return tanh1(z);
  return z;
}

// The forward pass's epilogue in one sweep: Z += b (per row), A = act(Z).
// Same operations as f32_bias_add followed by f32_act_forward, so the same bits.
export function f32_bias_act_forward(act: i32, rows: i32, cols: i32, alpha: f32, Z: usize, b: usize, A: usize): void {
  if (act == Act.softmax) {
    f32_bias_add(rows, cols, Z, b);
    softmaxRows(rows, cols, Z, A);
    return;
  }
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const z = Z + <usize>r * rowBytes;
    const a = A + <usize>r * rowBytes;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const va = f32x4.splat(alpha);
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        const v = f32x4.add(v128.load(z + o), v128.load(b + o));
        v128.store(z + o, v);
        v128.store(a + o, activate4(act, v, va));
      }
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      const v = load<f32>(z + o) + load<f32>(b + o);
      store<f32>(z + o, v);
      store<f32>(a + o, activate1(act, v, alpha));
    }
  }
}

export function f32_act_forward(act: i32, rows: i32, cols: i32, alpha: f32, Z: usize, A: usize): void {
  const n = <usize>rows * <usize>cols;
  if (act == Act.softmax) {
    softmaxRows(rows, cols, Z, A);
    return;
  }
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f32x4.splat(alpha);
    for (; i + 4 <= n; i += 4) {
      const p = i << 2;
      v128.store(A + p, activate4(act, v128.load(Z + p), va));
    }
  }
  for (; i < n; i++) {
    const p = i << 2;
    store<f32>(A + p, activate1(act, load<f32>(Z + p), alpha));
  }
}

// Row-wise softmax with the row max subtracted. The normaliser is summed in
// one scalar order in both builds (it is one row of the output layer).
function softmaxRows(rows: i32, cols: i32, Z: usize, A: usize): void {
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const z = Z + <usize>r * rowBytes;
    const a = A + <usize>r * rowBytes;
    let m: f32 = -Infinity;
    let hasNaN = false;
    for (let c = 0; c < cols; c++) {
      const v = load<f32>(z + (<usize>c << 2));
      if (v > m) m = v;
      else if (v != v) hasNaN = true;
    }
    if (hasNaN || m == Infinity) m = NaN;
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const vm = f32x4.splat(m);
      for (; c + 4 <= cols; c += 4) {
        const p = <usize>c << 2;
        v128.store(a + p, expNonPositive4(f32x4.sub(v128.load(z + p), vm)));
      }
    }
    for (; c < cols; c++) {
      const p = <usize>c << 2;
      store<f32>(a + p, expNonPositive(load<f32>(z + p) - m));
    }
    let s: f32 = 0;
    for (c = 0; c < cols; c++) s += load<f32>(a + (<usize>c << 2));
    const inv: f32 = <f32>1 / s;
    c = 0;
    if (ASC_FEATURE_SIMD) {
      const vi = f32x4.splat(inv);
      for (; c + 4 <= cols; c += 4) {
        const p = <usize>c << 2;
        v128.store(a + p, f32x4.mul(v128.load(a + p), vi));
      }
    }
    for (; c < cols; c++) {
      const p = <usize>c << 2;
      store<f32>(a + p, load<f32>(a + p) * inv);
    }
  }
}

export function f32_act_backward(act: i32, rows: i32, cols: i32, alpha: f32, Z: usize, A: usize, dA: usize, dZ: usize): void {
  const n = <usize>rows * <usize>cols;
  if (act == Act.softmax) {
    softmaxBackwardRows(rows, cols, A, dA, dZ);
    return;
  }
  if (act == Act.linear) {
    if (dA != dZ) memory.copy(dZ, dA, n << 2);
    return;
  }
  let i: usize = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    const one = f32x4.splat(1);
    const va = f32x4.splat(alpha);
    for (; i + 4 <= n; i += 4) {
      const p = i << 2;
      const g = v128.load(dA + p);
      let d: v128;
      if (act == Act.relu) {
        d = v128.and(g, f32x4.gt(v128.load(Z + p), zero));
      } else if (act == Act.leaky_relu) {
        d = v128.bitselect(g, f32x4.mul(va, g), f32x4.gt(v128.load(Z + p), zero));
      } else if (act == Act.sigmoid) {
        const a = v128.load(A + p);
        d = f32x4.mul(g, f32x4.mul(a, f32x4.sub(one, a)));
      } else {
        const a = v128.load(A + p);
        d = f32x4.mul(g, f32x4.sub(one, f32x4.mul(a, a)));
      }
      v128.store(dZ + p, d);
    }
  }
  for (; i < n; i++) {
    const p = i << 2;
    const g = load<f32>(dA + p);
    let d: f32;
    if (act == Act.relu) {
      d = load<f32>(Z + p) > 0 ? g : 0;
    } else if (act == Act.leaky_relu) {
      d = load<f32>(Z + p) > 0 ? g : alpha * g;
    } else if (act == Act.sigmoid) {
      const a = load<f32>(A + p);
      d = g * (a * (<f32>1 - a));
    } else {
      const a = load<f32>(A + p);
      d = g * (<f32>1 - a * a);
    }
    store<f32>(dZ + p, d);
  }
}

function softmaxBackwardRows(rows: i32, cols: i32, A: usize, dA: usize, dZ: usize): void {
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    let s: f32 = 0;
    for (let c = 0; c < cols; c++) {
      const p = off + (<usize>c << 2);
      s += load<f32>(dA + p) * load<f32>(A + p);
    }
    for (let c = 0; c < cols; c++) {
      const p = off + (<usize>c << 2);
      store<f32>(dZ + p, load<f32>(A + p) * (load<f32>(dA + p) - s));
    }
  }
}
