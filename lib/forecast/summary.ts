// The leaderboard view of a backtest run (a few headline metrics of the forecaster and each baseline), and CSV
// exports of a run's predictions and metrics.

import { FORECAST_METRIC_KEYS, type ForecastRunResult, type MetricKey, TRADING_METRIC_KEYS } from './backtest';
import type { BaselineId } from './baselines';
import type { NextForecast } from './final';

export const HEADLINE_KEYS = [
  'rmse',
  'mae',
  'mape',
  'mase',
  'directionalAccuracy',
  'ic',
  'coverage',
  'dmStat',
  'dmPValue',
  'totalReturn',
  'annualReturn',
  'sharpe',
  'maxDrawdown',
] as const satisfies readonly MetricKey[];
export type HeadlineKey = (typeof HEADLINE_KEYS)[number];

export interface RunSummary {
  modelType: string;
  modelLabel: string;
  horizon: number;
  seeds: number[];
  folds: number;
  testDays: number;
  firstTestDate: string;
  lastTestDate: string;
  window: 'expanding' | 'rolling';
  trainSize: number;
  retrainEvery: number;
  warmStart: boolean;
  features: string[];
  /** mean ± std over seeds */
  model: Record<HeadlineKey, { mean: number | null; std: number | null }>;
  baselines: Partial<Record<BaselineId, Record<HeadlineKey, number | null>>>;
  buyAndHold: { totalReturn: number; annualReturn: number; sharpe: number | null; maxDrawdown: number };
  chanceBand: { lower: number; upper: number };
  nextForecast: NextForecast | null;
  totalMs: number;
}

export function summarizeRun(r: ForecastRunResult, nextForecast: NextForecast | null = null): RunSummary {
  const model = r.models[0];
  const pick = (m: (typeof r.models)[number]) =>
    Object.fromEntries(HEADLINE_KEYS.map((k) => [k, m.metrics[k].mean])) as Record<HeadlineKey, number | null>;
  const baselines: RunSummary['baselines'] = {};
  for (const m of r.models) if (m.kind === 'baseline') baselines[m.id as BaselineId] = pick(m);
  const bh = r.buyAndHold.metrics;
  return {
    modelType: r.modelType,
    modelLabel: r.modelLabel,
    horizon: r.horizon,
    seeds: model.seeds,
    folds: r.folds.length,
    testDays: r.dates.length,
    firstTestDate: r.dates[0],
    lastTestDate: r.dates[r.dates.length - 1],
    window: r.config.walkForward.window,
    trainSize: r.config.walkForward.trainSize,
    retrainEvery: r.config.walkForward.retrainEvery,
    warmStart: r.config.walkForward.warmStart,
    features: r.featureNames,
    model: Object.fromEntries(
      HEADLINE_KEYS.map((k) => [k, { mean: model.metrics[k].mean, std: model.metrics[k].std }]),
    ) as RunSummary['model'],
    baselines,
    buyAndHold: {
      totalReturn: bh.totalReturn,
      annualReturn: bh.annualReturn,
      sharpe: bh.sharpe,
      maxDrawdown: bh.maxDrawdown,
    },
    chanceBand: { lower: r.chanceBand.lower, upper: r.chanceBand.upper },
    nextForecast,
    totalMs: Math.round(r.timing.totalMs),
  };
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csv(rows: unknown[][]): string {
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\n')}\n`;
}

/**
 * One row per test day: dates, base and realised price and return, then each model's P10/P50/P90 return and price
 * forecast and its position (the charted seed for the forecaster).
 */
export function predictionsCsv(r: ForecastRunResult): string {
  const header: unknown[] = ['date', 'target_date', 'base_price', 'actual_price', 'actual_return'];
  for (const m of r.models) {
    const id = m.id === 'model' ? r.modelType : m.id;
    header.push(`${id}_p10`, `${id}_p50`, `${id}_p90`, `${id}_price_p50`, `${id}_position`);
  }
  const rows: unknown[][] = [header];
  for (let i = 0; i < r.dates.length; i++) {
    const row: unknown[] = [r.dates[i], r.targetDates[i], r.basePrice[i], r.actualPrice[i], r.actualReturn[i]];
    for (const m of r.models) {
      row.push(m.chart.p10[i], m.chart.p50[i], m.chart.p90[i], m.chart.priceP50[i], m.chart.positions[i]);
    }
    rows.push(row);
  }
  return csv(rows);
}

/** One row per model and baseline (and buy-and-hold): every metric's mean and std over seeds. */
export function metricsCsv(r: ForecastRunResult): string {
  const keys = [...FORECAST_METRIC_KEYS, ...TRADING_METRIC_KEYS];
  const rows: unknown[][] = [['model', 'kind', 'seeds', ...keys.flatMap((k) => [`${k}_mean`, `${k}_std`])]];
  for (const m of r.models) {
    rows.push([m.label, m.kind, m.seeds.join(' '), ...keys.flatMap((k) => [m.metrics[k].mean, m.metrics[k].std])]);
  }
  const bh = r.buyAndHold.metrics;
  rows.push([
    'Buy and hold',
    'benchmark',
    '',
    ...keys.flatMap((k) => [k in bh ? (bh as unknown as Record<string, number | null>)[k] : null, null]),
  ]);
  return csv(rows);
}
