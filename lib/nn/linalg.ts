// Small dense linear algebra in float64 for closed-form fits and reservoir scaling: Gram products, Cholesky
// factorisation and solves of symmetric positive-definite systems, and a power iteration for the spectral radius.

import type { Rng } from './rng';

/** Float arrays the routines accept as row-major inputs. */
export type FloatArray = Float32Array | Float64Array;

/**
 * gram (d×d) += Xᵀ·X for the rows [rowStart, rowEnd) of X (m×d row-major). Only the upper triangle (j ≥ i) is
 * written; call symmetrizeUpper once after the last accumulation.
 */
export function accumulateGram(x: FloatArray, d: number, rowStart: number, rowEnd: number, gram: Float64Array): void {
  for (let r = rowStart; r < rowEnd; r++) {
    const row = r * d;
    for (let i = 0; i < d; i++) {
      const xi = x[row + i];
      if (xi === 0) continue;
      const gRow = i * d;
      for (let j = i; j < d; j++) gram[gRow + j] += xi * x[row + j];
    }
  }
}

/** Copies the upper triangle of a (n×n) into its lower triangle. */
export function symmetrizeUpper(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[j * n + i] = a[i * n + j];
}

/** out (d×o) += Xᵀ·Y for the rows [rowStart, rowEnd) of X (m×d) and Y (m×o). */
export function accumulateCross(
  x: FloatArray,
  d: number,
  y: FloatArray,
  o: number,
  rowStart: number,
  rowEnd: number,
  out: Float64Array,
): void {
  for (let r = rowStart; r < rowEnd; r++) {
    const xRow = r * d;
    const yRow = r * o;
    for (let i = 0; i < d; i++) {
      const xi = x[xRow + i];
      if (xi === 0) continue;
      for (let k = 0; k < o; k++) out[i * o + k] += xi * y[yRow + k];
    }
  }
}

/**
 * Cholesky factor of a symmetric positive-definite a (n×n): the lower-triangular L with a = L·Lᵀ, written into l
 * (upper part zeroed). Reads only the lower triangle of a. Returns false, leaving l undefined, when a pivot is not
 * positive (a is not positive definite to working precision).
 */
export function choleskyFactor(a: Float64Array, n: number, l: Float64Array): boolean {
  if (a.length < n * n || l.length < n * n) {
    throw new Error(`choleskyFactor: a (${a.length}) and l (${l.length}) need ${n}×${n} = ${n * n} elements`);
  }
  for (let j = 0; j < n; j++) {
    const jRow = j * n;
    let diag = a[jRow + j];
    for (let k = 0; k < j; k++) diag -= l[jRow + k] * l[jRow + k];
    if (!(diag > 0)) return false;
    const ljj = Math.sqrt(diag);
    l[jRow + j] = ljj;
    for (let k = j + 1; k < n; k++) l[jRow + k] = 0;
    for (let i = j + 1; i < n; i++) {
      const iRow = i * n;
      let s = a[iRow + j];
      for (let k = 0; k < j; k++) s -= l[iRow + k] * l[jRow + k];
      l[iRow + j] = s / ljj;
    }
  }
  return true;
}

/**
 * Solves L·Lᵀ·X = B in place for the nrhs columns of b (n×nrhs row-major), given the Cholesky factor l (n×n):
 * forward substitution with L, then back substitution with Lᵀ.
 */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array, nrhs: number): void {
  if (b.length < n * nrhs) throw new Error(`choleskySolve: b has ${b.length} elements, (${n}, ${nrhs}) needs ${n * nrhs}`);
  // L·Z = B
  for (let i = 0; i < n; i++) {
    const iRow = i * n;
    for (let c = 0; c < nrhs; c++) {
      let s = b[i * nrhs + c];
      for (let k = 0; k < i; k++) s -= l[iRow + k] * b[k * nrhs + c];
      b[i * nrhs + c] = s / l[iRow + i];
    }
  }
  // Lᵀ·X = Z
  for (let i = n - 1; i >= 0; i--) {
    for (let c = 0; c < nrhs; c++) {
      let s = b[i * nrhs + c];
      for (let k = i + 1; k < n; k++) s -= l[k * n + i] * b[k * nrhs + c];
      b[i * nrhs + c] = s / l[i * n + i];
    }
  }
}

/**
 * X (n×nrhs) solving A·X = B for a symmetric positive-definite A (n×n), by Cholesky. Throws, naming the failing
 * pivot's size, when A is not positive definite.
 */
export function solveSpd(a: FloatArray, b: FloatArray, n: number, nrhs = 1): Float64Array {
  if (a.length !== n * n) throw new Error(`solveSpd: A has ${a.length} elements, (${n}, ${n}) needs ${n * n}`);
  if (b.length !== n * nrhs) throw new Error(`solveSpd: B has ${b.length} elements, (${n}, ${nrhs}) needs ${n * nrhs}`);
  const l = new Float64Array(n * n);
  if (!choleskyFactor(Float64Array.from(a), n, l)) {
    throw new Error(`solveSpd: the (${n}, ${n}) matrix is not positive definite`);
  }
  const x = Float64Array.from(b);
  choleskySolveInPlace(l, n, x, nrhs);
  return x;
}

export interface SpectralRadiusOptions {
  /** Most iterations (each applies the matrix twice) before giving up (default 2000). */
  maxIterations?: number;
  /** Relative change of the estimate between iterations that counts as converged (default 1e-9). */
  tolerance?: number;
}

