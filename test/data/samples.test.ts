import { describe, expect, it } from 'vitest';
import { findGaps } from '../../lib/data/calendar';
import { generateRandomWalk, generateSyntheticPrices, PRICE_SAMPLES, samplePrices } from '../../lib/data/samples';
import { pearson } from '../../lib/forecast/stats';

/** lag-1 autocorrelation of a series */
function acf1(xs: ArrayLike<number>): number {
  const a = Array.from(xs).slice(1);
  return pearson(a.slice(0, -1), a.slice(1)) ?? 0;
}

describe('synthetic price generator', () => {
  it('is deterministic in its seed and makes valid bars on NYSE sessions', () => {
    const a = generateSyntheticPrices(5, { days: 600 });
    const b = generateSyntheticPrices(5, { days: 600 });
    const c = generateSyntheticPrices(6, { days: 600 });
    expect(a.bars).toEqual(b.bars);
    expect(a.bars).not.toEqual(c.bars);
    expect(
      findGaps(
        a.bars.map((x) => x.date),
        'nyse',
      ),
    ).toMatchObject({ missingDays: 0, offCalendar: [] });
    for (const x of a.bars) {
      expect(x.low).toBeLessThanOrEqual(Math.min(x.open, x.close));
      expect(x.high).toBeGreaterThanOrEqual(Math.max(x.open, x.close));
      expect(x.low).toBeGreaterThan(0);
      expect(x.volume).toBeGreaterThan(0);
    }
  });

  it('regime sample: both regimes occur and volatility clusters (|r| autocorrelated), returns nearly uncorrelated', () => {
    const s = samplePrices(PRICE_SAMPLES[0]);
    const share = s.regimes.reduce((n, k) => n + k, 0) / s.regimes.length;
    expect(share).toBeGreaterThan(0.1);
    expect(share).toBeLessThan(0.9);
    const abs = Array.from(s.returns, Math.abs);
    // n = 2520: the standard error of an autocorrelation is ≈ 1/√n ≈ 0.02; clustering gives far more
    expect(acf1(abs)).toBeGreaterThan(0.15);
    expect(Math.abs(acf1(s.returns))).toBeLessThan(0.08);
  });

  it('random walk: no volatility clustering and no drift', () => {
    const s = generateRandomWalk(3, 4000, 0.01);
    expect(Math.abs(acf1(Array.from(s.returns, Math.abs)))).toBeLessThan(0.06); // ≈ 3.8 standard errors
    const mean = s.returns.reduce((a, b) => a + b, 0) / s.returns.length;
    expect(Math.abs(mean)).toBeLessThan(4 * (0.01 / Math.sqrt(4000)));
  });
});
