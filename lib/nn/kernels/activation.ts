// Element-wise activation kernels: for each activation a forward loop y = f(x) and, beside it, a backward loop
// dx += dy · f'(x) that accumulates into the caller's gradient buffer. Kinks take the right-hand derivative
// (f'(0) = 1 for ReLU-like functions), as in the course's activation table.

/** Which element-wise activation a dispatching kernel runs. */
export enum ActivationKind {
  Identity = 0,
  BinaryStep = 1,
  Sigmoid = 2,
  Tanh = 3,
  Arctan = 4,
  Relu = 5,
  LeakyRelu = 6,
  Elu = 7,
  Softplus = 8,
  /** GELU, tanh approximation (PyTorch approximate='tanh'). */
  GeluTanh = 9,
  /** GELU, exact x·Φ(x) with Φ from erf. */
  GeluErf = 10,
}

// Forward kernels write out[i] = f(x[i]) for i < n. Backward kernels read x (the input), y (the forward output)
// and dy, and accumulate dx[i] += dy[i] · f'(x[i]). alpha is the slope / scale of LeakyReLU and ELU.
//
// Branchless selects. V8 (TurboFan, Node 20) compiles `c ? a : b` and Math.max on doubles to a compare and a
// conditional jump; on activations the sign of x is random, so about half of those jumps mispredict. Measured on
// the 2-core AMD EPYC dev box, Node 20, 65,536 normal(0, 1) values per call with fresh signs each call, median
// ns/element, branchy → branchless kernel: ReLU forward 7.5 → 1.7, backward 8.3 → 3.0; LeakyReLU 7.4 → 2.0 and
// 8.4 → 2.6; binary step 7.1 → 1.6; PReLU (64 channels) 8.0 → 2.7, dx 8.7 → 4.4, dAlpha 7.9 → 3.2 (a plain copy
// loop is 1.2). The comparison itself is cheap once it is a value: `+(x >= 0)` is 0 or 1 without a jump. So the
// kernels below pick between two values by indexing a two-entry table with that bit (SELECT[+(x >= 0)]), or use
// an identity such as max(v, 0) = (v + |v|) / 2. Both return bit-for-bit what the branchy form returned (the one
// deliberate change is ReLU backward for a non-finite dy, below); where an identity fails for a non-finite input,
// the fix-up test is on a value that is never NaN or ∞ on ordinary data, so that jump is always predicted. ELU keeps its branch: going branchless means calling expm1 / exp on every element instead of half of
// them, which costs more than the misprediction it saves (measured 19 vs 13 ns/element forward, 17 vs 14
// backward).
//
// Edge semantics, pinned by test/nn/activations.test.ts:
//  - ReLU forward is max(x, 0): negative inputs and −0 give +0 (not LeakyReLU's 0·x = −0), −∞ gives +0, +∞ stays,
//    NaN stays NaN.
//  - ReLU backward adds dy where x ≥ 0 (f'(0) = 1, also at −0) and zero elsewhere, even when dy is ±∞ or NaN:
//    a select, as PyTorch's threshold_backward, where multiplying by f'(x) = 0 would give ∞·0 = NaN (which the
//    earlier 0·dy did). A NaN input compares false and passes no gradient (PyTorch passes dy there).
//  - LeakyReLU / PReLU: f = x·1 for x ≥ 0 (so −0 stays −0), x·alpha below (NaN stays NaN); backward adds dy or
//    alpha·dy, so with alpha = 0 a dy of ±∞ at x < 0 gives NaN, as PyTorch's leaky_relu_backward (grad·slope).

/**
 * Two-entry scratch for the branchless selects: a kernel writes the two candidates (or, once per call, two
 * constants) and reads SELECT[bit]. Module-level so that no kernel allocates; kernels are synchronous and never
 * call each other while holding it, so sharing is safe.
 */
const SELECT = new Float64Array(2);

/** max(v, 0) without a data-dependent jump (see the note above): exact for every input, −0 and −∞ give +0. */
function relu(v: number): number {
  // v + |v| is 2v or exactly +0, and doubling / halving is exact in float64; only −∞ + ∞ = NaN needs the test,
  // which finite data never takes.
  return v === Number.NEGATIVE_INFINITY ? 0 : (v + Math.abs(v)) * 0.5;
}

function identityForward(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = x[i];
}
function identityBackward(dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] += dy[i];
}

// Binary step: f'(x) = 0 for x ≠ 0 (undefined at 0), so its backward adds nothing.
function binaryStepForward(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = +(x[i] >= 0);
}

// σ(x) = 1 / (1 + e^−x), evaluated as e^x / (1 + e^x) for x < 0 so exp never overflows; σ' = y(1 − y).
// Both halves are num / (1 + e) with e = e^−|x| and num = 1 (x ≥ 0) or e (x < 0), so only the numerator is
// selected (21.7 → 18.6 ns/element, same values bit for bit).
function sigmoidForward(x: Float32Array, out: Float32Array, n: number): void {
  const numerator = SELECT;
  numerator[1] = 1;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    const e = Math.exp(-Math.abs(v));
    numerator[0] = e;
    out[i] = numerator[+(v >= 0)] / (1 + e);
  }
}
function sigmoidBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] += dy[i] * y[i] * (1 - y[i]);
}

