// Walk-forward backtest of one forecaster beside the baselines, on one daily series. Day indices t are decision
// days (the close of day t); sample t's target y_t = ln(C_{t+h} / C_t) is known at the close of t + h.
//
// Folds: the first usable sample s0 is the first day whose input is fully defined (feature warm-up + window − 1,
// and the baselines' AR order / MA window). Fold f tests the days testStart_f … testStart_f + k − 1 with
// testStart_f = s0 + trainSize + h + f·k; its train window ends at trainEnd_f = testStart_f − h − 1, so h days are
// purged between the last training sample and the first test sample (the last training label, y at trainEnd_f, is
// known at the close of testStart_f − 1: nothing from the test period reaches training). The window starts at s0
// (expanding) or at trainEnd_f − trainSize + 1 (rolling). Inside it, the last validationFraction of the samples
// form the early-stopping validation segment, again h days after the last fit sample. The scaler is fitted on the
// fit samples' feature rows only, in every fold. Every test prediction therefore comes from a model that saw no
// data from the test day or later.

import { type AdjustedSeries, adjustedSeries, type PriceBar } from '../data/prices';
import { BASELINE_IDS, BASELINE_LABELS, type BaselineId, baselineForecast } from './baselines';
import { type ForecastRunConfig, resolveRunConfig } from './config';
import { buildFeatures, type FeatureMatrix, findBadFeature } from './features';
import { type ForecastMetrics, forecastMetrics } from './metrics';
import {
  MODEL_LABELS,
  type ModelType,
  predictForecaster,
  type TrainedForecaster,
  type TrainingRange,
  type TrainingSummary,
  trainForecaster,
} from './models';
import type { ScalerState } from './scaler';
import { mean, std } from './stats';
import { horizonReturns } from './target';
import { buyAndHold, simulateStrategy, type TradingMetrics } from './trading';

/** One fold of the plan, as day indices (inclusive ends except testEnd). */
export interface FoldPlan extends TrainingRange {
  index: number;
  testStart: number;
  /** exclusive */
  testEnd: number;
}

export interface WalkForwardPlan {
  /** first usable sample s0 */
  firstSample: number;
  /** last day with a known target, T − 1 − h */
  lastSample: number;
  folds: FoldPlan[];
}

/** Input rows are bad or too few for the settings: the message says what, and how many rows are needed. */
export class BacktestInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BacktestInputError';
  }
}

/** The fewest fit samples a fold may train on. */
export const MIN_FIT_SAMPLES = 20;

/**
 * Splits the train window trainStart…trainEnd into fit samples and, at its end, the early-stopping validation
 * segment (round(fraction × window) samples, at least 1 when fraction > 0), with h days purged between them.
 */
export function splitTrainWindow(trainStart: number, trainEnd: number, h: number, fraction: number): TrainingRange {
  const size = trainEnd - trainStart + 1;
  const valCount = fraction > 0 ? Math.max(1, Math.round(size * fraction)) : 0;
  const valStart = trainEnd - valCount + 1;
  const fitEnd = valCount > 0 ? valStart - h - 1 : trainEnd;
  return { trainStart, fitEnd, valStart, trainEnd };
}

