// Settings of a forecast backtest run — features, model, horizon, walk-forward windows, seeds, baselines and trading
// — as one zod schema with defaults: the job payload and the Forecast page's form both parse through it, so an
// unknown or out-of-range setting is refused with a message naming it before anything runs.

import { z } from 'zod';
import { DEFAULT_BASELINES } from './baselines';
import { DEFAULT_FEATURES, type FeatureSpec } from './features';
import { MODEL_TYPES, type ModelConfig, resolveModelConfig } from './models';
import { HORIZONS } from './target';
import { DEFAULT_TRADING, type TradingConfig } from './trading';

export interface WalkForwardConfig {
  /** 'expanding': every train window starts at the first usable day; 'rolling': the last trainSize samples */
  window: 'expanding' | 'rolling';
  /** training samples (incl. the validation segment) of the first window (expanding) or of every window (rolling) */
  trainSize: number;
  /** k: retrain every k days; each fold tests the k days after its train window (and purge gap) */
  retrainEvery: number;
  /** continue training the previous fold's network (true) or start from fresh weights every fold (false) */
  warmStart: boolean;
  /** share of each fold's train window, at its end, held out for early stopping (0 turns validation off) */
  validationFraction: number;
  /** stop after this many folds (null: until the data ends); the first test block always starts at the same day */
  maxFolds: number | null;
}

export interface ForecastRunConfig {
  horizon: number;
  features: FeatureSpec;
  model: ModelConfig;
  walkForward: WalkForwardConfig;
  /** one training run per seed; metrics are reported as mean ± std over seeds */
  seeds: number[];
  baselines: { arOrder: number; maWindow: number };
  trading: TradingConfig;
}

export const DEFAULT_WALK_FORWARD: WalkForwardConfig = {
  window: 'expanding',
  trainSize: 504,
  retrainEvery: 63,
  warmStart: false,
  validationFraction: 0.2,
  maxFolds: null,
};

const period = (min = 2) => z.number().int().min(min).max(500);

const featureSchema = z
  .object({
    returnLags: z.number().int().min(0).max(60).default(DEFAULT_FEATURES.returnLags),
    volumeZ: period().nullable().default(DEFAULT_FEATURES.volumeZ),
    sma: period().nullable().default(null),
    ema: period().nullable().default(null),
    rsi: period().nullable().default(DEFAULT_FEATURES.rsi),
    macd: z
      .object({ fast: period(), slow: period(), signal: period(1) })
      .refine((m) => m.fast < m.slow, { message: 'macd.fast must be below macd.slow' })
      .nullable()
      .default(null),
    bollinger: z
      .object({ period: period(), stdDev: z.number().positive().max(10) })
      .nullable()
      .default(null),
    atr: period().nullable().default(null),
    obv: period(1).nullable().default(null),
    roc: period(1).nullable().default(null),
    stochastic: z
      .object({ period: period(), signal: period(1) })
      .nullable()
      .default(null),
  })
  .strict();

const modelSchema = z
  .object({
    type: z.enum(MODEL_TYPES),
    window: z.number().int().optional(),
    hidden: z.number().int().optional(),
    layers: z.number().int().optional(),
    dropout: z.number().optional(),
    heads: z.number().int().optional(),
    kernelSize: z.number().int().optional(),
    epochs: z.number().int().optional(),
    batchSize: z.number().int().optional(),
    learningRate: z.number().optional(),
    patience: z.number().int().optional(),
    weightDecay: z.number().optional(),
    clipNorm: z.number().optional(),
    quantiles: z.boolean().optional(),
    spectralRadius: z.number().optional(),
    leakRate: z.number().optional(),
    inputScaling: z.number().optional(),
    washout: z.number().int().optional(),
  })
  .strict();

export const forecastRunConfigSchema = z
  .object({
    horizon: z
      .number()
      .int()
      .refine((h) => (HORIZONS as readonly number[]).includes(h), {
        message: `horizon must be one of ${HORIZONS.join(', ')} days`,
      })
      .default(1),
    features: featureSchema.default(featureSchema.parse({})),
    model: modelSchema.default({ type: 'mlp' }),
    walkForward: z
      .object({
        window: z.enum(['expanding', 'rolling']).default(DEFAULT_WALK_FORWARD.window),
        trainSize: z.number().int().min(30).max(100_000).default(DEFAULT_WALK_FORWARD.trainSize),
        retrainEvery: z.number().int().min(1).max(10_000).default(DEFAULT_WALK_FORWARD.retrainEvery),
        warmStart: z.boolean().default(DEFAULT_WALK_FORWARD.warmStart),
        validationFraction: z.number().min(0).max(0.5).default(DEFAULT_WALK_FORWARD.validationFraction),
        maxFolds: z.number().int().min(1).nullable().default(null),
      })
      .strict()
      .default(DEFAULT_WALK_FORWARD),
    seeds: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(2 ** 31 - 1),
      )
      .min(1)
      .max(20)
      .default([1, 2, 3]),
    baselines: z
      .object({
        arOrder: z.number().int().min(1).max(60).default(DEFAULT_BASELINES.arOrder),
        maWindow: z.number().int().min(2).max(500).default(DEFAULT_BASELINES.maWindow),
      })
      .strict()
      .default(DEFAULT_BASELINES),
    trading: z
      .object({
        mode: z.enum(['longFlat', 'longShort']).default(DEFAULT_TRADING.mode),
        threshold: z.number().min(0).max(1).default(DEFAULT_TRADING.threshold),
        costBp: z.number().min(0).max(1000).default(DEFAULT_TRADING.costBp),
        riskFreeRate: z.number().min(-0.1).max(1).default(DEFAULT_TRADING.riskFreeRate),
      })
      .strict()
      .default(DEFAULT_TRADING),
  })
  .strict();

/** What callers may pass: any field may be left out and takes its default. */
export type ForecastRunConfigInput = z.input<typeof forecastRunConfigSchema>;

/** Parses and completes a run configuration; throws one message listing every bad setting. */
export function resolveRunConfig(input: unknown): ForecastRunConfig {
  const parsed = forecastRunConfigSchema.safeParse(input ?? {});
  if (!parsed.success) throw new Error(`invalid forecast settings:\n${z.prettifyError(parsed.error)}`);
  const c = parsed.data;
  const seeds = [...new Set(c.seeds)];
  return {
    horizon: c.horizon,
    features: c.features,
    model: resolveModelConfig(c.model),
    walkForward: c.walkForward,
    seeds,
    baselines: c.baselines,
    trading: c.trading,
  };
}
