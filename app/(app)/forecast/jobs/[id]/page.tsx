import Link from 'next/link';
import { notFound } from 'next/navigation';
import type { ForecastRunConfig } from '@/lib/forecast/config';
import { MODEL_LABELS, type ModelType } from '@/lib/forecast/models';
import { FORECAST_JOB_KIND, type ForecastJobPayload, type ForecastJobResult } from '@/lib/jobs/forecast';
import { getJob, listJobProgress } from '@/lib/jobs/queue';
import { getDb } from '@/lib/store/db';
import { getDataset } from '@/lib/store/repos/datasets';
import { BacktestProgress } from '../../../../_components/forecast/BacktestProgress';
import { lossPoints, toForecastJobView } from '../../../../_components/forecast/jobView';
import { SyntheticBadge } from '../../../../_components/forecast/SyntheticBadge';
import { requirePageUser } from '../../../../_server/guard';
import { cancelBacktest } from '../../actions';

export default async function ForecastJobPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser('forecast');
  const { id } = await params;
  const db = getDb();
  const job = await getJob(db, id);
  if (!job || job.kind !== FORECAST_JOB_KIND) notFound();
  // payloads queued by this page hold the resolved settings; older ones may leave fields out
  const payload = job.payload as ForecastJobPayload & Partial<ForecastRunConfig>;
  const [dataset, entries] = await Promise.all([
    getDataset(db, payload.datasetId),
    listJobProgress(db, id, { limit: 5000 }),
  ]);
  const { result, ...summary } = job;
  const view = toForecastJobView(summary, job.status === 'succeeded' ? (result as ForecastJobResult | null) : null);
  const modelType = (payload.model?.type ?? 'mlp') as ModelType;
  const wf = payload.walkForward;
  const seeds = payload.seeds?.length ?? 3;
  return (
    <div className="space-y-6">
      <div>
        <Link href="/forecast" className="text-sm text-brand-600 hover:underline">
          ← Forecast
        </Link>
        <h1 className="mt-1 text-2xl font-semibold">
          Backtest: {payload.name ?? `${MODEL_LABELS[modelType]} · h${payload.horizon ?? 1} · ${dataset?.name ?? '?'}`}
        </h1>
        <p className="text-sm text-slate-500">
          {MODEL_LABELS[modelType]} on {dataset?.name ?? 'a deleted dataset'}
          {dataset?.synthetic && <SyntheticBadge />} · horizon {payload.horizon ?? 1} day
          {(payload.horizon ?? 1) === 1 ? '' : 's'}
          {wf
            ? ` · ${wf.window} window of ${wf.trainSize} samples, retrained every ${wf.retrainEvery} days ${wf.warmStart ? '(warm start)' : '(from scratch)'}${wf.maxFolds ? `, at most ${wf.maxFolds} folds` : ''}`
            : ''}{' '}
          · {seeds} seed{seeds === 1 ? '' : 's'}, beside the naive, drift, AR and moving-average baselines
          {payload.saveModel ? ' · the final forecaster will be saved' : ''}. Runs in a worker; this page follows it
          live.
        </p>
      </div>
      <BacktestProgress
        initial={view}
        initialPoints={lossPoints(entries)}
        initialLastEntryId={entries.length > 0 ? entries[entries.length - 1].id : 0}
        cancel={cancelBacktest}
      />
    </div>
  );
}
