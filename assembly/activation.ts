// Element-wise activations on f32x4 vectors, branchless: the semantics of lib/nn/kernels/activation.ts for the kinds
// the engine's hot paths use (ReLU, LeakyReLU, sigmoid, tanh, GELU-tanh); the loader keeps the others in TypeScript.
// Forward out = f(x); backward dx += dy·f'(x), with f'(0) = 1 for the ReLU family (the right-hand derivative). The
// selects are v128.bitselect on a lane compare (a NaN x compares false). alpha (LeakyReLU) is rounded to float32 here,
// so alpha·x may differ from TypeScript's float64 product by 1 ulp.
// Transcendentals are float32 (vmath.ts: e^x ≤ 8e-8 and tanh ≤ 1.4e-7 relative) where TypeScript rounds float64
// results. Nothing here writes a global; a range of elements is one call with the buffers advanced to its start.

import { vexp, vsigmoid, vtanh } from './vmath';

// ActivationKind of kernels/activation.ts (the loader passes those numbers)
const SIGMOID: i32 = 2;
const TANH: i32 = 3;
const RELU: i32 = 5;
const LEAKY_RELU: i32 = 6;
const GELU_TANH: i32 = 9;

// Constants in static memory, loaded where used (see vmath.ts: V8 rebuilds a v128.const inside a loop each time).
const K: usize = memory.data<f32>([
  0.7978845608028654, // 0 √(2/π)
  0.044715, // 1 GELU's cubic coefficient
  0.134145, // 2 3·0.044715
  -2, // 3
  1, // 4
  Infinity, // 5
]);
const SQRT_2_OVER_PI = 0;
const GELU_CUBIC = 1;
const GELU_CUBIC_3 = 2;
const MINUS_TWO = 3;
const ONE = 4;
const INF = 5;

/** Constant i of the table on all 4 lanes (one load). */
function splat(i: i32): v128 {
  return v128.load32_splat(K + ((<usize>i) << 2));
}

/**
 * GELU-tanh via 1 + tanh u = 2σ(2u): f(x) = x·σ(2u), u = √(2/π)(x + 0.044715x³). Unlike ½x(1 + tanh u) this keeps its
 * relative precision in the negative tail, where 1 + tanh u cancels. Returns e = e^(−2u), so σ(2u) = 1/(1 + e) and
 * 1 − σ(2u) = e·σ(2u) without the cancellation of 1 − σ near σ = 1 (which cost the backward 2e-6 at x ≈ 5).
 * e is +∞ for x below ≈ −9.5: f = x/∞ = −0 there, and f(−∞) = −∞/∞ = NaN as TypeScript's −∞·0.
 */
function geluExp(x: v128): v128 {
  const x2 = f32x4.mul(x, x);
  const u = f32x4.mul(f32x4.mul(x, splat(SQRT_2_OVER_PI)), f32x4.add(splat(ONE), f32x4.mul(x2, splat(GELU_CUBIC))));
  return inline.always(vexp(f32x4.mul(u, splat(MINUS_TWO))));
}

/** f(x) on 4 lanes; kind is a constant at every call site (forwardRange is inlined per kind). */
function forward4(kind: i32, x: v128, alpha: v128): v128 {
  const zero = f32x4.splat(0);
  if (kind === RELU) return v128.bitselect(zero, x, f32x4.le(x, zero)); // ≤ 0 (−0 too) → +0; NaN fails le: kept
  if (kind === LEAKY_RELU) return v128.bitselect(x, f32x4.mul(alpha, x), f32x4.ge(x, zero));
  if (kind === SIGMOID) return inline.always(vsigmoid(x));
  if (kind === TANH) return inline.always(vtanh(x));
  return f32x4.div(x, f32x4.add(splat(ONE), inline.always(geluExp(x)))); // GELU_TANH: x·σ(2u)
}

/**
 * dy·f'(x) on 4 lanes, given the input x and the forward output y (sigmoid and tanh use y, the others x).
 * GELU-tanh: f' = ½(1 + tanh u) + ½x(1 − tanh²u)·u' = s + 2x·s(1 − s)·u' with s = σ(2u), u' = √(2/π)(1 + 3·0.044715x²),
 * and 1 − s = e·s (geluExp).
 */
