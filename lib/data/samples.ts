// Bundled synthetic tickers: daily OHLCV bars from a seeded generator — a hidden two-state Markov regime (calm
// uptrend / turbulent downtrend) switching the drift, with GARCH(1,1) volatility clustering inside each regime —
// plus a pure random walk, on NYSE sessions. Every dataset made here is marked synthetic.

import type { Kysely } from 'kysely';
import { Rng } from '../nn/rng';
import { listDatasets } from '../store/repos/datasets';
import type { Database } from '../store/schema';
import { isIsoDate, tradingDays } from './calendar';
import { PRICES_KIND, storePriceDataset } from './import';
import type { PriceBar } from './prices';

/** One market regime: its drift, long-run volatility and how long it tends to last. */
export interface RegimeConfig {
  /** expected daily log return, e.g. 0.0004 ≈ 10 % a year */
  drift: number;
  /** unconditional daily volatility of the GARCH process in this regime, e.g. 0.01 */
  volatility: number;
  /** probability of staying in this regime from one day to the next, in [0, 1) */
  persistence: number;
}

export interface SyntheticPriceConfig {
  /** number of daily bars (default 2520 ≈ 10 years) */
  days?: number;
  /** first session on or after this date (default 2014-01-02) */
  start?: string;
  /** first close (default 100) */
  startPrice?: number;
  /** one regime = constant drift; two = Markov switching (default: calm uptrend, turbulent downtrend) */
  regimes?: RegimeConfig[];
  /** GARCH(1,1) σ²_t = ω + α·ε²_{t−1} + β·σ²_{t−1}; α + β < 1 (defaults 0.08, 0.9); α = β = 0 gives constant σ */
  garchAlpha?: number;
  garchBeta?: number;
  /** typical daily volume (default 1e6) */
  baseVolume?: number;
}

export interface SyntheticPrices {
  bars: PriceBar[];
  /** the hidden regime of every day (index into regimes) */
  regimes: Int8Array;
  /** daily log returns close-to-close (0 on the first day) */
  returns: Float64Array;
}

const DEFAULT_REGIMES: RegimeConfig[] = [
  { drift: 0.0005, volatility: 0.008, persistence: 0.99 },
  { drift: -0.0008, volatility: 0.022, persistence: 0.97 },
];

/**
 * Generates daily bars. Per day t in regime k: σ²_t = ω_k + α·ε²_{t−1} + β·σ²_{t−1} with ω_k = v_k²·(1 − α − β), so
 * the long-run volatility of regime k is v_k; the log return is r_t = μ_k − σ²_t/2 + ε_t, ε_t = σ_t·z_t, z ~ N(0, 1).
 * The return is split into an overnight gap (open vs previous close) and an intraday move; High and Low extend beyond
 * Open and Close by half-normal amounts; volume is log-normal and rises with |r_t| / σ_t.
 */
export function generateSyntheticPrices(seed: number, config: SyntheticPriceConfig = {}): SyntheticPrices {
  const days = config.days ?? 2520;
  const start = config.start ?? '2014-01-02';
  const regimes = config.regimes ?? DEFAULT_REGIMES;
  const alpha = config.garchAlpha ?? 0.08;
  const beta = config.garchBeta ?? 0.9;
  const baseVolume = config.baseVolume ?? 1e6;
  const startPrice = config.startPrice ?? 100;
  if (!Number.isInteger(days) || days < 2)
    throw new Error(`generateSyntheticPrices: days must be an integer ≥ 2, got ${days}`);
  if (!isIsoDate(start)) throw new Error(`generateSyntheticPrices: start "${start}" is not a YYYY-MM-DD date`);
  if (regimes.length < 1) throw new Error('generateSyntheticPrices: needs at least one regime');
  if (!(alpha >= 0 && beta >= 0 && alpha + beta < 1)) {
    throw new Error(`generateSyntheticPrices: GARCH needs α, β ≥ 0 and α + β < 1, got α ${alpha}, β ${beta}`);
  }
  for (const r of regimes) {
    if (!(r.volatility > 0) || !(r.persistence >= 0 && r.persistence < 1) || !Number.isFinite(r.drift)) {
      throw new Error(`generateSyntheticPrices: bad regime ${JSON.stringify(r)}`);
    }
  }
  const rng = new Rng(seed);
  // enough calendar to hold `days` sessions (≈ 252 a year)
  const endYear = Number(start.slice(0, 4)) + Math.ceil(days / 240) + 1;
  const dates = tradingDays(start, `${endYear}-12-31`, 'nyse').slice(0, days);

  const bars: PriceBar[] = [];
  const regimeOf = new Int8Array(days);
  const returns = new Float64Array(days);
  let k = 0;
  let sigma2 = regimes[0].volatility ** 2;
  let eps = 0;
  let close = startPrice;
  for (let t = 0; t < days; t++) {
    if (t > 0 && regimes.length > 1 && rng.uniform() > regimes[k].persistence) {
      k = (k + 1 + rng.int(regimes.length - 1)) % regimes.length;
    }
    const reg = regimes[k];
    const omega = reg.volatility ** 2 * (1 - alpha - beta);
    if (t > 0) sigma2 = omega + alpha * eps * eps + beta * sigma2;
    const sigma = Math.sqrt(sigma2);
    const z = rng.normal();
    eps = sigma * z;
    const r = t === 0 ? 0 : reg.drift - sigma2 / 2 + eps;
    // overnight gap takes a fifth of the day's variance
    const gap = t === 0 ? 0 : r * 0.2 + rng.normal(0, sigma * 0.3);
    const open = close * Math.exp(gap);
    close *= Math.exp(r);
    const high = Math.max(open, close) * Math.exp(Math.abs(rng.normal(0, sigma * 0.5)));
    const low = Math.min(open, close) * Math.exp(-Math.abs(rng.normal(0, sigma * 0.5)));
    const volume = Math.round(baseVolume * Math.exp(rng.normal(0, 0.25) + 0.35 * Math.abs(z)));
    regimeOf[t] = k;
    returns[t] = r;
    bars.push({
      date: dates[t],
      open: round4(open),
      high: round4(Math.max(high, open, close)),
      low: round4(Math.min(low, open, close)),
      close: round4(close),
      adjClose: null,
      volume,
    });
  }
  return { bars, regimes: regimeOf, returns };
}

