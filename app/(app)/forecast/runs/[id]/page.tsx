import Link from 'next/link';
import { notFound } from 'next/navigation';
import { PRICES_KIND } from '@/lib/data/import';
import type { ModelConfig } from '@/lib/forecast/models';
import { getDb } from '@/lib/store/db';
import { getDataset, listDatasets } from '@/lib/store/repos/datasets';
import { getForecastRun } from '@/lib/store/repos/forecast';
import { getModel } from '@/lib/store/repos/models';
import { getUserById } from '@/lib/store/repos/users';
import { dateTime, duration } from '../../../../_components/forecast/format';
import { HowComputed } from '../../../../_components/forecast/HowComputed';
import {
  ForecastMetricsTable,
  type MetricsColumn,
  TradingMetricsTable,
} from '../../../../_components/forecast/MetricsTable';
import {
  DrawdownChart,
  EquityChart,
  PriceForecastChart,
  ResidualHistogram,
  type RunChartData,
} from '../../../../_components/forecast/RunCharts';
import { SyntheticBadge } from '../../../../_components/forecast/SyntheticBadge';
import { requirePageUser } from '../../../../_server/guard';
import { ForecastResult, SavedModelForecast, SaveModelButton } from './ModelActions';

export default async function ForecastRunPage({ params }: { params: Promise<{ id: string }> }) {
  await requirePageUser('forecast');
  const { id } = await params;
  const db = getDb();
  const run = await getForecastRun(db, id);
  if (!run) notFound();
  const [dataset, savedModel, creator, priceDatasets] = await Promise.all([
    getDataset(db, run.datasetId),
    run.modelId ? getModel(db, run.modelId) : Promise.resolve(undefined),
    run.createdBy ? getUserById(db, run.createdBy) : Promise.resolve(undefined),
    listDatasets(db, { kind: PRICES_KIND }),
  ]);
  const r = run.result;
  const c = r.config;
  const wf = c.walkForward;
  const h = r.horizon;
  const modelSeeds = r.models[0].seeds;

  // column labels name the baselines' settings, e.g. AR(5), MA(20)
  const columnLabel = (m: (typeof r.models)[number]): string =>
    m.id === 'ar' ? `AR(${c.baselines.arOrder})` : m.id === 'ma' ? `MA(${c.baselines.maWindow})` : m.label;
  const columns: MetricsColumn[] = r.models.map((m) => ({
    id: m.id,
    label: columnLabel(m),
    kind: m.kind,
    seeds: m.seeds,
    metrics: m.metrics,
  }));
  const chart: RunChartData = {
    horizon: h,
    chartSeed: r.models[0].chart.seed,
    dates: r.dates,
    targetDates: r.targetDates,
    actualPrice: r.actualPrice,
    actualReturn: r.actualReturn,
    models: r.models.map((m) => ({
      id: m.id,
      label: columnLabel(m),
      kind: m.kind,
      p50: m.chart.p50,
      priceP10: m.chart.priceP10,
      priceP50: m.chart.priceP50,
      priceP90: m.chart.priceP90,
      equity: m.chart.equity,
      drawdown: m.chart.drawdown,
    })),
    tradingDates: r.tradingDates,
    buyAndHold: { equity: r.buyAndHold.equity, drawdown: r.buyAndHold.drawdown },
  };
  const training = r.models[0].training?.[0] ?? [];
  const next = run.summary.nextForecast;
  const settings: [string, string][] = [
    ['Model', `${r.modelLabel}${describeModel(c.model)}`],
    ['Horizon', `${h} trading day${h === 1 ? '' : 's'} (target: log return ln(Cₜ₊ₕ / Cₜ))`],
    ['Features', r.featureNames.join(', ')],
    [
      'Walk-forward',
      `${wf.window} window, N = ${wf.trainSize} samples, retrain every ${wf.retrainEvery} days ${wf.warmStart ? 'warm-started from the previous fold' : 'from scratch'}, validation ${(100 * wf.validationFraction).toFixed(0)} %, purge gap ${h} day${h === 1 ? '' : 's'}${wf.maxFolds ? `, at most ${wf.maxFolds} folds` : ''}`,
    ],
    ['Seeds', modelSeeds.join(', ')],
    [
      'Trading',
      `${c.trading.mode === 'longShort' ? 'long / short' : 'long / flat'}, θ = ${c.trading.threshold}, costs ${c.trading.costBp} bp per side, risk-free ${(100 * c.trading.riskFreeRate).toFixed(2)} % / yr`,
    ],
    ['Prices', r.adjusted ? 'adjusted (Adj Close)' : 'as quoted (no adjusted close in the data)'],
    [
      'Time',
      `${duration(r.timing.totalMs)} (training ${duration(r.timing.trainMs)}, ${r.timing.epochs} epochs in all)`,
    ],
  ];
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <Link href="/forecast" className="text-sm text-brand-600 hover:underline">
            ← Forecast
          </Link>
          <h1 className="mt-1 text-2xl font-semibold">{run.name}</h1>
          <p className="text-sm text-slate-500">
            {dataset?.name ?? 'a deleted dataset'}
            {dataset?.synthetic && <SyntheticBadge />} · {r.dates.length} out-of-sample test days, {r.dates[0]} →{' '}
            {r.dates[r.dates.length - 1]} · {r.folds.length} fold{r.folds.length === 1 ? '' : 's'} · run{' '}
            {dateTime(run.createdAt)}
            {creator ? ` by ${creator.name}` : ''}
          </p>
        </div>
        <div className="flex gap-2">
          <a className="btn-secondary" href={`/api/forecast/runs/${run.id}/predictions.csv`} download>
            Predictions CSV
          </a>
          <a className="btn-secondary" href={`/api/forecast/runs/${run.id}/metrics.csv`} download>
            Metrics CSV
          </a>
          <Link className="btn-secondary" href={`/forecast/new?dataset=${run.datasetId}`}>
            New backtest on this data
          </Link>
        </div>
      </div>

      {(r.warnings.length > 0 || dataset?.synthetic) && (
        <div
          className="space-y-1 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900"
          data-testid="warnings"
        >
          {dataset?.synthetic && (
            <p>
              The data are synthetic (a seeded simulator), not market prices: use them to check the method, not a
              market.
            </p>
          )}
          {r.warnings.map((w) => (
            <p key={w}>{w}</p>
          ))}
        </div>
      )}

      <section className="card">
        <dl className="grid grid-cols-1 gap-x-8 gap-y-2 text-sm md:grid-cols-2">
          {settings.map(([k, v]) => (
            <div key={k} className="flex gap-3">
              <dt className="w-28 shrink-0 text-slate-500">{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </section>

      <PriceForecastChart data={chart} />

      <section className="card space-y-3">
        <div>
          <h2 className="text-base font-semibold">Forecast accuracy</h2>
          <p className="text-xs text-slate-500">
            Out-of-sample test days only; the model and every baseline are scored on the same points. Hover a metric for
            its definition; the best value in each row is bold.
          </p>
        </div>
        <ForecastMetricsTable columns={columns} chanceBand={r.chanceBand} />
      </section>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <EquityChart data={chart} />
        <DrawdownChart data={chart} />
      </div>

      <section className="card space-y-3">
        <div>
          <h2 className="text-base font-semibold">Trading after costs</h2>
          <p className="text-xs text-slate-500">
            Decide at the close of day t, fill at the open of t + 1; {c.trading.costBp} bp per unit traded on both legs;
            annualised with 252 trading days.
          </p>
        </div>
        <TradingMetricsTable columns={columns} buyAndHold={r.buyAndHold.metrics} />
      </section>

      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-2">
        <ResidualHistogram data={chart} />
        <section className="card space-y-4">
          <h2 className="text-base font-semibold">Forecast from the latest data</h2>
          {next ? (
            <ForecastResult
              f={next}
              title={`Forecaster retrained on the latest window (seed ${modelSeeds[0]}), at the last bar`}
            />
          ) : (
            <p className="text-sm text-slate-500">This run did not forecast past the data.</p>
          )}
          {savedModel ? (
            <SavedModelForecast
              modelId={savedModel.id}
              modelName={savedModel.name}
              horizon={h}
              datasets={priceDatasets.map((d) => ({
                id: d.id,
                name: d.synthetic && !/synthetic/i.test(d.name) ? `${d.name} (synthetic)` : d.name,
              }))}
              defaultDatasetId={run.datasetId}
            />
          ) : (
            <SaveModelButton runId={run.id} />
          )}
        </section>
      </div>

      <section className="card">
        <div>
          <h2 className="text-base font-semibold">Folds</h2>
          <p className="text-xs text-slate-500">
            Each fold&apos;s train window, the purge gap of {h} day{h === 1 ? '' : 's'} before its test days, the rows
            its scaler was fitted on, and how training ended (seed {modelSeeds[0]}).
          </p>
        </div>
        <div className="-mx-5 mt-3 overflow-x-auto">
          <table className="table" data-testid="folds">
            <thead>
              <tr>
                <th>Fold</th>
                <th>Train window</th>
                <th>Fit · validation</th>
                <th>Scaler fitted on</th>
                <th>Test days</th>
                <th>Epochs (best)</th>
                <th>Stopped</th>
                <th>Loss · validation</th>
              </tr>
            </thead>
            <tbody>
              {r.folds.map((f, i) => {
                const t = training[i];
                return (
                  <tr key={f.fold}>
                    <td>{f.fold}</td>
                    <td className="whitespace-nowrap">
                      {f.trainStart} → {f.trainEnd}
                    </td>
                    <td className="whitespace-nowrap tabular-nums">
                      {f.fitSamples} · {f.valSamples}
                      {f.valStart ? <span className="text-xs text-slate-400"> from {f.valStart}</span> : ''}
                    </td>
                    <td className="whitespace-nowrap text-xs">
                      {f.scalerRows.firstDate} → {f.scalerRows.lastDate}
                    </td>
                    <td className="whitespace-nowrap">
                      {f.testStart} → {f.testEnd} <span className="text-xs text-slate-400">({f.testSamples})</span>
                    </td>
                    <td className="tabular-nums">
                      {t ? `${t.epochs}${t.bestEpoch !== null ? ` (${t.bestEpoch})` : ''}` : '—'}
                    </td>
                    <td className="text-xs">{t?.stopReason ?? '—'}</td>
                    <td className="whitespace-nowrap tabular-nums text-xs">
                      {t?.loss != null ? t.loss.toFixed(4) : '—'} · {t?.valLoss != null ? t.valLoss.toFixed(4) : '—'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <HowComputed horizon={h} costBp={c.trading.costBp} riskFreeRate={c.trading.riskFreeRate} />
    </div>
  );
}

/** " (window 20, hidden 8, …)": the settings that apply to the model type. */
function describeModel(m: ModelConfig): string {
  const parts: string[] = [];
  if (m.type !== 'mlp' && m.type !== 'esn') parts.push(`window ${m.window}`);
  parts.push(`${m.type === 'esn' ? 'reservoir' : 'hidden'} ${m.hidden}`);
  if (m.type === 'esn') parts.push(`ρ ${m.spectralRadius}`, `leak ${m.leakRate}`);
  else {
    parts.push(`${m.layers} layer${m.layers === 1 ? '' : 's'}`, `≤ ${m.epochs} epochs`, `lr ${m.learningRate}`);
    if (m.dropout > 0) parts.push(`dropout ${m.dropout}`);
    parts.push(m.quantiles ? 'quantile head' : 'MSE head');
  }
  return ` (${parts.join(', ')})`;
}
