import { describe, expect, it } from 'vitest';
import { buyAndHold, maxDrawdown, simulatePositions, simulateStrategy } from '../../lib/forecast/trading';

// days 0…4; decisions at the closes of days 0, 1, 2 trade at the opens of days 1, 2, 3
const prices = { close: [100, 102, 101, 104, 103], open: [100, 101, 103, 100, 105] };
const cost = { costBp: 10, riskFreeRate: 0, threshold: 0 };

describe('trading simulation (decide at close t, fill at open t + 1)', () => {
  it('long/flat from the predicted sign, with costs on each change of position', () => {
    const r = simulateStrategy(prices, 0, [0.01, -0.02, 0.03], { ...cost, mode: 'longFlat' });
    expect(r.positions).toEqual([1, 0, 1]);
    // day 1: buy at the open (cost), hold 101 → 102; day 2: held overnight 102 → 103, sold at the open (cost);
    // day 3: flat overnight, buy at the open (cost), 100 → 104
    const expected = [102 / 101 - 1 - 0.001, 103 / 102 - 1 - 0.001, 104 / 100 - 1 - 0.001];
    r.returns.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i], 12);
    });
    expect(r.equity.at(-1)).toBeCloseTo(
      expected.reduce((e, x) => e * (1 + x), 1),
      12,
    );
    expect(r.metrics.trades).toBe(3);
    expect(r.metrics.turnover).toBeCloseTo((3 * 252) / 3, 10);
    expect(r.metrics.exposure).toBeCloseTo(2 / 3, 12);
    expect(r.metrics.hitRate).toBe(1);
  });

  it('long/short flips pay two legs', () => {
    const r = simulateStrategy(prices, 0, [0.01, -0.02, 0.03], { ...cost, mode: 'longShort' });
    expect(r.positions).toEqual([1, -1, 1]);
    const expected = [
      102 / 101 - 1 - 0.001,
      (103 / 102) * (1 - (101 / 103 - 1)) - 1 - 0.002, // long overnight, short from the open
      (1 - (100 / 101 - 1)) * (104 / 100) - 1 - 0.002, // short overnight, long from the open
    ];
    r.returns.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i], 12);
    });
    expect(r.metrics.turnover).toBeCloseTo((5 * 252) / 3, 10);
  });

  it('the threshold keeps small forecasts flat', () => {
    const r = simulateStrategy(prices, 0, [0.01, -0.02, 0.03], { ...cost, mode: 'longShort', threshold: 0.015 });
    expect(r.positions).toEqual([0, -1, 1]);
  });

  it('buy-and-hold pays one entry and earns every move from the first open', () => {
    const r = buyAndHold(prices, 0, 3, { ...cost, mode: 'longFlat' });
    // day 1: 101 → 102 less the entry cost; day 2: 102 → 101 (via the 103 open); day 3: 101 → 104
    expect(r.equity.at(-1)).toBeCloseTo((102 / 101 - 0.001) * (101 / 102) * (104 / 101), 12);
    expect(r.metrics.trades).toBe(1);
  });

  it('statistics: Sharpe, Sortino, annualised return, volatility (hand-computed)', () => {
    // opens at the previous close, so the daily returns are the close-to-close moves 1 %, −2 %, 3 %, 0 %
    const close = [100, 101, 98.98, 101.9494, 101.9494];
    const open = [100, ...close.slice(0, 4)];
    const r = simulatePositions({ open, close }, 0, [1, 1, 1, 1], {
      mode: 'longFlat',
      threshold: 0,
      costBp: 0,
      riskFreeRate: 0,
    });
    r.returns.forEach((v, i) => {
      expect(v).toBeCloseTo([0.01, -0.02, 0.03, 0][i], 12);
    });
    const sd = Math.sqrt(0.0013 / 3); // sample std: Σ(r − 0.005)² = 0.0013
    expect(r.metrics.volatility).toBeCloseTo(sd * Math.sqrt(252), 12);
    expect(r.metrics.sharpe).toBeCloseTo((0.005 / sd) * Math.sqrt(252), 10);
    expect(r.metrics.sortino).toBeCloseTo((0.005 / 0.01) * Math.sqrt(252), 10); // √(0.02² / 4) = 0.01
    const total = 1.01 * 0.98 * 1.03 - 1;
    expect(r.metrics.totalReturn).toBeCloseTo(total, 12);
    expect(r.metrics.annualReturn).toBeCloseTo((1 + total) ** (252 / 4) - 1, 10);
    expect(r.metrics.maxDrawdown).toBeCloseTo(0.02, 12);
    expect(r.metrics.calmar).toBeCloseTo(r.metrics.annualReturn / 0.02, 10);
    expect(r.metrics.hitRate).toBe(0.5);
    // with a 5 % risk-free rate the excess return is mean − ((1.05)^(1/252) − 1)
    const rf = simulatePositions({ open, close }, 0, [1, 1, 1, 1], {
      mode: 'longFlat',
      threshold: 0,
      costBp: 0,
      riskFreeRate: 0.05,
    });
    expect(rf.metrics.sharpe).toBeCloseTo(((0.005 - (1.05 ** (1 / 252) - 1)) / sd) * Math.sqrt(252), 10);
  });

  it('max drawdown depth and duration (peak to recovery, or to the end)', () => {
    expect(maxDrawdown([1, 1.2, 0.9, 1.0, 1.25, 1.1])).toEqual({ depth: 0.25, days: 3, recovered: true });
    const open = maxDrawdown([1, 0.8, 0.9]);
    expect(open.depth).toBeCloseTo(0.2, 12);
    expect(open).toMatchObject({ days: 2, recovered: false });
    expect(maxDrawdown([1, 1.1, 1.2])).toEqual({ depth: 0, days: 0, recovered: true });
  });

  it('needs the prices of the day after the last decision', () => {
    expect(() => simulatePositions(prices, 2, [1, 1, 1], { ...cost, mode: 'longFlat' })).toThrow(
      /need prices up to day 5/,
    );
  });
});
