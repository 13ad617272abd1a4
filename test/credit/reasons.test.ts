// Reason codes: exact contributions of a hand-made linear scorer, and properties on a trained network —
// deterministic, at most four, and never a feature whose own value lowered the PD.

import { beforeAll, describe, expect, it } from 'vitest';
import { calibrate } from '../../lib/credit/calibration';
import { type CreditModel, modelScorer } from '../../lib/credit/creditModel';
import { reasonCodes, reasonText, referenceApplicant } from '../../lib/credit/reasons';
import { scoreApplication } from '../../lib/credit/scoring';
import type { Application, FeatureSpec } from '../../lib/credit/types';
import { Rng } from '../../lib/nn/rng';
import { germanTable, trainQuick } from './helpers';

const features: FeatureSpec[] = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => ({
  name,
  label: name.toUpperCase(),
  kind: 'numeric',
  allowMissing: false,
}));
// z = 1·a + 2·b + 3·c − 1·d + 0·e + 1·f
const weights: Record<string, number> = { a: 1, b: 2, c: 3, d: -1, e: 0, f: 1 };
const linear = (apps: readonly Application[]) =>
  Float64Array.from(apps, (x) => Object.entries(weights).reduce((s, [k, w]) => s + w * Number(x[k]), 0));
const reference: Application = { a: 0, b: 0, c: 0, d: 0, e: 0, f: 0 };

describe('reasonCodes with a known linear scorer', () => {
  it('ranks the features that raised the score by how much, and drops the others', () => {
    const app = { a: 1, b: 1, c: 1, d: 5, e: 9, f: 1 };
    const reasons = reasonCodes(linear, features, app, reference);
    // contributions: c 3, b 2, a 1, f 1 (a before f: feature order breaks the tie); d lowered it, e did nothing
    expect(reasons.map((r) => [r.feature, r.contribution])).toEqual([
      ['c', 3],
      ['b', 2],
      ['a', 1],
      ['f', 1],
    ]);
    expect(reasons[0].text).toBe('C is 1, above the typical 0');
  });

  it('keeps at most four, and none when nothing raised the score', () => {
    const app = { a: 9, b: 9, c: 9, d: -9, e: 9, f: 9 };
    expect(reasonCodes(linear, features, app, reference)).toHaveLength(4);
    expect(reasonCodes(linear, features, { a: -1, b: 0, c: 0, d: 3, e: 5, f: 0 }, reference)).toEqual([]);
    expect(reasonCodes(linear, features, reference, reference)).toEqual([]);
  });

  it('writes plain-language sentences from the schema', () => {
    const cat: FeatureSpec = {
      name: 'checking_status',
      label: 'Checking account balance',
      kind: 'categorical',
      categories: ['<0', 'x'],
      categoryReasons: { '<0': 'Checking account balance is below 0 DM' },
      categoryLabels: { x: 'something else' },
      allowMissing: true,
    };
    expect(reasonText(cat, '<0', 'x')).toBe('Checking account balance is below 0 DM');
    expect(reasonText(cat, 'x', '<0')).toBe('Checking account balance: something else');
    expect(reasonText(cat, null, 'x')).toBe('Checking account balance is not given');
    const months: FeatureSpec = {
      name: 'duration',
      label: 'Loan duration',
      kind: 'numeric',
      unit: 'months',
      allowMissing: false,
    };
    expect(reasonText(months, 48, 18)).toBe('Loan duration is 48 months, above the typical 18 months');
  });

  it('the reference applicant is the lower median and the most frequent category', () => {
    const f: FeatureSpec[] = [
      { name: 'n', label: 'N', kind: 'numeric', allowMissing: true },
      { name: 'c', label: 'C', kind: 'categorical', categories: ['p', 'q'], allowMissing: false },
    ];
    const ref = referenceApplicant(f, [
      { n: 4, c: 'q' },
      { n: 1, c: 'q' },
      { n: null, c: 'p' },
      { n: 3, c: 'p' },
      { n: 2, c: 'q' },
    ]);
    expect(ref).toEqual({ n: 2, c: 'q' });
  });
});

describe('reason codes of a trained network on German Credit', () => {
  let model: CreditModel;
  let apps: Application[];
  beforeAll(async () => {
    const table = germanTable();
    ({ model } = await trainQuick(table, { kind: 'mlp' }));
    const rng = new Rng(9);
    apps = Array.from({ length: 60 }, () => table.rows[rng.int(table.rows.length)]);
  });

  it('only features whose own value raised the PD, at most four, the same every time', () => {
    const score = modelScorer(model);
    const { calibrator } = model.bundle;
    let withReasons = 0;
    for (const app of apps) {
      const first = scoreApplication(model, app);
      const again = scoreApplication(model, app);
      if (!first.ok || !again.ok) throw new Error('scoring failed');
      expect(again.reasons).toEqual(first.reasons);
      expect(first.reasons.length).toBeLessThanOrEqual(4);
      if (first.decision === 'approve') {
        expect(first.reasons).toEqual([]);
        continue;
      }
      withReasons += first.reasons.length > 0 ? 1 : 0;
      const zApp = score([app])[0];
      for (const r of first.reasons) {
        // putting the typical value back lowers the raw score and never raises the calibrated PD
        const zRef = score([{ ...app, [r.feature]: model.bundle.reference[r.feature] }])[0];
        expect(zRef).toBeLessThan(zApp);
        expect(calibrate(calibrator, zRef)).toBeLessThanOrEqual(first.pd);
        expect(r.contribution).toBeCloseTo(zApp - zRef, 5);
      }
      // and no feature that lowered the score is listed
      const listed = new Set(first.reasons.map((r) => r.feature));
      for (const f of model.bundle.features) {
        const zRef = score([{ ...app, [f.name]: model.bundle.reference[f.name] }])[0];
        if (zRef >= zApp) expect(listed.has(f.name)).toBe(false);
      }
    }
    expect(withReasons).toBeGreaterThan(10);
  });
});
