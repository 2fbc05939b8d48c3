// Activations on f32x4 lanes, and scalar versions that run the very same code on one lane so
// that loop tails agree bit for bit with loop bodies.
//
// exp: Cody-Waite range reduction x = n·ln2 + r, |r| <= ln2/2, a degree-6 polynomial for e^r
// (the classic Cephes expf coefficients), and 2^n built in the exponent bits. Relative error is
// a few ulp over the clamped range [-87.3, 88.7].
// tanh: odd polynomial for |x| < 0.625 (Cephes tanhf), 1 - 2/(e^{2|x|} + 1) above, sign restored.

// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.44269504088896341;
// @ts-ignore: decorator
@inline const LN2_HI: f32 = 0.693359375;
// @ts-ignore: decorator
@inline const LN2_LO: f32 = -2.12194440e-4;
// @ts-ignore: decorator
@inline const ROUNDER: f32 = 12582912.0;
// @ts-ignore: decorator
@inline const ROUNDER_BITS: i32 = 0x4b400000;

/** e^x on four lanes. */
// @ts-ignore: decorator
@inline
export function exp4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.3)), f32x4.splat(88.7));
  // n = round(x·log2 e): adding 1.5·2^23 rounds to an integer, which then sits in the low
  // mantissa bits (|n| <= 128), so n is read off as an integer too.
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(ROUNDER));
  const n = f32x4.sub(t, f32x4.splat(ROUNDER));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI))), f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  // 2^n for n in [-126, 128]: split into two factors so that n = 128 (x near 88.7) stays finite.
  const ni = i32x4.sub(t, i32x4.splat(ROUNDER_BITS));
  const half = i32x4.shr_s(ni, 1);
  const p1 = i32x4.shl(i32x4.add(half, i32x4.splat(127)), 23);
  const p2 = i32x4.shl(i32x4.add(i32x4.sub(ni, half), i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(y, p1), p2);
}

/** 1 / (1 + e^-x) on four lanes. */
// @ts-ignore: decorator
@inline
export function sigmoid4(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(one, exp4(f32x4.neg(x))));
}

/** tanh on four lanes. */
// @ts-ignore: decorator
@inline
export function tanh4(x: v128): v128 {
  const a = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const e = exp4(f32x4.add(a, a));
  const bigAbs = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  // Copy x's sign bit onto |tanh|.
  const signBit = v128.and(x, f32x4.splat(-0.0));
  const big = v128.or(bigAbs, signBit);
  return v128.bitselect(small, big, f32x4.lt(a, f32x4.splat(0.625)));
}

/** e^x for one value (lane 0 of {@link exp4}). */
// @ts-ignore: decorator
@inline
export function exp1(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}

/** Sigmoid for one value. */
// @ts-ignore: decorator
@inline
export function sigmoid(x: f32): f32 {
  return f32x4.extract_lane(sigmoid4(f32x4.splat(x)), 0);
}

/** tanh for one value. */
// @ts-ignore: decorator
@inline
export function tanh(x: f32): f32 {
  return f32x4.extract_lane(tanh4(f32x4.splat(x)), 0);
}
