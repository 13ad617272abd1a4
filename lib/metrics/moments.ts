// Mean and sample standard deviation: the "mean ± std" of every report (over seeds, folds, days). Float64 sums in
// input order, so every caller gets the same digits for the same values.

/** Arithmetic mean Σx / n; NaN for no values. */
export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Sample standard deviation √(Σ (x − mean)² / (n − 1)) (Bessel's divisor n − 1); 0 for fewer than two values. */
export function sampleStd(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
}
