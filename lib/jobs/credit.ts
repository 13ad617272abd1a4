// The 'credit.train' job: cross-validates a credit model and its baselines on a stored credit dataset, reporting
// "model · seed · fold · epoch · loss", then trains the final model and saves it (bundle, network file, metrics and
// an audit row in one transaction). A failed or cancelled job stores no model.

import type { Kysely } from 'kysely';
import { z } from 'zod';
import { MODEL_KINDS } from '../credit/classifiers';
import { loadCreditTable } from '../credit/creditDatasets';
import { saveCreditModel } from '../credit/creditModels';
import { type CreditTrainingReport, type TrainProgress, trainCreditModel } from '../credit/training';
import { getDb } from '../store/db';
import type { Database } from '../store/schema';
import type { JobContext, JobHandler, JobProgress } from './types';

export const CREDIT_TRAIN_JOB_KIND = 'credit.train';

const costsSchema = z.object({
  badApproved: z.number().min(0).max(1e6),
  goodDeclined: z.number().min(0).max(1e6),
  referral: z.number().min(0).max(1e6).optional(),
});

export const creditTrainPayloadSchema = z.object({
  datasetId: z.string().min(1),
  /** default: the target and bad value confirmed at import */
  target: z.string().trim().min(1).optional(),
  badValue: z.string().trim().min(1).optional(),
  /** columns to leave out of the features */
  exclude: z.array(z.string()).optional(),
  modelKind: z.enum(MODEL_KINDS).default('mlp'),
  hyper: z
    .object({
      hidden: z.array(z.number().int().min(1).max(512)).min(1).max(4),
      width: z.number().int().min(1).max(512),
      blocks: z.number().int().min(1).max(8),
      norm: z.enum(['layer', 'batch']),
      dropout: z.number().min(0).max(0.9),
      lr: z.number().positive().max(1),
      weightDecay: z.number().min(0).max(10),
      epochs: z.number().int().min(1).max(2000),
      batchSize: z.number().int().min(1).max(4096),
      patience: z.number().int().min(1).max(500),
      validationShare: z.number().min(0).max(0.5),
      classWeight: z.enum(['none', 'balanced']),
      perceptronEpochs: z.number().int().min(1).max(1000),
      refit: z.boolean(),
    })
    .partial()
    .default({}),
  folds: z.number().int().min(2).max(10).default(5),
  /** how many seeds (1, 2, … n) or the seeds themselves */
  seeds: z
    .union([
      z.number().int().min(1).max(10),
      z
        .array(
          z
            .number()
            .int()
            .min(0)
            .max(2 ** 31),
        )
        .min(1)
        .max(10),
    ])
    .default(3),
  preprocess: z
    .object({
      woe: z.boolean(),
      woeBins: z.number().int().min(2).max(20),
      minCategoryCount: z.number().int().min(1).max(1000),
      logSkewed: z.boolean(),
    })
    .partial()
    .default({}),
  calibration: z.enum(['auto', 'platt', 'isotonic', 'none']).default('auto'),
  policy: z
    .discriminatedUnion('mode', [
      costsSchema.extend({ mode: z.literal('cost'), referWidth: z.number().min(0).max(0.49).optional() }),
      z.object({
        mode: z.literal('approvalRate'),
        approvalRate: z.number().gt(0).lt(1),
        referShare: z.number().min(0).max(1).optional(),
        costs: costsSchema.optional(),
      }),
    ])
    .optional(),
  baselines: z.array(z.enum(MODEL_KINDS)).max(3).optional(),
  /** shown in lists; default "<model> on <dataset>" */
  name: z.string().trim().min(1).max(200).optional(),
});
export type CreditTrainPayload = z.input<typeof creditTrainPayloadSchema>;

export type CreditTrainJobResult = {
  modelId: string;
  name: string;
  report: CreditTrainingReport;
};

/** Writes progress at most about once a second (and at every finished fold), in order, without blocking training. */
function progressReporter(ctx: JobContext) {
  let pending: Promise<void> = Promise.resolve();
  let last = 0;
  const report = (p: TrainProgress): void => {
    const now = Date.now();
    const forced = p.epoch === undefined; // fold and stage ends
    if (!forced && now - last < 1000) return;
    last = now;
    const jp: JobProgress = {
      stage: p.stage,
      pct: p.pct,
      message: p.message,
      ...(p.fold !== undefined ? { fold: p.fold, folds: p.folds } : {}),
      ...(p.epoch !== undefined ? { epoch: p.epoch, epochs: p.epochs } : {}),
      ...(p.loss !== undefined ? { loss: p.loss } : {}),
      ...(p.valLoss !== undefined ? { valLoss: p.valLoss } : {}),
      ...(p.seed !== undefined ? { metrics: { seed: p.seed } } : {}),
    };
    // a stop (JobStoppedError) also aborts ctx.signal, which ends training; ctx.yield() then rethrows it
    pending = pending.then(() => ctx.progress(jp)).catch(() => {});
  };
  return { report, flush: () => pending };
}

async function runCreditTrain(ctx: JobContext, db: Kysely<Database>): Promise<CreditTrainJobResult> {
  const parsed = creditTrainPayloadSchema.safeParse(ctx.payload ?? {});
  if (!parsed.success) throw new Error(`invalid credit.train payload: ${z.prettifyError(parsed.error)}`);
  const p = parsed.data;
  const loaded = await loadCreditTable(db, p.datasetId, { target: p.target, badValue: p.badValue, exclude: p.exclude });
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join(' '));
  const { dataset, table } = loaded;
  const seeds = typeof p.seeds === 'number' ? Array.from({ length: p.seeds }, (_, i) => i + 1) : p.seeds;
  const name = p.name ?? `${p.modelKind} on ${dataset.name}`;
  const progress = progressReporter(ctx);
  await ctx.progress({
    stage: 'start',
    pct: 0,
    message: `${table.rows.length} applications, ${table.features.length} features`,
  });

  let trained: Awaited<ReturnType<typeof trainCreditModel>>;
  try {
    trained = await trainCreditModel(
      table,
      {
        kind: p.modelKind,
        hyper: p.hyper,
        folds: p.folds,
        seeds,
        preprocess: p.preprocess,
        calibration: p.calibration,
        policy: p.policy,
        baselines: p.baselines,
        name,
        dataset: { id: dataset.id, name: dataset.name, source: dataset.source, synthetic: dataset.synthetic },
      },
      {
        signal: ctx.signal,
        onProgress: progress.report,
        checkpoint: async () => {
          await progress.flush();
          await ctx.yield();
        },
      },
    );
  } catch (err) {
    // a cancelled or stopped job surfaces as JobStoppedError, not as the training loop's own message
    if (ctx.signal.aborted) await ctx.yield();
    throw err;
  }
  await progress.flush();
  await ctx.yield();
  const model = await saveCreditModel(db, trained, {
    name,
    datasetId: dataset.id,
    jobId: ctx.job.id,
    createdBy: ctx.job.createdBy,
  });
  await ctx.progress({ stage: 'saved', pct: 100, message: `Saved model ${model.id}` });
  return { modelId: model.id, name, report: trained.report };
}

/** The handler on the database `database()` returns (the worker's own by default; tests pass a temporary one). */
export function createCreditTrainJob(database: () => Kysely<Database> = getDb): JobHandler {
  return (ctx) => runCreditTrain(ctx, database());
}

export const creditTrainJob: JobHandler = createCreditTrainJob();
