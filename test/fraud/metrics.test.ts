// Fraud metrics against hand-worked examples: card precision@k (with and without removing detected cards),
// precision@k, ROC AUC and average precision with ties, and the curves' end points.

import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  cardPrecisionAtKPerDay,
  meanStd,
  prCurve,
  precisionAtKPerDay,
  rocAuc,
  rocCurve,
} from '../../lib/fraud/metrics';

function rows(list: [day: number, card: number, score: number, label: number][]) {
  return {
    n: list.length,
    day: list.map((r) => r[0]),
    customer: list.map((r) => r[1]),
    score: list.map((r) => r[2]),
    label: list.map((r) => r[3]),
  };
}

describe('cardPrecisionAtKPerDay', () => {
  // Day 0: card A (id 1) has a fraud at 0.9 and a genuine at 0.2 → max score 0.9, compromised;
  //        card B (2) genuine at 0.8; card C (3) fraud at 0.3.
  //        Top 2 cards: A, B → 1 compromised / 2 = 0.5; A is detected (and blocked).
  // Day 1: card A genuine at 0.95 (removed: detected yesterday); C fraud at 0.7; E (5) fraud at 0.65; D (4) at 0.6.
  //        Top 2 of C, E, D: C, E → 2 / 2 = 1.0.  Mean = 0.75.
  //        Without removal the top 2 are A (0.95, genuine today) and C → 0.5, mean 0.5.
  const example = rows([
    [0, 1, 0.9, 1],
    [0, 1, 0.2, 0],
    [0, 2, 0.8, 0],
    [0, 3, 0.3, 1],
    [1, 1, 0.95, 0],
    [1, 3, 0.7, 1],
    [1, 5, 0.65, 1],
    [1, 4, 0.6, 0],
  ]);

  it('matches the hand-worked example (Handbook definition, detected cards removed)', () => {
    const r = cardPrecisionAtKPerDay(example, 2);
    expect(r.perDay).toEqual([
      { day: 0, value: 0.5, compromisedCards: 2, detectedCards: 1 },
      { day: 1, value: 1, compromisedCards: 2, detectedCards: 2 },
    ]);
    expect(r.mean).toBe(0.75);
  });

  it('keeps detected cards when asked', () => {
    const r = cardPrecisionAtKPerDay(example, 2, { removeDetectedCards: false });
    expect(r.perDay.map((d) => d.value)).toEqual([0.5, 0.5]);
    expect(r.mean).toBe(0.5);
  });

  it('divides by k even when a day has fewer cards, and breaks score ties by card id', () => {
    const r = cardPrecisionAtKPerDay(
      rows([
        [0, 7, 0.5, 1],
        [0, 3, 0.5, 0],
      ]),
      1,
    );
    expect(r.perDay[0].value).toBe(0); // card 3 wins the tie and is genuine
    expect(cardPrecisionAtKPerDay(rows([[0, 7, 0.5, 1]]), 4).mean).toBe(0.25);
  });
});

describe('precisionAtKPerDay', () => {
  it('counts frauds among each day’s top-k transactions', () => {
    const r = precisionAtKPerDay(
      rows([
        [0, 1, 0.9, 1],
        [0, 1, 0.8, 1],
        [0, 2, 0.7, 0],
        [3, 3, 0.1, 1],
        [3, 4, 0.2, 0],
      ]),
      2,
    );
    expect(r.perDay).toEqual([
      { day: 0, value: 1 },
      { day: 3, value: 0.5 },
    ]);
    expect(r.mean).toBe(0.75);
  });
});

describe('rocAuc and averagePrecision', () => {
  // scikit-learn's documented example: roc_auc_score → 0.75, average_precision_score → 0.8333…
  const y = [0, 0, 1, 1];
  const s = [0.1, 0.4, 0.35, 0.8];

  it('match scikit-learn on its example', () => {
    expect(rocAuc(s, y)).toBe(0.75);
    expect(averagePrecision(s, y)).toBeCloseTo(0.8333333, 6);
  });

  it('count ties as half and enter them together', () => {
    // all scores equal: AUC ½, AP = prevalence
    expect(rocAuc([1, 1, 1, 1], [0, 1, 0, 0])).toBe(0.5);
    expect(averagePrecision([1, 1, 1, 1], [0, 1, 0, 0])).toBe(0.25);
    // fraud/genuine pairs: 0.9>0.5, 0.9>0.1, 0.5=0.5 (½), 0.5>0.1 → 3.5 / 4
    expect(rocAuc([0.9, 0.5, 0.5, 0.1], [1, 1, 0, 0])).toBe(0.875);
  });

  it('are null when a class is missing', () => {
    expect(rocAuc([0.1, 0.2], [0, 0])).toBeNull();
    expect(averagePrecision([0.1, 0.2], [0, 0])).toBeNull();
  });

  it('give curves from (0, 0) to (1, 1) and down to full recall', () => {
    const roc = rocCurve(s, y);
    expect(roc[0]).toMatchObject({ fpr: 0, tpr: 0 });
    expect(roc[roc.length - 1]).toMatchObject({ fpr: 1, tpr: 1 });
    const pr = prCurve(s, y);
    expect(pr[0]).toMatchObject({ recall: 0.5, precision: 1 });
    expect(pr[pr.length - 1]).toMatchObject({ recall: 1, precision: 0.5 });
    const many = Array.from({ length: 1000 }, (_, i) => i);
    expect(
      rocCurve(
        many,
        many.map((i) => i % 2),
        50,
      ),
    ).toHaveLength(50);
  });
});

describe('meanStd', () => {
  it('uses the sample standard deviation and skips nulls', () => {
    expect(meanStd([1, 3, null])).toEqual({ mean: 2, std: Math.SQRT2, n: 2 });
    expect(meanStd([null])).toEqual({ mean: null, std: null, n: 0 });
  });
});
