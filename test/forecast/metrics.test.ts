import { describe, expect, it } from 'vitest';
import { dieboldMariano, forecastMetrics } from '../../lib/forecast/metrics';
import { leastSquares, normalCdf, quantile, ranks, spearman, studentTCdf } from '../../lib/forecast/stats';

describe('forecastMetrics against hand-computed values', () => {
  // base price 100 on every day; realised prices 101, 99, 102, 100; forecast prices 102, 100, 101, 99
  const basePrice = [100, 100, 100, 100];
  const actual = [101, 99, 102, 100];
  const forecast = [102, 100, 101, 99];
  const actualReturn = actual.map((a) => Math.log(a / 100));
  const predReturn = forecast.map((f) => Math.log(f / 100));
  const m = forecastMetrics({
    basePrice,
    actualReturn,
    predReturn,
    lower: predReturn.map((p) => p - 0.01),
    upper: predReturn.map((p) => p + 0.01),
    horizon: 1,
  });

  it('price errors: every |F − A| is 1', () => {
    expect(m.rmse).toBeCloseTo(1, 12);
    expect(m.mae).toBeCloseTo(1, 12);
    // 100/4 · (1/101 + 1/99 + 1/102 + 1/100)
    expect(m.mape).toBeCloseTo(25 * (1 / 101 + 1 / 99 + 1 / 102 + 1 / 100), 10);
    // naive |100 − A| = 1, 1, 2, 0 → MAE 1 → MASE 1
    expect(m.mase).toBeCloseTo(1, 12);
  });

  it('direction: zero forecasts and zero outcomes are left out', () => {
    // signs of y: +, −, +, 0; of ŷ: +, 0, +, −: only days 1 and 3 count, both right
    expect(m.directionalCount).toBe(2);
    expect(m.directionalAccuracy).toBe(1);
    const d = forecastMetrics({
      basePrice: [1, 1, 1, 1],
      actualReturn: [0.01, -0.02, 0.03, -0.01],
      predReturn: [0.02, 0.01, -0.01, -0.03],
      horizon: 1,
    });
    expect([d.directionalCount, d.directionalAccuracy]).toEqual([4, 0.5]);
    expect(d.coverage).toBeNull();
  });

  it('IC is the Spearman correlation of the ranks: 3/5', () => {
    // ranks of ŷ: 4, 2, 3, 1; of y: 3, 1, 4, 2 → Σ(a−2.5)(b−2.5) = 3, Σ(a−2.5)² = 5
    expect(m.ic).toBeCloseTo(0.6, 12);
  });

  it('coverage: |y − ŷ| = ln(102/101) ≈ 0.00985 inside ±0.01, ln(100/99) ≈ 0.01005 outside', () => {
    expect(m.coverage).toBe(0.5);
    expect(m.intervalWidth).toBeCloseTo(0.02, 12);
  });
});

describe('Diebold–Mariano', () => {
  const y = [1, -1, 2, 0, 1];
  const p = [0.5, 0, 1, 1, -1];
  // d = (y − p)² − y² = −0.75, 0, −3, 1, 3; mean 0.05; γ0 = 19.55/5 = 3.91; γ1 = 0.0975/5 = 0.0195
  /** closed-form Student-t CDF for 4 degrees of freedom */
  const t4 = (t: number): number => {
    const x = t / Math.sqrt(4 + t * t);
    return 0.5 + (3 / 4) * x * (1 - (x * x) / 3);
  };

  it('h = 1: DM = d̄ / √(γ0 / n), HLN factor √(4/5), p from t with 4 df', () => {
    const dm = dieboldMariano(y, p, 1)!;
    const stat = (0.05 / Math.sqrt(3.91 / 5)) * Math.sqrt(4 / 5);
    expect(dm.stat).toBeCloseTo(stat, 12);
    expect(dm.pValue).toBeCloseTo(2 * (1 - t4(stat)), 8);
  });

  it('h = 2: adds 2·γ1 to the variance and uses the HLN factor √(2.4/5)', () => {
    const dm = dieboldMariano(y, p, 2)!;
    const stat = (0.05 / Math.sqrt((3.91 + 2 * 0.0195) / 5)) * Math.sqrt(2.4 / 5);
    expect(dm.stat).toBeCloseTo(stat, 12);
    expect(dm.pValue).toBeCloseTo(2 * (1 - t4(stat)), 8);
  });

  it('is undefined for the naive forecast itself, and strongly negative for a near-perfect one', () => {
    expect(dieboldMariano(y, [0, 0, 0, 0, 0], 1)).toBeNull();
    const actual = Array.from({ length: 200 }, (_, i) => Math.sin(i * 1.7));
    const dm = dieboldMariano(
      actual,
      actual.map((a) => a * 0.9),
      1,
    )!;
    expect(dm.stat).toBeLessThan(-10);
    expect(dm.pValue).toBeLessThan(1e-6);
  });
});

describe('statistics helpers', () => {
  it('distribution functions match tables', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(studentTCdf(2.228139, 10)).toBeCloseTo(0.975, 6); // t_{0.975, 10}
    expect(studentTCdf(-2.570582, 5)).toBeCloseTo(0.025, 6); // t_{0.025, 5}
    expect(studentTCdf(1.959964, 1e6)).toBeCloseTo(0.975, 5);
  });

  it('ranks average ties; quantile interpolates (type 7)', () => {
    expect(Array.from(ranks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
    expect(spearman([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(quantile([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3, 12);
  });

  it('least squares recovers an exact linear relation', () => {
    // y = 1 + 2·x1 − 3·x2
    const x = [0, 0, 1, 0, 0, 1, 1, 1, 2, 3];
    const y = [1, 3, -2, 0, -4];
    const beta = leastSquares(x, y, 5, 2);
    expect(beta[0]).toBeCloseTo(1, 8);
    expect(beta[1]).toBeCloseTo(2, 8);
    expect(beta[2]).toBeCloseTo(-3, 8);
  });
});
