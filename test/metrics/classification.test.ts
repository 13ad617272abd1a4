// The shared ranking metrics against values worked out by hand: ties, a missing class, labels other than 0/1, the
// curves' points and their thinning. Exact values are compared to 1e-12 (float64 rounding only).

import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  classCounts,
  countsByThreshold,
  prCurve,
  rocAuc,
  rocCurve,
  scoreOrder,
  thinPoints,
} from '@/lib/metrics/classification';

// Seven cases, P = 3 positives and N = 4 negatives, with ties at 0.8 (one of each class) and at 0.6 (one positive,
// two negatives). Cut-offs from the top: 0.9 → tp 1, fp 0; 0.8 → 2, 1; 0.6 → 3, 3; 0.2 → 3, 4.
const scores = [0.9, 0.8, 0.8, 0.6, 0.6, 0.6, 0.2];
const labels = [1, 0, 1, 1, 0, 0, 0];

/** The same cases in another order: no result may depend on it. */
const perm = [4, 6, 1, 0, 5, 2, 3];
const scoresShuffled = perm.map((i) => scores[i]);
const labelsShuffled = perm.map((i) => labels[i]);

describe('countsByThreshold', () => {
  it('gives cumulative tp and fp per distinct score, tied scores entering together', () => {
    for (const [s, y] of [
      [scores, labels],
      [scoresShuffled, labelsShuffled],
    ]) {
      const c = countsByThreshold(s, y);
      expect(c.positives).toBe(3);
      expect(c.negatives).toBe(4);
      expect(Array.from(c.thresholds)).toEqual([0.9, 0.8, 0.6, 0.2]);
      expect(Array.from(c.tp)).toEqual([1, 2, 3, 3]);
      expect(Array.from(c.fp)).toEqual([0, 1, 3, 4]);
    }
  });

  it('ends on a NaN score (it equals nothing, so it is a threshold of its own) and rejects mismatched lengths', () => {
    const c = countsByThreshold([Number.NaN, 0.5, 0.5], [1, 0, 1]);
    expect(c.thresholds).toHaveLength(2);
    expect(c.tp[c.tp.length - 1]).toBe(2);
    expect(() => countsByThreshold([0.1, 0.2], [1])).toThrow(/2 scores for 1 labels/);
    expect(() => rocAuc([0.1], [1, 0])).toThrow(/1 scores for 2 labels/);
  });
});

describe('rocAuc', () => {
  it('counts each tied positive/negative pair as ½', () => {
    // pairs: 0.9 beats all 4 negatives → 4; 0.8 ties one (½) and beats 3 → 3.5; 0.6 loses to 0.8, ties two (1),
    // beats 0.2 → 2. (4 + 3.5 + 2) / (3·4) = 9.5 / 12. Ranks: 0.2 → 1, 0.6 → 3, 0.8 → 5.5, 0.9 → 7;
    // R₊ = 7 + 5.5 + 3 = 15.5, (15.5 − 6) / 12 agrees.
    expect(rocAuc(scores, labels)).toBeCloseTo(9.5 / 12, 12);
    expect(rocAuc(scoresShuffled, labelsShuffled)).toBeCloseTo(9.5 / 12, 12);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 0])).toBe(0.5);
    expect(rocAuc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75); // scikit-learn's roc_auc_score example
  });

  it('is null when a class is missing', () => {
    expect(rocAuc([0.1, 0.2], [0, 0])).toBeNull();
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNull();
    expect(rocAuc([], [])).toBeNull();
  });

  it('treats every label other than exactly 1 as negative', () => {
    expect(classCounts([1, 0, 2, -1, 1])).toEqual({ positives: 2, negatives: 3 });
    // positive 0.3 against negatives 0.1 and 0.2 (label 2): both pairs right
    expect(rocAuc([0.1, 0.2, 0.3], [0, 2, 1])).toBe(1);
  });
});

describe('averagePrecision', () => {
  it('sums ΔR·precision over the distinct cut-offs', () => {
    // 0.9: R ⅓, P 1 → ⅓; 0.8: R ⅔, P ⅔ → +2/9; 0.6: R 1, P ½ → +1/6; 0.2: ΔR 0 → 13/18
    expect(averagePrecision(scores, labels)).toBeCloseTo(13 / 18, 12);
    expect(averagePrecision(scoresShuffled, labelsShuffled)).toBeCloseTo(13 / 18, 12);
    expect(averagePrecision([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(5 / 6, 12); // scikit-learn's example
  });

  it('is the prevalence when all scores tie, 1 with positives only, null with none', () => {
    expect(averagePrecision([1, 1, 1, 1], [0, 1, 0, 0])).toBe(0.25);
    expect(averagePrecision([0.3, 0.7], [1, 1])).toBe(1);
    expect(averagePrecision([0.3, 0.7], [0, 0])).toBeNull();
  });
});

describe('rocCurve and prCurve', () => {
  it('give one point per distinct cut-off, ROC starting at (0, 0) with no threshold', () => {
    const roc = rocCurve(scores, labels);
    expect(roc.map((p) => p.threshold)).toEqual([null, 0.9, 0.8, 0.6, 0.2]);
    expect(roc.map((p) => p.fpr)).toEqual([0, 0, 1 / 4, 3 / 4, 1]);
    expect(roc.map((p) => p.tpr)).toEqual([0, 1 / 3, 2 / 3, 1, 1]);
    const pr = prCurve(scores, labels);
    expect(pr.map((p) => p.threshold)).toEqual([0.9, 0.8, 0.6, 0.2]);
    expect(pr.map((p) => p.recall)).toEqual([1 / 3, 2 / 3, 1, 1]);
    expect(pr.map((p) => p.precision)).toEqual([1, 2 / 3, 3 / 6, 3 / 7]);
    expect(rocCurve(scoresShuffled, labelsShuffled)).toEqual(roc);
    expect(prCurve(scoresShuffled, labelsShuffled)).toEqual(pr);
  });

  it('with a class missing: ROC rates of the absent class are 0; no PR curve without positives', () => {
    expect(rocCurve([0.2, 0.7], [0, 0]).map((p) => [p.fpr, p.tpr])).toEqual([
      [0, 0],
      [0.5, 0],
      [1, 0],
    ]);
    expect(prCurve([0.2, 0.7], [0, 0])).toEqual([]);
  });

  it('are thinned to maxPoints, keeping the first and the last point', () => {
    const many = Array.from({ length: 1000 }, (_, i) => i);
    const roc = rocCurve(
      many,
      many.map((i) => i % 2),
      50,
    );
    expect(roc).toHaveLength(50);
    expect(roc[0]).toEqual({ fpr: 0, tpr: 0, threshold: null });
    expect(roc[49]).toEqual({ fpr: 1, tpr: 1, threshold: 0 });
    // 10 points to 4: stride 3 → indices 0, 3, 6, 9
    expect(thinPoints([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4)).toEqual([0, 3, 6, 9]);
    const few = [1, 2];
    expect(thinPoints(few, 4)).toBe(few);
  });
});

describe('scoreOrder', () => {
  it('sorts by score and keeps index order among ties, either way', () => {
    expect(Array.from(scoreOrder([0.5, 0.1, 0.5, 0.9], 'asc'))).toEqual([1, 0, 2, 3]);
    expect(Array.from(scoreOrder([0.5, 0.1, 0.5, 0.9], 'desc'))).toEqual([3, 0, 2, 1]);
  });
});
