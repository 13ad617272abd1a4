// The 'forecast.backtest' job: a walk-forward backtest of one forecaster beside the baselines on a prices dataset,
// reporting "seed s · fold i of k · epoch e · loss"; then (optionally) the forecaster retrained on the latest window
// forecasts the next h days and is saved to the models table. The run, the saved model and an audit row are stored
// in one transaction at the end, so a failed or cancelled job stores nothing.

import type { Kysely } from 'kysely';
import { z } from 'zod';
import { loadPriceDataset } from '../data/import';
import { adjustedSeries } from '../data/prices';
import { type BacktestProgress, walkForwardBacktest } from '../forecast/backtest';
import { type ForecastRunConfigInput, resolveRunConfig } from '../forecast/config';
import { buildFeatures } from '../forecast/features';
import { forecastNext, type NextForecast, saveForecaster, trainFinalForecaster } from '../forecast/final';
import { TrainingCancelledError } from '../forecast/models';
import { type RunSummary, summarizeRun } from '../forecast/summary';
import { getDb } from '../store/db';
import { withAudit } from '../store/repos/audit';
import { createForecastRun } from '../store/repos/forecast';
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
  const stopped = async (err: unknown): Promise<never> => {
    if (err instanceof TrainingCancelledError) await ctx.yield(); // throws JobStoppedError
    throw err;
  };
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
  ).catch(stopped);

  let next: NextForecast | null = null;
  let final: Awaited<ReturnType<typeof trainFinalForecaster>> | null = null;
  if (wantForecast || saveModel) {
    progress.report(
      { stage: 'final', pct: 99, message: 'training on the latest window to forecast the next days' },
      true,
    );
    await progress.flush();
    await ctx.yield();
    final = await trainFinalForecaster(series, features, config, config.seeds[0], ctx.signal).catch(stopped);
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
        const model = await saveForecaster(trx, {
          name: runName,
          datasetId,
          jobId: ctx.job.id,
          createdBy,
          model: final.model,
          config,
          featureNames: features.names,
          trainedThrough: final.trainedThrough,
          lastBar: series.dates[series.dates.length - 1],
          seed: config.seeds[0],
          metrics: Object.fromEntries(Object.entries(summary.model).map(([k, v]) => [k, v.mean])),
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
