// e^x for x ≤ 0 (all the activations need: they only ever exponentiate
// −|z| or z − max), as a Cephes-style range reduction + degree-6 polynomial.
// The scalar and the f32x4 versions perform the same f32 operations in the
// same order, so both builds give identical bits. Relative error ≈ 2 ulp;
// x below −87.3 returns about 1.2e−38 instead of a subnormal, harmless where
// it is used (it is added to 1 or normalised away).

// @ts-ignore: decorator
@inline const LO: f32 = -87.33654;
// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.44269504088896341;
// @ts-ignore: decorator
@inline const LN2_HI: f32 = 0.693359375;
// @ts-ignore: decorator
@inline const LN2_LO: f32 = -2.12194440e-4;
// @ts-ignore: decorator
@inline const P0: f32 = 1.9875691500e-4;
// @ts-ignore: decorator
@inline const P1: f32 = 1.3981999507e-3;
// @ts-ignore: decorator
@inline const P2: f32 = 8.3334519073e-3;
// @ts-ignore: decorator
@inline const P3: f32 = 4.1665795894e-2;
// @ts-ignore: decorator
@inline const P4: f32 = 1.6666665459e-1;
// @ts-ignore: decorator
@inline const P5: f32 = 5.0000001201e-1;

// @ts-ignore: decorator
@inline
export function expNonPositive(x: f32): f32 {
  if (x != x) return x;
  x = max<f32>(x, LO);
  if (x > 0) x = 0;
  const fx = floor<f32>(x * LOG2E + 0.5);
  let r = x - fx * LN2_HI;
  r = r - fx * LN2_LO;
  const z = r * r;
  let y = P0 * r + P1;
  y = y * r + P2;
  y = y * r + P3;
  y = y * r + P4;
  y = y * r + P5;
  y = y * z + r + 1;
  return y * reinterpret<f32>((<i32>fx + 127) << 23);
}

// Vector constants, loaded from static memory where used: V8 rebuilds a
// constant v128 at every use inside a loop (three instructions each), and
// these kernels have a dozen per vector; a load is one.
// 2^23·1.5 + 127: added to an integral fx in [−126, 0], its low mantissa bits
// hold fx + 127, the biased exponent of 2^fx.
const EXP_MAGIC: f32 = 12583039;
export const VCONST: usize = memory.data<f32>([
  LO, LO, LO, LO,
  LOG2E, LOG2E, LOG2E, LOG2E,
  0.5, 0.5, 0.5, 0.5,
  LN2_HI, LN2_HI, LN2_HI, LN2_HI,
  LN2_LO, LN2_LO, LN2_LO, LN2_LO,
  P0, P0, P0, P0,
  P1, P1, P1, P1,
  P2, P2, P2, P2,
  P3, P3, P3, P3,
  P4, P4, P4, P4,
  P5, P5, P5, P5,
  1, 1, 1, 1,
  EXP_MAGIC, EXP_MAGIC, EXP_MAGIC, EXP_MAGIC,
  NaN, NaN, NaN, NaN,
], 16);
// byte offsets into VCONST
// @ts-ignore: decorator
@inline export const K_LO: usize = 0;
// @ts-ignore: decorator
@inline const K_LOG2E: usize = 16;
// @ts-ignore: decorator
@inline const K_HALF: usize = 32;
// @ts-ignore: decorator
@inline const K_LN2_HI: usize = 48;
// @ts-ignore: decorator
@inline const K_LN2_LO: usize = 64;
// @ts-ignore: decorator
@inline const K_P0: usize = 80;
// @ts-ignore: decorator
@inline const K_P1: usize = 96;
// @ts-ignore: decorator
@inline const K_P2: usize = 112;
// @ts-ignore: decorator
@inline const K_P3: usize = 128;
// @ts-ignore: decorator
@inline const K_P4: usize = 144;
// @ts-ignore: decorator
@inline const K_P5: usize = 160;
// @ts-ignore: decorator
@inline export const K_ONE: usize = 176;
// @ts-ignore: decorator
@inline const K_MAGIC: usize = 192;
// @ts-ignore: decorator
@inline const K_NAN: usize = 208;

// @ts-ignore: decorator
@inline
export function expNonPositive4(x: v128): v128 {
  const nan = f32x4.ne(x, x);
  x = f32x4.pmax(x, v128.load(VCONST, K_LO));
  x = f32x4.pmin(x, f32x4.splat(0));
  const fx = f32x4.floor(f32x4.add(f32x4.mul(x, v128.load(VCONST, K_LOG2E)), v128.load(VCONST, K_HALF)));
  let r = f32x4.sub(x, f32x4.mul(fx, v128.load(VCONST, K_LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(fx, v128.load(VCONST, K_LN2_LO)));
  const z = f32x4.mul(r, r);
  let y = f32x4.add(f32x4.mul(v128.load(VCONST, K_P0), r), v128.load(VCONST, K_P1));
  y = f32x4.add(f32x4.mul(y, r), v128.load(VCONST, K_P2));
  y = f32x4.add(f32x4.mul(y, r), v128.load(VCONST, K_P3));
  y = f32x4.add(f32x4.mul(y, r), v128.load(VCONST, K_P4));
  y = f32x4.add(f32x4.mul(y, r), v128.load(VCONST, K_P5));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), r), v128.load(VCONST, K_ONE));
  // 2^fx from its exponent bits: the magic add puts fx + 127 in the low bits, the shift moves them into place
  const pow2 = i32x4.shl(f32x4.add(fx, v128.load(VCONST, K_MAGIC)), 23);
  return v128.bitselect(v128.load(VCONST, K_NAN), f32x4.mul(y, pow2), nan);
}