/**
 * A driftless Gaussian random walk in log price (i.i.d. returns with constant volatility): nothing about tomorrow
 * can be predicted from the past, so any forecaster's out-of-sample directional accuracy must stay near 50 %.
 */
export function generateRandomWalk(
  seed: number,
  days = 1000,
  volatility = 0.01,
  start = '2014-01-02',
): SyntheticPrices {
  return generateSyntheticPrices(seed, {
    days,
    start,
    regimes: [{ drift: volatility ** 2 / 2, volatility, persistence: 0 }],
    garchAlpha: 0,
    garchBeta: 0,
  });
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

export interface PriceSample {
  /** stable key, kept in the dataset's source as synthetic:<key> */
  key: string;
  name: string;
  ticker: string;
  description: string;
  seed: number;
  kind: 'regime' | 'randomWalk';
  config: SyntheticPriceConfig;
}

export const PRICE_SAMPLES: readonly PriceSample[] = [
  {
    key: 'syn-regime',
    name: 'SYN-REGIME (synthetic)',
    ticker: 'SYNR',
    description: 'Calm uptrends and turbulent selloffs (Markov regimes) with GARCH volatility clustering',
    seed: 20_240_501,
    kind: 'regime',
    config: { days: 2520 },
  },
  {
    key: 'syn-calm',
    name: 'SYN-CALM (synthetic)',
    ticker: 'SYNC',
    description: 'Mostly calm drift with rare, short volatile spells',
    seed: 20_240_502,
    kind: 'regime',
    config: {
      days: 2520,
      regimes: [
        { drift: 0.0004, volatility: 0.007, persistence: 0.995 },
        { drift: -0.0005, volatility: 0.018, persistence: 0.95 },
      ],
    },
  },
  {
    key: 'syn-random-walk',
    name: 'SYN-RW (synthetic random walk)',
    ticker: 'SYNW',
    description: 'A pure random walk: nothing is predictable, every honest forecaster should score ~50 % direction',
    seed: 20_240_503,
    kind: 'randomWalk',
    config: { days: 2520 },
  },
];

/** The bars of a bundled sample (deterministic: the same on every machine). */
export function samplePrices(sample: PriceSample): SyntheticPrices {
  return sample.kind === 'randomWalk'
    ? generateRandomWalk(sample.seed, sample.config.days ?? 2520)
    : generateSyntheticPrices(sample.seed, sample.config);
}

/** Stores every bundled sample that is not in the database yet (matched by source); returns the names added. */
export async function seedPriceSamples(db: Kysely<Database>): Promise<string[]> {
  const existing = new Set((await listDatasets(db, { kind: PRICES_KIND })).map((d) => d.source));
  const created: string[] = [];
  for (const sample of PRICE_SAMPLES) {
    const source = `synthetic:${sample.key}`;
    if (existing.has(source)) continue;
    const { bars } = samplePrices(sample);
    await storePriceDataset(db, {
      name: sample.name,
      source,
      synthetic: true,
      bars,
      createdBy: null,
      action: 'dataset.seed',
      meta: {
        ticker: sample.ticker,
        firstDate: bars[0].date,
        lastDate: bars[bars.length - 1].date,
        adjusted: false,
        format: 'synthetic',
        calendar: 'nyse',
        missingDays: 0,
        description: sample.description,
        generator: { kind: sample.kind, seed: sample.seed, ...sample.config },
      },
    });
    created.push(sample.name);
  }
  return created;
}
