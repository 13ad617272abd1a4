// The quality bar on German Credit (1000 applicants, 300 bad): stratified 5-fold cross-validation over 3 seeds.
// The best network must reach a mean ROC AUC ≥ 0.77 (the published logistic-regression level), and its expected
// calibration error after calibration (10 equal-width bins, pooled cross-fitted out-of-fold PDs, mean over seeds)
// must be ≤ 0.05. The figures are printed with their spread, beside the baselines.

import { describe, expect, it } from 'vitest';
import { trainCreditModel } from '../../lib/credit/training';
import { germanTable } from './helpers';

const fmt = (s: { mean: number; std: number }) => `${s.mean.toFixed(4)} ± ${s.std.toFixed(4)}`;

describe('German Credit quality bar', () => {
  it('MLP: CV ROC AUC ≥ 0.77 and ECE ≤ 0.05 after calibration', async () => {
    const table = germanTable();
    const trained = await trainCreditModel(table, { kind: 'mlp', folds: 5, seeds: [1, 2, 3] });
    const r = trained.report;
    const lines = [
      `German Credit, stratified ${r.folds}-fold CV × seeds ${r.seeds.join(', ')} (${r.data.rows} rows, ${r.data.bads} bad):`,
      ...r.models.map(
        (m) =>
          `  ${m.label.padEnd(20)} AUC ${fmt(m.perFold.raw.auc)}  Gini ${fmt(m.perFold.raw.gini)}  KS ${fmt(m.perFold.raw.ks)}  PR AUC ${fmt(m.perFold.raw.prAuc)}`,
      ),
      `  MLP calibration ${r.calibration.method}: ECE ${fmt(r.headline.eceBefore)} before → ${fmt(r.headline.eceAfter)} after (${r.calibration.bins} bins); Brier ${fmt(r.headline.brier)}; log loss ${fmt(r.headline.logLoss)}`,
      `  policy (UCI cost 5:1): approve < ${r.policy.approveBelow.toFixed(3)}, decline ≥ ${r.policy.declineFrom.toFixed(3)}; approval ${(100 * r.policy.evaluation.approvalRate).toFixed(1)} %, refer ${(100 * r.policy.evaluation.referRate).toFixed(1)} %; expected cost ${r.policy.evaluation.expectedCost.toFixed(3)} per application (approve all ${r.policy.evaluation.approveAllCost.toFixed(3)}, decline all ${r.policy.evaluation.declineAllCost.toFixed(3)})`,
      ...r.fairness.map(
        (f) =>
          `  fairness by ${f.attribute}: ${f.groups.map((g) => `${g.group} ${(100 * g.approvalRate).toFixed(0)} %`).join(', ')}; lowest ratio ${f.minRatio?.toFixed(2)} (four-fifths ${f.passesFourFifths ? 'passed' : 'failed'})`,
      ),
    ];
    console.log(lines.join('\n'));

    const networks = r.models.filter((m) => m.kind === 'mlp' || m.kind === 'resmlp');
    const best = Math.max(...networks.map((m) => m.perFold.raw.auc.mean));
    expect(best).toBeGreaterThanOrEqual(0.77);
    expect(r.headline.auc.n).toBe(15);
    expect(r.headline.eceAfter.mean).toBeLessThanOrEqual(0.05);
    // beside the baselines: the network is not worse than logistic regression by more than noise, and beats the perceptron
    const auc = Object.fromEntries(r.models.map((m) => [m.kind, m.perFold.raw.auc.mean]));
    expect(auc.mlp).toBeGreaterThan(auc.perceptron);
    expect(auc.mlp).toBeGreaterThan(auc.logistic - 0.02);
    // the cost policy does better than approving or declining everyone
    expect(r.policy.evaluation.expectedCost).toBeLessThan(r.policy.evaluation.declineAllCost);
  });
});
