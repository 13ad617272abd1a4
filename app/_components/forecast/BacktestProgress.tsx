'use client';

// Live progress of one backtest job: polls /api/forecast/jobs/:id every second until the job ends ("seed s of n ·
// fold i of k · epoch e · loss"), draws the training and validation loss as they arrive, then links to the run.

import Link from 'next/link';
import { useEffect, useRef, useState, useTransition } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ForecastJobView, LossPoint } from './jobView';

const ENDED = new Set(['succeeded', 'failed', 'cancelled']);

const STATUS_STYLE: Record<string, string> = {
  queued: 'bg-slate-100 text-slate-700',
  running: 'bg-blue-100 text-blue-800',
  succeeded: 'bg-emerald-100 text-emerald-800',
  failed: 'bg-red-100 text-red-800',
  cancelled: 'bg-amber-100 text-amber-800',
};

const STAGE_LABEL: Record<string, string> = {
  features: 'building features',
  baselines: 'baselines',
  train: 'training',
  metrics: 'metrics and trading',
  final: 'final model on the latest window',
};

type Poll = ForecastJobView & { points: LossPoint[]; lastEntryId: number };

export function BacktestProgress({
  initial,
  initialPoints,
  initialLastEntryId,
  cancel,
}: {
  initial: ForecastJobView;
  initialPoints: LossPoint[];
  initialLastEntryId: number;
  cancel: (input: { id: string }) => Promise<{ ok: boolean; error?: string }>;
}) {
  const [state, setState] = useState(initial);
  const [points, setPoints] = useState(initialPoints);
  const after = useRef(initialLastEntryId);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const { job } = state;
  const ended = ENDED.has(job.status);

  useEffect(() => {
    if (ended) return;
    let stop = false;
    const tick = async () => {
      try {
        const res = await fetch(`/api/forecast/jobs/${job.id}?after=${after.current}`, { cache: 'no-store' });
        if (res.status === 401) {
          window.location.href = '/signin';
          return;
        }
        if (!res.ok || stop) return;
        const body = (await res.json()) as Poll;
        const { points: fresh, lastEntryId, ...view } = body;
        after.current = lastEntryId;
        if (fresh.length > 0) setPoints((old) => [...old, ...fresh].slice(-2000));
        setState(view);
      } catch {
        // a missed poll is retried on the next tick
      }
    };
    const t = setInterval(() => void tick(), 1000);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [job.id, ended]);

  const p = job.progress;
  const pct = Math.min(100, Math.max(0, p?.pct ?? (job.status === 'succeeded' ? 100 : 0)));
  const elapsed = job.startedAt ? Math.round(((job.finishedAt ?? Date.now()) - job.startedAt) / 1000) : null;
  const stage = p?.stage ? (STAGE_LABEL[p.stage] ?? p.stage) : job.status === 'queued' ? 'waiting for a worker' : '—';
  const chart = points.map((pt, i) => ({ ...pt, i: i + 1 }));
  return (
    <div className="space-y-4">
      <div className="card space-y-3" data-testid="backtest-job" data-status={job.status}>
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div className="flex items-center gap-3 text-sm">
            <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[job.status] ?? ''}`}>
              <span data-testid="job-status">{job.status}</span>
              {job.cancelRequested && !ended ? ' (cancelling)' : ''}
            </span>
            {elapsed !== null && <span className="text-slate-500">{elapsed} s</span>}
          </div>
          {!ended && (
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
              Cancel backtest
            </button>
          )}
        </div>
        <div
          className="h-2.5 w-full overflow-hidden rounded bg-slate-100"
          role="progressbar"
          aria-label="Backtest progress"
          aria-valuenow={Math.round(pct)}
          aria-valuemin={0}
          aria-valuemax={100}
        >
          <div
            className={`h-full transition-all ${job.status === 'failed' ? 'bg-red-400' : 'bg-brand-500'}`}
            style={{ width: `${pct}%` }}
          />
        </div>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm md:grid-cols-6">
          <div>
            <dt className="text-slate-500">Done</dt>
            <dd>{pct.toFixed(0)} %</dd>
          </div>
          <div>
            <dt className="text-slate-500">Stage</dt>
            <dd>{stage}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Seed</dt>
            <dd>{state.seedIndex && state.seeds ? `${state.seedIndex} of ${state.seeds}` : '—'}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Fold</dt>
            <dd data-testid="job-fold">{p?.fold && p.folds ? `fold ${p.fold} of ${p.folds}` : '—'}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Epoch</dt>
            <dd>{p?.epoch !== undefined && p.epochs ? `${p.epoch} of ${p.epochs}` : '—'}</dd>
          </div>
          <div>
            <dt className="text-slate-500">Loss · validation</dt>
            <dd className="tabular-nums">
              {p?.loss !== undefined ? p.loss.toFixed(4) : '—'} ·{' '}
              {state.valLoss !== null ? state.valLoss.toFixed(4) : '—'}
            </dd>
          </div>
        </dl>
        {p?.message && <p className="font-mono text-xs text-slate-600">{p.message}</p>}
        {job.status === 'failed' && (
          <p role="alert" className="whitespace-pre-line rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            The backtest failed: {job.error ?? 'no reason recorded'}. Nothing was stored.
          </p>
        )}
        {job.status === 'cancelled' && (
          <p className="text-sm text-amber-700">The backtest was cancelled; nothing was stored.</p>
        )}
        {error && (
          <p role="alert" className="text-sm text-red-700">
            {error}
          </p>
        )}
        {job.status === 'succeeded' && state.runId && (
          <div className="flex flex-wrap items-center gap-3">
            <Link href={`/forecast/runs/${state.runId}`} className="btn">
              Open the results
            </Link>
            {state.modelId && (
              <span className="text-sm text-slate-600">The forecaster was saved to the model registry.</span>
            )}
          </div>
        )}
      </div>
      {chart.length > 1 && (
        <div className="card">
          <h2 className="text-sm font-semibold text-slate-700">Training loss per epoch</h2>
          <p className="text-xs text-slate-500">
            Pinball (quantile head) or squared-error loss on the target divided by its training standard deviation; the
            validation loss is on the held-out segment at the end of each train window. Every fold starts a new curve.
          </p>
          <div className="mt-2 h-56">
            <ResponsiveContainer width="100%" height="100%">
              <LineChart data={chart} margin={{ top: 5, right: 10, bottom: 0, left: 0 }}>
                <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
                <XAxis dataKey="i" fontSize={11} tickFormatter={(i: number) => `${i}`} />
                <YAxis fontSize={11} width={50} domain={['auto', 'auto']} tickFormatter={(v: number) => v.toFixed(3)} />
                <Tooltip
                  formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))}
                  labelFormatter={(_, payload) => {
                    const pt = payload?.[0]?.payload as LossPoint | undefined;
                    return pt ? `seed ${pt.seed} · fold ${pt.fold} · epoch ${pt.epoch}` : '';
                  }}
                />
                <Legend wrapperStyle={{ fontSize: 11 }} />
                <Line dataKey="loss" name="training loss" stroke="#1d4ed8" dot={false} isAnimationActive={false} />
                <Line
                  dataKey="valLoss"
                  name="validation loss"
                  stroke="#f59e0b"
                  dot={false}
                  isAnimationActive={false}
                  connectNulls
                />
              </LineChart>
            </ResponsiveContainer>
          </div>
        </div>
      )}
    </div>
  );
}
