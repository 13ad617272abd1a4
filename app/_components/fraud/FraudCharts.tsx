'use client';

// The fraud pages' charts (recharts): alerts per day by status, the card-precision@k trend over training runs, the
// score histogram by label, and a model's ROC, precision-recall and daily card-precision@k curves beside its
// baselines. Data arrives from the stored dashboard and training report as is.

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { AlertStatus, FraudDashboard } from '@/lib/fraud';
import type { PrPoint, RocPoint } from '@/lib/fraud/metrics';
import { STATUS_COLOR, STATUS_TEXT } from './Badges';

const GREY = '#94a3b8';
const AXIS = { fontSize: 11 };
const pctTick = (v: number) => `${Math.round(v * 100)}%`;
const STATUSES: AlertStatus[] = ['open', 'investigating', 'confirmed_fraud', 'false_positive'];

function Frame({
  testId,
  caption,
  children,
  height = 'h-60',
}: {
  testId: string;
  caption: string;
  children: React.ReactElement;
  height?: string;
}) {
  return (
    <figure data-testid={testId}>
      <div className={height}>
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 text-xs text-slate-500">{caption}</figcaption>
    </figure>
  );
}

export function AlertsPerDayChart({ days }: { days: FraudDashboard['alertsPerDay'] }) {
  return (
    <Frame
      testId="chart-alerts-per-day"
      caption="Alerts raised per transaction day, coloured by their current triage status."
    >
      <BarChart data={days} margin={{ top: 5, right: 10, bottom: 0, left: -10 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
        <XAxis dataKey="date" {...AXIS} tickFormatter={(d: string) => d.slice(5)} />
        <YAxis allowDecimals={false} {...AXIS} />
        <Tooltip contentStyle={{ fontSize: 12 }} />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        {STATUSES.map((s) => (
          <Bar key={s} dataKey={s} name={STATUS_TEXT[s]} stackId="a" fill={STATUS_COLOR[s]} isAnimationActive={false} />
        ))}
      </BarChart>
    </Frame>
  );
}

export function CardPrecisionTrendChart({ runs }: { runs: FraudDashboard['cardPrecisionTrend'] }) {
  const data = runs.map((r, i) => ({
    run: `#${i + 1}`,
    name: r.name,
    cpk: r.cardPrecisionAtK,
    ap: r.ap,
    auc: r.auc,
    k: r.k,
    triage: r.triageLabelsInTraining,
  }));
  return (
    <Frame
      testId="chart-cpk-trend"
      caption="Test-period figures of each training run on this dataset, oldest first (the deployed net, mean over seeds). Hover for the triage labels each run trained on."
    >
      <LineChart data={data} margin={{ top: 5, right: 10, bottom: 0, left: -10 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="run" {...AXIS} />
        <YAxis domain={[0, 1]} {...AXIS} />
        <Tooltip
          contentStyle={{ fontSize: 12 }}
          formatter={(v, name) => [typeof v === 'number' ? v.toFixed(3) : '—', name]}
          labelFormatter={(_, payload) => {
            const p = payload?.[0]?.payload as (typeof data)[number] | undefined;
            return p ? `${p.name} · k = ${p.k} · ${p.triage} triage labels in training` : '';
          }}
        />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        <Line dataKey="cpk" name="card precision@k" stroke="#dc2626" strokeWidth={2} isAnimationActive={false} />
        <Line dataKey="ap" name="average precision" stroke="#1d4ed8" isAnimationActive={false} />
        <Line dataKey="auc" name="ROC AUC" stroke={GREY} strokeDasharray="4 3" isAnimationActive={false} />
      </LineChart>
    </Frame>
  );
}

export function ScoreHistogramChart({ bins }: { bins: NonNullable<FraudDashboard['scoreHistogram']>['bins'] }) {
  const total = { fraud: 0, genuine: 0, unknown: 0 };
  for (const b of bins) {
    total.fraud += b.fraud;
    total.genuine += b.genuine;
    total.unknown += b.unknown;
  }
  const share = (n: number, of: number) => (of > 0 ? n / of : 0);
  const data = bins.map((b) => ({
    bin: `${b.from.toFixed(2)}–${b.to.toFixed(2)}`,
    fraud: share(b.fraud, total.fraud),
    genuine: share(b.genuine, total.genuine),
    unknown: share(b.unknown, total.unknown),
    counts: b,
  }));
  return (
    <Frame
      testId="chart-score-histogram"
      caption={`Scores of the latest scoring model in 20 bins, as the share of each label's transactions (fraud ${total.fraud.toLocaleString('en-US')}, genuine ${total.genuine.toLocaleString('en-US')}, not yet labelled ${total.unknown.toLocaleString('en-US')}). A good scorer puts fraud on the right and genuine on the left.`}
    >
      <BarChart data={data} margin={{ top: 5, right: 10, bottom: 0, left: -10 }} barGap={0} barCategoryGap={2}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" vertical={false} />
        <XAxis dataKey="bin" {...AXIS} tickFormatter={(s: string) => s.slice(0, 4)} interval={3} />
        <YAxis tickFormatter={pctTick} {...AXIS} />
        <Tooltip
          contentStyle={{ fontSize: 12 }}
          formatter={(v, name, item) => {
            const c = (item?.payload as (typeof data)[number] | undefined)?.counts;
            const key = item?.dataKey as 'fraud' | 'genuine' | 'unknown';
            return [`${(Number(v) * 100).toFixed(1)} % (${c ? c[key].toLocaleString('en-US') : '?'})`, name];
          }}
          labelFormatter={(l) => `score ${l}`}
        />
        <Legend wrapperStyle={{ fontSize: 11 }} />
        <Bar dataKey="genuine" name="genuine" fill="#059669" isAnimationActive={false} />
        <Bar dataKey="fraud" name="fraud" fill="#dc2626" isAnimationActive={false} />
        {total.unknown > 0 && <Bar dataKey="unknown" name="not yet labelled" fill={GREY} isAnimationActive={false} />}
      </BarChart>
    </Frame>
  );
}

export type CurveSeries<P> = { id: string; label: string; color: string; dashed?: boolean; points: P[] };

/** One legend for a row of charts that draw the same models in the same colours. */
export function SeriesLegend({ series }: { series: Omit<CurveSeries<unknown>, 'points'>[] }) {
  return (
    <ul className="flex flex-wrap gap-x-5 gap-y-1 text-xs text-slate-600" data-testid="series-legend">
      {series.map((s) => (
        <li key={s.id} className="flex items-center gap-1.5">
          <svg width="22" height="8" aria-hidden="true">
            <line
              x1="1"
              y1="4"
              x2="21"
              y2="4"
              stroke={s.color}
              strokeWidth={s.dashed ? 1.5 : 2.5}
              strokeDasharray={s.dashed ? '5 3' : undefined}
            />
          </svg>
          {s.label}
        </li>
      ))}
    </ul>
  );
}

export function RocChart({ series }: { series: CurveSeries<RocPoint>[] }) {
  return (
    <Frame
      testId="chart-roc"
      caption="ROC on the test period (first seed). The dashed diagonal is a random score (AUC 0.5)."
      height="h-72"
    >
      <LineChart margin={{ top: 5, right: 15, bottom: 15, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis
          dataKey="fpr"
          type="number"
          domain={[0, 1]}
          tickFormatter={pctTick}
          {...AXIS}
          label={{ value: 'genuine flagged (FPR)', position: 'insideBottom', offset: -8, fontSize: 11 }}
        />
        <YAxis
          type="number"
          domain={[0, 1]}
          tickFormatter={pctTick}
          {...AXIS}
          label={{ value: 'fraud caught (TPR)', angle: -90, position: 'insideLeft', offset: 12, fontSize: 11 }}
        />
        <Tooltip
          contentStyle={{ fontSize: 12 }}
          formatter={(v) => pctTick(Number(v))}
          labelFormatter={(v) => `FPR ${pctTick(Number(v))}`}
        />
        <ReferenceLine
          segment={[
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ]}
          stroke={GREY}
          strokeDasharray="4 3"
        />
        {series.map((s) => (
          <Line
            key={s.id}
            data={s.points}
            dataKey="tpr"
            name={s.label}
            stroke={s.color}
            strokeDasharray={s.dashed ? '5 3' : undefined}
            dot={false}
            strokeWidth={s.dashed ? 1.5 : 2}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </Frame>
  );
}

export function PrChart({ series, fraudShare }: { series: CurveSeries<PrPoint>[]; fraudShare: number | null }) {
  return (
    <Frame
      testId="chart-pr"
      caption={`Precision-recall on the test period (first seed).${fraudShare !== null ? ` The dashed line is the fraud share of the test period (${(fraudShare * 100).toFixed(2)} %), a random score's precision.` : ''}`}
      height="h-72"
    >
      <LineChart margin={{ top: 5, right: 15, bottom: 15, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis
          dataKey="recall"
          type="number"
          domain={[0, 1]}
          tickFormatter={pctTick}
          {...AXIS}
          label={{ value: 'recall (fraud caught)', position: 'insideBottom', offset: -8, fontSize: 11 }}
        />
        <YAxis
          type="number"
          domain={[0, 1]}
          tickFormatter={pctTick}
          {...AXIS}
          label={{ value: 'precision', angle: -90, position: 'insideLeft', offset: 12, fontSize: 11 }}
        />
        <Tooltip
          contentStyle={{ fontSize: 12 }}
          formatter={(v) => pctTick(Number(v))}
          labelFormatter={(v) => `recall ${pctTick(Number(v))}`}
        />
        {fraudShare !== null && <ReferenceLine y={fraudShare} stroke={GREY} strokeDasharray="4 3" />}
        {series.map((s) => (
          <Line
            key={s.id}
            data={s.points}
            dataKey="precision"
            name={s.label}
            stroke={s.color}
            strokeDasharray={s.dashed ? '5 3' : undefined}
            dot={false}
            strokeWidth={s.dashed ? 1.5 : 2}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </Frame>
  );
}

export function DailyPrecisionChart({
  series,
  k,
  metric,
}: {
  series: CurveSeries<{ day: number; date: string; value: number }>[];
  k: number;
  metric: 'card' | 'transaction';
}) {
  const byDate = new Map<string, Record<string, number | string>>();
  for (const s of series) {
    for (const p of s.points) {
      const row = byDate.get(p.date) ?? { date: p.date };
      row[s.id] = p.value;
      byDate.set(p.date, row);
    }
  }
  const data = [...byDate.values()].sort((a, b) => String(a.date).localeCompare(String(b.date)));
  const what = metric === 'card' ? 'Card precision' : 'Precision';
  return (
    <Frame
      testId={metric === 'card' ? 'chart-daily-cpk' : 'chart-daily-pk'}
      caption={`${what}@${k} per test day (first seed): of the day's ${k} highest-scored ${metric === 'card' ? 'cards' : 'transactions'}, the share that were fraudulent.`}
      height="h-72"
    >
      <LineChart data={data} margin={{ top: 5, right: 15, bottom: 0, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis dataKey="date" {...AXIS} tickFormatter={(d: string) => d.slice(5)} />
        <YAxis domain={[0, 'auto']} tickFormatter={pctTick} {...AXIS} />
        <Tooltip contentStyle={{ fontSize: 12 }} formatter={(v) => `${(Number(v) * 100).toFixed(1)} %`} />
        {series.map((s) => (
          <Line
            key={s.id}
            dataKey={s.id}
            name={s.label}
            stroke={s.color}
            strokeDasharray={s.dashed ? '5 3' : undefined}
            strokeWidth={s.dashed ? 1.5 : 2}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </Frame>
  );
}