export interface SpectralRadiusResult {
  /** Estimate of max |λ| over the eigenvalues λ. */
  radius: number;
  iterations: number;
  /** True when the estimate settled within tolerance and its model fits the iterates (see spectralRadius). */
  converged: boolean;
  /** Whether the largest |λ| found is a real eigenvalue or a complex-conjugate pair ('zero' for ρ = 0). */
  dominant: 'real' | 'complex' | 'zero';
}

/**
 * Power iteration estimating the spectral radius ρ(A) = max |λ| of a square matrix given only as y = A·x
 * (matVec writes A·x into y; both length n).
 *
 * Plain power iteration converges to the eigenvector of the largest |λ| when that eigenvalue is real and alone on
 * its circle. Random reservoir matrices are non-symmetric, so the largest |λ| is often a complex-conjugate pair
 * λ, λ̄; the iterates then rotate in a 2-D invariant subspace and ‖A·x‖/‖x‖ oscillates. So each iteration takes
 * v₀ (unit), v₁ = A·v₀, v₂ = A·v₁ and fits both models:
 *   - one real eigenvalue μ: v₁ ≈ μ·v₀, μ = ⟨v₁, v₀⟩ (least squares), residual ‖v₁ − μ·v₀‖ / ‖v₁‖;
 *   - two eigenvalues (a complex-conjugate pair, or two real ones such as ±r) with characteristic polynomial
 *     t² − a·t − b: v₂ ≈ a·v₁ + b·v₀ (2×2 least squares), residual ‖v₂ − a·v₁ − b·v₀‖ / ‖v₂‖; |λ| is the larger
 *     modulus of the roots of t² − a·t − b (√−b for a complex pair).
 * It uses the one-eigenvalue model when its residual is below 1e-6, otherwise the two-eigenvalue model, then
 * restarts from v₂/‖v₂‖.
 * Converged: the estimate changed by less than tolerance (relative) from the previous iteration and the chosen
 * model's residual is below 1e-3 (the iterates really lie in that eigenspace). The error after k iterations falls
 * like (|λ₃| / |λ₁|)^(2k), so matrices whose third-largest |λ| is close to the largest need more iterations; the
 * result reports whether it converged.
 */
export function spectralRadius(
  matVec: (x: Float64Array, y: Float64Array) => void,
  n: number,
  rng: Rng,
  opts: SpectralRadiusOptions = {},
): SpectralRadiusResult {
  const maxIterations = opts.maxIterations ?? 2000;
  const tolerance = opts.tolerance ?? 1e-9;
  if (!Number.isInteger(n) || n < 1) throw new Error(`spectralRadius: n must be a positive integer, got ${n}`);
  const v0 = new Float64Array(n);
  const v1 = new Float64Array(n);
  const v2 = new Float64Array(n);
  for (let i = 0; i < n; i++) v0[i] = rng.normal();
  normalize(v0);
  let prev = Number.NaN;
  let radius = 0;
  let dominant: SpectralRadiusResult['dominant'] = 'zero';
  for (let it = 1; it <= maxIterations; it++) {
    matVec(v0, v1);
    matVec(v1, v2);
    const n1 = dotSelf(v1);
    const n2 = dotSelf(v2);
    if (n1 === 0 || n2 === 0) {
      // A·x (or A²·x) vanished: a nilpotent part; ρ is 0 on the subspace reached (exactly 0 for nilpotent A)
      return { radius: 0, iterations: it, converged: true, dominant: 'zero' };
    }
    // real model: v₁ ≈ μ·v₀ with ‖v₀‖ = 1
    const mu = dotPair(v1, v0);
    const realResidual = Math.sqrt(Math.max(0, n1 - mu * mu) / n1);
    // two-eigenvalue model: v₂ ≈ a·v₁ + b·v₀, from the 2×2 normal equations
    const g11 = n1;
    const g10 = mu;
    const g00 = 1;
    const r1 = dotPair(v2, v1);
    const r0 = dotPair(v2, v0);
    const det = g11 * g00 - g10 * g10;
    let estimate: number;
    let residual: number;
    if (realResidual < 1e-6 || !(det > 1e-14 * g11 * g00)) {
      estimate = Math.abs(mu);
      residual = realResidual;
      dominant = 'real';
    } else {
      const a = (r1 * g00 - r0 * g10) / det;
      const b = (r0 * g11 - r1 * g10) / det;
      // ‖v₂ − a·v₁ − b·v₀‖² = ‖v₂‖² − a·⟨v₂,v₁⟩ − b·⟨v₂,v₀⟩ at the least-squares optimum
      residual = Math.sqrt(Math.max(0, n2 - a * r1 - b * r0) / n2);
      const disc = a * a + 4 * b;
      if (disc >= 0) {
        const s = Math.sqrt(disc);
        estimate = Math.max(Math.abs(a + s), Math.abs(a - s)) / 2;
        dominant = 'real';
      } else {
        estimate = Math.sqrt(-b);
        dominant = 'complex';
      }
    }
    radius = estimate;
    const settled = Math.abs(estimate - prev) <= tolerance * Math.max(estimate, Number.MIN_VALUE);
    if (settled && residual < 1e-3) return { radius, iterations: it, converged: true, dominant };
    prev = estimate;
    const inv = 1 / Math.sqrt(n2);
    for (let i = 0; i < n; i++) v0[i] = v2[i] * inv;
  }
  return { radius, iterations: maxIterations, converged: false, dominant };
}

function dotSelf(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

function dotPair(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * y[i];
  return s;
}

function normalize(x: Float64Array): void {
  const norm = Math.sqrt(dotSelf(x));
  if (norm === 0) {
    x[0] = 1;
    return;
  }
  for (let i = 0; i < x.length; i++) x[i] /= norm;
}
