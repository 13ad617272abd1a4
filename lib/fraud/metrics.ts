// Fraud-detection metrics and their chart data: ROC AUC, average precision, precision@k and card precision@k per day
// (Fraud Detection Handbook ch. 4), ROC and precision-recall curves. Scores are any real numbers (higher = more
// suspicious); labels are 0/1. Ties between scores are handled as stated per function, never by input order.

/** ROC AUC = P(s⁺ > s⁻) + ½·P(s⁺ = s⁻) over all fraud/genuine pairs, i.e. the Mann–Whitney U statistic divided by
 * n₁·n₀, computed from average ranks (ties share their mean rank). Null when either class is absent. */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = scores.length;
  let n1 = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) n1++;
  const n0 = n - n1;
  if (n1 === 0 || n0 === 0) return null;
  const order = sortedIndices(scores, 'asc');
  let rankSumPos = 0;
  for (let a = 0; a < n; ) {
    let b = a;
    while (b + 1 < n && scores[order[b + 1]] === scores[order[a]]) b++;
    const avgRank = (a + b) / 2 + 1; // ranks are 1-based
    for (let j = a; j <= b; j++) if (labels[order[j]] === 1) rankSumPos += avgRank;
    a = b + 1;
  }
  return (rankSumPos - (n1 * (n1 + 1)) / 2) / (n1 * n0);
}

/**
 * Average precision AP = Σₙ (Rₙ − Rₙ₋₁)·Pₙ over the distinct score thresholds in decreasing order, where Pₙ and Rₙ
 * are precision and recall when flagging every score ≥ the n-th threshold (scikit-learn's average_precision_score:
 * a step-wise area, no interpolation; tied scores enter together). Null without any fraud.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  const n = scores.length;
  let pos = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) pos++;
  if (pos === 0) return null;
  const order = sortedIndices(scores, 'desc');
  let tp = 0;
  let fp = 0;
  let prevRecall = 0;
  let ap = 0;
  for (let a = 0; a < n; ) {
    let b = a;
    while (b + 1 < n && scores[order[b + 1]] === scores[order[a]]) b++;
    for (let j = a; j <= b; j++) {
      if (labels[order[j]] === 1) tp++;
      else fp++;
    }
    const recall = tp / pos;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
    a = b + 1;
  }
  return ap;
}

export type RocPoint = { fpr: number; tpr: number; threshold: number };
export type PrPoint = { recall: number; precision: number; threshold: number };

/** ROC curve points at the distinct thresholds, thinned to at most maxPoints (first and last always kept). */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>, maxPoints = 200): RocPoint[] {
  const { pos, neg, steps } = thresholdSteps(scores, labels);
  if (pos === 0 || neg === 0) return [];
  const pts: RocPoint[] = [{ fpr: 0, tpr: 0, threshold: Number.POSITIVE_INFINITY }];
  for (const s of steps) pts.push({ fpr: s.fp / neg, tpr: s.tp / pos, threshold: s.threshold });
  return thin(pts, maxPoints).map((p) => ({ ...p, threshold: finiteOr(p.threshold, 1e308) }));
}

/** Precision-recall points at the distinct thresholds (highest first), thinned to at most maxPoints. */
export function prCurve(scores: ArrayLike<number>, labels: ArrayLike<number>, maxPoints = 200): PrPoint[] {
  const { pos, steps } = thresholdSteps(scores, labels);
  if (pos === 0) return [];
  const pts = steps.map((s) => ({ recall: s.tp / pos, precision: s.tp / (s.tp + s.fp), threshold: s.threshold }));
  return thin(pts, maxPoints);
}

function finiteOr(v: number, big: number): number {
  return Number.isFinite(v) ? v : big;
}

function thresholdSteps(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
): { pos: number; neg: number; steps: { tp: number; fp: number; threshold: number }[] } {
  const n = scores.length;
  const order = sortedIndices(scores, 'desc');
  let pos = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) pos++;
  const steps: { tp: number; fp: number; threshold: number }[] = [];
  let tp = 0;
  let fp = 0;
  for (let a = 0; a < n; ) {
    let b = a;
    while (b + 1 < n && scores[order[b + 1]] === scores[order[a]]) b++;
    for (let j = a; j <= b; j++) {
      if (labels[order[j]] === 1) tp++;
      else fp++;
    }
    steps.push({ tp, fp, threshold: scores[order[a]] });
    a = b + 1;
  }
  return { pos, neg: n - pos, steps };
}

function thin<T>(pts: T[], maxPoints: number): T[] {
  if (pts.length <= maxPoints) return pts;
  const out: T[] = [];
  const stride = (pts.length - 1) / (maxPoints - 1);
  for (let i = 0; i < maxPoints; i++) out.push(pts[Math.round(i * stride)]);
  return out;
}

function sortedIndices(scores: ArrayLike<number>, dir: 'asc' | 'desc'): Int32Array {
  const order = new Int32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  const sign = dir === 'asc' ? 1 : -1;
  order.sort((a, b) => sign * (scores[a] - scores[b]) || a - b);
  return order;
}

