// Decision policy: approve / refer / decline bands on the calibrated probability of default (PD).
//   decision = approve  when PD < approveBelow,
//              decline  when PD ≥ declineFrom,
//              refer    otherwise (a person reviews it).
// Cut-off from a cost matrix: with calibrated PDs, approving costs PD·C_bad in expectation and declining costs
// (1 − PD)·C_good, so declining is cheaper exactly when PD ≥ C_good / (C_good + C_bad) (the Bayes cut-off; 1/6 for
// the UCI German matrix 5 : 1). The refer band is that cut-off ± referWidth (PD points).
// Cut-off from a target approval rate r: approveBelow is the r-quantile of the held-out PDs, declineFrom the
// (r + referShare)-quantile.
// Expected cost per application on held-out labels: (C_bad·#bad approved + C_good·#good declined + C_refer·#referred)/N.

import { type ConfusionMatrix, confusionAt } from './metrics';

export type Decision = 'approve' | 'refer' | 'decline';

export type Costs = {
  /** loss on an approved loan that goes bad (e.g. 5) */
  badApproved: number;
  /** profit lost on a declined good applicant (e.g. 1) */
  goodDeclined: number;
  /** cost of a manual review of a referred application (default 0) */
  referral?: number;
};

export type PolicyConfig =
  | ({
      mode: 'cost' /** half-width of the refer band around the cut-off, in PD (default 0.05) */;
      referWidth?: number;
    } & Costs)
  | {
      mode: 'approvalRate';
      /** share of applications to approve, in (0, 1) */
      approvalRate: number;
      /** share to refer, just above the approved ones (default 0.1) */
      referShare?: number;
      /** for the expected-cost figures only (default 5 : 1) */
      costs?: Costs;
    };

export const DEFAULT_POLICY: PolicyConfig = { mode: 'cost', badApproved: 5, goodDeclined: 1, referWidth: 0.05 };

export type PolicyEvaluation = {
  n: number;
  approvalRate: number;
  referRate: number;
  declineRate: number;
  /** bad rate among approved applications */
  badRateApproved: number | null;
  /** expected cost per application on the held-out labels */
  expectedCost: number;
  /** expected cost per application implied by the PDs themselves */
  expectedCostModel: number;
  /** baselines: cost per application of approving everyone / declining everyone */
  approveAllCost: number;
  declineAllCost: number;
  /** the two-way matrix at the single cut-off (refer band ignored) */
  confusion: ConfusionMatrix;
};

export type Policy = {
  mode: PolicyConfig['mode'];
  config: PolicyConfig;
  costs: Required<Costs>;
  /** the single cut-off: decline from here when no refer band is used */
  cutoff: number;
  approveBelow: number;
  declineFrom: number;
  /** the policy applied to the held-out PDs it was chosen on */
  evaluation: PolicyEvaluation;
};

export function decide(policy: Pick<Policy, 'approveBelow' | 'declineFrom'>, pd: number): Decision {
  if (pd < policy.approveBelow) return 'approve';
  if (pd >= policy.declineFrom) return 'decline';
  return 'refer';
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = Math.min(sorted.length - 1, Math.max(0, q * (sorted.length - 1)));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

export function evaluatePolicy(
  bands: Pick<Policy, 'approveBelow' | 'declineFrom' | 'cutoff'>,
  costs: Required<Costs>,
  pd: ArrayLike<number>,
  y: ArrayLike<number>,
): PolicyEvaluation {
  const n = y.length;
  let approved = 0;
  let referred = 0;
  let declined = 0;
  let badApproved = 0;
  let goodDeclined = 0;
  let modelCost = 0;
  let bads = 0;
  for (let i = 0; i < n; i++) {
    bads += y[i];
    const d = decide(bands, pd[i]);
    if (d === 'approve') {
      approved++;
      badApproved += y[i];
      modelCost += pd[i] * costs.badApproved;
    } else if (d === 'decline') {
      declined++;
      goodDeclined += 1 - y[i];
      modelCost += (1 - pd[i]) * costs.goodDeclined;
    } else {
      referred++;
      modelCost += costs.referral;
    }
  }
  return {
    n,
    approvalRate: approved / n,
    referRate: referred / n,
    declineRate: declined / n,
    badRateApproved: approved > 0 ? badApproved / approved : null,
    expectedCost: (costs.badApproved * badApproved + costs.goodDeclined * goodDeclined + costs.referral * referred) / n,
    expectedCostModel: modelCost / n,
    approveAllCost: (bads * costs.badApproved) / n,
    declineAllCost: ((n - bads) * costs.goodDeclined) / n,
    confusion: confusionAt(pd, y, bands.cutoff),
  };
}

function checkCosts(c: Costs): Required<Costs> {
  const referral = c.referral ?? 0;
  for (const [k, v] of Object.entries({ badApproved: c.badApproved, goodDeclined: c.goodDeclined, referral })) {
    if (!(Number.isFinite(v) && v >= 0)) throw new Error(`policy: cost ${k} must be a number ≥ 0, got ${v}`);
  }
  if (c.badApproved + c.goodDeclined <= 0) throw new Error('policy: the two error costs cannot both be 0');
  return { badApproved: c.badApproved, goodDeclined: c.goodDeclined, referral };
}

/** Chooses the bands from the config on held-out calibrated PDs and labels (1 = bad), and evaluates them there. */
export function choosePolicy(config: PolicyConfig, pd: ArrayLike<number>, y: ArrayLike<number>): Policy {
  if (config.mode === 'cost') {
    const costs = checkCosts(config);
    const width = config.referWidth ?? 0.05;
    if (!(width >= 0 && width < 0.5)) throw new Error(`policy: referWidth must be in [0, 0.5), got ${width}`);
    const cutoff = costs.goodDeclined / (costs.goodDeclined + costs.badApproved);
    const approveBelow = Math.max(0, cutoff - width);
    const declineFrom = Math.min(1, cutoff + width);
    const bands = { cutoff, approveBelow, declineFrom };
    return { mode: 'cost', config, costs, ...bands, evaluation: evaluatePolicy(bands, costs, pd, y) };
  }
  const r = config.approvalRate;
  const referShare = config.referShare ?? 0.1;
  if (!(r > 0 && r < 1)) throw new Error(`policy: approvalRate must be between 0 and 1, got ${r}`);
  if (!(referShare >= 0 && r + referShare <= 1)) {
    throw new Error(`policy: referShare must be ≥ 0 with approvalRate + referShare ≤ 1, got ${referShare}`);
  }
  const costs = checkCosts(config.costs ?? { badApproved: 5, goodDeclined: 1 });
  const sorted = Array.from(pd).sort((a, b) => a - b);
  const approveBelow = quantile(sorted, r);
  const declineFrom = Math.max(approveBelow, quantile(sorted, r + referShare));
  const bands = { cutoff: approveBelow, approveBelow, declineFrom };
  return { mode: 'approvalRate', config, costs, ...bands, evaluation: evaluatePolicy(bands, costs, pd, y) };
}
