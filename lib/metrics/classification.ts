// Ranking metrics of a binary classifier from its scores, shared by credit (PD) and fraud (suspicion score): ROC AUC,
// average precision, and the ROC and precision-recall curves' points.
//
// Scores are any numbers, higher = more likely positive. A label is positive when it is exactly 1 and negative
// otherwise (callers that need strict 0/1 labels check them first). P positives, N negatives.
// Ties are never broken by input order: tied scores share their mean rank (AUC) and enter every cumulative count
// together, as one threshold (AP and the curves).
//   ROC AUC   P(s⁺ > s⁻) + ½·P(s⁺ = s⁻) over all P·N positive/negative pairs: the Mann–Whitney U divided by P·N,
//             (R₊ − P(P + 1)/2) / (P·N) with R₊ the sum of the positives' 1-based ranks.
//   AP        Σ_k (R_k − R_{k−1})·Prec_k over the distinct thresholds t_k from the highest down, Prec_k and R_k the
//             precision and recall of "flag when score ≥ t_k" (scikit-learn's average_precision_score: a step-wise
//             area, no interpolation).
//   ROC curve (fp/N, tp/P) at each distinct threshold, after a starting point (0, 0).
//   PR curve  (tp/P, tp/(tp + fp)) at each distinct threshold.
// tp and fp count the positives and negatives with score ≥ the threshold.

function checkLengths(scores: ArrayLike<number>, labels: ArrayLike<number>, op: string): void {
  if (scores.length !== labels.length) throw new Error(`${op}: ${scores.length} scores for ${labels.length} labels`);
}

/** Positives (label exactly 1) and negatives (every other label). */
export function classCounts(labels: ArrayLike<number>): { positives: number; negatives: number } {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) positives++;
  return { positives, negatives: labels.length - positives };
}

/**
 * Indices of the scores sorted ascending or descending; equal scores keep index order, so the result never depends
 * on the sort algorithm (for scores without NaN).
 */
export function scoreOrder(scores: ArrayLike<number>, dir: 'asc' | 'desc'): Int32Array {
  const order = new Int32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const sign = dir === 'asc' ? 1 : -1;
  order.sort((a, b) => sign * (scores[a] - scores[b]) || a - b);
  return order;
}

/** The cumulative confusion counts at each distinct threshold, highest threshold first; K distinct scores. */
export type ThresholdCounts = {
  positives: number;
  negatives: number;
  /** the distinct scores, descending; (K) */
  thresholds: Float64Array;
  /** positives with score ≥ thresholds[k]; (K) */
  tp: Int32Array;
  /** negatives with score ≥ thresholds[k]; (K) */
  fp: Int32Array;
};

export function countsByThreshold(scores: ArrayLike<number>, labels: ArrayLike<number>): ThresholdCounts {
  checkLengths(scores, labels, 'countsByThreshold');
  const n = scores.length;
  const order = scoreOrder(scores, 'desc');
  const thresholds = new Float64Array(n);
  const tpAt = new Int32Array(n);
  const fpAt = new Int32Array(n);
  let k = 0;
  let tp = 0;
  let fp = 0;
  for (let a = 0; a < n; ) {
    const threshold = scores[order[a]];
    let b = a + 1; // a NaN score equals nothing, so it is a threshold of its own
    while (b < n && scores[order[b]] === threshold) b++;
    for (let j = a; j < b; j++) {
      if (labels[order[j]] === 1) tp++;
      else fp++;
    }
    thresholds[k] = threshold;
    tpAt[k] = tp;
    fpAt[k] = fp;
    k++;
    a = b;
  }
  return {
    positives: tp,
    negatives: fp,
    thresholds: thresholds.subarray(0, k),
    tp: tpAt.subarray(0, k),
    fp: fpAt.subarray(0, k),
  };
}

/** ROC AUC from mean ranks (formula above); null when either class is absent. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  checkLengths(scores, labels, 'rocAuc');
  const n = scores.length;
  const { positives, negatives } = classCounts(labels);
  if (positives === 0 || negatives === 0) return null;
  const order = scoreOrder(scores, 'asc');
  let rankSumPos = 0;
  for (let a = 0; a < n; ) {
    let b = a;
    while (b + 1 < n && scores[order[b + 1]] === scores[order[a]]) b++;
    const meanRank = (a + b) / 2 + 1; // ranks are 1-based
    for (let j = a; j <= b; j++) if (labels[order[j]] === 1) rankSumPos += meanRank;
    a = b + 1;
  }
  return (rankSumPos - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Average precision (formula above); null without positives. */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const c = countsByThreshold(scores, labels);
  if (c.positives === 0) return null;
  let prevRecall = 0;
  let ap = 0;
  for (let k = 0; k < c.thresholds.length; k++) {
    const recall = c.tp[k] / c.positives;
    ap += (recall - prevRecall) * (c.tp[k] / (c.tp[k] + c.fp[k]));
    prevRecall = recall;
  }
  return ap;
}

/** A ROC point; threshold null for the starting point (0, 0), where nothing is flagged. */
export type RocPoint = { fpr: number; tpr: number; threshold: number | null };
export type PrPoint = { recall: number; precision: number; threshold: number };

/** Keeps at most maxPoints (≥ 2) points, evenly spaced by index, always with the first and the last. */
export function thinPoints<T>(points: T[], maxPoints: number): T[] {
  if (points.length <= maxPoints) return points;
  const out: T[] = [];
  const stride = (points.length - 1) / (maxPoints - 1);
  for (let i = 0; i < maxPoints; i++) out.push(points[Math.round(i * stride)]);
  return out;
}

/**
 * ROC curve: (0, 0), then one point per distinct threshold from the highest down, thinned to at most maxPoints.
 * A rate whose class is absent is 0.
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>, maxPoints = 200): RocPoint[] {
  const c = countsByThreshold(scores, labels);
  const points: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: null }];
  for (let k = 0; k < c.thresholds.length; k++) {
    points.push({
      fpr: c.negatives ? c.fp[k] / c.negatives : 0,
      tpr: c.positives ? c.tp[k] / c.positives : 0,
      threshold: c.thresholds[k],
    });
  }
  return thinPoints(points, maxPoints);
}

/** Precision-recall points at the distinct thresholds, highest first, thinned to at most maxPoints; [] without positives. */
export function prCurve(scores: ArrayLike<number>, labels: ArrayLike<number>, maxPoints = 200): PrPoint[] {
  const c = countsByThreshold(scores, labels);
  if (c.positives === 0) return [];
  const points: PrPoint[] = [];
  for (let k = 0; k < c.thresholds.length; k++) {
    points.push({
      recall: c.tp[k] / c.positives,
      precision: c.tp[k] / (c.tp[k] + c.fp[k]),
      threshold: c.thresholds[k],
    });
  }
  return thinPoints(points, maxPoints);
}