// tanh' = 1 − y²
function tanhForward(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
}
function tanhBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] += dy[i] * (1 - y[i] * y[i]);
}

// arctan' = 1 / (1 + x²)
function arctanForward(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = Math.atan(x[i]);
}
function arctanBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] += dy[i] / (1 + x[i] * x[i]);
}

// ReLU: max(x, 0) (negative inputs give +0, not LeakyReLU's 0·x = −0; NaN stays NaN).
function reluForward(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = relu(x[i]);
}
// dx += dy where x ≥ 0. dy·(0 or 1) is exact for finite dy; it is NaN only for dy = ±∞ or NaN, and then the
// (always predicted) fix-up selects: dy where x ≥ 0, 0 elsewhere. The fix-up costs ≈ 0.9 ns/element
// over a bare dy·(0 or 1), which gives NaN there; the ternary it replaces cost 8.3.
function reluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const g = dy[i] * +(x[i] >= 0);
    dx[i] += Number.isNaN(g) ? (x[i] >= 0 ? g : 0) : g;
  }
}

// LeakyReLU: f(x) = x for x ≥ 0, alpha·x below, as x·slope with slope = SELECT[+(x ≥ 0)] ∈ {alpha, 1}: x·1 = x
// exactly, so the values equal the branchy form's bit for bit.
function leakyReluForward(x: Float32Array, out: Float32Array, n: number, alpha: number): void {
  const slope = SELECT;
  slope[0] = alpha;
  slope[1] = 1;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = v * slope[+(v >= 0)];
  }
}
function leakyReluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number, alpha: number): void {
  const slope = SELECT;
  slope[0] = alpha;
  slope[1] = 1;
  for (let i = 0; i < n; i++) dx[i] += dy[i] * slope[+(x[i] >= 0)];
}

// ELU: f(x) = alpha·(e^x − 1) for x < 0 (expm1 keeps precision near 0); f'(x) = f(x) + alpha there.
function eluForward(x: Float32Array, out: Float32Array, n: number, alpha: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = v >= 0 ? v : alpha * Math.expm1(v);
  }
}
function eluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number, alpha: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    dx[i] += v >= 0 ? dy[i] : dy[i] * alpha * Math.exp(v);
  }
}

// Softplus: log(1 + e^x) = log1p(e^−|x|) + max(x, 0), finite for any x; f'(x) = σ(x), selected as in
// sigmoidForward (forward 30.4 → 28.0 ns/element, backward 23.2 → 19.2).
function softplusForward(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = Math.log1p(Math.exp(-Math.abs(v))) + relu(v);
  }
}
function softplusBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  const numerator = SELECT;
  numerator[1] = 1;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    const e = Math.exp(-Math.abs(v));
    numerator[0] = e;
    dx[i] += dy[i] * (numerator[+(v >= 0)] / (1 + e));
  }
}

// GELU, tanh approximation (Hendrycks & Gimpel 2016; PyTorch approximate='tanh'):
// f(x) = ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³);
// f'(x) = ½(1 + tanh u) + ½x(1 − tanh²u)·√(2/π)(1 + 3·0.044715x²).
const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;
function geluTanhForward(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + GELU_CUBIC * v * v * v)));
  }
}
function geluTanhBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    const t = Math.tanh(SQRT_2_OVER_PI * (v + GELU_CUBIC * v * v * v));
    const du = SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * v * v);
    dx[i] += dy[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * du);
  }
}

/**
 * erf(x) via the Chebyshev fit of erfc in Numerical Recipes (2nd ed., §6.2), fractional error < 1.2e-7 —
 * below float32 resolution.
 */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  // Horner evaluation of the fit's degree-9 polynomial in t
  const c9 = -0.82215223 + t * 0.17087277;
  const c8 = 1.48851587 + t * c9;
  const c7 = -1.13520398 + t * c8;
  const c6 = 0.27886807 + t * c7;
  const c5 = -0.18628806 + t * c6;
  const c4 = 0.09678418 + t * c5;
  const c3 = 0.37409196 + t * c4;
  const c2 = 1.00002368 + t * c3;
  const c1 = -1.26551223 + t * c2;
  const erfcZ = t * Math.exp(-z * z + c1);
  // erf is odd: ±(1 − erfc|x|), the sign as 2·[x ≥ 0] − 1 so GELU's loops do not branch on the sign of x
  // (−(1 − e) rounds exactly as e − 1, so the value is unchanged; exact GELU forward 43.5 → 39.2 ns/element).
  return (1 - erfcZ) * (2 * +(x >= 0) - 1);
}

