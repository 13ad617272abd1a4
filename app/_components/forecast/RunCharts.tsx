'use client';

// The charts of a backtest run: predicted vs actual price with the P10–P90 band, equity curves against buy-and-hold,
// drawdowns, and the histogram of residuals (realised minus predicted h-day log return).

import { type ReactNode, useMemo, useState } from 'react';
import {
  Area,
  Bar,
  BarChart,
  Brush,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';

/** What the run page sends: the result's arrays for the charts, without the metrics. */
export type RunChartData = {
  horizon: number;
  chartSeed: number;
  dates: string[];
  targetDates: string[];
  actualPrice: number[];
  actualReturn: number[];
  models: {
    id: string;
    label: string;
    kind: 'model' | 'baseline';
    p50: number[];
    priceP10: number[];
    priceP50: number[];
    priceP90: number[];
    equity: number[];
    drawdown: number[];
  }[];
  tradingDates: string[];
  buyAndHold: { equity: number[]; drawdown: number[] };
};

const COLORS: Record<string, string> = {
  model: '#1d4ed8',
  naive: '#f59e0b',
  drift: '#10b981',
  ar: '#a855f7',
  ma: '#ef4444',
  bh: '#334155',
};

/** At most `max` evenly spaced indices (always keeping the last), so long runs stay quick to draw. */
function sampleIndices(n: number, max = 1200): number[] {
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const step = n / max;
  const out: number[] = [];
  for (let k = 0; k < max; k++) out.push(Math.floor(k * step));
  if (out[out.length - 1] !== n - 1) out.push(n - 1);
  return out;
}

/** test days the price chart opens on (the interval band is too thin to see over decades) */
const DEFAULT_WINDOW = 250;

const priceTick = (v: number) => (Math.abs(v) >= 1000 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2));
const pctTick = (v: number) => `${v.toFixed(0)} %`;
const num = (v: unknown, digits = 2) => (typeof v === 'number' ? v.toFixed(digits) : String(v));

function ChartCard({
  title,
  note,
  children,
  testId,
  right,
}: {
  title: string;
  note?: string;
  children: ReactNode;
  testId: string;
  right?: ReactNode;
}) {
  return (
    <section className="card" data-testid={testId}>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 className="text-base font-semibold">{title}</h2>
          {note && <p className="text-xs text-slate-500">{note}</p>}
        </div>
        {right}
      </div>
      <div className="mt-3">{children}</div>
    </section>
  );
}

export function PriceForecastChart({ data }: { data: RunChartData }) {
  const [modelId, setModelId] = useState(data.models[0].id);
  const m = data.models.find((x) => x.id === modelId) ?? data.models[0];
  const rows = useMemo(
    () =>
      sampleIndices(data.targetDates.length).map((i) => ({
        date: data.targetDates[i],
        actual: data.actualPrice[i],
        p50: m.priceP50[i],
        band: [m.priceP10[i], m.priceP90[i]] as [number, number],
      })),
    [data, m],
  );
  const h = data.horizon;
  return (
    <ChartCard
      testId="chart-price"
      title="Predicted vs actual price"
      note={`Each point is the price on the target day, forecast ${h} trading day${h === 1 ? '' : 's'} earlier: P50 = Cₜ · exp(ŷ), band = P10–P90. ${m.kind === 'model' ? `Seed ${data.chartSeed}.` : 'Baseline intervals come from its training residuals.'} ${rows.length > DEFAULT_WINDOW ? ` Showing the last ${DEFAULT_WINDOW} points: drag the handles below to widen.` : ''}`}
      right={
        <label className="flex items-center gap-2 text-xs text-slate-500">
          Show
          <span className="block w-48">
            <select
              className="input"
              value={modelId}
              onChange={(e) => setModelId(e.target.value)}
              aria-label="Model shown in the price chart"
            >
              {data.models.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.label}
                </option>
              ))}
            </select>
          </span>
        </label>
      }
    >
      <div className="h-80">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 5, right: 10, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="date" fontSize={11} minTickGap={40} />
            <YAxis fontSize={11} width={56} domain={['auto', 'auto']} tickFormatter={priceTick} />
            <Tooltip
              formatter={(v, name) => (Array.isArray(v) ? [`${num(v[0])} – ${num(v[1])}`, name] : [num(v), name])}
            />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            <Area
              dataKey="band"
              name="P10–P90"
              stroke="none"
              fill="#93c5fd"
              fillOpacity={0.45}
              isAnimationActive={false}
            />
            <Line
              dataKey="actual"
              name="Actual"
              stroke="#0f172a"
              dot={false}
              strokeWidth={1.25}
              isAnimationActive={false}
            />
            <Line
              dataKey="p50"
              name={`${m.label} P50`}
              stroke={COLORS[m.id === 'model' ? 'model' : m.id] ?? COLORS.model}
              dot={false}
              strokeWidth={1.25}
              isAnimationActive={false}
            />
            {rows.length > 60 && (
              <Brush
                dataKey="date"
                height={22}
                travellerWidth={8}
                stroke="#94a3b8"
                startIndex={Math.max(0, rows.length - DEFAULT_WINDOW)}
              />
            )}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  );
}

