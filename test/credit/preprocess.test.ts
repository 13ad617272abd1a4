// Preprocessing: hand-checked imputation, scaling, one-hot with the "other" bucket, WoE; and, in cross-validation,
// fitted on the training rows of each fold only (shown with a row whose extreme value must never leak).

import { describe, expect, it } from 'vitest';
import type { ApplicationTable } from '../../lib/credit/applicationsCsv';
import { crossValidate, stratifiedKFold } from '../../lib/credit/crossValidation';
import { fitPreprocessor, transformRows } from '../../lib/credit/preprocess';
import type { FeatureSpec } from '../../lib/credit/types';
import { Rng } from '../../lib/nn/rng';
import { sampleTable } from './helpers';

const features: FeatureSpec[] = [
  { name: 'age', label: 'Age', kind: 'numeric', allowMissing: true },
  { name: 'color', label: 'Colour', kind: 'categorical', categories: ['blue', 'red'], allowMissing: true },
];
const rows = [
  { age: 20, color: 'red' },
  { age: 30, color: 'red' },
  { age: null, color: 'blue' },
  { age: 50, color: null },
];

describe('fitPreprocessor / transformRows', () => {
  it('imputes the median and the most frequent category, adds missing indicators, standardises', () => {
    const pre = fitPreprocessor(features, rows, null, { minCategoryCount: 1 });
    expect(pre.columns).toEqual(['age', 'age (missing)', 'color = blue', 'color = red', 'color (missing)']);
    const mean = (20 + 30 + 50) / 3;
    const std = Math.sqrt(((20 - mean) ** 2 + (30 - mean) ** 2 + (50 - mean) ** 2) / 3);
    expect(pre.steps[0]).toMatchObject({ median: 30, count: 3, missingIndicator: true, log: false });
    expect((pre.steps[0] as { mean: number }).mean).toBeCloseTo(mean, 12);
    expect((pre.steps[0] as { std: number }).std).toBeCloseTo(std, 12);
    expect(pre.steps[1]).toMatchObject({ mode: 'red', categories: ['blue', 'red'], otherColumn: false });
    const x = transformRows(pre, rows);
    const row = (i: number) => Array.from(x.subarray(i * 5, i * 5 + 5));
    expect(row(0)[0]).toBeCloseTo((20 - mean) / std, 5);
    // missing age → the median 30, flagged
    expect(row(2)[0]).toBeCloseTo((30 - mean) / std, 5);
    expect(row(2)[1]).toBe(1);
    // missing colour → the mode (red), flagged
    expect(row(3).slice(2)).toEqual([0, 1, 1]);
    // a category never seen in training: no column lights up (there is no trained "other" bucket)
    expect(Array.from(transformRows(pre, [{ age: 30, color: 'green' }]).subarray(2))).toEqual([0, 0, 0]);
  });

  it('sends rare and unseen categories to one "other" bucket', () => {
    const pre = fitPreprocessor(features, rows, null, { minCategoryCount: 2 });
    expect(pre.columns).toEqual(['age', 'age (missing)', 'color = red', 'color = (other)', 'color (missing)']);
    const x = transformRows(pre, [
      { age: 1, color: 'blue' },
      { age: 1, color: 'green' },
    ]);
    expect(Array.from(x.subarray(2, 5))).toEqual([0, 1, 0]);
    expect(Array.from(x.subarray(7, 10))).toEqual([0, 1, 0]);
  });

  it('log-transforms non-negative right-skewed numbers', () => {
    const amounts = [100, 120, 150, 200, 260, 400, 900, 5000].map((a) => ({ amount: a }));
    const f: FeatureSpec[] = [{ name: 'amount', label: 'Amount', kind: 'numeric', allowMissing: false }];
    const pre = fitPreprocessor(f, amounts, null);
    expect(pre.steps[0]).toMatchObject({ log: true });
    const x = transformRows(pre, amounts);
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    expect(mean).toBeCloseTo(0, 5);
    expect(fitPreprocessor(f, amounts, null, { logSkewed: false }).steps[0]).toMatchObject({ log: false });
  });

  it('weight of evidence: ln(dist_bad / dist_good) per category, with ½ smoothing', () => {
    const f: FeatureSpec[] = [
      { name: 'c', label: 'C', kind: 'categorical', categories: ['a', 'b'], allowMissing: false },
    ];
    // a: 3 bad, 1 good; b: 1 bad, 5 good. B = 4, G = 6, K = 2 bins
    const data = [...Array(4).fill({ c: 'a' }), ...Array(6).fill({ c: 'b' })];
    const y = [1, 1, 1, 0, 1, 0, 0, 0, 0, 0];
    const pre = fitPreprocessor(f, data, y, { woe: true, minCategoryCount: 1 });
    expect(pre.columns).toEqual(['c (WoE)']);
    const woeA = Math.log(3.5 / 5 / (1.5 / 7));
    const woeB = Math.log(1.5 / 5 / (5.5 / 7));
    const x = transformRows(pre, [{ c: 'a' }, { c: 'b' }, { c: 'zzz' }]);
    expect(x[0]).toBeCloseTo(woeA, 5);
    expect(x[1]).toBeCloseTo(woeB, 5);
    expect(x[2]).toBe(0); // unseen: no evidence
    expect(() => fitPreprocessor(f, data, null, { woe: true })).toThrow(/needs one label per training row/);
  });
});

