// Fraud-detection metrics and their chart data: ROC AUC, average precision, precision@k and card precision@k per day
// (Fraud Detection Handbook ch. 4), ROC and precision-recall curves. Scores are any real numbers (higher = more
// suspicious); labels are 0/1. Ties between scores are handled as stated per function, never by input order.
// ROC AUC, average precision and the curves are lib/metrics/classification's (shared with credit; formulas there).

import { rocCurve as binaryRocCurve, classCounts } from '../metrics/classification';
import { mean, sampleStd } from '../metrics/moments';

export { averagePrecision, type PrPoint, prCurve, rocAuc } from '../metrics/classification';

/** A ROC point; the starting point (0, 0), where nothing is flagged, has threshold 1e308 (+∞ does not survive JSON). */
export type RocPoint = { fpr: number; tpr: number; threshold: number };

/**
 * ROC curve points at the distinct thresholds, thinned to at most maxPoints (first and last always kept); [] when a
 * class is absent. Non-finite thresholds are stored as 1e308.
 */
export function rocCurve(scores: ArrayLike<number>, labels: ArrayLike<number>, maxPoints = 200): RocPoint[] {
  const { positives, negatives } = classCounts(labels);
  if (positives === 0 || negatives === 0) return [];
  return binaryRocCurve(scores, labels, maxPoints).map((p) => ({
    ...p,
    threshold: p.threshold !== null && Number.isFinite(p.threshold) ? p.threshold : 1e308,
  }));
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
  return values.length === 0 ? null : mean(values.map((v) => v.value));
}

/** Mean and sample standard deviation (n − 1) of the non-null values; std is 0 for one value, null for none. */
export function meanStd(values: readonly (number | null)[]): { mean: number | null; std: number | null; n: number } {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (v.length === 0) return { mean: null, std: null, n: 0 };
  return { mean: mean(v), std: sampleStd(v), n: v.length };
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