/** Plans the folds; throws BacktestInputError when the rows cannot hold one train window, its gap and a test day. */
export function planWalkForward(
  rows: number,
  warmup: number,
  config: Pick<ForecastRunConfig, 'horizon' | 'model' | 'walkForward' | 'baselines'>,
): WalkForwardPlan {
  const h = config.horizon;
  const wf = config.walkForward;
  const L = config.model.type === 'mlp' || config.model.type === 'esn' ? 1 : config.model.window;
  const firstSample = Math.max(warmup + L - 1, config.baselines.arOrder, config.baselines.maWindow - 1, 1);
  const lastSample = rows - 1 - h;
  // the first window is the smallest (expanding) or the size of all (rolling)
  const first = splitTrainWindow(0, wf.trainSize - 1, h, wf.validationFraction);
  const fitCount = first.fitEnd + 1;
  if (fitCount < MIN_FIT_SAMPLES) {
    throw new BacktestInputError(
      `train window of ${wf.trainSize} samples is too small: after a validation segment of ${wf.trainSize - first.valStart} and a purge gap of ${h} days only ${fitCount} samples remain to fit (at least ${MIN_FIT_SAMPLES}); raise trainSize or lower validationFraction`,
    );
  }
  const testStart0 = firstSample + wf.trainSize + h;
  if (testStart0 > lastSample) {
    const need = testStart0 + 1 + h;
    throw new BacktestInputError(
      `too few rows: the data has ${rows} days, but the settings need at least ${need}: ${warmup} days of feature warm-up, ${L - 1} more for the ${L}-day input window${firstSample > warmup + L - 1 ? ` (${firstSample} for the baselines)` : ''}, ${wf.trainSize} training samples, a purge gap of ${h}, one test day and ${h} day${h > 1 ? 's' : ''} for its outcome. Use more data, a smaller train window or fewer features with long warm-ups.`,
    );
  }
  const folds: FoldPlan[] = [];
  for (let f = 0; ; f++) {
    if (wf.maxFolds !== null && f >= wf.maxFolds) break;
    const testStart = testStart0 + f * wf.retrainEvery;
    if (testStart > lastSample) break;
    const trainEnd = testStart - h - 1;
    const trainStart = wf.window === 'expanding' ? firstSample : trainEnd - wf.trainSize + 1;
    folds.push({
      index: f,
      ...splitTrainWindow(trainStart, trainEnd, h, wf.validationFraction),
      testStart,
      testEnd: Math.min(testStart + wf.retrainEvery, lastSample + 1),
    });
  }
  return { firstSample, lastSample, folds };
}

export const FORECAST_METRIC_KEYS = [
  'rmse',
  'mae',
  'mape',
  'mase',
  'directionalAccuracy',
  'ic',
  'coverage',
  'intervalWidth',
  'dmStat',
  'dmPValue',
] as const;
export const TRADING_METRIC_KEYS = [
  'totalReturn',
  'annualReturn',
  'volatility',
  'sharpe',
  'sortino',
  'maxDrawdown',
  'maxDrawdownDays',
  'calmar',
  'hitRate',
  'turnover',
  'exposure',
  'trades',
] as const;
export type MetricKey = (typeof FORECAST_METRIC_KEYS)[number] | (typeof TRADING_METRIC_KEYS)[number];

/** A metric over seeds: values[i] belongs to seeds[i]; mean and std (sample, n − 1; 0 for one seed) skip nulls. */
export interface MetricSummary {
  mean: number | null;
  std: number | null;
  values: (number | null)[];
}

export interface ForecastChart {
  /** the seed these curves come from (the first); metrics cover every seed */
  seed: number;
  /** predicted log returns per test day */
  p10: number[];
  p50: number[];
  p90: number[];
  /** predicted prices C_t · exp(p) */
  priceP10: number[];
  priceP50: number[];
  priceP90: number[];
  /** position decided at each test day's close */
  positions: number[];
  /** equity (1 at the start) and drawdown per tradingDates entry */
  equity: number[];
  drawdown: number[];
}

export interface ModelResult {
  /** 'model' for the forecaster, else the baseline id */
  id: 'model' | BaselineId;
  label: string;
  kind: 'model' | 'baseline';
  /** the forecaster's seeds; a baseline is deterministic and runs once, listed as seed 0 */
  seeds: number[];
  metrics: Record<MetricKey, MetricSummary>;
  chart: ForecastChart;
  /** per seed, per fold (forecaster only) */
  training: TrainingSummary[][] | null;
}

