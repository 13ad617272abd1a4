import Link from 'next/link';
import { notFound } from 'next/navigation';
import { simulateLiveTransactions } from '@/lib/fraud';
import { getDb } from '@/lib/store/db';
import { SyntheticBadge } from '../../../../../_components/fraud/Badges';
import { HowComputed } from '../../../../../_components/fraud/HowComputed';
import { requirePageUser } from '../../../../../_server/guard';
import { reportOfModel } from '../../../queries';
import { BatchScore } from './BatchScore';
import { ScoreOneForm } from './ScoreOneForm';

export default async function FraudScorePage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser('fraud');
  const { id } = await params;
  const found = await reportOfModel(id);
  if (!found?.dataset) notFound();
  const { run, report, dataset } = found;
  const nextDay = dataset.days;
  const example =
    dataset.source === 'simulator'
      ? (await simulateLiveTransactions(getDb(), dataset.id, { fromDay: nextDay, days: 1 })).transactions[0]
      : undefined;
  const nextDate = new Date(dataset.startMs + nextDay * 86_400_000).toISOString().slice(0, 10);
  return (
    <div className="space-y-6">
      <div>
        <Link href={`/fraud/models/${id}`} className="text-sm text-brand-600 hover:underline">
          ← {run.name}
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">Score transactions</h1>
        <p className="max-w-3xl text-sm text-slate-500">
          The model computes each transaction&apos;s 15 features from the stored history of{' '}
          <span className="font-medium">{dataset.name}</span>
          <SyntheticBadge /> (the customer&apos;s last 30 days; the terminal&apos;s windows {report.config.delayDays}{' '}
          days back, the feedback delay) and returns the fraud probability. Preview stores nothing; ingest stores the
          transaction and its score and raises an alert under the policy. Ingesting the same transaction id again
          changes nothing and never raises a second alert. Malformed transactions are rejected field by field and
          nothing of the request is stored.
        </p>
      </div>
      {dataset.source !== 'simulator' ? (
        <div className="card text-sm">
          This model was trained on the ULB sample, whose anonymised features cannot be computed for new transactions.
        </div>
      ) : (
        <>
          <ScoreOneForm modelId={id} example={example ?? null} />
          <BatchScore
            modelId={id}
            liveCsv={{ href: `/api/fraud/datasets/${dataset.id}/live?fromDay=${nextDay}&days=1`, date: nextDate }}
          />
        </>
      )}
      <HowComputed topics={['alerts', 'drivers']} />
    </div>
  );
}
