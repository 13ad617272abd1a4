// Metrics of a probability-of-default model and the data of its charts. Everywhere: pd[i] is the predicted
// probability that application i goes bad, y[i] is 1 for bad and 0 for good; "positive" means bad.
// Formulas (B bads, G goods, N = B + G):
//   ROC AUC  P(pd of a random bad > pd of a random good), ties counted ½ — the Mann–Whitney form
//            (R_B − B(B + 1)/2) / (B·G) with R_B the sum of the bads' ranks (ties get their average rank).
//   Gini     2·AUC − 1 (accuracy ratio).
//   KS       max over cut-offs t of |F_bad(t) − F_good(t)|, F the share of the class with pd ≥ t
//            (Kolmogorov–Smirnov distance between the two classes' score distributions).
//   PR AUC   average precision Σ_k (R_k − R_{k−1})·P_k over the distinct cut-offs from the highest pd down, with
//            precision P_k and recall R_k of "declare bad when pd ≥ t_k" (scikit-learn's average_precision_score).
//   Brier    (1/N) Σ (pd − y)².
//   Log loss −(1/N) Σ [y ln pd + (1 − y) ln(1 − pd)], pd clipped to [1e−15, 1 − 1e−15].
//   ECE      Σ_b (n_b / N)·|bad rate_b − mean pd_b| over M equal-width pd bins [b/M, (b+1)/M) (the last one
//            closed); M = 10 unless stated.
// AUC, PR AUC and the ROC / KS counts come from lib/metrics/classification (shared with fraud), which states the tie
// handling: tied PDs share their mean rank and enter every cut-off together.

import * as binary from '../metrics/classification';
import { mean, sampleStd } from '../metrics/moments';

export type { RocPoint } from '../metrics/classification';

export const ECE_BINS = 10;

function check(pd: ArrayLike<number>, y: ArrayLike<number>, op: string): void {
  if (pd.length !== y.length) throw new Error(`${op}: ${pd.length} predictions for ${y.length} labels`);
  for (let i = 0; i < y.length; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new Error(`${op}: label ${i} is ${y[i]}, not 0 or 1`);
    if (!Number.isFinite(pd[i])) throw new Error(`${op}: prediction ${i} is ${pd[i]}`);
  }
}

/** ROC AUC (NaN when one class is absent). */
export function rocAuc(pd: ArrayLike<number>, y: ArrayLike<number>): number {
  check(pd, y, 'rocAuc');
  return binary.rocAuc(pd, y) ?? Number.NaN;
}

export function gini(pd: ArrayLike<number>, y: ArrayLike<number>): number {
  return 2 * rocAuc(pd, y) - 1;
}

/** KS statistic and the cut-off where it is reached. */
export function ksStatistic(pd: ArrayLike<number>, y: ArrayLike<number>): { ks: number; cutoff: number } {
  check(pd, y, 'ks');
  const c = binary.countsByThreshold(pd, y);
  if (c.positives === 0 || c.negatives === 0) return { ks: Number.NaN, cutoff: Number.NaN };
  let best = 0;
  let cutoff = c.thresholds[0];
  for (let k = 0; k < c.thresholds.length; k++) {
    const d = Math.abs(c.tp[k] / c.positives - c.fp[k] / c.negatives);
    if (d > best) {
      best = d;
      cutoff = c.thresholds[k];
    }
  }
  return { ks: best, cutoff };
}

export function ks(pd: ArrayLike<number>, y: ArrayLike<number>): number {
  return ksStatistic(pd, y).ks;
}

/** Average precision (PR AUC); NaN without bads. */
export function averagePrecision(pd: ArrayLike<number>, y: ArrayLike<number>): number {
  check(pd, y, 'averagePrecision');
  return binary.averagePrecision(pd, y) ?? Number.NaN;
}

export function brier(pd: ArrayLike<number>, y: ArrayLike<number>): number {
  check(pd, y, 'brier');
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (pd[i] - y[i]) ** 2;
  return s / y.length;
}

const EPS = 1e-15;

export function logLoss(pd: ArrayLike<number>, y: ArrayLike<number>): number {
  check(pd, y, 'logLoss');
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const p = Math.min(1 - EPS, Math.max(EPS, pd[i]));
    s -= y[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return s / y.length;
}

export type ReliabilityBin = {
  lo: number;
  hi: number;
  count: number;
  /** mean predicted PD in the bin (null when empty) */
  meanPd: number | null;
  /** observed share of bads in the bin (null when empty) */
  badRate: number | null;
};

/** Equal-width bins of pd with their mean prediction and observed bad rate (the reliability diagram). */
export function reliabilityBins(pd: ArrayLike<number>, y: ArrayLike<number>, bins = ECE_BINS): ReliabilityBin[] {
  check(pd, y, 'reliabilityBins');
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  for (let i = 0; i < y.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(pd[i] * bins)));
    count[b]++;
    sumP[b] += pd[i];
    sumY[b] += y[i];
  }
  return count.map((n, b) => ({
    lo: b / bins,
    hi: (b + 1) / bins,
    count: n,
    meanPd: n > 0 ? sumP[b] / n : null,
    badRate: n > 0 ? sumY[b] / n : null,
  }));
}

/** Expected calibration error over `bins` equal-width bins (default 10). */
export function expectedCalibrationError(pd: ArrayLike<number>, y: ArrayLike<number>, bins = ECE_BINS): number {
  let e = 0;
  for (const b of reliabilityBins(pd, y, bins)) {
    if (b.count > 0) e += (b.count / y.length) * Math.abs((b.badRate as number) - (b.meanPd as number));
  }
  return e;
}