export interface FoldReport {
  fold: number;
  /** day indices, as planned */
  index: FoldPlan;
  trainStart: string;
  trainEnd: string;
  fitEnd: string;
  valStart: string | null;
  testStart: string;
  /** last test day (inclusive) */
  testEnd: string;
  fitSamples: number;
  valSamples: number;
  testSamples: number;
  /** the feature rows the fold's scaler was fitted on (first seed) */
  scalerRows: { first: number; last: number; firstDate: string; lastDate: string };
}

export interface ForecastRunResult {
  version: 1;
  config: ForecastRunConfig;
  modelType: ModelType;
  modelLabel: string;
  featureNames: string[];
  /** whether prices were split/dividend adjusted */
  adjusted: boolean;
  horizon: number;
  /** decision day of every test point, and the day its outcome is known (t + h) */
  dates: string[];
  targetDates: string[];
  /** C_t, C_{t+h} and y = ln(C_{t+h}/C_t) per test point */
  basePrice: number[];
  actualPrice: number[];
  actualReturn: number[];
  folds: FoldReport[];
  /** the forecaster first, then naive, drift, AR, MA */
  models: ModelResult[];
  /** equity curve days: the first decision day's close, then each trading day */
  tradingDates: string[];
  buyAndHold: { equity: number[]; drawdown: number[]; metrics: TradingMetrics };
  /** directional accuracy a forecaster with no skill stays inside: 50 % ± 3 standard errors √(0.25 / n) */
  chanceBand: { n: number; lower: number; upper: number };
  timing: BacktestTiming;
  warnings: string[];
}

export interface BacktestTiming {
  totalMs: number;
  featuresMs: number;
  baselinesMs: number;
  /** network / ESN fitting, all seeds and folds */
  trainMs: number;
  predictMs: number;
  metricsMs: number;
  epochs: number;
}

export interface BacktestProgress {
  stage: 'baselines' | 'train' | 'metrics';
  seed: number;
  /** 1-based */
  seedIndex: number;
  seeds: number;
  /** 1-based */
  fold: number;
  folds: number;
  epoch?: number;
  epochs?: number;
  loss?: number;
  valLoss?: number;
  /** 0–100 */
  pct: number;
  message: string;
}

export interface BacktestHooks {
  /** called after every epoch and fold (synchronously; keep it cheap) */
  onProgress?: (p: BacktestProgress) => void;
  /** awaited between folds: a place to yield to the event loop and to stop (throw) */
  checkpoint?: () => Promise<void>;
  signal?: AbortSignal;
  /** every fold's trained forecaster, for inspection (tests assert on its scaler) */
  onFoldTrained?: (fold: FoldPlan, seed: number, model: TrainedForecaster) => void;
}

export interface BacktestInput {
  series: AdjustedSeries;
  features: FeatureMatrix;
  config: ForecastRunConfig;
}

const sig = (x: number): number => (Number.isFinite(x) ? Number(x.toPrecision(8)) : x);
const round = (xs: ArrayLike<number>): number[] => Array.from(xs, sig);

/** Checks the series and features can be backtested: finite, non-constant prices and defined features. */
export function checkBacktestInput(
  series: AdjustedSeries,
  features: FeatureMatrix,
  plan: WalkForwardPlan,
  window: number,
): void {
  const c = series.close;
  for (let t = 0; t < c.length; t++) {
    if (!(c[t] > 0 && Number.isFinite(c[t]))) {
      throw new BacktestInputError(
        `close on ${series.dates[t]} (row ${t + 1}) is ${c[t]}; prices must be positive numbers`,
      );
    }
  }
  let moves = 0;
  for (let t = 1; t < c.length; t++) if (c[t] !== c[t - 1]) moves++;
  if (moves === 0) {
    throw new BacktestInputError(`prices are constant (every close is ${c[0]}): there is no return to forecast`);
  }
  const from = Math.max(0, plan.firstSample - window + 1);
  const bad = findBadFeature(features, series.dates, from, features.rows);
  if (bad !== null) throw new BacktestInputError(`NaN feature: ${bad}`);
}

