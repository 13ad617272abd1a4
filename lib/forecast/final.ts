// After a backtest: the forecaster retrained the same way on the most recent train window (ending h days before the
// last bar, so every label is known), its forecast of the next h days from the latest bar, and saving / loading it
// through the models table so it can forecast again from newer data.

import type { Kysely } from 'kysely';
import { addTradingDays } from '../data/calendar';
import { loadPriceDataset } from '../data/import';
import { type AdjustedSeries, adjustedSeries } from '../data/prices';
import { EchoStateNetwork, type EchoStateNetworkJson } from '../nn/esn';
import { type JsonValue, loadModel, packModelFile, saveModel, unpackModelFile } from '../nn/persistence';
import { Rng } from '../nn/rng';
import { createModel, getModel, getModelArtifact, type Model } from '../store/repos/models';
import type { Database } from '../store/schema';
import { BacktestInputError, checkBacktestInput, planWalkForward, splitTrainWindow } from './backtest';
import type { ForecastRunConfig } from './config';
import { buildFeatures, type FeatureMatrix, type FeatureSpec } from './features';
import { MODEL_LABELS, type ModelConfig, predictForecaster, type TrainedForecaster, trainForecaster } from './models';
import type { ScalerState } from './scaler';
import { horizonReturns } from './target';

export const FORECAST_MODEL_KIND = 'forecast';

export interface NextForecast {
  /** the latest bar: the forecast is made at its close */
  asOf: string;
  horizon: number;
  /** the NYSE session h sessions after asOf */
  targetDate: string;
  basePrice: number;
  /** log returns over the horizon */
  p10: number;
  p50: number;
  p90: number;
  priceP10: number;
  priceP50: number;
  priceP90: number;
}

/** Everything besides the weights a saved forecaster needs to forecast again (stored as the manifest's preprocessing). */
export interface ForecastPreprocessing {
  kind: 'forecast';
  horizon: number;
  features: FeatureSpec;
  featureNames: string[];
  scaler: ScalerState;
  targetScale: number;
  residualBand: [number, number] | null;
  model: ModelConfig;
  /** the last training sample's decision day, and the last bar the model saw */
  trainedThrough: string;
  lastBar: string;
  datasetId: string | null;
  seed: number;
}

/** Trains the final forecaster on the most recent window (the same window rules as the backtest's folds). */
export async function trainFinalForecaster(
  series: AdjustedSeries,
  features: FeatureMatrix,
  config: ForecastRunConfig,
  seed: number,
  signal?: AbortSignal,
): Promise<{ model: TrainedForecaster; trainedThrough: string }> {
  const T = series.close.length;
  const plan = planWalkForward(T, features.warmup, config);
  const L = config.model.type === 'mlp' || config.model.type === 'esn' ? 1 : config.model.window;
  checkBacktestInput(series, features, plan, L);
  const wf = config.walkForward;
  const trainEnd = plan.lastSample;
  const trainStart = wf.window === 'expanding' ? plan.firstSample : trainEnd - wf.trainSize + 1;
  const range = splitTrainWindow(trainStart, trainEnd, config.horizon, wf.validationFraction);
  const model = await trainForecaster({
    features,
    target: horizonReturns(series.close, config.horizon),
    range,
    config: config.model,
    seed,
    signal,
  });
  return { model, trainedThrough: series.dates[trainEnd] };
}

/** The forecast made at the close of the last bar. */
export function forecastNext(
  model: TrainedForecaster,
  series: AdjustedSeries,
  features: FeatureMatrix,
  horizon: number,
): NextForecast {
  const T = series.close.length;
  const q = predictForecaster(model, features, T - 1, T);
  const base = series.close[T - 1];
  const asOf = series.dates[T - 1];
  return {
    asOf,
    horizon,
    targetDate: addTradingDays(asOf, horizon, 'nyse'),
    basePrice: base,
    p10: q.p10[0],
    p50: q.p50[0],
    p90: q.p90[0],
    priceP10: base * Math.exp(q.p10[0]),
    priceP50: base * Math.exp(q.p50[0]),
    priceP90: base * Math.exp(q.p90[0]),
  };
}

/** The stored form of a trained forecaster: manifest JSON (for listing) and one artifact blob. */
export function serializeForecaster(
  model: TrainedForecaster,
  pre: Omit<ForecastPreprocessing, 'kind' | 'scaler' | 'targetScale' | 'residualBand' | 'model'>,
  metrics: Record<string, number | null>,
): { manifest: Record<string, unknown>; artifact: Uint8Array } {
  const preprocessing: ForecastPreprocessing = {
    kind: 'forecast',
    ...pre,
    scaler: model.scaler,
    targetScale: model.targetScale,
    residualBand: model.residualBand,
    model: model.config,
  };
  if (model.esn) {
    const json = { esn: model.esn.toJSON(), preprocessing, metrics };
    return {
      manifest: { format: 'neuralfin-esn', preprocessing, metrics, seed: pre.seed },
      artifact: new TextEncoder().encode(JSON.stringify(json)),
    };
  }
  if (!model.network) throw new Error('serializeForecaster: the forecaster has no trained network');
  const saved = saveModel(model.network, {
    config: model.config as unknown as JsonValue,
    preprocessing: preprocessing as unknown as JsonValue,
    seed: pre.seed,
    metrics,
  });
  return { manifest: saved.manifest as unknown as Record<string, unknown>, artifact: packModelFile(saved) };
}

