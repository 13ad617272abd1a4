import { describe, expect, it } from 'vitest';
import { adjustedSeries, type PriceBar } from '../../lib/data/prices';
import { generateSyntheticPrices } from '../../lib/data/samples';
import { appendFeature, buildFeatures, type FeatureSpec, findBadFeature } from '../../lib/forecast/features';
import { Rng } from '../../lib/nn/rng';

const ALL: FeatureSpec = {
  returnLags: 3,
  volumeZ: 10,
  sma: 10,
  ema: 10,
  rsi: 14,
  macd: { fast: 12, slow: 26, signal: 9 },
  bollinger: { period: 20, stdDev: 2 },
  atr: 14,
  obv: 10,
  roc: 5,
  stochastic: { period: 14, signal: 3 },
};

const bars = generateSyntheticPrices(11, { days: 400 }).bars;

/** The same bars up to day t, with every later bar replaced by a different, still valid one. */
function alterAfter(src: PriceBar[], t: number, seed: number): PriceBar[] {
  const rng = new Rng(seed);
  return src.map((b, i) => {
    if (i <= t) return b;
    const f = Math.exp(rng.normal(0, 0.2));
    return {
      ...b,
      open: b.open * f,
      high: b.high * f * 1.05,
      low: b.low * f * 0.95,
      close: b.close * f,
      volume: b.volume * (1 + rng.uniform()),
    };
  });
}

describe('buildFeatures', () => {
  const full = buildFeatures(adjustedSeries(bars), ALL);

  it('builds every selected column, with NaN only during the warm-up', () => {
    expect(full.names).toEqual([
      'ret_lag1',
      'ret_lag2',
      'ret_lag3',
      'volume_z10',
      'sma10',
      'ema10',
      'rsi14',
      'macd',
      'macd_signal',
      'macd_hist',
      'bollinger_pb20',
      'atr14',
      'obv10',
      'roc5',
      'stoch_k14',
      'stoch_d14',
    ]);
    // MACD signal: 26 − 1 days for the slow EMA, 9 − 1 more for its signal EMA
    expect(full.warmup).toBe(33);
    expect(findBadFeature(full, adjustedSeries(bars).dates, full.warmup, full.rows)).toBeNull();
    expect(findBadFeature(full, adjustedSeries(bars).dates, full.warmup - 1, full.rows)).toMatch(/macd_signal is NaN/);
  });

  it('is strictly causal: features up to day t do not change when any bar after t changes', () => {
    for (const [t, seed] of [
      [40, 1],
      [150, 2],
      [398, 3],
    ]) {
      const altered = buildFeatures(adjustedSeries(alterAfter(bars, t, seed)), ALL);
      const f = full.cols;
      expect(Array.from(altered.values.subarray(0, (t + 1) * f))).toEqual(
        Array.from(full.values.subarray(0, (t + 1) * f)),
      );
      // and the change does reach the days after t (so the comparison can fail)
      expect(Array.from(altered.values.subarray((t + 1) * f))).not.toEqual(
        Array.from(full.values.subarray((t + 1) * f)),
      );
    }
  });

  it('aligns indicator outputs to the day they belong to (SMA and lags by hand)', () => {
    const s = adjustedSeries(bars);
    const f = full.cols;
    const c = full.names.indexOf('sma10');
    const t = 200;
    let sma = 0;
    for (let i = t - 9; i <= t; i++) sma += s.close[i];
    expect(full.values[t * f + c]).toBeCloseTo(Math.log(s.close[t] / (sma / 10)), 10);
    expect(full.values[t * f + full.names.indexOf('ret_lag1')]).toBeCloseTo(Math.log(s.close[t] / s.close[t - 1]), 12);
    expect(full.values[t * f + full.names.indexOf('ret_lag3')]).toBeCloseTo(
      Math.log(s.close[t - 2] / s.close[t - 3]),
      12,
    );
    expect(full.values[t * f + full.names.indexOf('roc5')]).toBeCloseTo(s.close[t] / s.close[t - 5] - 1, 8);
  });

  it('appendFeature adds a column; findBadFeature names a NaN with its date', () => {
    const extra = new Float64Array(full.rows).fill(1);
    extra[250] = Number.NaN;
    const m = appendFeature(full, 'extra', extra);
    expect(m.cols).toBe(full.cols + 1);
    expect(findBadFeature(m, adjustedSeries(bars).dates, 40, m.rows)).toBe(
      `feature extra is NaN on ${bars[250].date} (row 251 of 400); check the prices around that day`,
    );
  });

  it('refuses bad settings with the setting named', () => {
    expect(() => buildFeatures(adjustedSeries(bars), { ...ALL, rsi: 1 })).toThrow(
      /rsi must be an integer in \[2, 500\]/,
    );
    expect(() => buildFeatures(adjustedSeries(bars), { ...ALL, macd: { fast: 26, slow: 12, signal: 9 } })).toThrow(
      /macd.fast must be below macd.slow/,
    );
    const none: FeatureSpec = {
      ...ALL,
      returnLags: 0,
      volumeZ: null,
      sma: null,
      ema: null,
      rsi: null,
      macd: null,
      bollinger: null,
      atr: null,
      obv: null,
      roc: null,
      stochastic: null,
    };
    expect(() => buildFeatures(adjustedSeries(bars), none)).toThrow(/select at least one feature/);
  });
});
