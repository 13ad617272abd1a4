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

function identityForward(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = x[i];
}
function identityBackward(dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) dx[i] += dy[i];
}

// Binary step: f'(x) = 0 for x ≠ 0 (undefined at 0), so its backward adds nothing.
function binaryStepForward(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = x[i] >= 0 ? 1 : 0;
}

// σ(x) = 1 / (1 + e^−x), evaluated as e^x / (1 + e^x) for x < 0 so exp never overflows; σ' = y(1 − y).
function sigmoidForward(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v >= 0) {
      out[i] = 1 / (1 + Math.exp(-v));
    } else {
      const e = Math.exp(v);
      out[i] = e / (1 + e);
    }
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

// ReLU: max(x, 0) (negative inputs give +0, not LeakyReLU's 0·x = −0; NaN stays NaN). Its backward is LeakyReLU's
// with alpha = 0.
function reluForward(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) out[i] = Math.max(x[i], 0);
}

// LeakyReLU: f(x) = x for x ≥ 0, alpha·x below.
function leakyReluForward(x: Float32Array, out: Float32Array, n: number, alpha: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = v >= 0 ? v : alpha * v;
  }
}
function leakyReluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number, alpha: number): void {
  for (let i = 0; i < n; i++) dx[i] += x[i] >= 0 ? dy[i] : alpha * dy[i];
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

// Softplus: log(1 + e^x) = log1p(e^−|x|) + max(x, 0), finite for any x; f'(x) = σ(x).
function softplusForward(x: Float32Array, out: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = Math.log1p(Math.exp(-Math.abs(v))) + Math.max(v, 0);
  }
}
function softplusBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    const e = Math.exp(-Math.abs(v));
    dx[i] += dy[i] * (v >= 0 ? 1 / (1 + e) : e / (1 + e));
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
  return x >= 0 ? 1 - erfcZ : erfcZ - 1;
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
      leakyReluBackward(x, dy, dx, n, 0);
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
 * (channels = 1 shares one slope). out = x for x ≥ 0, alpha[c]·x below.
 */
export function preluForward(
  x: Float32Array,
  alpha: Float32Array,
  out: Float32Array,
  rows: number,
  channels: number,
): void {
  for (let r = 0; r < rows; r++) {
    const b = r * channels;
    for (let c = 0; c < channels; c++) {
      const v = x[b + c];
      out[b + c] = v >= 0 ? v : alpha[c] * v;
    }
  }
}

/** dx += dy·(x ≥ 0 ? 1 : alpha[c]); dAlpha[c] += Σ_rows dy·x over x < 0. Either output may be null (not needed). */
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
      for (let c = 0; c < channels; c++) dx[b + c] += x[b + c] >= 0 ? dy[b + c] : alpha[c] * dy[b + c];
    }
    if (dAlpha !== null) {
      for (let c = 0; c < channels; c++) if (x[b + c] < 0) dAlpha[c] += dy[b + c] * x[b + c];
    }
  }
}
