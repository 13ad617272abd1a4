// Small statistics used by the forecast metrics: moments, quantiles, ranks, Spearman correlation, least squares,
// and the normal and Student-t distribution functions (for Diebold–Mariano p-values). Float64 throughout.

import { mean } from '../metrics/moments';

/** mean: Σx / n; std: the sample standard deviation (divisor n − 1), 0 for fewer than two values. */
export { mean, sampleStd as std } from '../metrics/moments';

/** Quantile q ∈ [0, 1] by linear interpolation between order statistics (Hyndman & Fan type 7, numpy's default). */
export function quantile(xs: ArrayLike<number>, q: number): number {
  const s = Float64Array.from(xs).sort();
  if (s.length === 0) return Number.NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

/** 1-based ranks, ties given the mean of the ranks they span. */
export function ranks(xs: ArrayLike<number>): Float64Array {
  const n = xs.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => xs[a] - xs[b]);
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && xs[idx[j + 1]] === xs[idx[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]] = avg;
    i = j + 1;
  }
  return r;
}

/** Pearson correlation; null when either side is constant or there are fewer than two pairs. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  const n = a.length;
  if (n < 2 || b.length !== n) return null;
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return null;
  return sab / Math.sqrt(saa * sbb);
}

/** Spearman rank correlation: Pearson correlation of the (tie-averaged) ranks. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  return pearson(ranks(a), ranks(b));
}

/** Standard normal CDF Φ(x), via erfc (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, 9 terms; ~15 significant digits). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let a = c[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Regularised incomplete beta I_x(a, b), by the continued fraction of Numerical Recipes §6.4. */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Student-t CDF with ν degrees of freedom: 1 − ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0, symmetric below. */
export function studentTCdf(t: number, nu: number): number {
  const tail = 0.5 * incompleteBeta(nu / (nu + t * t), nu / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/**
 * Ordinary least squares with an intercept: β (length 1 + p, intercept first) minimising Σ (y − [1, x]·β)², solved
 * from the normal equations by Gaussian elimination with partial pivoting. x is row-major (n, p). A tiny ridge
 * (1e-10 · trace / p) keeps a collinear design solvable.
 */
export function leastSquares(x: ArrayLike<number>, y: ArrayLike<number>, n: number, p: number): Float64Array {
  const d = p + 1;
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    row[0] = 1;
    for (let j = 0; j < p; j++) row[j + 1] = x[i * p + j];
    for (let j = 0; j < d; j++) {
      b[j] += row[j] * y[i];
      for (let k = 0; k < d; k++) a[j * d + k] += row[j] * row[k];
    }
  }
  let trace = 0;
  for (let j = 1; j < d; j++) trace += a[j * d + j];
  for (let j = 1; j < d; j++) a[j * d + j] += (1e-10 * trace) / Math.max(1, p);
  // Gaussian elimination with partial pivoting on [a | b]
  for (let col = 0; col < d; col++) {
    let piv = col;
    for (let r = col + 1; r < d; r++) if (Math.abs(a[r * d + col]) > Math.abs(a[piv * d + col])) piv = r;
    if (a[piv * d + col] === 0) throw new Error(`leastSquares: the ${n}×${d} design matrix is singular`);
    if (piv !== col) {
      for (let k = 0; k < d; k++) [a[col * d + k], a[piv * d + k]] = [a[piv * d + k], a[col * d + k]];
      [b[col], b[piv]] = [b[piv], b[col]];
    }
    for (let r = col + 1; r < d; r++) {
      const f = a[r * d + col] / a[col * d + col];
      if (f === 0) continue;
      for (let k = col; k < d; k++) a[r * d + k] -= f * a[col * d + k];
      b[r] -= f * b[col];
    }
  }
  const beta = new Float64Array(d);
  for (let r = d - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < d; k++) s -= a[r * d + k] * beta[k];
    beta[r] = s / a[r * d + r];
  }
  return beta;
}