/** Runs the walk-forward backtest of config.model and every baseline (see the top of this file). */
export async function walkForwardBacktest(input: BacktestInput, hooks: BacktestHooks = {}): Promise<ForecastRunResult> {
  const started = performance.now();
  const { series, features, config } = input;
  const h = config.horizon;
  const T = series.close.length;
  if (features.rows !== T) throw new Error(`walkForwardBacktest: ${features.rows} feature rows for ${T} days`);
  const plan = planWalkForward(T, features.warmup, config);
  const L = config.model.type === 'mlp' || config.model.type === 'esn' ? 1 : config.model.window;
  checkBacktestInput(series, features, plan, L);
  const folds = plan.folds;
  const t0 = folds[0].testStart;
  const tEnd = folds[folds.length - 1].testEnd;
  const nTest = tEnd - t0;
  const target = horizonReturns(series.close, h);
  const returns = new Float64Array(T).fill(Number.NaN);
  for (let t = 1; t < T; t++) returns[t] = Math.log(series.close[t] / series.close[t - 1]);
  for (const f of folds) {
    const ys = Array.from({ length: f.fitEnd - f.trainStart + 1 }, (_, i) => target[f.trainStart + i]);
    if (std(ys) === 0) {
      throw new BacktestInputError(
        `fold ${f.index + 1}: the ${h}-day return is constant over the training days ${series.dates[f.trainStart]}…${series.dates[f.fitEnd]}; constant prices cannot be forecast`,
      );
    }
  }
  const timing: BacktestTiming = {
    totalMs: 0,
    featuresMs: 0,
    baselinesMs: 0,
    trainMs: 0,
    predictMs: 0,
    metricsMs: 0,
    epochs: 0,
  };
  const seeds = config.seeds;
  const totalUnits = seeds.length * folds.length;
  const progress = (p: Omit<BacktestProgress, 'seeds' | 'folds'>): void =>
    hooks.onProgress?.({ ...p, seeds: seeds.length, folds: folds.length });

  // baselines: deterministic, one pass
  let tb = performance.now();
  const baselinePreds = new Map<BaselineId, { pred: Float64Array; lower: Float64Array; upper: Float64Array }>();
  for (const id of BASELINE_IDS) {
    const out = { pred: new Float64Array(nTest), lower: new Float64Array(nTest), upper: new Float64Array(nTest) };
    for (const f of folds) {
      const r = baselineForecast(
        id,
        {
          close: series.close,
          returns,
          target,
          trainStart: f.trainStart,
          trainEnd: f.trainEnd,
          testStart: f.testStart,
          testEnd: f.testEnd,
        },
        config.baselines,
      );
      out.pred.set(r.pred, f.testStart - t0);
      out.lower.set(r.lower, f.testStart - t0);
      out.upper.set(r.upper, f.testStart - t0);
    }
    baselinePreds.set(id, out);
  }
  timing.baselinesMs = performance.now() - tb;
  progress({ stage: 'baselines', seed: seeds[0], seedIndex: 1, fold: 0, pct: 0, message: 'baselines done' });

  // the forecaster, per seed and fold
  const modelPreds: { p10: Float64Array; p50: Float64Array; p90: Float64Array }[] = [];
  const training: TrainingSummary[][] = [];
  const scalerRows: ScalerState['fittedRows'][] = [];
  for (let si = 0; si < seeds.length; si++) {
    const seed = seeds[si];
    const pred = { p10: new Float64Array(nTest), p50: new Float64Array(nTest), p90: new Float64Array(nTest) };
    const perFold: TrainingSummary[] = [];
    let previous: TrainedForecaster | null = null;
    for (let fi = 0; fi < folds.length; fi++) {
      const f = folds[fi];
      await hooks.checkpoint?.();
      if (hooks.signal?.aborted) throw new Error('backtest cancelled');
      const unit = si * folds.length + fi;
      const label = `seed ${si + 1}/${seeds.length} · fold ${fi + 1} of ${folds.length}`;
      progress({
        stage: 'train',
        seed,
        seedIndex: si + 1,
        fold: fi + 1,
        pct: (100 * unit) / totalUnits,
        message: label,
      });
      const tt = performance.now();
      const model = await trainForecaster({
        features,
        target,
        range: f,
        config: config.model,
        seed,
        previous: config.walkForward.warmStart ? previous : null,
        signal: hooks.signal,
        onEpoch: (e) => {
          timing.epochs++;
          progress({
            stage: 'train',
            seed,
            seedIndex: si + 1,
            fold: fi + 1,
            epoch: e.epoch,
            epochs: e.epochs,
            loss: e.loss,
            valLoss: e.valLoss ?? undefined,
            pct: (100 * (unit + e.epoch / Math.max(1, e.epochs))) / totalUnits,
            message: `${label} · epoch ${e.epoch}/${e.epochs} · loss ${e.loss.toFixed(4)}${e.valLoss !== null ? ` · val ${e.valLoss.toFixed(4)}` : ''}`,
          });
        },
      });
      timing.trainMs += performance.now() - tt;
      hooks.onFoldTrained?.(f, seed, model);
      if (si === 0) scalerRows.push(model.scaler.fittedRows);
      const tp = performance.now();
      const q = predictForecaster(model, features, f.testStart, f.testEnd);
      timing.predictMs += performance.now() - tp;
      pred.p10.set(q.p10, f.testStart - t0);
      pred.p50.set(q.p50, f.testStart - t0);
      pred.p90.set(q.p90, f.testStart - t0);
      perFold.push(model.training);
      previous = model;
    }
    modelPreds.push(pred);
    training.push(perFold);
  }

  // metrics and trading, per seed
  tb = performance.now();
  progress({
    stage: 'metrics',
    seed: seeds[0],
    seedIndex: seeds.length,
    fold: folds.length,
    pct: 99,
    message: 'metrics',
  });
  const basePrice = series.close.subarray(t0, tEnd);
  const actualReturn = target.subarray(t0, tEnd);
  const prices = { open: series.open, close: series.close };
  const summarise = (
    id: ModelResult['id'],
    label: string,
    kind: ModelResult['kind'],
    runs: { seed: number; p10: Float64Array; p50: Float64Array; p90: Float64Array }[],
    train: TrainingSummary[][] | null,
  ): ModelResult => {
    const perSeed: Record<string, number | null>[] = [];
    let chart: ForecastChart | null = null;
    for (const r of runs) {
      const fm: ForecastMetrics = forecastMetrics({
        basePrice,
        actualReturn,
        predReturn: r.p50,
        lower: r.p10,
        upper: r.p90,
        horizon: h,
      });
      const tr = simulateStrategy(prices, t0, r.p50, config.trading);
      const row: Record<string, number | null> = {};
      for (const k of FORECAST_METRIC_KEYS) row[k] = fm[k];
      for (const k of TRADING_METRIC_KEYS) row[k] = tr.metrics[k];
      perSeed.push(row);
      if (chart === null) {
        chart = {
          seed: r.seed,
          p10: round(r.p10),
          p50: round(r.p50),
          p90: round(r.p90),
          priceP10: round(Array.from(r.p10, (v, i) => basePrice[i] * Math.exp(v))),
          priceP50: round(Array.from(r.p50, (v, i) => basePrice[i] * Math.exp(v))),
          priceP90: round(Array.from(r.p90, (v, i) => basePrice[i] * Math.exp(v))),
          positions: tr.positions,
          equity: round(tr.equity),
          drawdown: round(tr.drawdown),
        };
      }
    }
    const metrics = {} as Record<MetricKey, MetricSummary>;
    for (const k of [...FORECAST_METRIC_KEYS, ...TRADING_METRIC_KEYS]) {
      const values = perSeed.map((m) => (m[k] === null || m[k] === undefined ? null : sig(m[k] as number)));
      const present = values.filter((v): v is number => v !== null);
      metrics[k] = {
        mean: present.length > 0 ? sig(mean(present)) : null,
        std: present.length > 0 ? sig(std(present)) : null,
        values,
      };
    }
    return { id, label, kind, seeds: runs.map((r) => r.seed), metrics, chart: chart as ForecastChart, training: train };
  };
  const models: ModelResult[] = [
    summarise(
      'model',
      MODEL_LABELS[config.model.type],
      'model',
      modelPreds.map((p, i) => ({ seed: seeds[i], ...p })),
      training,
    ),
  ];
  for (const id of BASELINE_IDS) {
    const b = baselinePreds.get(id)!;
    models.push(
      summarise(id, BASELINE_LABELS[id], 'baseline', [{ seed: 0, p10: b.lower, p50: b.pred, p90: b.upper }], null),
    );
  }
  const bh = buyAndHold(prices, t0, nTest, config.trading);
  timing.metricsMs = performance.now() - tb;

  // the chance band uses the first seed's count of directional calls (points where ŷ and y are both non-zero)
  const dirN = forecastMetrics({ basePrice, actualReturn, predReturn: modelPreds[0].p50, horizon: h }).directionalCount;
  const se = dirN > 0 ? Math.sqrt(0.25 / dirN) : 0;
  const warnings: string[] = [];
  if (h > 1) {
    warnings.push(
      `With a ${h}-day horizon the test points overlap, so neighbouring errors are correlated: the chance band and hit rates understate their uncertainty; the Diebold–Mariano test allows for it.`,
    );
  }
  timing.totalMs = performance.now() - started;
  return {
    version: 1,
    config,
    modelType: config.model.type,
    modelLabel: MODEL_LABELS[config.model.type],
    featureNames: features.names,
    adjusted: series.adjusted,
    horizon: h,
    dates: series.dates.slice(t0, tEnd),
    targetDates: series.dates.slice(t0 + h, tEnd + h),
    basePrice: round(basePrice),
    actualPrice: round(series.close.subarray(t0 + h, tEnd + h)),
    actualReturn: round(actualReturn),
    folds: folds.map((f, i) => ({
      fold: i + 1,
      index: f,
      trainStart: series.dates[f.trainStart],
      trainEnd: series.dates[f.trainEnd],
      fitEnd: series.dates[f.fitEnd],
      valStart: f.valStart <= f.trainEnd ? series.dates[f.valStart] : null,
      testStart: series.dates[f.testStart],
      testEnd: series.dates[f.testEnd - 1],
      fitSamples: f.fitEnd - f.trainStart + 1,
      valSamples: Math.max(0, f.trainEnd - f.valStart + 1),
      testSamples: f.testEnd - f.testStart,
      scalerRows: {
        ...scalerRows[i],
        firstDate: series.dates[scalerRows[i].first],
        lastDate: series.dates[scalerRows[i].last],
      },
    })),
    models,
    tradingDates: series.dates.slice(t0, tEnd + 1),
    buyAndHold: { equity: round(bh.equity), drawdown: round(bh.drawdown), metrics: bh.metrics },
    chanceBand: { n: dirN, lower: 0.5 - 3 * se, upper: 0.5 + 3 * se },
    timing,
    warnings,
  };
}

/** Bars → adjusted series and features, then walkForwardBacktest; the config is parsed and completed first. */
export async function backtestPrices(
  bars: readonly PriceBar[],
  configInput: unknown,
  hooks: BacktestHooks = {},
): Promise<ForecastRunResult> {
  const config = resolveRunConfig(configInput);
  if (bars.length < 2) throw new BacktestInputError(`too few rows: ${bars.length} price bar(s)`);
  const tf = performance.now();
  const series = adjustedSeries(bars);
  const features = buildFeatures(series, config.features);
  const featuresMs = performance.now() - tf;
  const result = await walkForwardBacktest({ series, features, config }, hooks);
  result.timing.featuresMs = featuresMs;
  result.timing.totalMs += featuresMs;
  return result;
}
