// Trading simulation of a forecast: a position from the predicted return against a threshold, decided at the close
// of day t and filled at the open of day t + 1, with costs on every change of position; its daily returns, equity
// and drawdown curves and trading statistics, and the same for buy-and-hold of the asset over the same days.
//
// Positions: long/flat p_t = 1 if ŷ_t > θ else 0; long/short p_t = 1 if ŷ_t > θ, −1 if ŷ_t < −θ, else 0.
// Day u's simple return, with gap g_u = O_u / C_{u−1} − 1 and intraday move i_u = C_u / O_u − 1 (adjusted prices):
//   R_u = (1 + p_{u−2}·g_u)·(1 + p_{u−1}·i_u) − 1 − c·|p_{u−1} − p_{u−2}|
// i.e. overnight the position decided two closes ago is still held, at the open it becomes the one decided at the
// previous close, and each unit of position traded costs c = costBp / 10 000 of equity (buying and selling both
// pay: going from long to short trades 2 units). Positions before the first decision are 0; the last position is
// marked to market at the final close without an exit cost. Equity E_u = E_{u−1}·(1 + R_u), E = 1 before the start.
//
// Statistics over the n daily returns, with d = 252 trading days a year and r_f the annual risk-free rate:
//   total return = E_n − 1;  annualised = E_n^(d/n) − 1 (compounded);  volatility = std(R)·√d (sample std)
//   Sharpe  = (mean(R) − r_d) / std(R) · √d, with r_d = (1 + r_f)^(1/d) − 1 the daily risk-free return
//   Sortino = (mean(R) − r_d) / √(mean(min(0, R − r_d)²)) · √d (downside deviation over all days)
//   max drawdown = max_u (1 − E_u / max_{v≤u} E_v); its duration = days from the peak before the deepest trough to
//     the first day equity is back at that peak (or to the end, when it never recovers)
//   Calmar = annualised return / max drawdown
//   hit rate = #{R_u > 0} / #{days with a position held at some point of the day}
//   turnover = Σ |p_{u−1} − p_{u−2}| · d / n (position units traded per year; 2 = in and out once a year)
//   exposure = mean |p_{u−1}| (share of days holding a position through the session)

import { mean, std } from './stats';

export type TradingMode = 'longFlat' | 'longShort';

export interface TradingConfig {
  mode: TradingMode;
  /** θ, in log-return units over the horizon (0 = trade on the sign) */
  threshold: number;
  /** cost per unit of position traded, in basis points (applies to buys and sells alike) */
  costBp: number;
  /** annual risk-free rate for Sharpe and Sortino, e.g. 0.02 */
  riskFreeRate: number;
}

export const TRADING_DAYS_PER_YEAR = 252;

export const DEFAULT_TRADING: TradingConfig = { mode: 'longFlat', threshold: 0, costBp: 5, riskFreeRate: 0 };

export interface TradingMetrics {
  days: number;
  totalReturn: number;
  annualReturn: number;
  volatility: number;
  sharpe: number | null;
  sortino: number | null;
  maxDrawdown: number;
  maxDrawdownDays: number;
  maxDrawdownRecovered: boolean;
  calmar: number | null;
  hitRate: number | null;
  turnover: number;
  exposure: number;
  trades: number;
}

export interface TradingResult {
  /** decision positions p_t for each decision day */
  positions: number[];
  /** daily returns R_u, u = first decision + 1 … last decision + 1 */
  returns: number[];
  /** equity E, starting at 1 at the close of the first decision day (length returns + 1) */
  equity: number[];
  /** 1 − E / running peak, same length as equity */
  drawdown: number[];
  metrics: TradingMetrics;
}

/** Prices the simulation trades on (adjusted), indexed by day. */
export interface TradablePrices {
  open: ArrayLike<number>;
  close: ArrayLike<number>;
}

export function positionFromForecast(pred: number, cfg: Pick<TradingConfig, 'mode' | 'threshold'>): number {
  if (pred > cfg.threshold) return 1;
  if (cfg.mode === 'longShort' && pred < -cfg.threshold) return -1;
  return 0;
}

/**
 * Simulates positions decided at the closes of days firstDecision … firstDecision + positions.length − 1
 * (consecutive days of `prices`); needs the prices of the day after the last decision.
 */
