'use server';

// Fraud server actions: start a simulation or a training job, import the ULB sample, retrain with triage labels,
// score or ingest one transaction or an uploaded batch (alerts under a threshold or top-k-per-day policy), and change
// an alert's status under optimistic concurrency. Long work only ever goes to the job queue.

import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import {
  type AlertChangeResult,
  type AlertPolicyInput,
  changeAlert,
  FEATURE_LABELS,
  type FieldError,
  FRAUD_SIMULATE_JOB_KIND,
  FRAUD_TRAIN_JOB_KIND,
  fraudSimulatePayloadSchema,
  fraudTrainConfigSchema,
  getFraudDataset,
  IMBALANCE_STRATEGIES,
  importUlbSample,
  ingestTransactions,
  loadFraudScorer,
  type ScoreDriver,
  scoreTransactions,
} from '@/lib/fraud';
import { explainScore, type IngestedTransaction } from '@/lib/fraud/scoring';
import { parseTransactionsCsv } from '@/lib/fraud/transactions-csv';
import { enqueueJob } from '@/lib/jobs/queue';
import { getDb } from '@/lib/store/db';
import { csvUploadProblem } from '@/lib/uploads';
import { defineAction, UserError } from '../../_server/guard';
import { retrainPlanFor } from './queries';

const csvFile = z.instanceof(File, { message: 'Choose a CSV file.' }).superRefine((f, ctx) => {
  const problem = csvUploadProblem(f);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** '' from an empty input means "use the default". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' || v === undefined || v === null ? undefined : v), schema.optional());
const number = (label: string, min: number, max: number, int = false) => {
  let s = z.coerce
    .number({ message: `${label} must be a number.` })
    .min(min, `${label} must be at least ${min}.`)
    .max(max, `${label} must be at most ${max}.`);
  if (int) s = s.int(`${label} must be a whole number.`);
  return s;
};
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());

// ---- datasets ------------------------------------------------------------------------------------------------

export const startSimulation = defineAction(
  'fraud',
  z.object({
    preset: z.enum(['small', 'default'], { message: 'Choose a size.' }),
    seed: number('Seed', 0, 2 ** 32 - 1, true),
    days: number('Days', 1, 3650, true),
    name: optional(z.string().trim().max(200, 'At most 200 characters.')),
  }),
  async (f, { user, requestId }) => {
    const parsed = fraudSimulatePayloadSchema.safeParse({
      preset: f.preset,
      seed: f.seed,
      days: f.days,
      ...(f.name ? { name: f.name } : {}),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UserError(`${issue.path.join('.') || 'settings'}: ${issue.message}`);
    }
    const payload = parsed.data;
    const job = await enqueueJob(getDb(), {
      kind: FRAUD_SIMULATE_JOB_KIND,
      payload,
      createdBy: user.id,
      requestId,
    });
    return { jobId: job.id };
  },
);

export type UlbProblem = { row: number; field: string; message: string };
export type UlbImported = { datasetId: string; name: string; rows: number; frauds: number; note: string };

export const importUlb = defineAction(
  'fraud',
  z.object({ file: csvFile, name: optional(z.string().trim().max(200, 'At most 200 characters.')) }),
  async ({ file, name }, { user }): Promise<{ problems: UlbProblem[] } | UlbImported> => {
    // importUlbSample reads a path: the upload goes to a private temporary file for the length of the import.
    const tmp = path.join(tmpdir(), `neuralfin-ulb-${randomUUID()}.csv`);
    await writeFile(tmp, Buffer.from(await file.arrayBuffer()));
    try {
      const r = await importUlbSample(getDb(), { file: tmp, name, createdBy: user.id });
      if (!r.ok) return { problems: r.errors as UlbProblem[] };
      revalidatePath('/fraud');
      return { datasetId: r.dataset.id, name: r.dataset.name, rows: r.rows, frauds: r.frauds, note: r.note };
    } finally {
      await rm(tmp, { force: true });
    }
  },
);

// ---- training ------------------------------------------------------------------------------------------------

const hiddenList = z
  .string()
  .trim()
  .regex(
    /^\d+(\s*,\s*\d+){0,3}(\s*;\s*\d+(\s*,\s*\d+){0,3}){0,5}$/,
    'Hidden layers: up to 6 candidates separated by “;”, each 1 to 4 widths separated by commas, e.g. 32; 64, 32.',
  )
  .transform((s) => s.split(';').map((c) => c.split(',').map((w) => Number(w.trim()))))
  .refine((cs) => cs.every((c) => c.every((w) => w >= 1 && w <= 1024)), 'Each width must be between 1 and 1024.');

const trainForm = z.object({
  datasetId: z.string().min(1, 'Choose a dataset.'),
  name: optional(z.string().trim().max(200, 'At most 200 characters.')),
  trainDays: optional(number('Training days', 1, 365, true)),
  delayDays: optional(number('Feedback delay', 1, 90, true)),
  testDays: optional(number('Test days', 1, 365, true)),
  testEndDay: optional(number('Test end', 1, 100_000, true)),
  folds: optional(number('Validation folds', 1, 12, true)),
  fracTrain: optional(number('Training share', 0.05, 0.9)),
  fracValidation: optional(number('Validation share', 0.05, 0.9)),
  k: number('k', 1, 100_000, true),
  seeds: number('Seeds', 1, 10, true),
  epochs: number('Epochs', 1, 500, true),
  hidden: hiddenList,
  primary: z.enum(IMBALANCE_STRATEGIES, { message: 'Choose how the deployed net handles the imbalance.' }),
  strategy_none: checkbox,
  strategy_classWeights: checkbox,
  strategy_focal: checkbox,
  strategy_gan: checkbox,
  selectBy: z.enum(['ap', 'auc', 'cardPrecisionAtK']),
  learningRate: optional(number('Learning rate', 0.000001, 1)),
  batchSize: optional(number('Batch size', 8, 8192, true)),
  dropout: optional(number('Dropout', 0, 0.9)),
  ganSteps: optional(number('GAN steps', 1, 20_000, true)),
  raiseAlerts: checkbox,
  alertsPerDay: optional(number('Alerts per day', 1, 100_000, true)),
});

/** Where each training-config path is entered on the form. */
const FIELD_OF_PATH: Record<string, string> = {
  hiddenCandidates: 'hidden',
  strategies: 'strategies',
  'alerts.perDay': 'alertsPerDay',
  'gan.steps': 'ganSteps',
  'fractions.train': 'fracTrain',
  'fractions.validation': 'fracValidation',
};

class FormError extends UserError {
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string[]>,
  ) {
    super(message);
  }
}

export type StartTrainingResult = { jobId: string } | { fieldErrors: Record<string, string[]>; error: string };

async function enqueueTraining(
  payload: unknown,
  ctx: { userId: string; requestId: string },
): Promise<{ jobId: string }> {
  const job = await enqueueJob(getDb(), {
    kind: FRAUD_TRAIN_JOB_KIND,
    payload,
    createdBy: ctx.userId,
    requestId: ctx.requestId,
  });
  return { jobId: job.id };
}

export const startFraudTraining = defineAction(
  'fraud',
  trainForm,
  async (f, { user, requestId }): Promise<StartTrainingResult> => {
    const ds = await getFraudDataset(getDb(), f.datasetId);
    if (ds?.status !== 'ready') throw new UserError('That fraud dataset does not exist.');
    const strategies = IMBALANCE_STRATEGIES.filter((s) => f[`strategy_${s}`] || s === f.primary);
    try {
      const fieldErrors: Record<string, string[]> = {};
      if (ds.source === 'simulator') {
        const testEnd = f.testEndDay ?? ds.days;
        const span = (f.trainDays ?? 7) + (f.delayDays ?? 7) + (f.testDays ?? 7);
        if (testEnd > ds.days) fieldErrors.testEndDay = [`The history has ${ds.days} days.`];
        else if (span > testEnd) {
          fieldErrors.trainDays = [
            `Training + delay + test take ${span} days, but only ${testEnd} days end with the chosen test end: shorten the periods or pick a later end.`,
          ];
        }
      } else if ((f.fracTrain ?? 0.6) + (f.fracValidation ?? 0.2) >= 0.95) {
        fieldErrors.fracValidation = ['Training and validation shares must leave at least 5 % of rows for the test.'];
      }
      if (f.raiseAlerts && f.alertsPerDay === undefined) fieldErrors.alertsPerDay = ['Enter the daily alert budget.'];
      if (Object.keys(fieldErrors).length > 0) throw new FormError('Some settings need correcting.', fieldErrors);

      const days =
        ds.source === 'simulator'
          ? { trainDays: f.trainDays, delayDays: f.delayDays, testDays: f.testDays, testEndDay: f.testEndDay }
          : { fractions: { train: f.fracTrain, validation: f.fracValidation } };
      const payload = fraudTrainConfigSchema.safeParse(
        JSON.parse(
          JSON.stringify({
            datasetId: ds.id,
            name: f.name,
            ...days,
            folds: f.folds,
            k: f.k,
            seeds: f.seeds,
            epochs: f.epochs,
            hiddenCandidates: f.hidden,
            primary: f.primary,
            strategies,
            selectBy: f.selectBy,
            learningRate: f.learningRate,
            batchSize: f.batchSize,
            dropout: f.dropout,
            gan: f.ganSteps !== undefined ? { steps: f.ganSteps } : undefined,
            alerts: f.raiseAlerts ? { perDay: f.alertsPerDay } : null,
          }),
        ),
      );
      if (!payload.success) {
        const errs: Record<string, string[]> = {};
        for (const issue of payload.error.issues) {
          const key = issue.path.join('.');
          const field = FIELD_OF_PATH[key] ?? String(issue.path[0] ?? 'form');
          (errs[field] ??= []).push(issue.message);
        }
        const first = payload.error.issues[0];
        throw new FormError(`${first.path.join('.') || 'settings'}: ${first.message}`, errs);
      }
      return await enqueueTraining(payload.data, { userId: user.id, requestId });
    } catch (err) {
      if (err instanceof FormError) return { fieldErrors: err.fieldErrors, error: err.message };
      throw err;
    }
  },
);

export const retrainWithTriageLabels = defineAction(
  'fraud',
  z.object({ datasetId: z.string().min(1) }),
  async ({ datasetId }, { user, requestId }) => {
    const plan = await retrainPlanFor(datasetId);
    if (!plan) throw new UserError('That fraud dataset does not exist.');
    if (!plan.ok) throw new UserError(plan.reason);
    const payload = fraudTrainConfigSchema.safeParse(plan.config);
    if (!payload.success) {
      const issue = payload.error.issues[0];
      throw new UserError(
        `The previous run's settings cannot be reused (${issue.path.join('.') || 'settings'}: ${issue.message}).`,
      );
    }
    return enqueueTraining(payload.data, { userId: user.id, requestId });
  },
);

// ---- scoring and ingestion -----------------------------------------------------------------------------------

const policyFields = {
  policyMode: z.enum(['threshold', 'topK'], { message: 'Choose an alert policy.' }).default('topK'),
  threshold: optional(number('Threshold', 0, 1)),
  dailyBudget: optional(number('Daily budget', 1, 1_000_000, true)),
  perDay: optional(number('Alerts per day', 1, 1_000_000, true)),
};

function policyOf(f: {
  policyMode: 'threshold' | 'topK';
  threshold?: number;
  dailyBudget?: number;
  perDay?: number;
}): AlertPolicyInput {
  if (f.policyMode === 'threshold') {
    if (f.threshold === undefined) throw new FormError('Enter the score threshold.', { threshold: ['Enter 0–1.'] });
    return { mode: 'threshold', threshold: f.threshold, dailyBudget: f.dailyBudget ?? null };
  }
  if (f.perDay === undefined) throw new FormError('Enter the daily budget k.', { perDay: ['Enter k.'] });
  return { mode: 'topK', perDay: f.perDay };
}

export type FeatureValue = { feature: string; label: string; value: number };

export type ScoreOneResult =
  | { kind: 'errors'; errors: FieldError[] }
  | { kind: 'preview'; txId: string; score: number; features: FeatureValue[]; drivers: ScoreDriver[] }
  | { kind: 'ingested'; result: IngestedTransaction };

export const scoreOneTransaction = defineAction(
  'fraud',
  z.object({
    modelId: z.string().min(1),
    mode: z.enum(['preview', 'ingest']),
    txId: z.string(),
    customerId: z.string(),
    terminalId: z.string(),
    timestamp: z.string(),
    amount: z.string(),
    ...policyFields,
  }),
  async (f, { user }): Promise<ScoreOneResult> => {
    const db = getDb();
    const tx = {
      txId: f.txId,
      customerId: f.customerId,
      terminalId: f.terminalId,
      timestamp: f.timestamp,
      amount: f.amount,
    };
    if (f.mode === 'preview') {
      const r = await scoreTransactions(db, { modelId: f.modelId, transactions: [tx] });
      if (!r.ok) return { kind: 'errors', errors: r.errors };
      const [one] = r.results;
      const scorer = await loadFraudScorer(db, f.modelId);
      const x = Float32Array.from(scorer.manifest.featureNames, (n) => one.features[n]);
      return {
        kind: 'preview',
        txId: one.txId,
        score: one.score,
        features: scorer.manifest.featureNames.map((n) => ({
          feature: n,
          label: FEATURE_LABELS[n] ?? n,
          value: one.features[n],
        })),
        drivers: explainScore(scorer, x).drivers,
      };
    }
    let policy: AlertPolicyInput;
    try {
      policy = policyOf(f);
    } catch (err) {
      if (err instanceof FormError) {
        return {
          kind: 'errors',
          errors: Object.entries(err.fieldErrors).map(([field, m]) => ({
            row: null,
            txId: null,
            field,
            message: m.join(' '),
          })),
        };
      }
      throw err;
    }
    const r = await ingestTransactions(db, { modelId: f.modelId, transactions: [tx], policy, userId: user.id });
    if (!r.ok) return { kind: 'errors', errors: r.errors };
    revalidatePath('/fraud/alerts');
    return { kind: 'ingested', result: r.results[0] };
  },
);

export type BatchResult =
  | { kind: 'errors'; errors: FieldError[]; totalErrors: number; rows: number }
  | {
      kind: 'preview';
      rows: number;
      ignoredColumns: string[];
      /** highest scores first */
      top: { txId: string; score: number }[];
      /** 10 bins over [0, 1] */
      histogram: number[];
    }
  | {
      kind: 'ingested';
      rows: number;
      ignoredColumns: string[];
      newTransactions: number;
      duplicates: number;
      alertsCreated: number;
      /** highest scores first, at most SHOWN */
      top: IngestedTransaction[];
    };

const SHOWN_ERRORS = 100;
const SHOWN_ROWS = 25;

export const scoreBatch = defineAction(
  'fraud',
  z.object({ modelId: z.string().min(1), mode: z.enum(['preview', 'ingest']), file: csvFile, ...policyFields }),
  async (f, { user }): Promise<BatchResult> => {
    const db = getDb();
    const csv = parseTransactionsCsv(await f.file.text());
    if (!csv.ok) return { kind: 'errors', errors: csv.errors, totalErrors: csv.errors.length, rows: 0 };
    const rows = csv.records.length;
    const failed = (errors: FieldError[]): BatchResult => ({
      kind: 'errors',
      errors: errors.slice(0, SHOWN_ERRORS),
      totalErrors: errors.length,
      rows,
    });
    if (f.mode === 'preview') {
      const r = await scoreTransactions(db, { modelId: f.modelId, transactions: csv.records });
      if (!r.ok) return failed(r.errors);
      const histogram = new Array<number>(10).fill(0);
      for (const t of r.results) histogram[Math.min(9, Math.floor(t.score * 10))]++;
      return {
        kind: 'preview',
        rows,
        ignoredColumns: csv.ignoredColumns,
        top: [...r.results]
          .sort((a, b) => b.score - a.score)
          .slice(0, SHOWN_ROWS)
          .map((t) => ({ txId: t.txId, score: t.score })),
        histogram,
      };
    }
    let policy: AlertPolicyInput;
    try {
      policy = policyOf(f);
    } catch (err) {
      if (err instanceof FormError) throw new UserError(err.message);
      throw err;
    }
    const r = await ingestTransactions(db, {
      modelId: f.modelId,
      transactions: csv.records,
      policy,
      userId: user.id,
    });
    if (!r.ok) return failed(r.errors);
    revalidatePath('/fraud/alerts');
    return {
      kind: 'ingested',
      rows,
      ignoredColumns: csv.ignoredColumns,
      newTransactions: r.newTransactions,
      duplicates: r.duplicates,
      alertsCreated: r.alertsCreated,
      // alerted rows first (new or existing), then the highest new scores; duplicates carry no new score
      top: [...r.results]
        .sort((a, b) => Number(b.alert !== null) - Number(a.alert !== null) || (b.score ?? -1) - (a.score ?? -1))
        .slice(0, SHOWN_ROWS),
    };
  },
);

// ---- triage --------------------------------------------------------------------------------------------------

/** The assignee select: '' keeps the assignee, 'none' removes it, anything else is a user id. */
const KEEP = '';
const UNASSIGN = 'none';

export const changeAlertStatus = defineAction(
  'fraud',
  z.object({
    alertId: z.string().min(1),
    expectedVersion: z.coerce.number().int().min(1),
    status: optional(z.enum(['open', 'investigating', 'confirmed_fraud', 'false_positive'])),
    assignee: z.string().default(KEEP),
    note: z.string().max(2000, 'A note is at most 2,000 characters.').default(''),
  }),
  async (f, { user, requestId }): Promise<AlertChangeResult> => {
    const r = await changeAlert(
      getDb(),
      {
        alertId: f.alertId,
        expectedVersion: f.expectedVersion,
        status: f.status,
        assigneeId: f.assignee === KEEP ? undefined : f.assignee === UNASSIGN ? null : f.assignee,
        note: f.note.trim() === '' ? undefined : f.note,
      },
      { userId: user.id, requestId },
    );
    if (r.ok) revalidatePath(`/fraud/alerts/${f.alertId}`);
    return r;
  },
);
