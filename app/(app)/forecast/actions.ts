'use server';

// Forecast server actions: check and import a price CSV, download a ticker, start a walk-forward backtest job (after
// checking its settings against the data), cancel it, forecast with a saved model, and save a run's model.

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { importPriceCsv, loadPriceDataset, PRICES_KIND, PriceImportError } from '@/lib/data/import';
import { PriceCsvError, type PriceValidationReport, parsePriceCsv } from '@/lib/data/price-csv';
import { adjustedSeries } from '@/lib/data/prices';
import { importYahooTicker, PriceDownloadError } from '@/lib/data/yahoo';
import { BacktestInputError, checkBacktestInput, planWalkForward } from '@/lib/forecast/backtest';
import { forecastRunConfigSchema, resolveRunConfig } from '@/lib/forecast/config';
import { buildFeatures } from '@/lib/forecast/features';
import { FORECAST_MODEL_KIND, forecastWithSavedModel } from '@/lib/forecast/final';
import {
  FORECAST_JOB_KIND,
  FORECAST_SAVE_JOB_KIND,
  type ForecastJobPayload,
  type ForecastSaveJobPayload,
} from '@/lib/jobs/forecast';
import { enqueueJob, getJob, requestCancel } from '@/lib/jobs/queue';
import { getDb } from '@/lib/store/db';
import { getDataset } from '@/lib/store/repos/datasets';
import { getForecastRun } from '@/lib/store/repos/forecast';
import { getModel } from '@/lib/store/repos/models';
import { csvUploadProblem } from '@/lib/uploads';
import { defineAction, UserError } from '../../_server/guard';

const csvFile = z.instanceof(File, { message: 'Choose a CSV file.' }).superRefine((f, ctx) => {
  const problem = csvUploadProblem(f);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());

// ---- import ---------------------------------------------------------------------------------------------------

/** The file could not be read as a price table at all (no report), or it was read and has bad rows (report). */
export type PriceFileRefusal = { refused: string; report: PriceValidationReport | null };

/** Reads the file and returns its validation report without storing anything. */
export const checkPriceFile = defineAction(
  'forecast',
  z.object({ file: csvFile }),
  async ({ file }): Promise<{ fileName: string; report: PriceValidationReport } | PriceFileRefusal> => {
    try {
      const { report } = parsePriceCsv(await file.text());
      return { fileName: file.name, report };
    } catch (err) {
      if (err instanceof PriceCsvError) return { refused: `${file.name}: ${err.message}`, report: null };
      throw err;
    }
  },
);

export const importPrices = defineAction(
  'forecast',
  z.object({
    file: csvFile,
    name: z.string().trim().min(1, 'Give the dataset a name.').max(200, 'At most 200 characters.'),
    ticker: z
      .string()
      .trim()
      .max(20, 'At most 20 characters.')
      .regex(/^[A-Za-z0-9.^=-]*$/, 'Letters, digits and . ^ = - only, e.g. AAPL.')
      .optional(),
    skipBadRows: checkbox,
  }),
  async (input, { user }): Promise<{ datasetId: string; name: string; rows: number } | PriceFileRefusal> => {
    try {
      const { dataset } = await importPriceCsv(getDb(), {
        name: input.name,
        text: await input.file.text(),
        fileName: input.file.name,
        ticker: input.ticker ? input.ticker.toUpperCase() : null,
        createdBy: user.id,
        skipBadRows: input.skipBadRows,
      });
      revalidatePath('/forecast');
      return { datasetId: dataset.id, name: dataset.name, rows: dataset.rowCount };
    } catch (err) {
      if (err instanceof PriceImportError) return { refused: err.message, report: err.report };
      throw err;
    }
  },
);

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use the form YYYY-MM-DD.')
  .optional()
  .or(z.literal('').transform(() => undefined));

export const downloadTicker = defineAction(
  'forecast',
  z.object({
    ticker: z
      .string()
      .trim()
      .min(1, 'Enter a ticker, e.g. AAPL.')
      .max(20, 'At most 20 characters.')
      .regex(/^[A-Za-z0-9.^=-]+$/, 'Letters, digits and . ^ = - only, e.g. AAPL.'),
    from: isoDate,
    to: isoDate,
  }),
  async ({ ticker, from, to }, { user }) => {
    try {
      const dataset = await importYahooTicker(getDb(), ticker, { from, to, createdBy: user.id, timeoutMs: 15_000 });
      revalidatePath('/forecast');
      return { datasetId: dataset.id, name: dataset.name, rows: dataset.rowCount };
    } catch (err) {
      if (err instanceof PriceDownloadError || err instanceof PriceImportError) throw new UserError(err.message);
      throw err;
    }
  },
);

// ---- backtest -------------------------------------------------------------------------------------------------

/** Plain-language messages for the settings schema's range and type checks. */
function friendlyIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'too_small':
      return `Must be at least ${issue.minimum}.`;
    case 'too_big':
      return `Must be at most ${issue.maximum}.`;
    case 'invalid_type':
      if (issue.expected === 'int') return 'Enter a whole number.';
      if (issue.expected === 'number') return 'Enter a number.';
      return undefined;
    default:
      return undefined;
  }
}

/** "LSTM: hidden must be an integer in [1, 512], got 0" → the field it names. */
function modelFieldOf(message: string): string | null {
  return /^[^:]+: (\w+) must/.exec(message)?.[1] ?? null;
}