describe('fit on training folds only', () => {
  it('stratified folds keep the bad rate and cover every row once', () => {
    const y = Array.from({ length: 103 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const foldOf = stratifiedKFold(y, 5, new Rng(1));
    for (let k = 0; k < 5; k++) {
      const inFold = y.filter((_, i) => foldOf[i] === k);
      expect(inFold.length).toBeGreaterThanOrEqual(20);
      expect(inFold.filter((v) => v === 1).length).toBeGreaterThanOrEqual(5);
      expect(inFold.filter((v) => v === 1).length).toBeLessThanOrEqual(6);
    }
    expect(() => stratifiedKFold([1, 0, 0, 0, 0, 0], 5, new Rng(1))).toThrow(/only 1 bad rows for 5 folds/);
  });

  it('every fold fits on its training rows: a test row with an extreme value never moves the statistics', async () => {
    const base = sampleTable(300);
    // poison one row: an age of 10 000 shows up in the fitted mean only if that row was among the fitting rows
    const poisoned: ApplicationTable = {
      ...base,
      rows: base.rows.map((r, i) => (i === 7 ? { ...r, age: 10_000 } : r)),
    };
    const fits: { fold: number; trainRows: number[]; mean: number; fitted: number }[] = [];
    const cv = await crossValidate(
      poisoned,
      { kind: 'logistic', folds: 4, seeds: [3], hyper: { epochs: 3 }, preprocess: { logSkewed: false } },
      {
        onPreprocessorFit: ({ fold, trainRows, preprocessor }) => {
          const step = preprocessor.steps.find((s) => s.name === 'age');
          if (step?.kind !== 'numeric') throw new Error('age step missing');
          fits.push({ fold, trainRows, mean: step.mean, fitted: preprocessor.fittedRows });
        },
      },
    );
    const foldOf = cv.runs[0].foldOf;
    expect(fits).toHaveLength(4);
    for (const f of fits) {
      const expected = f.trainRows.map((i) => poisoned.rows[i].age as number);
      // the training rows are exactly the rows outside the fold
      expect(f.trainRows.every((i) => foldOf[i] !== f.fold - 1)).toBe(true);
      expect(f.trainRows.length + Array.from(foldOf).filter((k) => k === f.fold - 1).length).toBe(300);
      expect(f.fitted).toBe(f.trainRows.length);
      expect(f.mean).toBeCloseTo(expected.reduce((a, b) => a + b, 0) / expected.length, 6);
      const poisonIsTest = foldOf[7] === f.fold - 1;
      // ages average about 40; the poisoned row adds about 10 000 / 225 ≈ 44 to a fold it is fitted in
      expect(f.mean < 60).toBe(poisonIsTest);
    }
  });
});
