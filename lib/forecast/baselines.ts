// Baseline forecasters of the h-day log return y_t = ln(C_{t+h} / C_t), each fitted on one fold's training samples
// only and run beside every model:
//   naive   ŷ_t = 0 (tomorrow's price is today's; the random-walk forecast)
//   drift   ŷ_t = mean of y over the training samples (the average h-day move so far)
//   ar      ŷ_t = c + Σ_{j=1..p} φ_j · r_{t−j+1}: direct h-step AR(p) on the last p daily log returns, c and φ by
//           ordinary least squares on the training samples
//   ma      ŷ_t = ln(SMA_m(C)_t / C_t): the moving-average price forecast (the next price is the mean of the last m)
// Each also gives a P10–P90 interval: ŷ plus the 10th and 90th percentiles of its residuals y − ŷ on the training
// samples (in-sample residuals, so the interval of a fitted baseline is slightly optimistic).

import { leastSquares, quantile } from './stats';

export const BASELINE_IDS = ['naive', 'drift', 'ar', 'ma'] as const;
export type BaselineId = (typeof BASELINE_IDS)[number];

export interface BaselineConfig {
  /** AR order p (default 5) */
  arOrder: number;
  /** moving-average window m in days (default 20) */
  maWindow: number;
}

export const DEFAULT_BASELINES: BaselineConfig = { arOrder: 5, maWindow: 20 };

export const BASELINE_LABELS: Record<BaselineId, string> = {
  naive: 'Naive (no change)',
  drift: 'Drift',
  ar: 'AR(p)',
  ma: 'Moving average',
};

/** The series and one fold's sample ranges (decision days; inclusive train, exclusive test end). */
export interface BaselineFold {
  close: ArrayLike<number>;
  /** daily log returns r_t = ln(C_t / C_{t−1}), NaN at t = 0 */
  returns: ArrayLike<number>;
  /** the target y_t (NaN where unknown) */
  target: ArrayLike<number>;
  trainStart: number;
  trainEnd: number;
  testStart: number;
  testEnd: number;
}

export interface IntervalForecast {
  /** point forecast ŷ per test sample */
  pred: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
}

/** Runs one baseline on one fold. */
export function baselineForecast(id: BaselineId, fold: BaselineFold, cfg: BaselineConfig): IntervalForecast {
  const predictor = fitBaseline(id, fold, cfg);
  const { trainStart, trainEnd, testStart, testEnd, target } = fold;
  const residuals: number[] = [];
  for (let t = trainStart; t <= trainEnd; t++) {
    const p = predictor(t);
    if (Number.isFinite(p) && Number.isFinite(target[t])) residuals.push(target[t] - p);
  }
  if (residuals.length < 2) {
    throw new Error(
      `baseline ${id}: fewer than 2 training samples with a defined forecast (train ${trainStart}…${trainEnd})`,
    );
  }
  const q10 = quantile(residuals, 0.1);
  const q90 = quantile(residuals, 0.9);
  const n = testEnd - testStart;
  const out: IntervalForecast = { pred: new Float64Array(n), lower: new Float64Array(n), upper: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    const p = predictor(testStart + i);
    if (!Number.isFinite(p)) throw new Error(`baseline ${id}: no forecast for test day ${testStart + i}`);
    out.pred[i] = p;
    out.lower[i] = p + q10;
    out.upper[i] = p + q90;
  }
  return out;
}

/** The fitted forecaster as a function of the decision day t (uses data ≤ t only). */
function fitBaseline(id: BaselineId, fold: BaselineFold, cfg: BaselineConfig): (t: number) => number {
  const { trainStart, trainEnd, target, returns, close } = fold;
  switch (id) {
    case 'naive':
      return () => 0;
    case 'drift': {
      let s = 0;
      let k = 0;
      for (let t = trainStart; t <= trainEnd; t++) {
        if (Number.isFinite(target[t])) {
          s += target[t];
          k++;
        }
      }
      const drift = k > 0 ? s / k : 0;
      return () => drift;
    }
    case 'ar': {
      const p = cfg.arOrder;
      const rows: number[] = [];
      const x: number[] = [];
      const y: number[] = [];
      for (let t = Math.max(trainStart, p); t <= trainEnd; t++) {
        if (!Number.isFinite(target[t])) continue;
        rows.push(t);
        for (let j = 0; j < p; j++) x.push(returns[t - j]);
        y.push(target[t]);
      }
      if (rows.length < p + 2) {
        throw new Error(`baseline AR(${p}): needs more than ${p + 1} training samples, has ${rows.length}`);
      }
      const beta = leastSquares(x, y, rows.length, p);
      return (t) => {
        if (t - p + 1 < 1) return Number.NaN;
        let v = beta[0];
        for (let j = 0; j < p; j++) v += beta[j + 1] * returns[t - j];
        return v;
      };
    }
    case 'ma': {
      const m = cfg.maWindow;
      return (t) => {
        if (t - m + 1 < 0) return Number.NaN;
        let s = 0;
        for (let i = t - m + 1; i <= t; i++) s += close[i];
        return Math.log(s / m / close[t]);
      };
    }
  }
}
