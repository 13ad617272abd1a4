// Vector math on f32x4 lanes shared by the attention, normalisation, softmax and activation kernels (attention.ts,
// norm.ts, softmax.ts, activation.ts). Pure functions of their arguments and of constant static data: nothing here
// writes memory or a global, so the kernels built on them may run in several threads over one shared memory. Hot
// call sites wrap calls in inline.always(…) (AssemblyScript's call-site inlining; the @inline decorator is not valid
// syntax for Biome).
//
// Constants are read from a table in static memory (splat()) rather than written as f32x4.splat(literal): V8
// (Node 20) rebuilds every v128.const inside a loop with several instructions instead of hoisting it, and loading
// them made vexp 2.3 → 1.65 ns per element (4,096 floats in cache, median of 15 runs). binaryen cannot fold a load
// back into a constant, as it does with a splat hoisted into a local.

// ln 2 split in two (Cephes expf): n·LN2_HI is exact for |n| ≤ 2⁹, so x − n·ln 2 loses no bits to cancellation.
// EXP_MIN: below it e^x is 0 — the TypeScript softmax's EXP_MIN (kernels/attention.ts); 2^−126 ≈ e^−87.3 is float32's
// least normal. EXP_MAX: above it e^x is +∞ (Cephes's bound: n = round(x·log₂e) ≤ 127 keeps the 2ⁿ scale a normal
// float); e^x overflows float32 only past 88.72, so (88.38, 88.72] gives ∞ for values up to 3.4e38 — sigmoid, tanh
// and GELU only need e^x to saturate there.
const K: usize = memory.data<f32>([
  -87, // 0 EXP_MIN
  88.3762626647949, // 1 EXP_MAX
  <f32>Math.LOG2E, // 2 log₂e
  0.693359375, // 3 LN2_HI
  -2.1219444e-4, // 4 LN2_LO
  1.98756915e-4, // 5–10 expf's polynomial P(r), highest degree first
  1.3981999507e-3,
  8.3334519073e-3,
  4.1665795894e-2,
  1.6666665459e-1,
  5.0000001201e-1,
  1, // 11
  Infinity, // 12
  -5.70498872745e-3, // 13–17 tanhf's polynomial, highest degree first
  2.06390887954e-2,
  -5.37397155531e-2,
  1.33314422036e-1,
  -3.33332819422e-1,
  0.625, // 18 tanhf's switch between the polynomial and the exponential form
  2, // 19
  -0.0, // 20 the sign bit alone
]);
const EXP_MIN = 0;
const EXP_MAX = 1;
const LOG2E = 2;
const LN2_HI = 3;
const LN2_LO = 4;
const EXP_P = 5;
const ONE = 11;
const INF = 12;
const TANH_P = 13;
const TANH_SWITCH = 18;
const TWO = 19;
const SIGN = 20;

/** Constant i of the table on all 4 lanes (one load). */
function splat(i: i32): v128 {
  return v128.load32_splat(K + ((<usize>i) << 2));
}

/**
 * e^x on 4 lanes (Cephes expf): x = n·ln 2 + r with n = round(x·log₂e), |r| ≤ ln 2 / 2; e^r from a degree-7 polynomial
 * (1 + r + r²·P(r)), 2ⁿ built in the exponent bits. Measured against Math.exp on 2²⁰ points of [−87, 88]: ≤ 8.0e-8
 * relative error (≈ 1 ulp). x < EXP_MIN gives 0 and x > EXP_MAX gives +∞; NaN stays NaN (pmin/pmax keep their first
 * operand when a comparison with NaN fails, and n = trunc_sat(NaN) = 0).
 */
export function vexp(x: v128): v128 {
  const c = f32x4.pmin(f32x4.pmax(x, splat(EXP_MIN)), splat(EXP_MAX));
  const n = f32x4.nearest(f32x4.mul(c, splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(c, f32x4.mul(n, splat(LN2_HI))), f32x4.mul(n, splat(LN2_LO)));
  let p = splat(EXP_P);
  p = f32x4.add(f32x4.mul(p, r), splat(EXP_P + 1));
  p = f32x4.add(f32x4.mul(p, r), splat(EXP_P + 2));
  p = f32x4.add(f32x4.mul(p, r), splat(EXP_P + 3));
  p = f32x4.add(f32x4.mul(p, r), splat(EXP_P + 4));
  p = f32x4.add(f32x4.mul(p, r), splat(EXP_P + 5));
  const er = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), splat(ONE));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23); // 2ⁿ, n ∈ [−126, 127]
  const e = v128.bitselect(splat(INF), f32x4.mul(er, scale), f32x4.gt(x, splat(EXP_MAX)));
  return v128.bitselect(f32x4.splat(0), e, f32x4.lt(x, splat(EXP_MIN)));
}

/**
 * tanh on 4 lanes (Cephes tanhf): x + x³·P(x²) for |x| < 0.625, else ±(1 − 2/(e^{2|x|} + 1)). Measured against
 * Math.tanh on 2²⁰ points of [−10, 10] and of [−0.01, 0.01]: ≤ 1.4e-7 relative error. ±∞ give ±1, NaN stays NaN.
 * (kernels.ts's tanh4, the Eigen rational the recurrent cells use, is within 3e-7 absolute but not relative near 0;
 * this one serves the Tanh activation, whose reference is Math.tanh.)
 */
export function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = splat(TANH_P);
  p = f32x4.add(f32x4.mul(p, z), splat(TANH_P + 1));
  p = f32x4.add(f32x4.mul(p, z), splat(TANH_P + 2));
  p = f32x4.add(f32x4.mul(p, z), splat(TANH_P + 3));
  p = f32x4.add(f32x4.mul(p, z), splat(TANH_P + 4));
  const small = f32x4.add(x, f32x4.mul(f32x4.mul(x, z), p));
  const e = inline.always(vexp(f32x4.add(ax, ax)));
  const big = f32x4.sub(splat(ONE), f32x4.div(splat(TWO), f32x4.add(e, splat(ONE))));
  const signed = v128.or(big, v128.and(x, splat(SIGN))); // x's sign onto 1 − 2/(e + 1) ≥ 0
  return v128.bitselect(small, signed, f32x4.lt(ax, splat(TANH_SWITCH)));
}

/** σ(x) = 1/(1 + e^−x) on 4 lanes: relative error ≈ vexp's (no cancellation for either sign of x). */
export function vsigmoid(x: v128): v128 {
  const one = splat(ONE);
  return f32x4.div(one, f32x4.add(one, inline.always(vexp(f32x4.neg(x)))));
}

/** Sum of the 4 lanes, pairwise. */
export function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

/** Largest of the 4 lanes (NaN if any lane is NaN). */
export function hmax(v: v128): f32 {
  return max(
    max(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)),
    max(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)),
  );
}

/** Lanes whose index is below `count` (all ones), the rest zero: masks the last, partial vector of a row. */
export function lanesBelow(count: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(count));
}
