// "How these are computed": the definitions behind the fraud pages' figures (METRIC_DEFINITIONS from lib/fraud and
// the split and alerting rules of lib/fraud/training.ts and alerts.ts). A server component.

import { METRIC_DEFINITIONS } from '@/lib/fraud';

type Topic = 'metrics' | 'split' | 'alerts' | 'dashboard' | 'drivers' | 'gan';

export function HowComputed({ topics }: { topics: Topic[] }) {
  const has = (t: Topic) => topics.includes(t);
  return (
    <details className="card text-sm" data-testid="how-computed">
      <summary className="cursor-pointer font-medium text-slate-700">How these are computed</summary>
      <dl className="mt-3 grid grid-cols-1 gap-x-8 gap-y-2 text-slate-600 md:grid-cols-2">
        {has('metrics') &&
          Object.entries(METRIC_DEFINITIONS).map(([k, text]) => {
            const [term, ...rest] = text.split(': ');
            return (
              <div key={k}>
                <dt className="font-medium text-slate-800">{term}</dt>
                <dd>{rest.join(': ')}</dd>
              </div>
            );
          })}
        {has('split') && (
          <div>
            <dt className="font-medium text-slate-800">Train / delay / test</dt>
            <dd>
              Periods in time order (Fraud Detection Handbook ch. 5): the model trains on the training days, the
              feedback-delay days are skipped (labels are not known yet), and it is tested on the days after. Cards
              already known to be compromised before a test day are removed from it. Architectures are chosen by
              prequential validation: the same structure shifted back in time. Transactions without a known label
              (ingested, not triaged) are left out. mean ± std is over seeds.
            </dd>
          </div>
        )}
        {has('gan') && (
          <div>
            <dt className="font-medium text-slate-800">GAN oversampling vs class weights</dt>
            <dd>
              Both nets are trained on the same split with the same seeds; the difference GAN − class weights is taken
              per seed. GAN oversampling “helps” only when the mean gain in average precision is positive and larger
              than its seed-to-seed standard deviation.
            </dd>
          </div>
        )}
        {has('alerts') && (
          <div>
            <dt className="font-medium text-slate-800">Alert policies</dt>
            <dd>
              Top-k per day: a transaction is alerted when it ranks among the day&apos;s k highest scores of this model
              and the day has fewer than k alerts. Threshold: score ≥ t while the day&apos;s alerts are under the
              budget, highest scores first. A transaction is alerted at most once: re-ingesting the same id changes
              nothing.
            </dd>
          </div>
        )}
        {has('dashboard') && (
          <>
            <div>
              <dt className="font-medium text-slate-800">Confirmed-fraud share</dt>
              <dd>confirmed fraud ÷ (confirmed fraud + false positives), over decided alerts only.</dd>
            </div>
            <div>
              <dt className="font-medium text-slate-800">Score histogram</dt>
              <dd>
                The stored scores of the model that scored most recently, in 20 equal bins over [0, 1], split by the
                transactions&apos; known labels; each label&apos;s bars add up to 100 %.
              </dd>
            </div>
          </>
        )}
        {has('drivers') && (
          <div>
            <dt className="font-medium text-slate-800">What drove the score</dt>
            <dd>
              For each feature: score(x) − score(x with that feature set to its training mean), in percentage points of
              fraud probability. Features interact, so the bars need not add up to the score.
            </dd>
          </div>
        )}
      </dl>
    </details>
  );
}
