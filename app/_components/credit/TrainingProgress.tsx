'use client';

// Live progress of one credit training job: polls /api/credit/jobs/:id every second until the job ends, then links to
// the model page (or shows why it failed).

import Link from 'next/link';
import { useState, useTransition } from 'react';
import type { JobView } from '../../_server/views';
import { usePolledJob } from '../jobs/usePolledJob';

type JobState = { job: JobView; modelId: string | null; modelName: string | null };

export function TrainingProgress({
  initial,
  cancel,
}: {
  initial: JobState;
  cancel?: (input: { id: string }) => Promise<{ ok: boolean; error?: string }>;
}) {
  const [state, ended] = usePolledJob(`/api/credit/jobs/${initial.job.id}`, initial);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const { job } = state;

  const p = job.progress;
  const pct = Math.min(100, Math.max(0, p?.pct ?? (job.status === 'succeeded' ? 100 : 0)));
  const elapsed = job.startedAt ? Math.round(((job.finishedAt ?? Date.now()) - job.startedAt) / 1000) : null;
  return (
    <div className="card space-y-3" data-testid="training-job" data-status={job.status}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="text-sm">
          <span className="font-medium">Status: </span>
          <span data-testid="job-status">{job.status}</span>
          {job.cancelRequested && !ended ? ' (cancelling)' : ''}
          {elapsed !== null && <span className="text-slate-500"> · {elapsed} s</span>}
        </div>
        {!ended && cancel && (
          <button
            type="button"
            className="btn-secondary"
            disabled={pending || job.cancelRequested}
            onClick={() =>
              start(async () => {
                const r = await cancel({ id: job.id });
                setError(r.ok ? null : (r.error ?? 'Could not cancel.'));
              })
            }
          >
            Cancel training
          </button>
        )}
      </div>
      <div
        className="h-2.5 w-full overflow-hidden rounded bg-slate-100"
        role="progressbar"
        aria-label="Training progress"
        aria-valuenow={Math.round(pct)}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div
          className={`h-full transition-all ${job.status === 'failed' ? 'bg-red-400' : 'bg-brand-500'}`}
          style={{ width: `${pct}%` }}
        />
      </div>
      <div className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm md:grid-cols-4">
        <div>
          <span className="text-slate-500">Done </span>
          {pct.toFixed(0)} %
        </div>
        <div>
          <span className="text-slate-500">Stage </span>
          {p?.stage ?? (job.status === 'queued' ? 'waiting for a worker' : '—')}
        </div>
        <div>
          <span className="text-slate-500">Fold </span>
          {p?.fold !== undefined && p.folds ? `${p.fold} / ${p.folds}` : '—'}
        </div>
        <div>
          <span className="text-slate-500">Epoch </span>
          {p?.epoch !== undefined && p.epochs ? `${p.epoch} / ${p.epochs}` : '—'}
          {p?.loss !== undefined ? ` · loss ${p.loss.toFixed(4)}` : ''}
        </div>
      </div>
      {p?.message && <p className="font-mono text-xs text-slate-600">{p.message}</p>}
      {job.status === 'failed' && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          Training failed: {job.error ?? 'no reason recorded'}
        </p>
      )}
      {job.status === 'cancelled' && (
        <p className="text-sm text-amber-700">Training was cancelled; no model was saved.</p>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      {job.status === 'succeeded' && state.modelId && (
        <div className="flex items-center gap-3">
          <Link href={`/credit/models/${state.modelId}`} className="btn">
            Open the model
          </Link>
          <span className="text-sm text-slate-600">Saved as “{state.modelName}”.</span>
        </div>
      )}
    </div>
  );
}