export type ClassMetrics = {
  n: number;
  bads: number;
  auc: number;
  gini: number;
  ks: number;
  prAuc: number;
  brier: number;
  logLoss: number;
  /** with ECE_BINS equal-width bins */
  ece: number;
};

export const METRIC_NAMES = ['auc', 'gini', 'ks', 'prAuc', 'brier', 'logLoss', 'ece'] as const;
export type MetricName = (typeof METRIC_NAMES)[number];

export function classMetrics(pd: ArrayLike<number>, y: ArrayLike<number>): ClassMetrics {
  const auc = rocAuc(pd, y);
  return {
    n: y.length,
    bads: binary.classCounts(y).positives,
    auc,
    gini: 2 * auc - 1,
    ks: ks(pd, y),
    prAuc: averagePrecision(pd, y),
    brier: brier(pd, y),
    logLoss: logLoss(pd, y),
    ece: expectedCalibrationError(pd, y),
  };
}

/** Mean and sample standard deviation (n − 1; 0 for one value) of the finite values. */
export type Spread = { mean: number; std: number; min: number; max: number; n: number };

export function spread(values: readonly number[]): Spread {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, min: Number.NaN, max: Number.NaN, n: 0 };
  return { mean: mean(xs), std: sampleStd(xs), min: Math.min(...xs), max: Math.max(...xs), n };
}

export function summarise(rows: readonly ClassMetrics[]): Record<MetricName, Spread> {
  return Object.fromEntries(METRIC_NAMES.map((m) => [m, spread(rows.map((r) => r[m]))])) as Record<MetricName, Spread>;
}

// ---- chart data -------------------------------------------------------------------------------------------------

/**
 * ROC curve: for each distinct cut-off t (declare bad when pd ≥ t), from the highest down, the false-positive rate
 * (goods declared bad / G) and true-positive rate (bads declared bad / B); starts at (0, 0) with threshold null.
 */
export function rocCurve(pd: ArrayLike<number>, y: ArrayLike<number>, maxPoints = 101): binary.RocPoint[] {
  check(pd, y, 'rocCurve');
  return binary.rocCurve(pd, y, maxPoints);
}

export type KsPoint = {
  /** share of all applications with pd ≥ threshold */
  share: number;
  threshold: number | null;
  /** share of bads with pd ≥ threshold */
  cumBad: number;
  /** share of goods with pd ≥ threshold */
  cumGood: number;
};

/** The KS chart: cumulative shares of bads and goods, riskiest first; the KS is the largest vertical gap. */
export function ksCurve(pd: ArrayLike<number>, y: ArrayLike<number>, maxPoints = 101): KsPoint[] {
  check(pd, y, 'ksCurve');
  const c = binary.countsByThreshold(pd, y);
  const points: KsPoint[] = [{ share: 0, threshold: null, cumBad: 0, cumGood: 0 }];
  for (let k = 0; k < c.thresholds.length; k++) {
    points.push({
      share: (c.tp[k] + c.fp[k]) / pd.length,
      threshold: c.thresholds[k],
      cumBad: c.positives ? c.tp[k] / c.positives : 0,
      cumGood: c.negatives ? c.fp[k] / c.negatives : 0,
    });
  }
  return binary.thinPoints(points, maxPoints);
}

export type HistogramBin = { lo: number; hi: number; good: number; bad: number };

/** Histogram of values (PD or score) per class over `bins` equal-width bins of [lo, hi] (default the data range). */
export function classHistogram(
  values: ArrayLike<number>,
  y: ArrayLike<number>,
  bins = 20,
  range?: { lo: number; hi: number },
): HistogramBin[] {
  check(values, y, 'classHistogram');
  let lo = range?.lo ?? Number.POSITIVE_INFINITY;
  let hi = range?.hi ?? Number.NEGATIVE_INFINITY;
  if (!range) {
    for (let i = 0; i < values.length; i++) {
      lo = Math.min(lo, values[i]);
      hi = Math.max(hi, values[i]);
    }
  }
  if (!(hi > lo)) hi = lo + 1;
  const width = (hi - lo) / bins;
  const out: HistogramBin[] = Array.from({ length: bins }, (_, b) => ({
    lo: lo + b * width,
    hi: lo + (b + 1) * width,
    good: 0,
    bad: 0,
  }));
  for (let i = 0; i < values.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor((values[i] - lo) / width)));
    if (y[i] === 1) out[b].bad++;
    else out[b].good++;
  }
  return out;
}

export type ConfusionMatrix = {
  /** decline when pd ≥ cutoff */
  cutoff: number;
  /** bads declined (true positives) */
  badDeclined: number;
  /** goods declined (false positives) */
  goodDeclined: number;
  /** goods approved (true negatives) */
  goodApproved: number;
  /** bads approved (false negatives) */
  badApproved: number;
  approvalRate: number;
  /** share of bads among approved applications (NaN when none is approved) */
  badRateApproved: number;
};

export function confusionAt(pd: ArrayLike<number>, y: ArrayLike<number>, cutoff: number): ConfusionMatrix {
  check(pd, y, 'confusionAt');
  let badDeclined = 0;
  let goodDeclined = 0;
  let goodApproved = 0;
  let badApproved = 0;
  for (let i = 0; i < y.length; i++) {
    const declined = pd[i] >= cutoff;
    if (y[i] === 1) declined ? badDeclined++ : badApproved++;
    else declined ? goodDeclined++ : goodApproved++;
  }
  const approved = goodApproved + badApproved;
  return {
    cutoff,
    badDeclined,
    goodDeclined,
    goodApproved,
    badApproved,
    approvalRate: approved / y.length,
    badRateApproved: approved > 0 ? badApproved / approved : Number.NaN,
  };
}
