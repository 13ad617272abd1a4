// PSI by hand, its bands, population stability of shifted applications, and the four-fifths rule.

import { describe, expect, it } from 'vitest';
import {
  ageBand,
  fairnessReport,
  populationStability,
  populationStats,
  psi,
  psiBand,
  sexFromPersonalStatus,
} from '../../lib/credit/monitoring';
import type { Decision } from '../../lib/credit/policy';
import type { FeatureSpec } from '../../lib/credit/types';

describe('population stability index', () => {
  it('Σ (a − e)·ln(a / e) by hand', () => {
    // (0.3 − 0.5)·ln(0.3/0.5) + (0.7 − 0.5)·ln(0.7/0.5)
    expect(psi([0.5, 0.5], [0.3, 0.7])).toBeCloseTo(-0.2 * Math.log(0.6) + 0.2 * Math.log(1.4), 12);
    expect(psi([0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25])).toBe(0);
    // an empty bin is floored at 1e−4, so the index stays finite
    expect(Number.isFinite(psi([0.5, 0.5], [1, 0]))).toBe(true);
  });

  it('bands at 0.10 and 0.25', () => {
    expect(psiBand(0.099)).toBe('stable');
    expect(psiBand(0.1)).toBe('moderate shift');
    expect(psiBand(0.249)).toBe('moderate shift');
    expect(psiBand(0.25)).toBe('significant shift');
  });

  it('is near 0 for applications like the training ones and large for a shifted population', () => {
    const features: FeatureSpec[] = [
      { name: 'age', label: 'Age', kind: 'numeric', allowMissing: false },
      { name: 'housing', label: 'Housing', kind: 'categorical', categories: ['own', 'rent'], allowMissing: false },
    ];
    const train = Array.from({ length: 1000 }, (_, i) => ({
      age: 20 + (i % 50),
      housing: i % 3 === 0 ? 'rent' : 'own',
    }));
    const scores = train.map((r) => 600 - r.age);
    const stats = populationStats(features, train, scores);
    expect(stats.score.expected.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const same = populationStability(stats, train, scores);
    expect(same.score?.psi).toBeCloseTo(0, 12);
    expect(same.features.every((f) => f.band === 'stable')).toBe(true);
    const older = train.map((r) => ({ age: r.age + 20, housing: 'rent' }));
    const shifted = populationStability(
      stats,
      older,
      older.map((r) => 600 - r.age),
    );
    expect(shifted.score?.band).toBe('significant shift');
    // most shifted first
    expect(shifted.features[0].psi).toBeGreaterThanOrEqual(shifted.features[1].psi);
    expect(shifted.features.find((f) => f.name === 'housing')?.band).toBe('significant shift');
    // a category the training data never had lands in "other"
    const novel = populationStability(stats, [{ age: 30, housing: 'boat' }], [570]);
    const bins = novel.features.find((f) => f.name === 'housing')!.bins;
    expect(bins.find((b) => b.label === 'other')?.actual).toBe(1);
    expect(populationStability(stats, [], [])).toEqual({ n: 0, score: null, features: [] });
  });
});

describe('fairness: approval-rate ratios and the four-fifths rule', () => {
  it('compares each group with the highest approval rate', () => {
    const apps = [
      ...Array.from({ length: 40 }, () => ({ sex: 'male single' })),
      ...Array.from({ length: 40 }, () => ({ sex: 'female div/dep/mar' })),
    ];
    // men: 30 of 40 approved (0.75); women: 20 of 40 (0.5) → ratio 0.667 < 0.8
    const decisions: Decision[] = [
      ...Array.from({ length: 40 }, (_, i): Decision => (i < 30 ? 'approve' : 'decline')),
      ...Array.from({ length: 40 }, (_, i): Decision => (i < 20 ? 'approve' : i < 30 ? 'refer' : 'decline')),
    ];
    const r = fairnessReport(apps, decisions, { kind: 'sex', feature: 'sex' });
    expect(r.referenceGroup).toBe('male');
    expect(r.groups).toEqual([
      { group: 'female', n: 40, approved: 20, approvalRate: 0.5, ratio: 0.5 / 0.75, passes: false, smallSample: false },
      { group: 'male', n: 40, approved: 30, approvalRate: 0.75, ratio: 1, passes: true, smallSample: false },
    ]);
    expect(r.passesFourFifths).toBe(false);
    expect(r.minRatio).toBeCloseTo(2 / 3, 12);
  });

  it('groups ages into bands and reads sex from personal status labels or codes', () => {
    expect([19, 25, 34, 35, 49, 50, 75].map(ageBand)).toEqual([
      'under 25',
      '25–34',
      '25–34',
      '35–49',
      '35–49',
      '50 and over',
      '50 and over',
    ]);
    expect(['male div/sep', 'female div/dep/mar', 'A93', 'A92', 'unknown'].map(sexFromPersonalStatus)).toEqual([
      'male',
      'female',
      'male',
      'female',
      null,
    ]);
    const r = fairnessReport([{ age: 20 }, { age: 60 }, { age: null }], ['approve', 'approve', 'decline'], {
      kind: 'ageBand',
      feature: 'age',
    });
    expect(r.ungrouped).toBe(1);
    expect(r.passesFourFifths).toBe(true);
    expect(r.groups.every((g) => g.smallSample)).toBe(true);
  });
});
