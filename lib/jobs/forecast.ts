// The forecast jobs. 'forecast.backtest': a walk-forward backtest of one forecaster beside the baselines on a prices
// dataset, reporting "seed s · fold i of k · epoch e · loss"; then (optionally) the forecaster retrained on the latest
// window forecasts the next h days and is saved to the models table. The run, the saved model and an audit row are
// stored in one transaction at the end, so a failed or cancelled job stores nothing.
// 'forecast.saveModel': saves the forecaster of a finished run that did not save one, by training only that final
// forecaster again (same settings, same seed, same latest window as the backtest job's final stage, through the same
// code: trainFinalStage + saveFinalForecaster), linking it to the run; no new run is created.

import type { Kysely } from 'kysely';
import { z } from 'zod';
import { loadPriceDataset } from '../data/import';
import { type AdjustedSeries, adjustedSeries } from '../data/prices';
import { type BacktestProgress, walkForwardBacktest } from '../forecast/backtest';
import { type ForecastRunConfig, type ForecastRunConfigInput, resolveRunConfig } from '../forecast/config';
import { buildFeatures, type FeatureMatrix } from '../forecast/features';
import { forecastNext, type NextForecast, saveForecaster, trainFinalForecaster } from '../forecast/final';
import { TrainingCancelledError } from '../forecast/models';
import { type RunSummary, summarizeRun } from '../forecast/summary';
import { getDb } from '../store/db';
import { withAudit } from '../store/repos/audit';
import { createForecastRun, getForecastRun, setForecastRunModel } from '../store/repos/forecast';
import type { Model } from '../store/repos/models';
import type { Database } from '../store/schema';
import type { JobContext, JobHandler, JobProgress } from './types';

export const FORECAST_JOB_KIND = 'forecast.backtest';

/** The payload: the dataset, what to do after the backtest, and the run settings (see forecastRunConfigSchema). */
export const forecastJobPayloadSchema = z
  .object({
    datasetId: z.string().min(1),
    /** shown on the leaderboard; default "<model> h<horizon> on <dataset>" */
    name: z.string().trim().min(1).max(200).optional(),
    /** retrain on the latest window and forecast the next h days (default true) */
    forecastNext: z.boolean().default(true),
    /** also store that forecaster in the models table (default false) */
    saveModel: z.boolean().default(false),
  })
  .passthrough();
/** What a server action enqueues: the dataset and options, plus any run settings (all optional, defaults apply). */
export type ForecastJobPayload = {
  datasetId: string;
  name?: string;
  forecastNext?: boolean;
  saveModel?: boolean;
} & ForecastRunConfigInput;

export type ForecastJobResult = {
  runId: string;
  modelId: string | null;
  summary: RunSummary;
};

/**
 * Throttles progress writes to about one a second (every epoch of a small model would be a write per few ms). A
 * new fold or stage is written at once; a report held back by the throttle is written by flush(), which the
 * backtest awaits between folds, so the last epoch of every fold reaches the job's history.
 */
function progressReporter(ctx: JobContext) {
  let pending: Promise<void> = Promise.resolve();
  let last = 0;
  let lastKey = '';
  let held: JobProgress | null = null;
  const write = (jp: JobProgress): void => {
    last = Date.now();
    held = null;
    // a stop (JobStoppedError) also aborts ctx.signal, which ends training; the error itself is rethrown by yield()
    pending = pending.then(() => ctx.progress(jp)).catch(() => {});
  };
  const report = (
    p: Partial<Omit<BacktestProgress, 'stage'>> & { stage: string; pct: number; message: string },
    force = false,
  ): void => {
    const jp: JobProgress = {
      stage: p.stage,
      fold: p.fold,
      folds: p.folds,
      epoch: p.epoch,
      epochs: p.epochs,
      loss: p.loss,
      valLoss: p.valLoss,
      pct: p.pct,
      message: p.message,
      ...(p.seedIndex !== undefined && p.seeds !== undefined
        ? { metrics: { seed: p.seed ?? 0, seedIndex: p.seedIndex, seeds: p.seeds } }
        : {}),
    };
    const key = `${p.stage}:${p.seedIndex ?? 0}:${p.fold ?? 0}`;
    if (force || key !== lastKey || Date.now() - last >= 1000) {
      lastKey = key;
      write(jp);
    } else {
      held = jp;
    }
  };
  const flush = (): Promise<void> => {
    if (held !== null) write(held);
    return pending;
  };
  return { report, flush };
}

type ProgressReporter = ReturnType<typeof progressReporter>;

/** Training stopped by a cancellation or shutdown: let ctx.yield() throw the job's JobStoppedError; else rethrow. */
function stoppedBy(ctx: JobContext) {
  return async (err: unknown): Promise<never> => {
    if (err instanceof TrainingCancelledError) await ctx.yield(); // throws JobStoppedError
    throw err;
  };
}

