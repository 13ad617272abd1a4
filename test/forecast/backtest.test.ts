import { describe, expect, it } from 'vitest';
import { adjustedSeries, type PriceBar } from '../../lib/data/prices';
import { generateSyntheticPrices } from '../../lib/data/samples';
import {
  BacktestInputError,
  backtestPrices,
  type FoldPlan,
  planWalkForward,
  walkForwardBacktest,
} from '../../lib/forecast/backtest';
import { resolveRunConfig } from '../../lib/forecast/config';
import { buildFeatures } from '../../lib/forecast/features';
import type { TrainedForecaster } from '../../lib/forecast/models';
import { std } from '../../lib/forecast/stats';
import { Rng } from '../../lib/nn/rng';

const bars = generateSyntheticPrices(21, { days: 700 }).bars;
const FAST_MLP = { type: 'mlp', hidden: 8, layers: 1, epochs: 4, batchSize: 64 } as const;
const SMALL = { trainSize: 200, retrainEvery: 120 } as const;

describe('planWalkForward', () => {
  const base = resolveRunConfig({
    model: { type: 'lstm', window: 10 },
    walkForward: { trainSize: 200, retrainEvery: 50 },
  });

  it.each([
    ['expanding', 1],
    ['expanding', 5],
    ['rolling', 20],
  ] as const)(
    '%s window, h = %i: a purge gap of h days, validation after another gap, contiguous tests',
    (window, h) => {
      const cfg = { ...base, horizon: h, walkForward: { ...base.walkForward, window } };
      const plan = planWalkForward(700, 30, cfg);
      // window 10 on top of a 30-day warm-up; the MA baseline (20) needs less
      expect(plan.firstSample).toBe(39);
      expect(plan.lastSample).toBe(700 - 1 - h);
      plan.folds.forEach((f, i) => {
        expect(f.testStart - f.trainEnd - 1).toBe(h); // h days between the last training sample and the first test sample
        expect(f.trainEnd + h).toBeLessThan(f.testStart); // the last training label is known before the test starts
        expect(f.valStart - f.fitEnd - 1).toBe(h);
        expect(f.trainEnd - f.valStart + 1).toBe(Math.round(0.2 * (f.trainEnd - f.trainStart + 1))); // 20 % of the window
        expect(f.trainStart).toBe(window === 'expanding' ? plan.firstSample : f.trainEnd - 199);
        if (i > 0) expect(f.testStart).toBe(plan.folds[i - 1].testEnd);
      });
      expect(plan.folds.at(-1)!.testEnd).toBe(plan.lastSample + 1);
      expect(plan.folds[0].testStart).toBe(39 + 200 + h);
    },
  );

  it('says how many rows are needed when there are too few', () => {
    expect(() => planWalkForward(240, 30, base)).toThrow(
      'too few rows: the data has 240 days, but the settings need at least 242: 30 days of feature warm-up, 9 more for the 10-day input window, 200 training samples, a purge gap of 1, one test day and 1 day for its outcome',
    );
    expect(() => planWalkForward(240, 30, { ...base, walkForward: { ...base.walkForward, trainSize: 25 } })).toThrow(
      'train window of 25 samples is too small: after a validation segment of 5 and a purge gap of 1 days only 19 samples remain to fit (at least 20)',
    );
  });
});

