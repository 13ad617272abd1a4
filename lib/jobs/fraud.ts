// Fraud job handlers. 'fraud.simulate' streams a Handbook simulation into the store one day per database transaction
// (progress per day; a failed or cancelled run leaves nothing behind); 'fraud.train' runs the train / delay / test
// evaluation with prequential model selection, stores the chosen model and the run, and raises the test days' alerts.

import { z } from 'zod';
import { simulateFraudDataset } from '../fraud/datasets';
import { SIMULATOR_PRESETS, type SimulationStats } from '../fraud/simulator';
import { type FraudTrainingReport, fraudTrainConfigSchema, trainFraudModels } from '../fraud/training';
import { getDb } from '../store/db';
import { deleteAbandonedFraudBuilds } from '../store/repos/fraud';
import type { JobContext, JobHandler } from './types';

export const FRAUD_SIMULATE_JOB_KIND = 'fraud.simulate';
export const FRAUD_TRAIN_JOB_KIND = 'fraud.train';

export const fraudSimulatePayloadSchema = z.object({
  preset: z.enum(Object.keys(SIMULATOR_PRESETS) as [keyof typeof SIMULATOR_PRESETS]).default('default'),
  name: z.string().trim().min(1).max(200).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .optional(),
  customers: z.number().int().min(1).max(100_000).optional(),
  terminals: z.number().int().min(1).max(200_000).optional(),
  days: z.number().int().min(1).max(3650).optional(),
  startDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD')
    .optional(),
  radius: z.number().positive().max(150).optional(),
  compromisedTerminalsPerDay: z.number().min(0).max(1000).optional(),
  compromisedCardsPerDay: z.number().min(0).max(1000).optional(),
});
export type FraudSimulatePayload = z.input<typeof fraudSimulatePayloadSchema>;

export type FraudSimulateResult = { datasetId: string; name: string; stats: SimulationStats };

/** How a handler gets its database; tests pass their temporary one. */
export type FraudJobDeps = { db?: () => ReturnType<typeof getDb> };

export function makeFraudSimulateJob(deps: FraudJobDeps = {}): JobHandler {
  return async (ctx: JobContext) => {
    const parsed = fraudSimulatePayloadSchema.safeParse(ctx.payload ?? {});
    if (!parsed.success) throw new Error(`invalid fraud.simulate payload: ${z.prettifyError(parsed.error)}`);
    const { preset, name, ...overrides } = parsed.data;
    const db = (deps.db ?? getDb)();
    const removed = await deleteAbandonedFraudBuilds(db);
    if (removed.length > 0) ctx.log.info('fraud.simulate.cleanup', { removedBuilds: removed });
    let lastReport = 0;
    const { dataset, stats } = await simulateFraudDataset(db, {
      preset,
      config: Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
      name,
      createdBy: ctx.job.createdBy,
      jobId: ctx.job.id,
      onDay: async ({ day, days, transactions, frauds }) => {
        const now = Date.now();
        if (now - lastReport >= 500 || day === days - 1) {
          lastReport = now;
          await ctx.progress({
            stage: 'simulate',
            pct: (100 * (day + 1)) / days,
            message: `day ${day + 1}/${days}: ${transactions.toLocaleString('en-US')} transactions, ${frauds.toLocaleString('en-US')} frauds`,
            metrics: { transactions, frauds },
          });
        } else {
          await ctx.yield();
        }
      },
    });
    return { datasetId: dataset.id, name: dataset.name, stats } satisfies FraudSimulateResult;
  };
}

export function makeFraudTrainJob(deps: FraudJobDeps = {}): JobHandler {
  return async (ctx: JobContext) => {
    const parsed = fraudTrainConfigSchema.safeParse(ctx.payload ?? {});
    if (!parsed.success) throw new Error(`invalid fraud.train payload: ${z.prettifyError(parsed.error)}`);
    const db = (deps.db ?? getDb)();
    const report: FraudTrainingReport = await trainFraudModels(db, parsed.data, {
      jobId: ctx.job.id,
      createdBy: ctx.job.createdBy,
      signal: ctx.signal,
      report: (p) =>
        ctx.progress({
          stage: p.stage,
          pct: p.pct,
          message: p.message,
          fold: p.fold,
          folds: p.folds,
          epoch: p.epoch,
          epochs: p.epochs,
          loss: p.loss,
        }),
    });
    return report;
  };
}

export const fraudSimulateJob: JobHandler = makeFraudSimulateJob();
export const fraudTrainJob: JobHandler = makeFraudTrainJob();