type FinalForecaster = Awaited<ReturnType<typeof trainFinalForecaster>>;

/**
 * The final stage of both jobs: the forecaster trained on the latest window (as the backtest's folds are, with the
 * run's first seed), reporting stage 'final' with the elapsed time about every 1.5 s while it trains.
 */
async function trainFinalStage(
  ctx: JobContext,
  progress: ProgressReporter,
  input: { series: AdjustedSeries; features: FeatureMatrix; config: ForecastRunConfig; pct: number; message: string },
): Promise<FinalForecaster> {
  const { series, features, config, pct, message } = input;
  progress.report({ stage: 'final', pct, message }, true);
  await progress.flush();
  await ctx.yield();
  const started = Date.now();
  const ticker = setInterval(() => {
    const s = Math.round((Date.now() - started) / 1000);
    progress.report({ stage: 'final', pct, message: `${message} (${s} s)` });
  }, 1500);
  try {
    return await trainFinalForecaster(series, features, config, config.seeds[0], ctx.signal).catch(stoppedBy(ctx));
  } finally {
    clearInterval(ticker);
  }
}

/**
 * Stores the final forecaster in the models table with the run's mean backtest metrics; the caller's transaction.
 * Both jobs save through here, so a model saved later from a run is stored exactly as one saved with the run.
 */
function saveFinalForecaster(
  trx: Kysely<Database>,
  input: {
    name: string;
    datasetId: string;
    jobId: string;
    createdBy: string | null;
    final: FinalForecaster;
    config: ForecastRunConfig;
    series: AdjustedSeries;
    features: FeatureMatrix;
    summary: RunSummary;
  },
): Promise<Model> {
  const { final, config, series, features, summary } = input;
  return saveForecaster(trx, {
    name: input.name,
    datasetId: input.datasetId,
    jobId: input.jobId,
    createdBy: input.createdBy,
    model: final.model,
    config,
    featureNames: features.names,
    trainedThrough: final.trainedThrough,
    lastBar: series.dates[series.dates.length - 1],
    seed: config.seeds[0],
    metrics: Object.fromEntries(Object.entries(summary.model).map(([k, v]) => [k, v.mean])),
  });
}

/**
 * The handler, reading and writing the database `database()` returns (the worker's process-wide one by default;
 * tests pass a temporary database).
 */
export function createForecastBacktestJob(database: () => Kysely<Database> = getDb): JobHandler {
  return (ctx) => runForecastJob(ctx, database());
}

export const forecastBacktestJob: JobHandler = createForecastBacktestJob();

async function runForecastJob(ctx: JobContext, db: Kysely<Database>): Promise<ForecastJobResult> {
  const parsed = forecastJobPayloadSchema.safeParse(ctx.payload ?? {});
  if (!parsed.success) throw new Error(`invalid forecast payload: ${z.prettifyError(parsed.error)}`);
  const { datasetId, name, forecastNext: wantForecast, saveModel, ...rest } = parsed.data;
  const config = resolveRunConfig(rest);
  const { dataset, bars } = await loadPriceDataset(db, datasetId);
  const progress = progressReporter(ctx);
  progress.report({ stage: 'features', pct: 0, message: `building features of ${dataset.name}` }, true);

  const series = adjustedSeries(bars);
  const features = buildFeatures(series, config.features);
  const result = await walkForwardBacktest(
    { series, features, config },
    {
      onProgress: (p) => progress.report(p),
      checkpoint: async () => {
        await progress.flush();
        await ctx.yield();
      },
      signal: ctx.signal,
    },
  ).catch(stoppedBy(ctx));

  let next: NextForecast | null = null;
  let final: FinalForecaster | null = null;
  if (wantForecast || saveModel) {
    final = await trainFinalStage(ctx, progress, {
      series,
      features,
      config,
      pct: 99,
      message: 'training on the latest window to forecast the next days',
    });
    next = forecastNext(final.model, series, features, config.horizon);
  }
  await progress.flush();
  await ctx.yield();

  const summary = summarizeRun(result, next);
  const runName = name ?? `${result.modelLabel} · h${config.horizon} · ${dataset.name}`;
  const createdBy = ctx.job.createdBy;
  const stored = await withAudit(
    db,
    async (trx) => {
      let modelId: string | null = null;
      if (saveModel && final) {
        const model = await saveFinalForecaster(trx, {
          name: runName,
          datasetId,
          jobId: ctx.job.id,
          createdBy,
          final,
          config,
          series,
          features,
          summary,
        });
        modelId = model.id;
      }
      const run = await createForecastRun(trx, {
        datasetId,
        jobId: ctx.job.id,
        name: runName,
        result,
        summary,
        modelId,
        createdBy,
      });
      return { runId: run.id, modelId };
    },
    (r) => ({
      userId: createdBy,
      action: 'forecast.run',
      objectType: 'forecast_run',
      objectId: r.runId,
      detail: { datasetId, model: config.model.type, horizon: config.horizon, modelId: r.modelId },
    }),
  );
  return { ...stored, summary };
}