function backward4(kind: i32, x: v128, y: v128, dy: v128, alpha: v128): v128 {
  const one = splat(ONE);
  // ReLU selects dy or 0 (0 even for dy = ±∞ or NaN, where 0·dy would be NaN); LeakyReLU dy or alpha·dy
  if (kind === RELU) return v128.bitselect(dy, f32x4.splat(0), f32x4.ge(x, f32x4.splat(0)));
  if (kind === LEAKY_RELU) return v128.bitselect(dy, f32x4.mul(alpha, dy), f32x4.ge(x, f32x4.splat(0)));
  if (kind === SIGMOID) return f32x4.mul(f32x4.mul(dy, y), f32x4.sub(one, y));
  if (kind === TANH) return f32x4.mul(dy, f32x4.sub(one, f32x4.mul(y, y)));
  const e = inline.always(geluExp(x)); // GELU_TANH
  const s = f32x4.div(one, f32x4.add(one, e));
  const du = f32x4.mul(splat(SQRT_2_OVER_PI), f32x4.add(one, f32x4.mul(f32x4.mul(x, x), splat(GELU_CUBIC_3))));
  // s(1 − s) = e·s², which is ∞·0 where e = ∞ (x < −9.5): 0 there, as TypeScript's 1 − tanh²u = 0 (x = −∞ then
  // gives −∞·0 = NaN below, as in TypeScript)
  const s1s = v128.bitselect(f32x4.splat(0), f32x4.mul(f32x4.mul(e, s), s), f32x4.eq(e, splat(INF)));
  const ds = f32x4.mul(s1s, f32x4.mul(f32x4.add(x, x), du));
  return f32x4.mul(dy, f32x4.add(s, ds));
}

/** out[i] = f(x[i]) for i < n: whole vectors, then the last 1–3 floats splatted through the same vector code. */
function forwardRange(kind: i32, x: usize, out: usize, n: i32, alpha: f32): void {
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(out + o, inline.always(forward4(kind, v128.load(x + o), a)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(out + o, f32x4.extract_lane(forward4(kind, v128.load32_splat(x + o), a), 0));
  }
}

/** dx[i] += dy[i]·f'(x[i]) for i < n; x or y may be 0 when the kind does not read it. */
function backwardRange(kind: i32, x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void {
  const a = f32x4.splat(alpha);
  const readsY = kind === SIGMOID || kind === TANH;
  const src = readsY ? y : x; // the other one is never read (backward4 ignores it for this kind)
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const v = v128.load(src + o);
    const g = inline.always(backward4(kind, v, v, v128.load(dy + o), a));
    v128.store(dx + o, f32x4.add(v128.load(dx + o), g));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const v = v128.load32_splat(src + o);
    const g = f32x4.extract_lane(backward4(kind, v, v, v128.load32_splat(dy + o), a), 0);
    store<f32>(dx + o, load<f32>(dx + o) + g);
  }
}

/** True for the kinds this module computes (ActivationKind numbers). */
export function activationSupported(kind: i32): bool {
  return kind === SIGMOID || kind === TANH || kind === RELU || kind === LEAKY_RELU || kind === GELU_TANH;
}

/** See kernels/activation.ts activationForward; kinds outside activationSupported leave out untouched. */
export function activationForward(kind: i32, x: usize, out: usize, n: i32, alpha: f32): void {
  // one inlined loop per kind, so the kind tests fold away inside the loops
  if (kind === RELU) inline.always(forwardRange(RELU, x, out, n, alpha));
  else if (kind === LEAKY_RELU) inline.always(forwardRange(LEAKY_RELU, x, out, n, alpha));
  else if (kind === SIGMOID) inline.always(forwardRange(SIGMOID, x, out, n, alpha));
  else if (kind === TANH) inline.always(forwardRange(TANH, x, out, n, alpha));
  else if (kind === GELU_TANH) inline.always(forwardRange(GELU_TANH, x, out, n, alpha));
}

/** See kernels/activation.ts activationBackward (dx += dy·f'(x)); kinds outside activationSupported add nothing. */
export function activationBackward(kind: i32, x: usize, y: usize, dy: usize, dx: usize, n: i32, alpha: f32): void {
  if (kind === RELU) inline.always(backwardRange(RELU, x, y, dy, dx, n, 0));
  else if (kind === LEAKY_RELU) inline.always(backwardRange(LEAKY_RELU, x, y, dy, dx, n, alpha));
  else if (kind === SIGMOID) inline.always(backwardRange(SIGMOID, x, y, dy, dx, n, alpha));
  else if (kind === TANH) inline.always(backwardRange(TANH, x, y, dy, dx, n, alpha));
  else if (kind === GELU_TANH) inline.always(backwardRange(GELU_TANH, x, y, dy, dx, n, alpha));
}
