// The serialisable view of a backtest job that the job page renders and /api/forecast/jobs/:id returns: the common
// job view plus the backtest's own progress figures (validation loss, seed i of n) and, once done, its run.

import type { ForecastJobResult } from '@/lib/jobs/forecast';
import type { JobProgressEntry } from '@/lib/jobs/queue';
import type { JobSummary } from '@/lib/jobs/types';
import { type JobView, toJobView } from '../../_server/views';

export type ForecastJobView = {
  job: JobView;
  valLoss: number | null;
  seedIndex: number | null;
  seeds: number | null;
  runId: string | null;
  modelId: string | null;
};

/** One point of the live loss curve. */
export type LossPoint = { id: number; seed: number; fold: number; epoch: number; loss: number; valLoss: number | null };

export function toForecastJobView(job: JobSummary, result: ForecastJobResult | null): ForecastJobView {
  const p = job.progress;
  return {
    job: toJobView(job),
    valLoss: p?.valLoss ?? null,
    seedIndex: p?.metrics?.seedIndex ?? null,
    seeds: p?.metrics?.seeds ?? null,
    runId: result?.runId ?? null,
    modelId: result?.modelId ?? null,
  };
}

/** The training-loss reports among progress entries (one per epoch at most, throttled to about one a second). */
export function lossPoints(entries: JobProgressEntry[]): LossPoint[] {
  const out: LossPoint[] = [];
  for (const e of entries) {
    const p = e.progress;
    if (p.stage !== 'train' || p.loss === undefined || p.epoch === undefined || p.fold === undefined) continue;
    out.push({
      id: e.id,
      seed: p.metrics?.seedIndex ?? 1,
      fold: p.fold,
      epoch: p.epoch,
      loss: p.loss,
      valLoss: p.valLoss ?? null,
    });
  }
  return out;
}
