// Leak canary. On a simulated random walk nothing about tomorrow is knowable, so every forecaster's out-of-sample
// directional accuracy must stay inside the chance band 50 % ± 3 standard errors (SE = √(0.25 / n)). The same
// backtest with one deliberately leaked feature — tomorrow's return — must land far outside it (above 50 % + 6 SE),
// which proves the canary can fail: a pipeline that let the future into training or inputs would be caught.

import { describe, expect, it } from 'vitest';
import { adjustedSeries } from '../../lib/data/prices';
import { generateRandomWalk } from '../../lib/data/samples';
import { walkForwardBacktest } from '../../lib/forecast/backtest';
import { resolveRunConfig } from '../../lib/forecast/config';
import { appendFeature, buildFeatures } from '../../lib/forecast/features';
import type { ModelType } from '../../lib/forecast/models';

// small models, few epochs: enough to learn a leak, fast enough for CI
const MODELS: Record<ModelType, Record<string, unknown>> = {
  mlp: { hidden: 16, layers: 1, epochs: 20, learningRate: 0.01 },
  lstm: { hidden: 8, window: 10, epochs: 8, learningRate: 0.01 },
  gru: { hidden: 8, window: 10, epochs: 8, learningRate: 0.01 },
  transformer: { hidden: 8, heads: 2, window: 10, epochs: 8, learningRate: 0.01 },
  tcn: { hidden: 8, window: 10, epochs: 8, learningRate: 0.01 },
  esn: { hidden: 100 },
};

const series = adjustedSeries(generateRandomWalk(99, 700, 0.01).bars);

describe.each(Object.keys(MODELS) as ModelType[])('leak canary: %s on a random walk', (type) => {
  const config = resolveRunConfig({
    horizon: 1,
    features: { returnLags: 5, volumeZ: 20, rsi: 14 },
    model: { type, ...MODELS[type] },
    walkForward: { trainSize: 250, retrainEvery: 150 },
    seeds: [1],
  });
  const clean = buildFeatures(series, config.features);
  // tomorrow's log return as a feature of today: exactly the leak a careless pipeline makes
  const next = new Float64Array(clean.rows);
  for (let t = 0; t + 1 < clean.rows; t++) next[t] = Math.log(series.close[t + 1] / series.close[t]);
  const leaked = appendFeature(clean, 'leak_next_return', next);

  it('honest features: every model and baseline stays inside 50 % ± 3 SE', async () => {
    const r = await walkForwardBacktest({ series, features: clean, config });
    expect(r.chanceBand.n).toBeGreaterThan(400);
    for (const m of r.models) {
      const da = m.metrics.directionalAccuracy.mean;
      if (m.id === 'naive') {
        expect(da).toBeNull(); // never calls a direction
        continue;
      }
      expect(da, `${m.label} directional accuracy`).not.toBeNull();
      expect(da!, `${m.label} directional accuracy`).toBeGreaterThan(r.chanceBand.lower);
      expect(da!, `${m.label} directional accuracy`).toBeLessThan(r.chanceBand.upper);
    }
  });

  it('a leaked feature is detected far outside the band', async () => {
    const r = await walkForwardBacktest({ series, features: leaked, config });
    const se = (r.chanceBand.upper - 0.5) / 3;
    const da = r.models[0].metrics.directionalAccuracy.mean!;
    expect(da, `${r.modelLabel} with tomorrow's return as a feature`).toBeGreaterThan(0.5 + 6 * se);
  });
});
