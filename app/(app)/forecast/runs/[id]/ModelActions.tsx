'use client';

// The run's saved forecaster: forecast the next h days from the latest bars of a prices dataset with it, or, when the
// run saved none, queue a 'forecast.saveModel' job (trains only the final forecaster) and follow it until it is saved.

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState, useTransition } from 'react';
import { fixed, pct, price } from '../../../../_components/forecast/format';
import { forecastFromModel, saveRunModel } from '../../actions';

type Forecast = {
  asOf: string;
  targetDate: string;
  horizon: number;
  basePrice: number;
  p10: number;
  p50: number;
  p90: number;
  priceP10: number;
  priceP50: number;
  priceP90: number;
  modelName: string;
  modelLabel: string;
};

export function ForecastResult({ f, title }: { f: Omit<Forecast, 'modelName' | 'modelLabel'>; title: string }) {
  const up = f.p50 >= 0;
  return (
    <div className="rounded-md border border-slate-200 bg-slate-50 p-4" data-testid="next-forecast">
      <div className="text-xs font-medium uppercase tracking-wide text-slate-500">{title}</div>
      <div className="mt-2 grid grid-cols-2 gap-x-6 gap-y-3 text-sm">
        <div>
          <div className="text-slate-500">Last close ({f.asOf})</div>
          <div className="text-lg tabular-nums">{price(f.basePrice)}</div>
        </div>
        <div>
          <div className="text-slate-500">
            P50 for {f.targetDate} (+{f.horizon} session{f.horizon === 1 ? '' : 's'})
          </div>
          <div className="text-lg font-semibold tabular-nums" data-testid="forecast-p50">
            {price(f.priceP50)}{' '}
            <span className={`text-sm ${up ? 'text-emerald-700' : 'text-red-700'}`}>
              ({up ? '+' : ''}
              {pct(Math.expm1(f.p50), 2)})
            </span>
          </div>
        </div>
        <div>
          <div className="text-slate-500">80 % interval (P10 – P90)</div>
          <div className="text-lg tabular-nums">
            {price(f.priceP10)} – {price(f.priceP90)}
          </div>
        </div>
        <div>
          <div className="text-slate-500">Log return P10 / P50 / P90</div>
          <div className="tabular-nums">
            {fixed(f.p10, 4)} / {fixed(f.p50, 4)} / {fixed(f.p90, 4)}
          </div>
        </div>
      </div>
    </div>
  );
}

export function SavedModelForecast({
  modelId,
  modelName,
  horizon,
  datasets,
  defaultDatasetId,
}: {
  modelId: string;
  modelName: string;
  horizon: number;
  datasets: { id: string; name: string }[];
  defaultDatasetId: string;
}) {
  const [datasetId, setDatasetId] = useState(defaultDatasetId);
  const [result, setResult] = useState<Forecast | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">
        Saved to the registry as <span className="font-medium">“{modelName}”</span> (
        <Link href="/models" className="text-brand-600 hover:underline">
          Models
        </Link>
        ). It rebuilds the features of any price dataset with the saved settings and scaler, and forecasts from its last
        bar.
      </p>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label className="label" htmlFor="fc-dataset">
            Latest data from
          </label>
          <select id="fc-dataset" className="input" value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="btn"
          disabled={pending}
          onClick={() =>
            start(async () => {
              const r = await forecastFromModel({ modelId, datasetId });
              if (r.ok) {
                setResult(r.data);
                setError(null);
              } else {
                setResult(null);
                setError(r.error);
              }
            })
          }
        >
          {pending ? 'Forecasting…' : `Forecast the next ${horizon} day${horizon === 1 ? '' : 's'}`}
        </button>
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {result && <ForecastResult f={result} title={`${result.modelLabel} · saved model forecast`} />}
    </div>
  );
}

/** What GET /api/jobs reports of one job (the fields this button reads). */
type SaveJobView = {
  id: string;
  status: string;
  error: string | null;
  progress: { pct?: number | null; message?: string } | null;
};

export function SaveModelButton({ runId }: { runId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [pending, start] = useTransition();

  // Follow the save job; when it has succeeded the page re-renders with the saved model in place of this button.
  useEffect(() => {
    if (!jobId) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const res = await fetch('/api/jobs', { cache: 'no-store' });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const { jobs } = (await res.json()) as { jobs: SaveJobView[] };
        const job = jobs.find((j) => j.id === jobId);
        if (stopped) return;
        if (job?.status === 'succeeded') {
          setStatus('Saved.');
          router.refresh();
          return;
        }
        if (job && job.status !== 'queued' && job.status !== 'running') {
          setJobId(null);
          setStatus(null);
          setError(job.error ? `Saving failed: ${job.error}` : `Saving ended: ${job.status}.`);
          return;
        }
        if (job?.status === 'queued') setStatus('Waiting for a worker…');
        else if (job?.progress?.message) setStatus(job.progress.message);
        // not among the newest jobs any more: reload the page, which shows the model once it is saved
        else if (!job) router.refresh();
      } catch {
        // a failed poll is retried
      }
      if (!stopped) timer = setTimeout(poll, 1500);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [jobId, router]);

  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600">
        This run did not save its forecaster. Saving trains only the final forecaster again, with the run&apos;s exact
        settings and seed on its latest training window (the backtest is not repeated), and stores it in the registry to
        forecast from newer data later.
      </p>
      <button
        type="button"
        className="btn-secondary"
        disabled={pending || jobId !== null}
        onClick={() =>
          start(async () => {
            setError(null);
            const r = await saveRunModel({ runId });
            if (r.ok) {
              setJobId(r.data.jobId);
              setStatus('Queued…');
            } else setError(r.error);
          })
        }
      >
        {pending ? 'Queuing…' : jobId ? 'Saving…' : 'Save model'}
      </button>
      {status && (
        <p className="text-sm text-slate-600" role="status" data-testid="save-model-status">
          {status}
        </p>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
