// The metrics of a run with the forecaster and every baseline side by side (mean ± std over seeds for the
// forecaster; baselines are deterministic), the chance band for directional accuracy, and buy-and-hold beside the
// trading figures. The best value of each row is bold.

import type { MetricKey, MetricSummary } from '@/lib/forecast/backtest';
import type { TradingMetrics } from '@/lib/forecast/trading';
import { pct } from './format';
import { FORECAST_METRICS, type MetricInfo, TRADING_METRICS } from './metricInfo';

export type MetricsColumn = {
  id: string;
  label: string;
  kind: 'model' | 'baseline';
  seeds: number[];
  metrics: Record<MetricKey, MetricSummary>;
};

/** Which column holds the best value of a row (null when the row has no direction or fewer than two values). */
function bestColumn(info: MetricInfo, values: (number | null)[]): number | null {
  if (!info.better) return null;
  let best: number | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  let present = 0;
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) return;
    present++;
    const score = info.better === 'lower' ? v : info.better === 'higher' ? -v : Math.abs(v - 0.8);
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return present >= 2 ? best : null;
}

function Cell({ s, info, seeds, bold }: { s: MetricSummary; info: MetricInfo; seeds: number[]; bold: boolean }) {
  if (s.mean === null) return <td className="text-slate-400">—</td>;
  const multi = seeds.length > 1 && s.std !== null;
  const perSeed = multi
    ? s.values.map((v, i) => `seed ${seeds[i]}: ${v === null ? '—' : info.format(v)}`).join('\n')
    : undefined;
  return (
    <td className={`whitespace-nowrap tabular-nums ${bold ? 'font-semibold text-slate-900' : ''}`} title={perSeed}>
      {info.format(s.mean)}
      {multi && <span className="text-xs text-slate-500"> ± {info.format(s.std as number)}</span>}
    </td>
  );
}

function MetricLabel({ info }: { info: MetricInfo }) {
  return (
    <td className="whitespace-nowrap text-slate-700">
      <span className="cursor-help border-b border-dotted border-slate-400" title={info.definition}>
        {info.label}
      </span>
      <span className="ml-1 text-xs text-slate-400">{info.unit}</span>
    </td>
  );
}

function Header({ columns, extra }: { columns: MetricsColumn[]; extra?: string }) {
  return (
    <thead>
      <tr>
        <th>Metric</th>
        {columns.map((c) => (
          <th key={c.id} className={c.kind === 'model' ? 'text-brand-700' : ''}>
            {c.label}
            <div className="text-xs font-normal text-slate-400">
              {c.kind === 'model' ? `mean ± std, ${c.seeds.length} seed${c.seeds.length === 1 ? '' : 's'}` : 'baseline'}
            </div>
          </th>
        ))}
        {extra && (
          <th>
            {extra}
            <div className="text-xs font-normal text-slate-400">benchmark</div>
          </th>
        )}
      </tr>
    </thead>
  );
}

export function ForecastMetricsTable({
  columns,
  chanceBand,
}: {
  columns: MetricsColumn[];
  chanceBand: { n: number; lower: number; upper: number };
}) {
  const model = columns[0];
  const da = model.metrics.directionalAccuracy.mean;
  const verdict =
    da === null
      ? null
      : da > chanceBand.upper
        ? { text: 'above the chance band', style: 'bg-emerald-100 text-emerald-800' }
        : da < chanceBand.lower
          ? { text: 'below the chance band', style: 'bg-red-100 text-red-800' }
          : { text: 'inside the chance band: no evidence of skill', style: 'bg-slate-100 text-slate-700' };
  return (
    <div className="overflow-x-auto">
      <table className="table" data-testid="forecast-metrics">
        <Header columns={columns} />
        <tbody>
          {FORECAST_METRICS.map((info) => {
            const values = columns.map((c) => c.metrics[info.key].mean);
            const best = bestColumn(info, values);
            return (
              <tr key={info.key} data-metric={info.key}>
                <MetricLabel info={info} />
                {columns.map((c, i) => (
                  <Cell key={c.id} s={c.metrics[info.key]} info={info} seeds={c.seeds} bold={best === i} />
                ))}
              </tr>
            );
          })}
          <tr>
            <td className="text-slate-700">
              <span
                className="cursor-help border-b border-dotted border-slate-400"
                title="Directional accuracy a forecaster without skill stays inside: 50 % ± 3 standard errors, SE = √(0.25 / n), n the directional calls of the first seed."
              >
                Chance band
              </span>
              <span className="ml-1 text-xs text-slate-400">%</span>
            </td>
            <td colSpan={columns.length} className="text-sm" data-testid="chance-band">
              {pct(chanceBand.lower, 1)} – {pct(chanceBand.upper, 1)} for n = {chanceBand.n} directional calls
              {verdict && (
                <span className={`ml-2 rounded px-2 py-0.5 text-xs font-medium ${verdict.style}`}>
                  {model.label}: {pct(da, 1)}, {verdict.text}
                </span>
              )}
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

export function TradingMetricsTable({ columns, buyAndHold }: { columns: MetricsColumn[]; buyAndHold: TradingMetrics }) {
  return (
    <div className="overflow-x-auto">
      <table className="table" data-testid="trading-metrics">
        <Header columns={columns} extra="Buy and hold" />
        <tbody>
          {TRADING_METRICS.map((info) => {
            const bh = (buyAndHold as unknown as Record<string, number | null>)[info.key] ?? null;
            const values = [...columns.map((c) => c.metrics[info.key].mean), bh];
            const best = bestColumn(info, values);
            return (
              <tr key={info.key} data-metric={info.key}>
                <MetricLabel info={info} />
                {columns.map((c, i) => (
                  <Cell key={c.id} s={c.metrics[info.key]} info={info} seeds={c.seeds} bold={best === i} />
                ))}
                <td className={`whitespace-nowrap tabular-nums ${best === columns.length ? 'font-semibold' : ''}`}>
                  {bh === null || !Number.isFinite(bh) ? '—' : info.format(bh)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
