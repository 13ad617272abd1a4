// Forecast accuracy metrics of one model on its out-of-sample test points. Notation, per test point i (decision at
// the close of day t, horizon h):
//   P_t        the (adjusted) close at decision time            A_i = P_{t+h}  the realised price
//   y_i        realised log return ln(P_{t+h} / P_t)             ŷ_i  predicted log return (the P50 / point forecast)
//   F_i        price forecast P_t · exp(ŷ_i)                     [l_i, u_i]  predicted P10 and P90 of the log return
//
//   RMSE = √( Σ (F_i − A_i)² / n )                  MAE  = Σ |F_i − A_i| / n            (price units)
//   MAPE = 100 · Σ |F_i − A_i| / A_i / n            (percent)
//   MASE = MAE / MAE_naive, MAE_naive = Σ |P_t − A_i| / n: the MAE of the naive "no change" forecast on the same
//          points (Hyndman & Koehler 2006 scale by the naive forecast's error; here measured out of sample, so the
//          naive baseline scores exactly 1 and < 1 beats it)
//   Directional accuracy = #{sign ŷ_i = sign y_i} / #{ŷ_i ≠ 0 and y_i ≠ 0}: points where either is exactly zero are
//          left out, so a model that never predicts a direction (the naive baseline) has none (null)
//   IC   = Spearman rank correlation of ŷ and y (ties get average ranks; null when either is constant)
//   Coverage = #{l_i ≤ y_i ≤ u_i} / n, nominally 80 % for a P10–P90 interval; width = mean (u_i − l_i)
//   Diebold–Mariano vs naive (Diebold & Mariano 1995, with Harvey, Leybourne & Newbold's 1997 small-sample fix):
//          d_i = (y_i − ŷ_i)² − y_i² (squared-error loss of the model minus that of the naive zero forecast),
//          V = γ_0 + 2 Σ_{k=1}^{h−1} γ_k (autocovariances of d: h-step errors overlap, so they are MA(h−1)),
//          DM = d̄ / √(V / n), DM* = DM · √((n + 1 − 2h + h(h − 1)/n) / n), p = 2 · (1 − T_{n−1}(|DM*|)).
//          DM* < 0 means the model's squared errors are smaller than naive's. When V ≤ 0 only γ_0 is used.

import { mean, spearman, studentTCdf } from './stats';

export interface ForecastPointSet {
  /** P_t, the close at each decision time */
  basePrice: ArrayLike<number>;
  /** y, realised log return over the horizon */
  actualReturn: ArrayLike<number>;
  /** ŷ, predicted log return (point forecast) */
  predReturn: ArrayLike<number>;
  /** predicted P10 / P90 of the log return, when the model gives an interval */
  lower?: ArrayLike<number> | null;
  upper?: ArrayLike<number> | null;
  /** forecast horizon h in days (sets the Diebold–Mariano autocovariance lags) */
  horizon: number;
}

export interface ForecastMetrics {
  n: number;
  rmse: number;
  mae: number;
  mape: number;
  mase: number | null;
  directionalAccuracy: number | null;
  /** test points that counted for directional accuracy (for its standard error √(p(1−p)/n)) */
  directionalCount: number;
  ic: number | null;
  coverage: number | null;
  intervalWidth: number | null;
  dmStat: number | null;
  dmPValue: number | null;
}

export function forecastMetrics(s: ForecastPointSet): ForecastMetrics {
  const n = s.actualReturn.length;
  if (n === 0) throw new Error('forecastMetrics: no test points');
  for (const [name, arr] of [
    ['basePrice', s.basePrice],
    ['predReturn', s.predReturn],
  ] as const) {
    if (arr.length !== n) throw new Error(`forecastMetrics: ${name} has ${arr.length} values for ${n} test points`);
  }
  let se = 0;
  let ae = 0;
  let ape = 0;
  let naiveAe = 0;
  let dirHit = 0;
  let dirCount = 0;
  for (let i = 0; i < n; i++) {
    const p = s.basePrice[i];
    const y = s.actualReturn[i];
    const yh = s.predReturn[i];
    const a = p * Math.exp(y);
    const f = p * Math.exp(yh);
    se += (f - a) ** 2;
    ae += Math.abs(f - a);
    ape += Math.abs(f - a) / a;
    naiveAe += Math.abs(p - a);
    if (yh !== 0 && y !== 0) {
      dirCount++;
      if (Math.sign(yh) === Math.sign(y)) dirHit++;
    }
  }
  const mae = ae / n;
  let coverage: number | null = null;
  let intervalWidth: number | null = null;
  if (s.lower && s.upper) {
    let inside = 0;
    let width = 0;
    for (let i = 0; i < n; i++) {
      const y = s.actualReturn[i];
      if (s.lower[i] <= y && y <= s.upper[i]) inside++;
      width += s.upper[i] - s.lower[i];
    }
    coverage = inside / n;
    intervalWidth = width / n;
  }
  const dm = dieboldMariano(s.actualReturn, s.predReturn, s.horizon);
  return {
    n,
    rmse: Math.sqrt(se / n),
    mae,
    mape: (100 * ape) / n,
    mase: naiveAe > 0 ? mae / (naiveAe / n) : null,
    directionalAccuracy: dirCount > 0 ? dirHit / dirCount : null,
    directionalCount: dirCount,
    ic: spearman(s.predReturn, s.actualReturn),
    coverage,
    intervalWidth,
    dmStat: dm?.stat ?? null,
    dmPValue: dm?.pValue ?? null,
  };
}

/**
 * Diebold–Mariano test of the model's squared errors against the naive zero-return forecast's (formula at the top
 * of this file). null when the loss differential is identically zero (the model is naive) or n < 3.
 */
export function dieboldMariano(
  actual: ArrayLike<number>,
  pred: ArrayLike<number>,
  horizon: number,
): { stat: number; pValue: number } | null {
  const n = actual.length;
  if (n < 3) return null;
  const d = new Float64Array(n);
  let allZero = true;
  for (let i = 0; i < n; i++) {
    d[i] = (actual[i] - pred[i]) ** 2 - actual[i] ** 2;
    if (d[i] !== 0) allZero = false;
  }
  if (allZero) return null;
  const dBar = mean(d);
  const gamma = (k: number): number => {
    let s = 0;
    for (let i = k; i < n; i++) s += (d[i] - dBar) * (d[i - k] - dBar);
    return s / n;
  };
  const g0 = gamma(0);
  let v = g0;
  for (let k = 1; k < horizon && k < n; k++) v += 2 * gamma(k);
  if (!(v > 0)) v = g0;
  if (!(v > 0)) return null;
  const h = horizon;
  const dm = dBar / Math.sqrt(v / n);
  const correction = Math.sqrt(Math.max(0, (n + 1 - 2 * h + (h * (h - 1)) / n) / n));
  const stat = dm * correction;
  const pValue = 2 * (1 - studentTCdf(Math.abs(stat), n - 1));
  return { stat, pValue: Math.min(1, Math.max(0, pValue)) };
}
