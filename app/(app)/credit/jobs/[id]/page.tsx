import Link from 'next/link';
import { notFound } from 'next/navigation';
import { MODEL_KIND_LABELS } from '@/lib/credit/classifiers';
import { CREDIT_TRAIN_JOB_KIND, type CreditTrainJobResult, type CreditTrainPayload } from '@/lib/jobs/credit';
import { getJob } from '@/lib/jobs/queue';
import { getDb } from '@/lib/store/db';
import { getDataset } from '@/lib/store/repos/datasets';
import { TrainingProgress } from '../../../../_components/credit/TrainingProgress';
import { requirePageUser } from '../../../../_server/guard';
import { toJobView } from '../../../../_server/views';
import { cancelJob } from '../../../jobs/actions';

export default async function CreditJobPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser('credit');
  const { id } = await params;
  const db = getDb();
  const job = await getJob(db, id);
  if (!job || job.kind !== CREDIT_TRAIN_JOB_KIND) notFound();
  const payload = job.payload as CreditTrainPayload;
  const dataset = await getDataset(db, payload.datasetId);
  const { result, ...summary } = job;
  const r = job.status === 'succeeded' ? (result as CreditTrainJobResult | null) : null;
  const seeds = typeof payload.seeds === 'number' ? payload.seeds : (payload.seeds?.length ?? 3);
  return (
    <div className="space-y-6">
      <div>
        <Link href="/credit" className="text-sm text-brand-600 hover:underline">
          ← Credit
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">
          Training: {payload.name ?? MODEL_KIND_LABELS[payload.modelKind ?? 'mlp']}
        </h1>
        <p className="text-sm text-slate-500">
          {MODEL_KIND_LABELS[payload.modelKind ?? 'mlp']} on {dataset?.name ?? 'a deleted dataset'} ·{' '}
          {payload.folds ?? 5}-fold stratified cross-validation × {seeds} seed{seeds === 1 ? '' : 's'}, beside the
          baselines
          {payload.baselines ? ` (${payload.baselines.join(', ') || 'none'})` : ' (logistic, perceptron)'}; then the
          final model on every row. Runs in a worker; this page follows it live.
        </p>
      </div>
      <TrainingProgress
        initial={{ job: toJobView(summary), modelId: r?.modelId ?? null, modelName: r?.name ?? null }}
        cancel={cancelJob}
      />
    </div>
  );
}