/** Scored transactions of an evaluation period. */
export type ScoredTransactions = {
  n: number;
  day: ArrayLike<number>;
  /** the card (customer) id; null entries or −1 when unknown */
  customer: ArrayLike<number>;
  score: ArrayLike<number>;
  label: ArrayLike<number>;
};

export type DailyValue = { day: number; value: number };

/**
 * Precision@k per day (Handbook 4.3.1): each day, the k transactions with the highest scores are the day's alerts;
 * the day's value is the number of frauds among them divided by k (also when the day has fewer than k
 * transactions). Ties: lower row index first. mean is the average over days; null without days.
 */
export function precisionAtKPerDay(rows: ScoredTransactions, k: number): { perDay: DailyValue[]; mean: number | null } {
  checkK(k);
  const byDay = groupByDay(rows);
  const perDay: DailyValue[] = [];
  for (const [day, idx] of byDay) {
    idx.sort((a, b) => rows.score[b] - rows.score[a] || a - b);
    let hits = 0;
    for (let j = 0; j < Math.min(k, idx.length); j++) if (rows.label[idx[j]] === 1) hits++;
    perDay.push({ day, value: hits / k });
  }
  return { perDay, mean: meanOf(perDay) };
}

export type CardPrecisionDay = DailyValue & {
  /** cards with at least one fraud that day, among those not detected on earlier days */
  compromisedCards: number;
  /** compromised cards among the day's top k */
  detectedCards: number;
};

/**
 * Card precision@k per day (Handbook 4.3.2, card_precision_top_k): each day, after removing the cards detected on
 * earlier days, every card gets the maximum score and the maximum label of its transactions that day; the k cards
 * with the highest scores are the day's alerts, and the day's value is the number of compromised cards among them
 * divided by k. Detected cards are removed from the following days (an investigator blocks the card). Ties: lower
 * card id first. Rows without a card are ignored. The Handbook's default and this code's default budget is k = 100.
 */
export function cardPrecisionAtKPerDay(
  rows: ScoredTransactions,
  k = 100,
  opts: { removeDetectedCards?: boolean } = {},
): { perDay: CardPrecisionDay[]; mean: number | null } {
  checkK(k);
  const remove = opts.removeDetectedCards ?? true;
  const detected = new Set<number>();
  const perDay: CardPrecisionDay[] = [];
  for (const [day, idx] of groupByDay(rows)) {
    const cards = new Map<number, { score: number; label: number }>();
    for (const i of idx) {
      const c = rows.customer[i];
      if (c === null || c === undefined || c < 0 || detected.has(c)) continue;
      const e = cards.get(c);
      const s = rows.score[i];
      const l = rows.label[i] === 1 ? 1 : 0;
      if (e === undefined) cards.set(c, { score: s, label: l });
      else {
        if (s > e.score) e.score = s;
        if (l > e.label) e.label = l;
      }
    }
    const ranked = [...cards.entries()].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]);
    let compromised = 0;
    for (const [, e] of ranked) compromised += e.label;
    const top = ranked.slice(0, k);
    const hits = top.filter(([, e]) => e.label === 1);
    if (remove) for (const [c] of hits) detected.add(c);
    perDay.push({ day, value: hits.length / k, compromisedCards: compromised, detectedCards: hits.length });
  }
  return { perDay, mean: meanOf(perDay) };
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
}

function groupByDay(rows: ScoredTransactions): [number, number[]][] {
  const m = new Map<number, number[]>();
  for (let i = 0; i < rows.n; i++) {
    const d = rows.day[i];
    let list = m.get(d);
    if (!list) m.set(d, (list = []));
    list.push(i);
  }
  return [...m.entries()].sort((a, b) => a[0] - b[0]);
}

function meanOf(values: { value: number }[]): number | null {
  if (values.length === 0) return null;
  let s = 0;
  for (const v of values) s += v.value;
  return s / values.length;
}

/** Mean and sample standard deviation (n − 1) of the non-null values; std is 0 for one value, null for none. */
export function meanStd(values: readonly (number | null)[]): { mean: number | null; std: number | null; n: number } {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (v.length === 0) return { mean: null, std: null, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  if (v.length === 1) return { mean, std: 0, n: 1 };
  const varS = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1);
  return { mean, std: Math.sqrt(varS), n: v.length };
}

/** Where each metric's formula is documented, for the UI's "how is this computed" notes. */
export const METRIC_DEFINITIONS = {
  auc: 'ROC AUC: probability that a random fraud scores above a random genuine transaction (ties count ½).',
  ap: 'Average precision: Σ (Rₙ − Rₙ₋₁)·Pₙ over score thresholds from high to low (step-wise area under the precision-recall curve).',
  precisionAtK:
    'Precision@k: each day the k highest-scored transactions are alerted; frauds among them ÷ k, averaged over the test days.',
  cardPrecisionAtK:
    'Card precision@k (Fraud Detection Handbook): each day every card takes its highest score; the k highest cards are alerted; compromised cards among them ÷ k, averaged over days; cards detected earlier are removed.',
} as const;