/** Rebuilds a forecaster from its artifact (checksums verified for networks). */
export function deserializeForecaster(artifact: Uint8Array): {
  model: TrainedForecaster;
  preprocessing: ForecastPreprocessing;
} {
  const isEsn = artifact[0] === 0x7b; // '{': the ESN's JSON form; networks start with the NFMODEL magic
  if (isEsn) {
    const json = JSON.parse(new TextDecoder().decode(artifact)) as {
      esn: EchoStateNetworkJson;
      preprocessing: ForecastPreprocessing;
    };
    const p = json.preprocessing;
    return {
      preprocessing: p,
      model: {
        config: p.model,
        scaler: p.scaler,
        targetScale: p.targetScale,
        network: null,
        esn: EchoStateNetwork.fromJSON(json.esn),
        residualBand: p.residualBand,
        training: { epochs: 0, bestEpoch: null, stopReason: 'loaded', loss: null, valLoss: null },
      },
    };
  }
  const saved = unpackModelFile(artifact);
  const p = saved.manifest.preprocessing as unknown as ForecastPreprocessing;
  if (p?.kind !== 'forecast') throw new Error('this model file is not a NeuralFin price forecaster');
  const network = loadModel(saved.manifest, saved.weights, new Rng(0));
  return {
    preprocessing: p,
    model: {
      config: p.model,
      scaler: p.scaler,
      targetScale: p.targetScale,
      network,
      esn: null,
      residualBand: p.residualBand,
      training: { epochs: 0, bestEpoch: null, stopReason: 'loaded', loss: null, valLoss: null },
    },
  };
}

export interface SaveForecasterInput {
  name: string;
  datasetId: string;
  jobId: string | null;
  createdBy: string | null;
  model: TrainedForecaster;
  config: ForecastRunConfig;
  featureNames: string[];
  trainedThrough: string;
  lastBar: string;
  seed: number;
  metrics: Record<string, number | null>;
}

/** Stores a trained forecaster in the models table (kind 'forecast'); use inside the caller's transaction. */
export async function saveForecaster(db: Kysely<Database>, input: SaveForecasterInput): Promise<Model> {
  const { manifest, artifact } = serializeForecaster(
    input.model,
    {
      horizon: input.config.horizon,
      features: input.config.features,
      featureNames: input.featureNames,
      trainedThrough: input.trainedThrough,
      lastBar: input.lastBar,
      datasetId: input.datasetId,
      seed: input.seed,
    },
    input.metrics,
  );
  return createModel(db, {
    kind: FORECAST_MODEL_KIND,
    name: input.name,
    datasetId: input.datasetId,
    jobId: input.jobId,
    manifest,
    metrics: input.metrics,
    artifact,
    createdBy: input.createdBy,
  });
}

/**
 * Forecasts the next h days with a saved forecaster from the latest bars of a prices dataset (by default the one it
 * was trained on, which may have grown since). Features are rebuilt with the saved spec and scaled with the saved
 * scaler, so the model sees inputs exactly as in training.
 */
export async function forecastWithSavedModel(
  db: Kysely<Database>,
  modelId: string,
  opts: { datasetId?: string } = {},
): Promise<NextForecast & { modelId: string; modelName: string; datasetId: string; modelLabel: string }> {
  const row = await getModel(db, modelId);
  if (!row) throw new Error(`model ${modelId} does not exist`);
  if (row.kind !== FORECAST_MODEL_KIND)
    throw new Error(`model ${row.name} is a ${row.kind} model, not a price forecaster`);
  const artifact = await getModelArtifact(db, modelId);
  if (!artifact) throw new Error(`model ${row.name} has no stored weights`);
  const { model, preprocessing: p } = deserializeForecaster(artifact);
  const datasetId = opts.datasetId ?? p.datasetId ?? row.datasetId;
  if (!datasetId) throw new Error(`model ${row.name} names no dataset; pass one to forecast from`);
  const { bars } = await loadPriceDataset(db, datasetId);
  const series = adjustedSeries(bars);
  const features = buildFeatures(series, p.features);
  if (features.names.join(',') !== p.featureNames.join(',')) {
    throw new Error(
      `model ${row.name} was trained on features ${p.featureNames.join(', ')}, but they rebuild as ${features.names.join(', ')}`,
    );
  }
  const T = series.close.length;
  const L = p.model.type === 'mlp' || p.model.type === 'esn' ? 1 : p.model.window;
  if (T - L < features.warmup) {
    throw new BacktestInputError(
      `too few rows: ${T} days, but the features need ${features.warmup} days of warm-up and the window ${L}`,
    );
  }
  const next = forecastNext(model, series, features, p.horizon);
  return { ...next, modelId, modelName: row.name, datasetId, modelLabel: MODEL_LABELS[p.model.type] };
}
