import Link from 'next/link';
import { fraudTrainConfigSchema, IMBALANCE_STRATEGIES, listFraudDatasets, STRATEGY_LABELS } from '@/lib/fraud';
import { getDb } from '@/lib/store/db';
import { requirePageUser } from '../../../_server/guard';
import { datasetFigures } from '../queries';
import { type DatasetOption, TrainForm } from './TrainForm';

export default async function FraudTrainPage({ searchParams }: { searchParams: Promise<{ dataset?: string }> }) {
  await requirePageUser('fraud');
  const { dataset } = await searchParams;
  const datasets = await listFraudDatasets(getDb());
  const options: DatasetOption[] = datasets.map((d) => {
    const f = datasetFigures(d);
    return {
      id: d.id,
      name: d.name,
      source: d.source,
      days: d.days,
      startMs: d.startMs,
      transactions: f.transactions ?? 0,
      fraudRate: f.fraudRate,
    };
  });
  const selected = options.find((d) => d.id === dataset)?.id ?? options[0]?.id ?? '';
  const defaults = fraudTrainConfigSchema.parse({ datasetId: 'defaults' });
  return (
    <div className="space-y-6">
      <div>
        <Link href="/fraud" className="text-sm text-brand-600 hover:underline">
          ← Fraud
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">Train a fraud scorer</h1>
        <p className="max-w-3xl text-sm text-slate-500">
          Time-ordered evaluation after the Fraud Detection Handbook: train, feedback delay, test. The feed-forward
          architecture is chosen by prequential validation on earlier periods; the amount rule and logistic regression
          are trained and tested on the same split beside every net, over several seeds. The deployed net then raises
          the top-k alerts of each test day. Training runs in a worker and you can follow it live.
        </p>
      </div>
      {options.length === 0 ? (
        <div className="card text-sm">
          There is no fraud dataset yet.{' '}
          <Link href="/fraud/simulate" className="text-brand-600 underline">
            Simulate one
          </Link>{' '}
          or{' '}
          <Link href="/fraud/import" className="text-brand-600 underline">
            import the ULB sample
          </Link>
          .
        </div>
      ) : (
        <TrainForm
          datasets={options}
          selected={selected}
          strategies={IMBALANCE_STRATEGIES.map((s) => ({ value: s, label: STRATEGY_LABELS[s] }))}
          defaults={{
            trainDays: defaults.trainDays,
            delayDays: defaults.delayDays,
            testDays: defaults.testDays,
            folds: defaults.folds,
            seeds: defaults.seeds,
            epochs: defaults.epochs,
            batchSize: defaults.batchSize,
            learningRate: defaults.learningRate,
            dropout: defaults.dropout,
            ganSteps: defaults.gan.steps,
            hidden: defaults.hiddenCandidates.map((h) => h.join(', ')).join('; '),
            strategies: defaults.strategies,
            primary: defaults.primary,
            fracTrain: defaults.fractions.train,
            fracValidation: defaults.fractions.validation,
          }}
        />
      )}
    </div>
  );
}