const startSchema = z
  .object({
    datasetId: z.string().min(1, 'Choose a price dataset.'),
    name: z
      .string()
      .trim()
      .max(200, 'At most 200 characters.')
      .optional()
      .transform((s) => (s ? s : undefined)),
    forecastNext: z.boolean().default(true),
    saveModel: z.boolean().default(false),
  })
  .passthrough()
  .superRefine((v, ctx) => {
    const { datasetId: _d, name: _n, forecastNext: _f, saveModel: _s, ...settings } = v;
    const parsed = forecastRunConfigSchema.safeParse(settings, { error: friendlyIssue });
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', path: issue.path as (string | number)[], message: issue.message });
      }
      return;
    }
    try {
      resolveRunConfig(parsed.data);
    } catch (err) {
      const message = (err as Error).message;
      const field = modelFieldOf(message);
      ctx.addIssue({ code: 'custom', path: field ? ['model', field] : ['model'], message });
    }
  });

export type StartBacktestResult = { jobId: string; folds: number; testDays: number };

export const startBacktest = defineAction(
  'forecast',
  startSchema,
  async (input, { user, requestId }): Promise<StartBacktestResult> => {
    const { datasetId, name, forecastNext, saveModel, ...settings } = input;
    const config = resolveRunConfig(settings);
    const db = getDb();
    const dataset = await getDataset(db, datasetId);
    if (!dataset || dataset.kind !== PRICES_KIND) throw new UserError('That price dataset does not exist any more.');
    // Check the settings against the data now (a fraction of a second), so "too few rows" or a NaN feature is shown
    // on the form instead of failing a queued job.
    const { bars } = await loadPriceDataset(db, datasetId);
    let folds: number;
    let testDays: number;
    try {
      if (bars.length < 2) throw new BacktestInputError(`too few rows: ${bars.length} price bar(s)`);
      const series = adjustedSeries(bars);
      const features = buildFeatures(series, config.features);
      const plan = planWalkForward(series.close.length, features.warmup, config);
      const L = config.model.type === 'mlp' || config.model.type === 'esn' ? 1 : config.model.window;
      checkBacktestInput(series, features, plan, L);
      folds = plan.folds.length;
      testDays = plan.folds.reduce((n, f) => n + f.testEnd - f.testStart, 0);
    } catch (err) {
      if (err instanceof BacktestInputError) throw new UserError(`${dataset.name}: ${err.message}`);
      if (err instanceof Error && err.message.startsWith('features:')) throw new UserError(err.message);
      throw err;
    }
    const payload: ForecastJobPayload = { datasetId, name, forecastNext, saveModel, ...config };
    const job = await enqueueJob(db, { kind: FORECAST_JOB_KIND, payload, createdBy: user.id, requestId });
    revalidatePath('/forecast');
    return { jobId: job.id, folds, testDays };
  },
);

export const cancelBacktest = defineAction(
  'forecast',
  z.object({ id: z.string().min(1).max(100) }),
  async ({ id }, ctx) => {
    const db = getDb();
    const job = await getJob(db, id);
    if (!job || job.kind !== FORECAST_JOB_KIND) throw new UserError('That backtest job does not exist.');
    if (job.createdBy !== ctx.user.id && ctx.user.role !== 'admin') {
      throw new UserError('Only the person who started a backtest, or an administrator, can cancel it.');
    }
    if (job.status !== 'queued' && job.status !== 'running') {
      throw new UserError(`The backtest has already ended (${job.status}).`);
    }
    await requestCancel(db, id, ctx.user.id, ctx.requestId);
    return { id };
  },
);

// ---- saved models ---------------------------------------------------------------------------------------------

export const forecastFromModel = defineAction(
  'forecast',
  z.object({ modelId: z.string().min(1), datasetId: z.string().min(1).optional() }),
  async ({ modelId, datasetId }) => {
    const db = getDb();
    const model = await getModel(db, modelId);
    if (!model || model.kind !== FORECAST_MODEL_KIND) throw new UserError('That saved forecaster does not exist.');
    if (datasetId) {
      const d = await getDataset(db, datasetId);
      if (!d || d.kind !== PRICES_KIND) throw new UserError('That price dataset does not exist any more.');
    }
    try {
      return await forecastWithSavedModel(db, modelId, { datasetId });
    } catch (err) {
      // the forecaster's own checks (too few rows, features that no longer rebuild) name the problem
      if (err instanceof Error) throw new UserError(`Could not forecast: ${err.message}`);
      throw err;
    }
  },
);

/**
 * Saves the forecaster of a finished run. The run keeps only its results, not its networks, so this queues a
 * 'forecast.saveModel' job: it trains only the final forecaster, with the run's exact settings and first seed on the
 * run's latest training window (as the backtest does when "save model" is on), stores it in the models table and
 * links it to the run. No new run is created. The caller follows the job through GET /api/jobs.
 */
export const saveRunModel = defineAction(
  'forecast',
  z.object({ runId: z.string().min(1) }),
  async ({ runId }, { user, requestId }): Promise<{ jobId: string }> => {
    const db = getDb();
    const run = await getForecastRun(db, runId);
    if (!run) throw new UserError('That run does not exist.');
    if (run.modelId) throw new UserError('This run already has a saved model.');
    const dataset = await getDataset(db, run.datasetId);
    if (!dataset) throw new UserError('The dataset of this run has been deleted.');
    const payload: ForecastSaveJobPayload = { runId };
    const job = await enqueueJob(db, { kind: FORECAST_SAVE_JOB_KIND, payload, createdBy: user.id, requestId });
    return { jobId: job.id };
  },
);
