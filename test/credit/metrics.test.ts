// Metrics against values worked out by hand (see the comments), and the chart data they come with.

import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  brier,
  classHistogram,
  classMetrics,
  confusionAt,
  expectedCalibrationError,
  gini,
  ksCurve,
  ksStatistic,
  logLoss,
  reliabilityBins,
  rocAuc,
  rocCurve,
  spread,
} from '../../lib/credit/metrics';

// The textbook example: goods at 0.1 and 0.4, bads at 0.35 and 0.8.
const pd = [0.1, 0.4, 0.35, 0.8];
const y = [0, 0, 1, 1];

describe('metrics on a four-applicant example', () => {
  it('ROC AUC and Gini: 3 of the 4 bad–good pairs are ordered right', () => {
    // (0.35 > 0.1) yes, (0.35 > 0.4) no, (0.8 > 0.1) yes, (0.8 > 0.4) yes → 3/4
    expect(rocAuc(pd, y)).toBeCloseTo(0.75, 12);
    expect(gini(pd, y)).toBeCloseTo(0.5, 12);
  });

  it('counts a tied pair as one half', () => {
    expect(rocAuc([0.5, 0.5], [0, 1])).toBeCloseTo(0.5, 12);
    // bads 0.5, 0.9; goods 0.2, 0.5: 1 + ½ + 1 + 1 = 3.5 of 4
    expect(rocAuc([0.2, 0.5, 0.5, 0.9], [0, 1, 0, 1])).toBeCloseTo(0.875, 12);
    expect(rocAuc([0.3, 0.4], [1, 1])).toBeNaN();
  });

  it('KS: the largest gap between the cumulative bad and good shares, riskiest first', () => {
    // cut 0.8: bads 1/2, goods 0 → 0.5; 0.4: 1/2, 1/2 → 0; 0.35: 1, 1/2 → 0.5; 0.1: 1, 1 → 0
    expect(ksStatistic(pd, y)).toEqual({ ks: 0.5, cutoff: 0.8 });
  });

  it('average precision: Σ ΔR·P over the distinct cut-offs', () => {
    // 0.8: R ½, P 1 → ½; 0.4: R ½ → +0; 0.35: R 1, P ⅔ → +⅓; 0.1: +0  ⇒ 5/6
    expect(averagePrecision(pd, y)).toBeCloseTo(5 / 6, 12);
  });

  it('Brier score and log loss', () => {
    // (0.1² + 0.4² + 0.65² + 0.2²) / 4
    expect(brier(pd, y)).toBeCloseTo((0.01 + 0.16 + 0.4225 + 0.04) / 4, 12);
    // −(ln 0.9 + ln 0.6 + ln 0.35 + ln 0.8) / 4
    expect(logLoss(pd, y)).toBeCloseTo(-(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4, 12);
    expect(Number.isFinite(logLoss([0, 1], [1, 0]))).toBe(true); // clipped, not infinite
  });

  it('ECE over 10 equal-width bins: each applicant alone in its bin here', () => {
    // |0 − 0.1| + |0 − 0.4| + |1 − 0.35| + |1 − 0.8|, each weighted ¼
    expect(expectedCalibrationError(pd, y)).toBeCloseTo((0.1 + 0.4 + 0.65 + 0.2) / 4, 12);
    // two bins [0, .5) and [.5, 1]: bin 0 holds 0.1, 0.4, 0.35 (mean 0.2833, bad rate ⅓), bin 1 holds 0.8 (bad)
    expect(expectedCalibrationError(pd, y, 2)).toBeCloseTo(0.75 * Math.abs(1 / 3 - 0.85 / 3) + 0.25 * 0.2, 12);
    const bins = reliabilityBins(pd, y);
    expect(bins).toHaveLength(10);
    expect(bins[3]).toEqual({ lo: 0.3, hi: 0.4, count: 1, meanPd: 0.35, badRate: 1 });
    expect(bins[0].count).toBe(0);
    expect(bins[0].meanPd).toBeNull();
    // a PD of exactly 1 falls in the last bin
    expect(reliabilityBins([1], [1], 10)[9].count).toBe(1);
  });

  it('all of them together, with the counts', () => {
    const m = classMetrics(pd, y);
    expect(m).toMatchObject({ n: 4, bads: 2, auc: 0.75, ks: 0.5 });
    expect(m.gini).toBeCloseTo(0.5, 12);
  });

  it('rejects mismatched or non-binary input with a message', () => {
    expect(() => rocAuc([0.1], [0, 1])).toThrow(/1 predictions for 2 labels/);
    expect(() => brier([0.1, 0.2], [0, 2])).toThrow(/label 1 is 2/);
  });
});

describe('chart data', () => {
  it('ROC points from (0, 0) through every distinct cut-off to (1, 1)', () => {
    expect(rocCurve(pd, y)).toEqual([
      { fpr: 0, tpr: 0, threshold: null },
      { fpr: 0, tpr: 0.5, threshold: 0.8 },
      { fpr: 0.5, tpr: 0.5, threshold: 0.4 },
      { fpr: 0.5, tpr: 1, threshold: 0.35 },
      { fpr: 1, tpr: 1, threshold: 0.1 },
    ]);
    // thinned to at most maxPoints, keeping both ends
    const many = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const labels = many.map((_, i) => i % 2);
    const curve = rocCurve(many, labels, 11);
    expect(curve).toHaveLength(11);
    expect(curve[0]).toEqual({ fpr: 0, tpr: 0, threshold: null });
    expect(curve[10]).toMatchObject({ fpr: 1, tpr: 1 });
  });

  it('KS curve: the KS is its largest vertical gap', () => {
    const curve = ksCurve(pd, y);
    const gap = Math.max(...curve.map((p) => Math.abs(p.cumBad - p.cumGood)));
    expect(gap).toBeCloseTo(0.5, 12);
    expect(curve[curve.length - 1]).toMatchObject({ share: 1, cumBad: 1, cumGood: 1 });
  });

  it('class histograms and the confusion matrix at a cut-off', () => {
    const h = classHistogram(pd, y, 2, { lo: 0, hi: 1 });
    expect(h).toEqual([
      { lo: 0, hi: 0.5, good: 2, bad: 1 },
      { lo: 0.5, hi: 1, good: 0, bad: 1 },
    ]);
    // decline when PD ≥ 0.4: 0.4 (good) and 0.8 (bad) declined
    expect(confusionAt(pd, y, 0.4)).toEqual({
      cutoff: 0.4,
      badDeclined: 1,
      goodDeclined: 1,
      goodApproved: 1,
      badApproved: 1,
      approvalRate: 0.5,
      badRateApproved: 0.5,
    });
  });

  it('spread: mean and sample standard deviation', () => {
    // mean 2, squared deviations 1 + 0 + 1 over n − 1 = 2 → std 1
    expect(spread([1, 2, 3])).toEqual({ mean: 2, std: 1, min: 1, max: 3, n: 3 });
    expect(spread([5]).std).toBe(0);
  });
});
