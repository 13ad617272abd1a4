/** "How these are computed": the definitions behind every figure on the credit pages (from lib/credit's headers). */
export function HowComputed({
  topics,
}: {
  topics: ('metrics' | 'calibration' | 'policy' | 'score' | 'psi' | 'fairness' | 'reasons')[];
}) {
  const has = (t: (typeof topics)[number]) => topics.includes(t);
  return (
    <details className="card text-sm" data-testid="how-computed">
      <summary className="cursor-pointer font-medium text-slate-700">How these are computed</summary>
      <dl className="mt-3 grid grid-cols-1 gap-x-8 gap-y-2 text-slate-600 md:grid-cols-2">
        {has('metrics') && (
          <>
            <div>
              <dt className="font-medium text-slate-800">Held-out figures</dt>
              <dd>
                Every metric is computed on applications the network did not see: stratified k-fold cross-validation,
                repeated with each seed; preprocessing is fit on the training folds only. “mean ± std” is over folds ×
                seeds (sample standard deviation).
              </dd>
            </div>
            <div>
              <dt className="font-medium text-slate-800">ROC AUC, Gini</dt>
              <dd>
                AUC = P(PD of a random bad &gt; PD of a random good), ties ½ (Mann–Whitney). Gini = 2·AUC − 1. 0.5 / 0
                is a random score.
              </dd>
            </div>
            <div>
              <dt className="font-medium text-slate-800">KS</dt>
              <dd>
                max over cut-offs t of |F<sub>bad</sub>(t) − F<sub>good</sub>(t)|, F the share of a class with PD ≥ t.
              </dd>
            </div>
            <div>
              <dt className="font-medium text-slate-800">PR AUC</dt>
              <dd>
                Average precision Σ (R<sub>k</sub> − R<sub>k−1</sub>)·P<sub>k</sub> over cut-offs, bads positive.
              </dd>
            </div>
            <div>
              <dt className="font-medium text-slate-800">Brier, log loss</dt>
              <dd>
                Brier = (1/N) Σ (PD − y)²; log loss = −(1/N) Σ [y ln PD + (1 − y) ln(1 − PD)], y = 1 for bad. Lower is
                better; both after calibration.
              </dd>
            </div>
          </>
        )}
        {has('calibration') && (
          <>
            <div>
              <dt className="font-medium text-slate-800">ECE</dt>
              <dd>
                Expected calibration error Σ<sub>b</sub> (n<sub>b</sub>/N)·|bad rate<sub>b</sub> − mean PD<sub>b</sub>|
                over 10 equal-width PD bins, on pooled out-of-fold predictions.
              </dd>
            </div>
            <div>
              <dt className="font-medium text-slate-800">Calibration</dt>
              <dd>
                Platt: PD = σ(a·z + b) fit by maximum likelihood; isotonic: a monotone step function (pool adjacent
                violators). Fit on out-of-fold scores and evaluated cross-fitted; PDs are clipped to [0.1 %, 99.9 %].
              </dd>
            </div>
          </>
        )}
        {has('score') && (
          <div>
            <dt className="font-medium text-slate-800">Score</dt>
            <dd>
              score = offset + factor·ln(odds), odds = (1 − PD) / PD; 600 points at odds 50 : 1 and 20 points to double
              the odds (higher is safer): PD 2 % ≈ 600, PD 3.8 % ≈ 580.
            </dd>
          </div>
        )}
        {has('policy') && (
          <div>
            <dt className="font-medium text-slate-800">Cut-offs and expected cost</dt>
            <dd>
              Approve when PD &lt; the approve bound, decline when PD ≥ the decline bound, refer in between. From costs:
              decline is cheaper when PD ≥ C<sub>good</sub>/(C<sub>good</sub> + C<sub>bad</sub>), ± the refer band.
              Expected cost per application = (C<sub>bad</sub>·bads approved + C<sub>good</sub>·goods declined + C
              <sub>refer</sub>·referred) / N on held-out labels.
            </dd>
          </div>
        )}
        {has('reasons') && (
          <div>
            <dt className="font-medium text-slate-800">Reasons</dt>
            <dd>
              For each field, the model is run again with the applicant’s value replaced by the typical applicant’s
              (median / most frequent): contribution = z(applicant) − z(with the typical value). Only fields that raised
              the risk appear, largest first, at most four; approved applications get none. Deterministic.
            </dd>
          </div>
        )}
        {has('psi') && (
          <div>
            <dt className="font-medium text-slate-800">PSI</dt>
            <dd>
              Σ<sub>b</sub> (a<sub>b</sub> − e<sub>b</sub>)·ln(a<sub>b</sub>/e<sub>b</sub>), e the training share and a
              the share since, over the training deciles (numbers) or categories + other + missing; shares floored at
              0.01 %. &lt; 0.10 stable, 0.10–0.25 moderate shift, ≥ 0.25 significant shift.
            </dd>
          </div>
        )}
        {has('fairness') && (
          <div>
            <dt className="font-medium text-slate-800">Four-fifths rule</dt>
            <dd>
              Approval rate (approved / all decisions; referrals are not approvals) per group, divided by the highest
              group’s rate. A ratio below 0.80 flags adverse impact. Groups under 30 decisions are too noisy to judge.
            </dd>
          </div>
        )}
      </dl>
    </details>
  );
}