// ---- forecast.saveModel ------------------------------------------------------------------------------------------

export const FORECAST_SAVE_JOB_KIND = 'forecast.saveModel';

/** The payload: the finished run whose forecaster to save, and optionally the model's name (default: the run's). */
export const forecastSaveJobPayloadSchema = z.object({
  runId: z.string().min(1),
  name: z.string().trim().min(1).max(200).optional(),
});
export type ForecastSaveJobPayload = z.input<typeof forecastSaveJobPayloadSchema>;

export type ForecastSaveJobResult = {
  runId: string;
  modelId: string;
  /** the saved forecaster's forecast from the run's last bar (the run's own nextForecast, when it made one) */
  next: NextForecast;
};

/** The 'forecast.saveModel' handler on the database `database()` returns (tests pass a temporary database). */
export function createForecastSaveJob(database: () => Kysely<Database> = getDb): JobHandler {
  return (ctx) => runForecastSaveJob(ctx, database());
}

export const forecastSaveJob: JobHandler = createForecastSaveJob();

async function runForecastSaveJob(ctx: JobContext, db: Kysely<Database>): Promise<ForecastSaveJobResult> {
  const parsed = forecastSaveJobPayloadSchema.safeParse(ctx.payload ?? {});
  if (!parsed.success) throw new Error(`invalid save-model payload: ${z.prettifyError(parsed.error)}`);
  const { runId, name } = parsed.data;
  const run = await getForecastRun(db, runId);
  if (!run) throw new Error(`forecast run ${runId} does not exist`);
  if (run.modelId) throw new Error(`forecast run "${run.name}" already has a saved model (${run.modelId})`);
  const config = run.config;
  const { dataset, bars } = await loadPriceDataset(db, run.datasetId);
  const progress = progressReporter(ctx);
  progress.report({ stage: 'features', pct: 0, message: `building features of ${dataset.name}` }, true);

  // The run's data: its forecast was made at the close of its last bar; cut there, so the latest training window is
  // the run's even if a dataset ever gained bars since (stored datasets do not change today).
  const asOf = run.summary.nextForecast?.asOf;
  const used = asOf ? bars.filter((b) => b.date <= asOf) : bars;
  if (asOf && used[used.length - 1]?.date !== asOf) {
    throw new Error(`dataset ${dataset.name} no longer has the run's last bar ${asOf}; run a new backtest instead`);
  }
  const series = adjustedSeries(used);
  const features = buildFeatures(series, config.features);
  if (features.names.join(',') !== run.result.featureNames.join(',')) {
    throw new Error(
      `the run was trained on features ${run.result.featureNames.join(', ')}, but they rebuild as ${features.names.join(', ')}`,
    );
  }
  const final = await trainFinalStage(ctx, progress, {
    series,
    features,
    config,
    pct: 5,
    message: `training the ${run.summary.modelLabel} forecaster on the latest window of ${dataset.name} (seed ${config.seeds[0]})`,
  });
  const next = forecastNext(final.model, series, features, config.horizon);
  progress.report({ stage: 'save', pct: 99, message: 'saving the forecaster' }, true);
  await progress.flush();
  await ctx.yield();

  const createdBy = ctx.job.createdBy;
  const stored = await withAudit(
    db,
    async (trx) => {
      // a second save job queued for the same run must not store a second model
      const current = await getForecastRun(trx, runId);
      if (!current) throw new Error(`forecast run ${runId} was deleted while its model was training`);
      if (current.modelId) throw new Error(`forecast run "${run.name}" already has a saved model (${current.modelId})`);
      const model = await saveFinalForecaster(trx, {
        name: name ?? run.name,
        datasetId: run.datasetId,
        jobId: ctx.job.id,
        createdBy,
        final,
        config,
        series,
        features,
        summary: run.summary,
      });
      await setForecastRunModel(trx, runId, model.id);
      return { modelId: model.id };
    },
    (r) => ({
      userId: createdBy,
      action: 'forecast.saveModel',
      objectType: 'model',
      objectId: r.modelId,
      detail: { runId, datasetId: run.datasetId, model: config.model.type, horizon: config.horizon },
    }),
  );
  return { runId, modelId: stored.modelId, next };
}
