import { describe, expect, it } from 'vitest';
import { adjustedSeries } from '../../lib/data/prices';
import { generateSyntheticPrices } from '../../lib/data/samples';
import { resolveRunConfig } from '../../lib/forecast/config';
import { buildFeatures } from '../../lib/forecast/features';
import {
  deserializeForecaster,
  forecastNext,
  serializeForecaster,
  trainFinalForecaster,
} from '../../lib/forecast/final';
import type { ModelType } from '../../lib/forecast/models';

const series = adjustedSeries(generateSyntheticPrices(8, { days: 500 }).bars);

describe('final forecaster: train on the latest window, forecast, save and load', () => {
  it.each([
    ['mlp', { hidden: 8, epochs: 3 }],
    ['lstm', { hidden: 6, window: 8, epochs: 2 }],
    ['gru', { hidden: 6, window: 8, epochs: 2, quantiles: false }],
    ['transformer', { hidden: 8, heads: 2, window: 8, epochs: 2 }],
    ['tcn', { hidden: 6, window: 8, epochs: 2 }],
    ['esn', { hidden: 50 }],
  ] as [ModelType, Record<string, unknown>][])(
    '%s: the reloaded model forecasts exactly the same',
    async (type, settings) => {
      const config = resolveRunConfig({
        horizon: 5,
        model: { type, ...settings },
        walkForward: { trainSize: 200 },
        seeds: [3],
      });
      const features = buildFeatures(series, config.features);
      const { model, trainedThrough } = await trainFinalForecaster(series, features, config, 3);
      // the last training sample's 5-day outcome is the last bar
      expect(trainedThrough).toBe(series.dates[series.dates.length - 1 - 5]);
      const next = forecastNext(model, series, features, 5);
      expect(next.asOf).toBe(series.dates.at(-1));
      expect(next.p10).toBeLessThanOrEqual(next.p50);
      expect(next.p50).toBeLessThanOrEqual(next.p90);
      expect(next.priceP50).toBeCloseTo(series.close.at(-1)! * Math.exp(next.p50), 8);
      expect(next.targetDate > next.asOf).toBe(true);

      const { artifact, manifest } = serializeForecaster(
        model,
        {
          horizon: 5,
          features: config.features,
          featureNames: features.names,
          trainedThrough,
          lastBar: next.asOf,
          datasetId: null,
          seed: 3,
        },
        { rmse: 1.5 },
      );
      expect(manifest).toMatchObject({ preprocessing: { kind: 'forecast', horizon: 5, model: { type } } });
      const loaded = deserializeForecaster(artifact);
      expect(loaded.preprocessing.scaler).toEqual(model.scaler);
      const again = forecastNext(loaded.model, series, features, 5);
      expect(again.p50).toBeCloseTo(next.p50, 6);
      expect(again.p10).toBeCloseTo(next.p10, 6);
      expect(again.p90).toBeCloseTo(next.p90, 6);
    },
  );

  it('refuses a corrupted network file', async () => {
    const config = resolveRunConfig({ model: { type: 'mlp', hidden: 4, epochs: 1 }, walkForward: { trainSize: 200 } });
    const features = buildFeatures(series, config.features);
    const { model } = await trainFinalForecaster(series, features, config, 1);
    const { artifact } = serializeForecaster(
      model,
      {
        horizon: 1,
        features: config.features,
        featureNames: features.names,
        trainedThrough: '',
        lastBar: '',
        datasetId: null,
        seed: 1,
      },
      {},
    );
    artifact[artifact.length - 1] ^= 0xff;
    expect(() => deserializeForecaster(artifact)).toThrow(/checksum mismatch/);
  });
});
