// Small dense linear algebra in float64 for closed-form fits and reservoir scaling: Gram products, Cholesky
// factorisation and solves of symmetric positive-definite systems, and a power iteration for the spectral radius.

import type { Rng } from './rng';

/** Float arrays the routines accept as row-major inputs. */
export type FloatArray = Float32Array | Float64Array;

/**
 * gram (d×d) += Xᵀ·X for a block of m rows of X stored feature-major: feature i of row r at xt[i·stride + r]
 * (r < m ≤ stride). Each gram entry gets one contiguous dot product of length m per block, so the d×d matrix is
 * swept once per block rather than once per row; tiles of 2 × 4 entries share their loads. The upper triangle
 * (j ≥ i) is accumulated (a few entries just below the diagonal get scratch values); call symmetrizeUpper once
 * after the last block.
 */
export function accumulateGram(xt: FloatArray, d: number, m: number, stride: number, gram: Float64Array): void {
  let i = 0;
  for (; i + 1 < d; i += 2) {
    const a0 = i * stride;
    const a1 = a0 + stride;
    const g0 = i * d;
    const g1 = g0 + d;
    let j = i;
    for (; j + 3 < d; j += 4) {
      const b0 = j * stride;
      const b1 = b0 + stride;
      const b2 = b1 + stride;
      const b3 = b2 + stride;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s03 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      let s13 = 0;
      for (let r = 0; r < m; r++) {
        const x0 = xt[a0 + r];
        const x1 = xt[a1 + r];
        const y0 = xt[b0 + r];
        const y1 = xt[b1 + r];
        const y2 = xt[b2 + r];
        const y3 = xt[b3 + r];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      gram[g0 + j] += s00;
      gram[g0 + j + 1] += s01;
      gram[g0 + j + 2] += s02;
      gram[g0 + j + 3] += s03;
      gram[g1 + j] += s10;
      gram[g1 + j + 1] += s11;
      gram[g1 + j + 2] += s12;
      gram[g1 + j + 3] += s13;
    }
    for (; j < d; j++) {
      const b = j * stride;
      let s0 = 0;
      let s1 = 0;
      for (let r = 0; r < m; r++) {
        const y = xt[b + r];
        s0 += xt[a0 + r] * y;
        s1 += xt[a1 + r] * y;
      }
      gram[g0 + j] += s0;
      gram[g1 + j] += s1;
    }
  }
  if (i < d) {
    // last row of an odd d: only its diagonal entry is in the upper triangle
    const a = i * stride;
    let s = 0;
    for (let r = 0; r < m; r++) s += xt[a + r] * xt[a + r];
    gram[i * d + i] += s;
  }
}

/** Copies the upper triangle of a (n×n) into its lower triangle. */
export function symmetrizeUpper(a: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) a[j * n + i] = a[i * n + j];
}

/** out (d×o) += Xᵀ·Y for a feature-major block xt of m rows (as accumulateGram) and Y (m×o) row-major. */
export function accumulateCross(
  xt: FloatArray,
  d: number,
  m: number,
  stride: number,
  y: FloatArray,
  o: number,
  out: Float64Array,
): void {
  for (let i = 0; i < d; i++) {
    const a = i * stride;
    for (let k = 0; k < o; k++) {
      let s = 0;
      for (let r = 0; r < m; r++) s += xt[a + r] * y[r * o + k];
      out[i * o + k] += s;
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
    // L[i, j] = (A[i, j] − Σ_k<j L[i, k]·L[j, k]) / L[j, j]; four rows i at a time share the loads of row j
    let i = j + 1;
    for (; i + 3 < n; i += 4) {
      const r0 = i * n;
      const r1 = r0 + n;
      const r2 = r1 + n;
      const r3 = r2 + n;
      let s0 = a[r0 + j];
      let s1 = a[r1 + j];
      let s2 = a[r2 + j];
      let s3 = a[r3 + j];
      for (let k = 0; k < j; k++) {
        const ljk = l[jRow + k];
        s0 -= l[r0 + k] * ljk;
        s1 -= l[r1 + k] * ljk;
        s2 -= l[r2 + k] * ljk;
        s3 -= l[r3 + k] * ljk;
      }
      l[r0 + j] = s0 / ljj;
      l[r1 + j] = s1 / ljj;
      l[r2 + j] = s2 / ljj;
      l[r3 + j] = s3 / ljj;
    }
    for (; i < n; i++) {
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
  if (b.length < n * nrhs)
    throw new Error(`choleskySolve: b has ${b.length} elements, (${n}, ${nrhs}) needs ${n * nrhs}`);
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
  /**
   * True when the eigenvalue-model estimate settled within tolerance and its model fits the iterates; false when
   * the budget ran out and radius is the slower growth-rate estimate (see spectralRadius).
   */
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
 * like (|λ₃| / |λ₁|)^(2k), so it fails when more than two eigenvalues share (nearly) the largest modulus, e.g. two
 * complex pairs 0.01% apart, which random reservoirs do produce. Then the result is not converged and radius is
 * Gelfand's formula ρ = lim ‖Aᵏ·x‖^(1/k) taken as the mean log growth of ‖A·x‖ per step over the second half of the
 * iterations: it holds whatever the eigenvalue structure, with a relative error of about ln(κ) / steps (κ the
 * condition of the dominant eigenvectors), ~0.1% for the default budget.
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
  let dominant: SpectralRadiusResult['dominant'] = 'zero';
  // Σ ln ‖A²·v₀‖ (v₀ unit) over the second half of the iterations, for the growth-rate fallback
  const growthFrom = Math.floor(maxIterations / 2) + 1;
  let logGrowth = 0;
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
    const settled = Math.abs(estimate - prev) <= tolerance * Math.max(estimate, Number.MIN_VALUE);
    if (settled && residual < 1e-3) return { radius: estimate, iterations: it, converged: true, dominant };
    prev = estimate;
    // ln ‖A²·v₀‖ = 2·ln(growth per step)
    if (it >= growthFrom) logGrowth += 0.5 * Math.log(n2);
    const inv = 1 / Math.sqrt(n2);
    for (let i = 0; i < n; i++) v0[i] = v2[i] * inv;
  }
  const radius = Math.exp(logGrowth / 2 / (maxIterations - growthFrom + 1));
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