export function EquityChart({ data }: { data: RunChartData }) {
  const rows = useMemo(
    () =>
      sampleIndices(data.tradingDates.length).map((i) => {
        const row: Record<string, number | string> = { date: data.tradingDates[i], bh: data.buyAndHold.equity[i] };
        for (const m of data.models) row[m.id] = m.equity[i];
        return row;
      }),
    [data],
  );
  return (
    <ChartCard
      testId="chart-equity"
      title="Equity after costs vs buy-and-hold"
      note="Growth of 1 invested at the close of the first test day. Positions from each forecast (decided at the close, filled at the next open); baselines dashed."
    >
      <div className="h-72">
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={rows} margin={{ top: 5, right: 10, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="date" fontSize={11} minTickGap={40} />
            <YAxis
              fontSize={11}
              width={48}
              domain={['auto', 'auto']}
              tickFormatter={(v: number) => `${v.toFixed(2)}×`}
            />
            <Tooltip formatter={(v, name) => [`${num(v, 3)}×`, name]} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            <ReferenceLine y={1} stroke="#94a3b8" />
            <Line
              dataKey="bh"
              name="Buy and hold"
              stroke={COLORS.bh}
              dot={false}
              strokeWidth={1.5}
              isAnimationActive={false}
            />
            {data.models.map((m) => (
              <Line
                key={m.id}
                dataKey={m.id}
                name={m.label}
                stroke={COLORS[m.id] ?? COLORS.model}
                dot={false}
                strokeWidth={m.kind === 'model' ? 2 : 1}
                strokeDasharray={m.kind === 'model' ? undefined : '4 3'}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  );
}

export function DrawdownChart({ data }: { data: RunChartData }) {
  const model = data.models[0];
  const rows = useMemo(
    () =>
      sampleIndices(data.tradingDates.length).map((i) => ({
        date: data.tradingDates[i],
        model: -100 * model.drawdown[i],
        bh: -100 * data.buyAndHold.drawdown[i],
      })),
    [data, model],
  );
  return (
    <ChartCard
      testId="chart-drawdown"
      title="Drawdown"
      note="Fall from the running equity peak, 1 − E / max E, in percent."
    >
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={rows} margin={{ top: 5, right: 10, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="date" fontSize={11} minTickGap={40} />
            <YAxis fontSize={11} width={48} tickFormatter={pctTick} />
            <Tooltip formatter={(v, name) => [`${num(v)} %`, name]} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            <Area
              dataKey="model"
              name={model.label}
              stroke={COLORS.model}
              fill={COLORS.model}
              fillOpacity={0.2}
              isAnimationActive={false}
            />
            <Line dataKey="bh" name="Buy and hold" stroke={COLORS.bh} dot={false} isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  );
}

export function ResidualHistogram({ data, bins = 30 }: { data: RunChartData; bins?: number }) {
  const model = data.models[0];
  const { rows, stats } = useMemo(() => {
    const res = data.actualReturn.map((y, i) => y - model.p50[i]).filter(Number.isFinite);
    const naive = data.actualReturn.filter(Number.isFinite);
    // the range covers the 0.5–99.5 % quantiles of both; the rarer tails are counted in the end bins
    const pooled = [...res, ...naive].sort((a, b) => a - b);
    const q = (p: number) => pooled[Math.min(pooled.length - 1, Math.max(0, Math.round(p * (pooled.length - 1))))];
    const lo = q(0.005);
    const hi = q(0.995);
    const width = hi > lo ? (hi - lo) / bins : 1;
    const count = (xs: number[]) => {
      const c = new Array<number>(bins).fill(0);
      for (const x of xs) c[Math.min(bins - 1, Math.max(0, Math.floor((x - lo) / width)))]++;
      return c;
    };
    const cm = count(res);
    const cn = count(naive);
    const mean = res.reduce((a, b) => a + b, 0) / Math.max(1, res.length);
    const sd = Math.sqrt(res.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, res.length - 1));
    const nMean = naive.reduce((a, b) => a + b, 0) / Math.max(1, naive.length);
    const nSd = Math.sqrt(naive.reduce((a, b) => a + (b - nMean) ** 2, 0) / Math.max(1, naive.length - 1));
    return {
      rows: cm.map((c, k) => ({ mid: 100 * (lo + (k + 0.5) * width), model: c, naive: cn[k] })),
      stats: { n: res.length, mean, sd, nSd },
    };
  }, [data, model, bins]);
  return (
    <ChartCard
      testId="chart-residuals"
      title="Residuals"
      note={`Realised minus predicted ${data.horizon}-day log return (P50, seed ${data.chartSeed}), in percent; the naive forecast's residuals are the returns themselves. The end bins also count the rarest 0.5 % on each side.`}
    >
      <p className="text-xs text-slate-600">
        n = {stats.n} · mean {(100 * stats.mean).toFixed(3)} % · std {(100 * stats.sd).toFixed(3)} % (naive std{' '}
        {(100 * stats.nSd).toFixed(3)} %)
      </p>
      <div className="mt-2 h-56">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={rows} margin={{ top: 5, right: 10, bottom: 0, left: 0 }} barGap={0} barCategoryGap={1}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
            <XAxis dataKey="mid" fontSize={11} tickFormatter={(v: number) => `${v.toFixed(1)}`} unit=" %" />
            <YAxis fontSize={11} width={40} allowDecimals={false} />
            <Tooltip labelFormatter={(v) => `≈ ${num(v)} %`} formatter={(v, name) => [`${v} days`, name]} />
            <Legend wrapperStyle={{ fontSize: 11 }} />
            <Bar dataKey="model" name={model.label} fill={COLORS.model} isAnimationActive={false} />
            <Bar dataKey="naive" name="Naive" fill="#fcd34d" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
    </ChartCard>
  );
}
