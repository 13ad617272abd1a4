// What each backtest metric is called, how it is shown (unit) and defined (the formulas of lib/forecast/metrics.ts
// and lib/forecast/trading.ts), and which way is better: shared by the run page, the leaderboard and the CSV notes.

import type { MetricKey } from '@/lib/forecast/backtest';
import { count, days, fixed, pct, price, pValue } from './format';

export type MetricInfo = {
  key: MetricKey;
  label: string;
  /** the unit as written in a column header */
  unit: string;
  format: (v: number) => string;
  /** which direction wins; 'target' metrics are judged against a nominal value */
  better: 'lower' | 'higher' | 'target' | null;
  /** the definition, shown as a tooltip */
  definition: string;
};

export const FORECAST_METRICS: MetricInfo[] = [
  {
    key: 'rmse',
    label: 'RMSE',
    unit: 'price',
    format: price,
    better: 'lower',
    definition: 'Root mean squared error of the price forecast: √(Σ (F − A)² / n), F = P_t·exp(ŷ), A = P_{t+h}.',
  },
  {
    key: 'mae',
    label: 'MAE',
    unit: 'price',
    format: price,
    better: 'lower',
    definition: 'Mean absolute error of the price forecast: Σ |F − A| / n.',
  },
  {
    key: 'mape',
    label: 'MAPE',
    unit: '%',
    // lib/forecast/metrics.ts already returns MAPE in percent
    format: (v) => `${v.toFixed(2)} %`,
    better: 'lower',
    definition: 'Mean absolute percentage error: 100 · Σ |F − A| / A / n.',
  },
  {
    key: 'mase',
    label: 'MASE',
    unit: 'ratio',
    format: (v) => fixed(v, 3),
    better: 'lower',
    definition:
      'MAE / MAE of the naive no-change forecast on the same test points. Below 1 beats naive; naive scores exactly 1.',
  },
  {
    key: 'directionalAccuracy',
    label: 'Directional accuracy',
    unit: '%',
    format: (v) => pct(v, 1),
    better: 'higher',
    definition:
      'Share of test points where sign(ŷ) = sign(y), over points where neither is exactly 0. Compare with the chance band 50 % ± 3 standard errors.',
  },
  {
    key: 'ic',
    label: 'IC',
    unit: 'ρ',
    format: (v) => fixed(v, 3),
    better: 'higher',
    definition: 'Information coefficient: Spearman rank correlation of predicted and realised h-day log returns.',
  },
  {
    key: 'coverage',
    label: 'P10–P90 coverage',
    unit: '%',
    format: (v) => pct(v, 1),
    better: 'target',
    definition: 'Share of realised returns inside the predicted P10–P90 interval; nominally 80 %.',
  },
  {
    key: 'intervalWidth',
    label: 'Interval width',
    unit: 'log-return %',
    format: (v) => pct(v, 2),
    better: null,
    definition: 'Mean width of the P10–P90 interval of the h-day log return.',
  },
  {
    key: 'dmStat',
    label: 'Diebold–Mariano vs naive',
    unit: 'DM*',
    format: (v) => fixed(v, 2),
    better: 'lower',
    definition:
      'Diebold–Mariano statistic with the Harvey–Leybourne–Newbold correction on squared-error loss, model minus naive; below 0 = smaller errors than naive. Autocovariances up to lag h − 1.',
  },
  {
    key: 'dmPValue',
    label: 'DM p-value',
    unit: 'p',
    format: pValue,
    // a small p says the difference from naive is real, in either direction: not a ranking
    better: null,
    definition: 'Two-sided p-value of DM* under Student t with n − 1 degrees of freedom.',
  },
];

export const TRADING_METRICS: MetricInfo[] = [
  {
    key: 'totalReturn',
    label: 'Total return',
    unit: '%',
    format: (v) => pct(v, 2),
    better: 'higher',
    definition: 'E_n − 1, equity compounded from the daily strategy returns after costs.',
  },
  {
    key: 'annualReturn',
    label: 'Annualised return',
    unit: '% / yr',
    format: (v) => pct(v, 2),
    better: 'higher',
    definition: 'E_n^(252/n) − 1 (compounded, 252 trading days a year).',
  },
  {
    key: 'volatility',
    label: 'Volatility',
    unit: '% / yr',
    format: (v) => pct(v, 2),
    better: null,
    definition: 'Sample standard deviation of daily returns · √252.',
  },
  {
    key: 'sharpe',
    label: 'Sharpe',
    unit: 'ann.',
    format: (v) => fixed(v, 2),
    better: 'higher',
    definition: '(mean(R) − r_d) / std(R) · √252, r_d = (1 + r_f)^(1/252) − 1 the daily risk-free return.',
  },
  {
    key: 'sortino',
    label: 'Sortino',
    unit: 'ann.',
    format: (v) => fixed(v, 2),
    better: 'higher',
    definition: '(mean(R) − r_d) / √(mean(min(0, R − r_d)²)) · √252 (downside deviation over all days).',
  },
  {
    key: 'maxDrawdown',
    label: 'Max drawdown',
    unit: '%',
    format: (v) => pct(v, 2),
    better: 'lower',
    definition: 'Largest fall from a running equity peak: max (1 − E_u / max_{v≤u} E_v).',
  },
  {
    key: 'maxDrawdownDays',
    label: 'Max drawdown duration',
    unit: 'trading days',
    format: days,
    better: 'lower',
    definition: 'Trading days from the peak before the deepest trough until equity is back at that peak (or the end).',
  },
  {
    key: 'calmar',
    label: 'Calmar',
    unit: 'ratio',
    format: (v) => fixed(v, 2),
    better: 'higher',
    definition: 'Annualised return / max drawdown.',
  },
  {
    key: 'hitRate',
    label: 'Hit rate',
    unit: '%',
    format: (v) => pct(v, 1),
    better: 'higher',
    definition: 'Share of days with a position whose return was positive.',
  },
  {
    key: 'turnover',
    label: 'Turnover',
    unit: '× / yr',
    format: (v) => `${fixed(v, 1)} ×`,
    better: null,
    definition: 'Position units traded per year: Σ |Δp| · 252 / n (2 = in and out once a year).',
  },
  {
    key: 'exposure',
    label: 'Exposure',
    unit: '%',
    format: (v) => pct(v, 1),
    better: null,
    definition: 'Mean |position| held through the session.',
  },
  {
    key: 'trades',
    label: 'Trades',
    unit: 'count',
    format: count,
    better: null,
    definition: 'Number of position changes.',
  },
];

export const METRIC_INFO: Record<MetricKey, MetricInfo> = Object.fromEntries(
  [...FORECAST_METRICS, ...TRADING_METRICS].map((m) => [m.key, m]),
) as Record<MetricKey, MetricInfo>;
