'use client';

// The run's saved forecaster: forecast the next h days from the latest bars of a prices dataset with it, or, when the
// run saved none, queue the run's settings again with "save model" on.

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
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

export function SaveModelButton({ runId }: { runId: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-600">
        This run did not save its forecaster. Saving queues the same settings again (same seeds, so the same backtest)
        and then stores the forecaster trained on the latest window, to forecast from newer data later.
      </p>
      <button
        type="button"
        className="btn-secondary"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const r = await saveRunModel({ runId });
            if (r.ok) router.push(`/forecast/jobs/${r.data.jobId}`);
            else setError(r.error);
          })
        }
      >
        {pending ? 'Queuing…' : 'Save model'}
      </button>
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}