describe('walkForwardBacktest', () => {
  it('fits each fold’s scaler on that fold’s fit rows only', async () => {
    const config = resolveRunConfig({ model: FAST_MLP, walkForward: SMALL, seeds: [1] });
    const series = adjustedSeries(bars);
    const features = buildFeatures(series, config.features);
    const seen: { fold: FoldPlan; model: TrainedForecaster }[] = [];
    const result = await walkForwardBacktest(
      { series, features, config },
      { onFoldTrained: (fold, _seed, model) => seen.push({ fold, model }) },
    );
    expect(seen.length).toBe(result.folds.length);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const { fold, model } of seen) {
      const rows = model.scaler.fittedRows;
      expect(rows.first).toBe(fold.trainStart);
      expect(rows.last).toBe(fold.fitEnd);
      expect(rows.last + config.horizon).toBeLessThan(fold.valStart);
      expect(rows.last + config.horizon).toBeLessThan(fold.testStart);
      // the statistics are those of exactly these rows
      for (let c = 0; c < features.cols; c++) {
        const col = Array.from({ length: rows.count }, (_, i) => features.values[(rows.first + i) * features.cols + c]);
        const m = col.reduce((a, b) => a + b, 0) / col.length;
        expect(model.scaler.mean[c]).toBeCloseTo(m, 9);
        expect(model.scaler.std[c]).toBeCloseTo(std(col) * Math.sqrt((col.length - 1) / col.length), 9);
      }
    }
    expect(result.folds.map((f) => f.scalerRows.last)).toEqual(seen.map((s) => s.fold.fitEnd));
  });

  it('every prediction is out of sample: predictions up to day t are identical when the bars after t change', async () => {
    const config = { model: FAST_MLP, walkForward: SMALL, seeds: [1] };
    const a = await backtestPrices(bars, config);
    const cut = a.dates.indexOf(a.folds[1].testStart) + 30; // inside the second test block
    const rng = new Rng(5);
    const altered: PriceBar[] = bars.map((b) => {
      if (b.date <= a.dates[cut]) return b;
      const f = Math.exp(rng.normal(0, 0.05));
      return { ...b, open: b.open * f, high: b.high * f, low: b.low * f, close: b.close * f, volume: b.volume * 2 };
    });
    const b = await backtestPrices(altered, config);
    for (const m of [0, 1, 2, 3, 4]) {
      const pa = a.models[m].chart.p50;
      const pb = b.models[m].chart.p50;
      expect(pb.slice(0, cut + 1)).toEqual(pa.slice(0, cut + 1));
    }
    // the comparison can fail: the network's later predictions do move
    expect(b.models[0].chart.p50.slice(cut + 2)).not.toEqual(a.models[0].chart.p50.slice(cut + 2));
  });

  it('reports every metric as mean ± std over seeds, beside the baselines, with consistent series', async () => {
    const r = await backtestPrices(bars, {
      model: FAST_MLP,
      walkForward: { ...SMALL, warmStart: true },
      seeds: [1, 2],
    });
    expect(r.config.walkForward.warmStart).toBe(true);
    expect(r.models.map((m) => m.id)).toEqual(['model', 'naive', 'drift', 'ar', 'ma']);
    const sharpe = r.models[0].metrics.sharpe;
    expect(sharpe.values).toHaveLength(2);
    const v = sharpe.values as number[];
    expect(sharpe.mean).toBeCloseTo((v[0] + v[1]) / 2, 6);
    expect(sharpe.std).toBeCloseTo(Math.abs(v[0] - v[1]) / Math.SQRT2, 6);
    expect(r.models[1].metrics.mase.mean).toBeCloseTo(1, 12); // naive is the MASE scale
    expect(r.models[1].metrics.directionalAccuracy.mean).toBeNull();
    const n = r.dates.length;
    for (const series of [r.targetDates, r.basePrice, r.actualPrice, r.actualReturn]) expect(series).toHaveLength(n);
    for (const m of r.models) {
      expect(m.chart.p50).toHaveLength(n);
      expect(m.chart.equity).toHaveLength(n + 1);
      m.chart.p10.forEach((lo, i) => {
        expect(lo).toBeLessThanOrEqual(m.chart.p90[i]);
      });
    }
    expect(r.tradingDates).toHaveLength(n + 1);
    expect(r.buyAndHold.equity).toHaveLength(n + 1);
    expect(r.models[0].training).toHaveLength(2);
    expect(r.models[0].training![0]).toHaveLength(r.folds.length);
    // the actual price at t + h is the base price h days later
    expect(r.actualPrice[0]).toBeCloseTo(r.basePrice[1], 4);
  });

  it('refuses bad input with a specific message', async () => {
    const cfg = { model: FAST_MLP, walkForward: SMALL, seeds: [1] };
    await expect(backtestPrices(bars.slice(0, 150), cfg)).rejects.toThrow(
      /too few rows: the data has 150 days, but the settings need at least 222: 19 days of feature warm-up/,
    );
    const flat = bars.map((b) => ({ ...b, open: 50, high: 50, low: 50, close: 50, adjClose: null }));
    await expect(backtestPrices(flat, cfg)).rejects.toThrow(
      'prices are constant (every close is 50): there is no return to forecast',
    );
    const holed = bars.map((b, i) => (i === 400 ? { ...b, volume: Number.NaN } : b));
    await expect(backtestPrices(holed, cfg)).rejects.toThrow(
      `NaN feature: feature volume_z20 is NaN on ${bars[400].date} (row 401 of 700)`,
    );
    await expect(backtestPrices(bars, { ...cfg, horizon: 3 })).rejects.toThrow(/horizon must be one of 1, 5, 20 days/);
    await expect(
      backtestPrices(bars, { ...cfg, model: { type: 'transformer', hidden: 10, heads: 4 } }),
    ).rejects.toThrow(/hidden \(10\) must be a multiple of heads \(4\)/);
    await expect(backtestPrices(bars, { ...cfg, model: { type: 'lstm', epoch: 3 } })).rejects.toThrow(/epoch/);
    await expect(
      backtestPrices(bars, { ...cfg, walkForward: { ...SMALL, trainSize: 40, validationFraction: 0.5 } }),
    ).rejects.toBeInstanceOf(BacktestInputError);
  });
});