export function simulatePositions(
  prices: TradablePrices,
  firstDecision: number,
  positions: readonly number[],
  cfg: TradingConfig,
): TradingResult {
  const m = positions.length;
  if (m === 0) throw new Error('simulatePositions: no decisions');
  if (firstDecision < 0 || firstDecision + m >= prices.close.length) {
    throw new Error(
      `simulatePositions: decisions on days ${firstDecision}…${firstDecision + m - 1} need prices up to day ${firstDecision + m}, only ${prices.close.length} days given`,
    );
  }
  const c = cfg.costBp / 10_000;
  const pos = (t: number): number => (t >= firstDecision && t < firstDecision + m ? positions[t - firstDecision] : 0);
  const returns: number[] = [];
  const exposureHeld: boolean[] = [];
  let traded = 0;
  let trades = 0;
  let exposure = 0;
  for (let u = firstDecision + 1; u <= firstDecision + m; u++) {
    const prevPos = pos(u - 2);
    const newPos = pos(u - 1);
    const gap = prices.open[u] / prices.close[u - 1] - 1;
    const intraday = prices.close[u] / prices.open[u] - 1;
    const change = Math.abs(newPos - prevPos);
    returns.push((1 + prevPos * gap) * (1 + newPos * intraday) - 1 - c * change);
    traded += change;
    if (change > 0) trades++;
    exposure += Math.abs(newPos);
    exposureHeld.push(prevPos !== 0 || newPos !== 0);
  }
  const curve = equityCurve(returns);
  return {
    positions: positions.slice(),
    returns,
    equity: curve.equity,
    drawdown: curve.drawdown,
    metrics: tradingMetrics(returns, curve, exposureHeld, traded, trades, exposure, cfg),
  };
}

/** Positions from predicted returns, then simulatePositions. */
export function simulateStrategy(
  prices: TradablePrices,
  firstDecision: number,
  predictions: ArrayLike<number>,
  cfg: TradingConfig,
): TradingResult {
  const positions = Array.from(predictions, (p) => positionFromForecast(p, cfg));
  return simulatePositions(prices, firstDecision, positions, cfg);
}

/** Buy-and-hold over the same days: long from the open after the first decision to the last close, one entry cost. */
export function buyAndHold(
  prices: TradablePrices,
  firstDecision: number,
  days: number,
  cfg: TradingConfig,
): TradingResult {
  return simulatePositions(prices, firstDecision, new Array<number>(days).fill(1), cfg);
}

function equityCurve(returns: readonly number[]): { equity: number[]; drawdown: number[] } {
  const equity = [1];
  const drawdown = [0];
  let peak = 1;
  for (const r of returns) {
    const e = equity[equity.length - 1] * (1 + r);
    equity.push(e);
    peak = Math.max(peak, e);
    drawdown.push(1 - e / peak);
  }
  return { equity, drawdown };
}

/** Deepest drawdown of an equity curve, and how long it lasted (peak → recovery or end), in days. */
export function maxDrawdown(equity: readonly number[]): { depth: number; days: number; recovered: boolean } {
  let peakAt = 0;
  let depth = 0;
  let depthPeakAt = 0;
  let troughAt = 0;
  for (let u = 1; u < equity.length; u++) {
    if (equity[u] > equity[peakAt]) peakAt = u;
    const dd = 1 - equity[u] / equity[peakAt];
    if (dd > depth) {
      depth = dd;
      depthPeakAt = peakAt;
      troughAt = u;
    }
  }
  if (depth === 0) return { depth: 0, days: 0, recovered: true };
  for (let u = troughAt + 1; u < equity.length; u++) {
    if (equity[u] >= equity[depthPeakAt]) return { depth, days: u - depthPeakAt, recovered: true };
  }
  return { depth, days: equity.length - 1 - depthPeakAt, recovered: false };
}

function tradingMetrics(
  returns: readonly number[],
  curve: { equity: number[] },
  held: readonly boolean[],
  traded: number,
  trades: number,
  exposure: number,
  cfg: TradingConfig,
): TradingMetrics {
  const n = returns.length;
  const d = TRADING_DAYS_PER_YEAR;
  const end = curve.equity[n];
  const avg = mean(returns);
  const sd = std(returns);
  const rfDaily = (1 + cfg.riskFreeRate) ** (1 / d) - 1;
  let down = 0;
  for (const r of returns) down += Math.min(0, r - rfDaily) ** 2;
  const downside = Math.sqrt(down / n);
  const annualReturn = end > 0 ? end ** (d / n) - 1 : -1;
  const dd = maxDrawdown(curve.equity);
  let heldDays = 0;
  let wins = 0;
  for (let i = 0; i < n; i++) {
    if (!held[i]) continue;
    heldDays++;
    if (returns[i] > 0) wins++;
  }
  return {
    days: n,
    totalReturn: end - 1,
    annualReturn,
    volatility: sd * Math.sqrt(d),
    sharpe: sd > 0 ? ((avg - rfDaily) / sd) * Math.sqrt(d) : null,
    sortino: downside > 0 ? ((avg - rfDaily) / downside) * Math.sqrt(d) : null,
    maxDrawdown: dd.depth,
    maxDrawdownDays: dd.days,
    maxDrawdownRecovered: dd.recovered,
    calmar: dd.depth > 0 ? annualReturn / dd.depth : null,
    hitRate: heldDays > 0 ? wins / heldDays : null,
    turnover: (traded * d) / n,
    exposure: exposure / n,
    trades,
  };
}