// GELU, exact: f(x) = x·Φ(x), Φ(x) = ½(1 + erf(x/√2)); f'(x) = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π).
const INV_SQRT2 = 1 / Math.sqrt(2);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
function geluErfForward(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = 0.5 * v * (1 + erf(v * INV_SQRT2));
  }
}
function geluErfBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    const cdf = 0.5 * (1 + erf(v * INV_SQRT2));
    dx[i] += dy[i] * (cdf + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
  }
}

/** out[i] = f(x[i]) for i < n; alpha is LeakyReLU's negative slope or ELU's scale (ignored by the others). */
export function activationForward(
  kind: ActivationKind,
  x: Float32Array,
  out: Float32Array,
  n: number,
  alpha = 0,
): void {
  switch (kind) {
    case ActivationKind.Identity:
      identityForward(x, out, n);
      break;
    case ActivationKind.BinaryStep:
      binaryStepForward(x, out, n);
      break;
    case ActivationKind.Sigmoid:
      sigmoidForward(x, out, n);
      break;
    case ActivationKind.Tanh:
      tanhForward(x, out, n);
      break;
    case ActivationKind.Arctan:
      arctanForward(x, out, n);
      break;
    case ActivationKind.Relu:
      reluForward(x, out, n);
      break;
    case ActivationKind.LeakyRelu:
      leakyReluForward(x, out, n, alpha);
      break;
    case ActivationKind.Elu:
      eluForward(x, out, n, alpha);
      break;
    case ActivationKind.Softplus:
      softplusForward(x, out, n);
      break;
    case ActivationKind.GeluTanh:
      geluTanhForward(x, out, n);
      break;
    case ActivationKind.GeluErf:
      geluErfForward(x, out, n);
      break;
  }
}

/** dx[i] += dy[i] · f'(x[i]) given the input x and the forward output y. */
export function activationBackward(
  kind: ActivationKind,
  x: Float32Array,
  y: Float32Array,
  dy: Float32Array,
  dx: Float32Array,
  n: number,
  alpha = 0,
): void {
  switch (kind) {
    case ActivationKind.Identity:
      identityBackward(dy, dx, n);
      break;
    case ActivationKind.BinaryStep:
      break; // zero almost everywhere: nothing to add
    case ActivationKind.Sigmoid:
      sigmoidBackward(y, dy, dx, n);
      break;
    case ActivationKind.Tanh:
      tanhBackward(y, dy, dx, n);
      break;
    case ActivationKind.Arctan:
      arctanBackward(x, dy, dx, n);
      break;
    case ActivationKind.Relu:
      reluBackward(x, dy, dx, n);
      break;
    case ActivationKind.LeakyRelu:
      leakyReluBackward(x, dy, dx, n, alpha);
      break;
    case ActivationKind.Elu:
      eluBackward(x, dy, dx, n, alpha);
      break;
    case ActivationKind.Softplus:
      softplusBackward(x, dy, dx, n);
      break;
    case ActivationKind.GeluTanh:
      geluTanhBackward(x, dy, dx, n);
      break;
    case ActivationKind.GeluErf:
      geluErfBackward(x, dy, dx, n);
      break;
  }
}

/**
 * PReLU with a learned slope per channel: x is (rows, channels) row-major, alpha has `channels` entries
 * (channels = 1 shares one slope). out = x for x ≥ 0, alpha[c]·x below — as x·SELECT[+(x ≥ 0)] with the table
 * {alpha[c], 1}, bit-identical to the branchy form.
 */
export function preluForward(
  x: Float32Array,
  alpha: Float32Array,
  out: Float32Array,
  rows: number,
  channels: number,
): void {
  const slope = SELECT;
  slope[1] = 1;
  for (let r = 0; r < rows; r++) {
    const b = r * channels;
    for (let c = 0; c < channels; c++) {
      const v = x[b + c];
      slope[0] = alpha[c];
      out[b + c] = v * slope[+(v >= 0)];
    }
  }
}

/**
 * dx += dy·(x ≥ 0 ? 1 : alpha[c]); dAlpha[c] += Σ_rows dy·x over x < 0. Either output may be null (not needed).
 * Branchless selects as in preluForward; for dAlpha the "nothing" side is −0, the exact identity of +, so a
 * skipped element leaves dAlpha bit-for-bit as the branchy `if` did.
 */
export function preluBackward(
  x: Float32Array,
  alpha: Float32Array,
  dy: Float32Array,
  dx: Float32Array | null,
  dAlpha: Float32Array | null,
  rows: number,
  channels: number,
): void {
  for (let r = 0; r < rows; r++) {
    const b = r * channels;
    if (dx !== null) {
      const slope = SELECT;
      slope[1] = 1;
      for (let c = 0; c < channels; c++) {
        slope[0] = alpha[c];
        dx[b + c] += dy[b + c] * slope[+(x[b + c] >= 0)];
      }
    }
    if (dAlpha !== null) {
      const term = SELECT;
      term[0] = -0;
      for (let c = 0; c < channels; c++) {
        const v = x[b + c];
        term[1] = dy[b + c] * v;
        dAlpha[c] += term[+(v < 0)];
      }
    }
  }
}
