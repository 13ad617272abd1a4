'use client';

// The credit model's charts (recharts): ROC, KS, reliability before/after calibration, score distribution by class,
// and expected vs actual shares for population stability. Data comes from the stored training report as is.

import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
  ZAxis,
} from 'recharts';
import type { HistogramBin, KsPoint, ReliabilityBin, RocPoint } from '@/lib/credit/metrics';
import type { PsiBin } from '@/lib/credit/monitoring';

const BLUE = '#1d4ed8';
const RED = '#dc2626';
const GREEN = '#059669';
const GREY = '#94a3b8';
const ORANGE = '#f59322';
const AXIS = { fontSize: 11 };
const pctTick = (v: number) => `${Math.round(v * 100)}%`;
const num = (v: unknown, d = 3) => (typeof v === 'number' ? v.toFixed(d) : String(v));

function Frame({ testId, children, caption }: { testId: string; children: React.ReactElement; caption: string }) {
  return (
    <figure data-testid={testId}>
      <div className="h-64">
        <ResponsiveContainer width="100%" height="100%">
          {children}
        </ResponsiveContainer>
      </div>
      <figcaption className="mt-1 text-xs text-slate-500">{caption}</figcaption>
    </figure>
  );
}

export function RocChart({ points, auc }: { points: RocPoint[]; auc: number | null }) {
  return (
    <Frame
      testId="chart-roc"
      caption={`ROC of the first seed's out-of-fold PDs${auc !== null ? `: AUC ${auc.toFixed(3)}` : ''}. The dashed diagonal is a random score (AUC 0.5).`}
    >
      <LineChart data={points} margin={{ top: 5, right: 15, bottom: 15, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis
          dataKey="fpr"
          type="number"
          domain={[0, 1]}
          tickFormatter={pctTick}
          {...AXIS}
          label={{ value: 'goods declined (FPR)', position: 'insideBottom', offset: -8, fontSize: 11 }}
        />
        <YAxis
          type="number"
          domain={[0, 1]}
          tickFormatter={pctTick}
          {...AXIS}
          label={{ value: 'bads declined (TPR)', angle: -90, position: 'insideLeft', offset: 12, fontSize: 11 }}
        />
        <Tooltip
          formatter={(v) => pctTick(Number(v))}
          labelFormatter={(v) => `FPR ${pctTick(Number(v))}`}
          contentStyle={{ fontSize: 12 }}
        />
        <ReferenceLine
          segment={[
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ]}
          stroke={GREY}
          strokeDasharray="4 3"
        />
        <Line dataKey="tpr" name="TPR" stroke={BLUE} dot={false} strokeWidth={2} isAnimationActive={false} />
      </LineChart>
    </Frame>
  );
}

export function KsChart({ points }: { points: KsPoint[] }) {
  let best = points[0];
  for (const p of points) if (best && Math.abs(p.cumBad - p.cumGood) > Math.abs(best.cumBad - best.cumGood)) best = p;
  const ks = best ? Math.abs(best.cumBad - best.cumGood) : null;
  return (
    <Frame
      testId="chart-ks"
      caption={`Cumulative shares of bads and goods, riskiest applications first. KS = the largest gap${ks !== null ? ` (${(ks * 100).toFixed(1)} points at ${(best.share * 100).toFixed(0)} % of applications)` : ''}.`}
    >
      <LineChart data={points} margin={{ top: 5, right: 15, bottom: 15, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis
          dataKey="share"
          type="number"
          domain={[0, 1]}
          tickFormatter={pctTick}
          {...AXIS}
          label={{
            value: 'share of applications (riskiest first)',
            position: 'insideBottom',
            offset: -8,
            fontSize: 11,
          }}
        />
        <YAxis type="number" domain={[0, 1]} tickFormatter={pctTick} {...AXIS} />
        <Tooltip
          formatter={(v) => pctTick(Number(v))}
          labelFormatter={(v) => `${pctTick(Number(v))} of applications`}
          contentStyle={{ fontSize: 12 }}
        />
        <Legend wrapperStyle={{ fontSize: 11 }} verticalAlign="top" />
        {best && <ReferenceLine x={best.share} stroke={GREY} strokeDasharray="4 3" />}
        <Line dataKey="cumBad" name="bads" stroke={RED} dot={false} strokeWidth={2} isAnimationActive={false} />
        <Line dataKey="cumGood" name="goods" stroke={GREEN} dot={false} strokeWidth={2} isAnimationActive={false} />
      </LineChart>
    </Frame>
  );
}

export function ReliabilityChart({
  before,
  after,
  method,
}: {
  before: ReliabilityBin[];
  after: ReliabilityBin[];
  method: string;
}) {
  const points = (bins: ReliabilityBin[]) =>
    bins
      .filter((b) => b.count > 0 && b.meanPd !== null && b.badRate !== null)
      .map((b) => ({ meanPd: b.meanPd as number, badRate: b.badRate as number, count: b.count }));
  return (
    <Frame
      testId="chart-reliability"
      caption={`Observed bad rate against mean predicted PD in 10 equal-width PD bins (out-of-fold). On the dashed diagonal the PDs are exact; "after" is ${method} calibration, cross-fitted.`}
    >
      <ScatterChart margin={{ top: 5, right: 15, bottom: 15, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis
          dataKey="meanPd"
          type="number"
          domain={[0, 1]}
          tickFormatter={pctTick}
          {...AXIS}
          name="mean PD"
          label={{ value: 'mean predicted PD', position: 'insideBottom', offset: -8, fontSize: 11 }}
        />
        <YAxis dataKey="badRate" type="number" domain={[0, 1]} tickFormatter={pctTick} {...AXIS} name="bad rate" />
        <ZAxis dataKey="count" range={[30, 30]} name="applications" />
        <Tooltip
          formatter={(v, name) => (name === 'applications' ? String(v) : pctTick(Number(v)))}
          contentStyle={{ fontSize: 12 }}
        />
        <Legend wrapperStyle={{ fontSize: 11 }} verticalAlign="top" />
        <ReferenceLine
          segment={[
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ]}
          stroke={GREY}
          strokeDasharray="4 3"
        />
        <Scatter name="before (raw σ(z))" data={points(before)} fill={ORANGE} line isAnimationActive={false} />
        <Scatter name={`after (${method})`} data={points(after)} fill={BLUE} line isAnimationActive={false} />
      </ScatterChart>
    </Frame>
  );
}

/** Score (or PD) distribution of goods and bads, each as a share of its own class so both shapes are visible. */
export function ClassHistogramChart({
  bins,
  unit,
  markers = [],
  testId,
  caption,
}: {
  bins: HistogramBin[];
  unit: string;
  /** vertical dashed lines, e.g. the policy's band edges */
  markers?: { x: number; color: string }[];
  testId: string;
  caption: string;
}) {
  const goods = bins.reduce((a, b) => a + b.good, 0) || 1;
  const bads = bins.reduce((a, b) => a + b.bad, 0) || 1;
  const data = bins.map((b) => ({
    mid: (b.lo + b.hi) / 2,
    range: `${b.lo.toFixed(unit === 'PD' ? 2 : 0)} – ${b.hi.toFixed(unit === 'PD' ? 2 : 0)}`,
    good: b.good / goods,
    bad: b.bad / bads,
    goodN: b.good,
    badN: b.bad,
  }));
  const lo = bins[0]?.lo ?? 0;
  const hi = bins[bins.length - 1]?.hi ?? 1;
  return (
    <Frame testId={testId} caption={caption}>
      <BarChart data={data} margin={{ top: 5, right: 15, bottom: 15, left: 0 }} barGap={0} barCategoryGap={1}>
        <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
        <XAxis
          dataKey="mid"
          type="number"
          domain={[lo, hi]}
          {...AXIS}
          tickFormatter={(v) => (unit === 'PD' ? pctTick(v) : String(Math.round(v)))}
          label={{
            value: unit === 'PD' ? 'PD' : 'score (points, higher is safer)',
            position: 'insideBottom',
            offset: -8,
            fontSize: 11,
          }}
        />
        <YAxis tickFormatter={pctTick} {...AXIS} />
        <Tooltip
          labelFormatter={(_, payload) => String(payload?.[0]?.payload?.range ?? '')}
          formatter={(v, name, item) => {
            const n = name === 'bads' ? item.payload.badN : item.payload.goodN;
            return `${pctTick(Number(v))} of ${name} (${n})`;
          }}
          contentStyle={{ fontSize: 12 }}
        />
        <Legend wrapperStyle={{ fontSize: 11 }} verticalAlign="top" />
        {markers.map((m) => (
          <ReferenceLine key={`${m.x}-${m.color}`} x={m.x} stroke={m.color} strokeWidth={1.5} strokeDasharray="5 3" />
        ))}
        <Bar dataKey="good" name="goods" fill={GREEN} fillOpacity={0.7} isAnimationActive={false} />
        <Bar dataKey="bad" name="bads" fill={RED} fillOpacity={0.7} isAnimationActive={false} />
      </BarChart>
    </Frame>
  );
}

export function PsiBinsChart({ bins, testId }: { bins: PsiBin[]; testId: string }) {
  return (
    <div className="h-56" data-testid={testId}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={bins} margin={{ top: 5, right: 10, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" fontSize={10} interval={0} angle={-30} textAnchor="end" height={60} />
          <YAxis tickFormatter={pctTick} {...AXIS} />
          <Tooltip formatter={(v) => `${num(Number(v) * 100, 1)} %`} contentStyle={{ fontSize: 12 }} />
          <Legend wrapperStyle={{ fontSize: 11 }} verticalAlign="top" />
          <Bar dataKey="expected" name="training population" fill={GREY} isAnimationActive={false} />
          <Bar dataKey="actual" name="scored since" fill={BLUE} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
