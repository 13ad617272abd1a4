// Cut-off policies (cost matrix, target approval rate), decisions in bands and expected cost — by hand.

import { describe, expect, it } from 'vitest';
import { choosePolicy, decide, evaluatePolicy } from '../../lib/credit/policy';

const pd = [0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 0.8];
const y = [0, 0, 0, 1, 0, 1, 1, 1];

describe('cost-matrix policy', () => {
  it('declines from the Bayes cut-off C_good / (C_good + C_bad) with a refer band around it', () => {
    const p = choosePolicy({ mode: 'cost', badApproved: 5, goodDeclined: 1, referWidth: 0.05 }, pd, y);
    expect(p.cutoff).toBeCloseTo(1 / 6, 12);
    expect(p.approveBelow).toBeCloseTo(1 / 6 - 0.05, 12);
    expect(p.declineFrom).toBeCloseTo(1 / 6 + 0.05, 12);
    expect(pd.map((v) => decide(p, v))).toEqual([
      'approve',
      'approve',
      'approve',
      'refer',
      'refer',
      'decline',
      'decline',
      'decline',
    ]);
    // approved: 3 goods; referred: 1 bad + 1 good; declined: 3 bads → no approved bad, no declined good
    expect(p.evaluation).toMatchObject({ approvalRate: 3 / 8, referRate: 2 / 8, declineRate: 3 / 8, expectedCost: 0 });
    // approving everyone costs 4 bads × 5 / 8; declining everyone 4 goods × 1 / 8
    expect(p.evaluation.approveAllCost).toBeCloseTo(2.5, 12);
    expect(p.evaluation.declineAllCost).toBeCloseTo(0.5, 12);
    // implied by the PDs: Σ_approved 5·PD + Σ_declined (1 − PD)
    expect(p.evaluation.expectedCostModel).toBeCloseTo((5 * (0.02 + 0.05 + 0.1) + (0.7 + 0.5 + 0.2)) / 8, 12);
  });

  it('counts approved bads, declined goods and referral costs', () => {
    const bands = { cutoff: 0.12, approveBelow: 0.12, declineFrom: 0.12 };
    const e = evaluatePolicy(bands, { badApproved: 5, goodDeclined: 1, referral: 0 }, [0.1, 0.1, 0.5], [1, 0, 0]);
    // one approved bad (5) and one declined good (1) over 3 applications
    expect(e.expectedCost).toBeCloseTo(2, 12);
    const referBands = { cutoff: 0.3, approveBelow: 0.05, declineFrom: 0.9 };
    expect(
      evaluatePolicy(referBands, { badApproved: 5, goodDeclined: 1, referral: 0.3 }, [0.1, 0.5], [1, 0]).expectedCost,
    ).toBeCloseTo(0.3, 12);
  });

  it('rejects impossible settings', () => {
    expect(() => choosePolicy({ mode: 'cost', badApproved: -1, goodDeclined: 1 }, pd, y)).toThrow(
      /badApproved must be a number ≥ 0/,
    );
    expect(() => choosePolicy({ mode: 'cost', badApproved: 0, goodDeclined: 0 }, pd, y)).toThrow(/cannot both be 0/);
    expect(() => choosePolicy({ mode: 'approvalRate', approvalRate: 1.2 }, pd, y)).toThrow(
      /approvalRate must be between 0 and 1/,
    );
  });
});

describe('target approval rate', () => {
  it('approves the lowest-PD share and refers the next share', () => {
    const p = choosePolicy({ mode: 'approvalRate', approvalRate: 0.5, referShare: 0.25 }, pd, y);
    // the 0.5-quantile of the 8 PDs (interpolated between the 4th and 5th) is 0.175; the 0.75-quantile 0.35
    expect(p.approveBelow).toBeCloseTo(0.175, 12);
    expect(p.declineFrom).toBeCloseTo(0.35, 12);
    // approved: 0.02 … 0.15; referred: 0.2 and 0.3; declined: 0.5 and 0.8
    expect(p.evaluation.approvalRate).toBe(0.5);
    expect(p.evaluation.referRate).toBe(0.25);
    expect(p.evaluation.declineRate).toBe(0.25);
  });
});
