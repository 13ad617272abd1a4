'use client';

import { useCallback, useEffect, useState, useTransition } from 'react';
import type { JobView } from '../../_server/views';
import { cancelJob, startDemoJob } from './actions';

const STATUS_STYLE: Record<string, string> = {
  queued: 'bg-slate-100 text-slate-700',
  running: 'bg-blue-100 text-blue-800',
  succeeded: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
  cancelled: 'bg-amber-100 text-amber-800',
};

function duration(j: JobView, now: number): string {
  if (!j.startedAt) return '—';
  const ms = (j.finishedAt ?? now) - j.startedAt;
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

function progressText(j: JobView): string {
  const p = j.progress;
  if (!p) return '';
  const parts: string[] = [];
  if (p.stage) parts.push(p.stage);
  if (p.fold !== undefined && p.folds) parts.push(`fold ${p.fold}/${p.folds}`);
  if (p.epoch !== undefined && p.epochs) parts.push(`epoch ${p.epoch}/${p.epochs}`);
  if (p.loss !== undefined) parts.push(`loss ${p.loss.toPrecision(4)}`);
  if (p.message) parts.push(p.message);
  return parts.join(' · ');
}

export function JobsTable({ initial, userId, isAdmin }: { initial: JobView[]; userId: string; isAdmin: boolean }) {
  const [jobs, setJobs] = useState(initial);
  const [now, setNow] = useState(() => Date.now());
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  const refresh = useCallback(async () => {
    const res = await fetch('/api/jobs', { cache: 'no-store' });
    if (res.status === 401) {
      window.location.href = '/signin';
      return;
    }
    if (!res.ok) return;
    const body = (await res.json()) as { jobs: JobView[]; now: number };
    setJobs(body.jobs);
    setNow(body.now);
  }, []);

  useEffect(() => {
    const t = setInterval(() => void refresh().catch(() => undefined), 1000);
    return () => clearInterval(t);
  }, [refresh]);

  const run = (fn: () => Promise<{ ok: boolean; error?: string }>) =>
    startTransition(async () => {
      const r = await fn();
      setError(r.ok ? null : (r.error ?? 'Failed.'));
      await refresh();
    });

  return (
    <div className="space-y-4">
      <div className="flex items-center gap-3">
        <button type="button" className="btn" disabled={pending} onClick={() => run(() => startDemoJob({ steps: 20 }))}>
          Start demo job
        </button>
        <span className="text-sm text-slate-500">A short training run that shows how jobs report progress.</span>
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <div className="card overflow-x-auto p-0">
        <table className="table" data-testid="jobs-table">
          <thead>
            <tr>
              <th>Job</th>
              <th>Status</th>
              <th className="w-72">Progress</th>
              <th>Duration</th>
              <th>Started</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {jobs.length === 0 && (
              <tr>
                <td colSpan={6} className="py-6 text-center text-slate-500">
                  No jobs yet.
                </td>
              </tr>
            )}
            {jobs.map((j) => {
              const pct = j.progress?.pct ?? (j.status === 'succeeded' ? 100 : 0);
              const canCancel =
                (j.status === 'queued' || j.status === 'running') && (j.createdBy === userId || isAdmin);
              return (
                <tr key={j.id} data-job-id={j.id} data-status={j.status}>
                  <td>
                    <div className="font-medium">{j.kind}</div>
                    <div className="font-mono text-xs text-slate-400">{j.id.slice(0, 8)}</div>
                  </td>
                  <td>
                    <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[j.status] ?? ''}`}>
                      {j.status}
                      {j.cancelRequested && j.status === 'running' ? ' (cancelling)' : ''}
                    </span>
                  </td>
                  <td>
                    <div
                      className="h-2 w-full overflow-hidden rounded bg-slate-100"
                      role="progressbar"
                      aria-valuenow={Math.round(pct)}
                      aria-valuemin={0}
                      aria-valuemax={100}
                      aria-label={`Progress of job ${j.id.slice(0, 8)}`}
                    >
                      <div
                        className={`h-full ${j.status === 'failed' ? 'bg-red-400' : 'bg-brand-500'}`}
                        style={{ width: `${Math.min(100, Math.max(0, pct))}%` }}
                      />
                    </div>
                    <div className="mt-1 text-xs text-slate-500">{progressText(j)}</div>
                    {j.error && <div className="mt-1 text-xs text-red-700">{j.error}</div>}
                  </td>
                  <td className="whitespace-nowrap">{duration(j, now)}</td>
                  <td className="whitespace-nowrap text-slate-500">{new Date(j.createdAt).toLocaleString()}</td>
                  <td>
                    {canCancel && (
                      <button
                        type="button"
                        className="btn-secondary"
                        disabled={pending}
                        onClick={() => run(() => cancelJob({ id: j.id }))}
                      >
                        Cancel
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
