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

// @ts-ignore: decorator
@inline
export function expNonPositive4(x: v128): v128 {
  const nan = f32x4.ne(x, x);
  x = f32x4.pmax(x, f32x4.splat(LO));
  x = f32x4.pmin(x, f32x4.splat(0));
  const fx = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(0.5)));
  let r = f32x4.sub(x, f32x4.mul(fx, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(fx, f32x4.splat(LN2_LO)));
  const z = f32x4.mul(r, r);
  let y = f32x4.add(f32x4.mul(f32x4.splat(P0), r), f32x4.splat(P1));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(P2));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(P3));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(P4));
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(P5));
  y = f32x4.add(f32x4.add(f32x4.mul(y, z), r), f32x4.splat(1));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(fx), i32x4.splat(127)), 23);
  return v128.bitselect(f32x4.splat(NaN), f32x4.mul(y, pow2), nan);
}
