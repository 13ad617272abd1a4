// "How these are computed": the backtest's rules and the formulas behind every figure (from lib/forecast's headers).

import type { ReactNode } from 'react';

export function HowComputed({
  horizon,
  costBp,
  riskFreeRate,
}: {
  horizon: number;
  costBp: number;
  riskFreeRate: number;
}) {
  const items: [string, ReactNode][] = [
    [
      'Walk-forward, out of sample',
      <>
        Fold f tests k days; its model is trained on the window before them and a purge gap of h = {horizon} day
        {horizon === 1 ? '' : 's'} separates the last training sample from the first test day (the last training label,
        ln(C<sub>t+h</sub>/C<sub>t</sub>), is known before the test starts). The early-stopping validation segment sits
        at the end of the window, again h days after the last fit sample. Feature scalers and the target scale are
        fitted on each fold&apos;s fit samples only.
      </>,
    ],
    [
      'Seeds',
      'The forecaster is trained once per seed; every metric is the mean ± sample standard deviation over seeds. Charts show the first seed. Baselines are deterministic.',
    ],
    [
      'Price accuracy',
      <>
        F = P<sub>t</sub>·exp(ŷ), A = P<sub>t+h</sub>. RMSE = √(Σ(F − A)²/n), MAE = Σ|F − A|/n (price units), MAPE =
        100·Σ|F − A|/A/n. MASE = MAE / MAE of the naive forecast on the same points (&lt; 1 beats naive).
      </>,
    ],
    [
      'Direction and rank',
      'Directional accuracy = share of points with sign(ŷ) = sign(y), leaving out points where either is 0 (so naive has none). IC = Spearman rank correlation of ŷ and y. The chance band is 50 % ± 3·√(0.25/n): a forecaster without skill stays inside it.',
    ],
    [
      'Interval',
      'Coverage = share of realised returns inside the P10–P90 interval (nominal 80 %); width = mean P90 − P10 in log-return units. Baseline intervals come from their training residuals.',
    ],
    [
      'Diebold–Mariano',
      <>
        d<sub>i</sub> = (y − ŷ)² − y² (model minus naive squared error); DM = d̄/√(V/n) with V the autocovariances of d
        up to lag h − 1, Harvey–Leybourne–Newbold small-sample correction, p from Student t<sub>n−1</sub>. DM &lt; 0
        means smaller errors than naive.
      </>,
    ],
    [
      'Trading rules',
      `Long/flat: long when ŷ > θ, else flat; long/short adds short when ŷ < −θ. The position is decided at the close of day t and filled at the open of day t + 1. Each unit of position traded costs ${costBp} bp of equity, on buys and sells alike (long → short trades 2 units). Returns use adjusted prices.`,
    ],
    [
      'Trading statistics',
      `Annualised with 252 trading days: return = E^(252/n) − 1 (compounded), volatility = std·√252, Sharpe = (mean R − r_d)/std R·√252 with r_d the daily rate of the ${(100 * riskFreeRate).toFixed(2)} % risk-free rate; Sortino uses the downside deviation; Calmar = annualised return / max drawdown; turnover = units traded per year; exposure = mean |position|. Buy-and-hold holds the asset over the same days.`,
    ],
  ];
  return (
    <details className="card text-sm" data-testid="how-computed">
      <summary className="cursor-pointer font-medium text-slate-700">How these are computed</summary>
      <dl className="mt-3 grid grid-cols-1 gap-x-8 gap-y-3 text-slate-600 md:grid-cols-2">
        {items.map(([title, body]) => (
          <div key={title}>
            <dt className="font-medium text-slate-800">{title}</dt>
            <dd>{body}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
