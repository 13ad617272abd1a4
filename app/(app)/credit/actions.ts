'use server';

// Credit server actions: import preview and import of an application CSV, starting a training job, scoring one
// application (stored as a decision) and scoring a batch file (stored, with downloadable result and error files).

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { type ImportPreview, previewApplicationsCsv } from '@/lib/credit/applicationsCsv';
import { keepBatchFiles } from '@/lib/credit/batchFiles';
import { MODEL_KIND_LABELS, MODEL_KINDS } from '@/lib/credit/classifiers';
import { CREDIT_DATASET_KIND, importCreditDataset } from '@/lib/credit/creditDatasets';
import { loadCreditModel } from '@/lib/credit/creditModels';
import { storeBatchDecisions, storeDecision } from '@/lib/credit/decisions';
import type { Decision } from '@/lib/credit/policy';
import { type BatchRow, type ScoreResult, scoreApplication, scoreApplicationsCsv } from '@/lib/credit/scoring';
import type { FieldError, RowError } from '@/lib/credit/types';
import { CREDIT_TRAIN_JOB_KIND, creditTrainPayloadSchema } from '@/lib/jobs/credit';
import { enqueueJob } from '@/lib/jobs/queue';
import { getDb } from '@/lib/store/db';
import { getDataset } from '@/lib/store/repos/datasets';
import { csvTextProblem, csvUploadProblem } from '@/lib/uploads';
import { defineAction, UserError } from '../../_server/guard';

const csvFile = z.instanceof(File, { message: 'Choose a CSV file.' }).superRefine((f, ctx) => {
  const problem = csvUploadProblem(f);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** The file's text; a binary file (e.g. an Excel workbook renamed .csv) is refused with a message. */
async function csvText(file: File): Promise<string> {
  const text = await file.text();
  const problem = csvTextProblem(text);
  if (problem) throw new UserError(problem);
  return text;
}

const headerChoice = z.enum(['auto', 'yes', 'no']).default('auto');
const toHeader = (h: 'auto' | 'yes' | 'no'): boolean | 'auto' => (h === 'auto' ? 'auto' : h === 'yes');

/** Problems with a file (per row) are data, not failures: the page lists them. */
export type FileProblems = { problems: RowError[] };

export const previewImport = defineAction(
  'credit',
  z.object({ file: csvFile, header: headerChoice }),
  async ({ file, header }): Promise<{ fileName: string; preview: ImportPreview } | FileProblems> => {
    const r = previewApplicationsCsv(await csvText(file), { header: toHeader(header) });
    if (!r.ok) return { problems: r.errors };
    return { fileName: file.name, preview: r.preview };
  },
);

export type ImportedDataset = {
  datasetId: string;
  name: string;
  rows: number;
  bads: number;
  goods: number;
  features: number;
  /** columns not used as model inputs, with the reason */
  ignored: string[];
};

const jsonOf = <T extends z.ZodType>(schema: T) =>
  z.string().transform((s, ctx): z.infer<T> => {
    try {
      const parsed = schema.safeParse(JSON.parse(s));
      if (parsed.success) return parsed.data;
      ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'Invalid value.' });
    } catch {
      ctx.addIssue({ code: 'custom', message: 'Invalid value.' });
    }
    return z.NEVER;
  });

export const importDataset = defineAction(
  'credit',
  z.object({
    file: csvFile,
    header: headerChoice,
    name: z.string().trim().min(1, 'Give the dataset a name.').max(200, 'At most 200 characters.'),
    target: z.string().trim().min(1, 'Choose the target column.'),
    badValue: z.string().trim().min(1, 'Choose the value that means a bad loan.'),
    kinds: jsonOf(z.record(z.string(), z.enum(['numeric', 'categorical', 'date', 'id']))),
    exclude: jsonOf(z.array(z.string())),
  }),
  async (input, { user, requestId }): Promise<ImportedDataset | FileProblems> => {
    const r = await importCreditDataset(getDb(), {
      text: await csvText(input.file),
      header: toHeader(input.header),
      name: input.name,
      source: input.file.name,
      target: input.target,
      badValue: input.badValue,
      kinds: input.kinds,
      exclude: input.exclude,
      createdBy: user.id,
      requestId,
    });
    if (!r.ok) return { problems: r.errors };
    revalidatePath('/credit');
    return {
      datasetId: r.dataset.id,
      name: r.dataset.name,
      rows: r.dataset.rowCount,
      bads: r.meta.bads,
      goods: r.meta.goods,
      features: r.table.features.length,
      ignored: r.table.ignored.map((g) => `${g.name} (${g.reason})`),
    };
  },
);

// ---- training ------------------------------------------------------------------------------------------------

/** '' from an empty input means "use the default". */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' || v === undefined || v === null ? undefined : v), schema.optional());
const number = (label: string, min: number, max: number, int = false) => {
  let s = z.coerce.number({ message: `${label} must be a number.` }).min(min, `${label} must be at least ${min}.`);
  s = s.max(max, `${label} must be at most ${max}.`);
  return int ? s.int(`${label} must be a whole number.`) : s;
};
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());

const trainForm = z
  .object({
    datasetId: z.string().min(1, 'Choose a dataset.'),
    name: optional(z.string().trim().max(200, 'At most 200 characters.')),
    modelKind: z.enum(MODEL_KINDS, { message: 'Choose a model kind.' }),
    hidden: optional(
      z
        .string()
        .trim()
        .regex(/^\d+(\s*,\s*\d+){0,3}$/, 'Hidden layers: 1 to 4 widths separated by commas, e.g. 16 or 32, 16.')
        .transform((s) => s.split(',').map((w) => Number(w.trim())))
        .refine((ws) => ws.every((w) => w >= 1 && w <= 512), 'Each hidden width must be between 1 and 512.'),
    ),
    width: optional(number('Width', 1, 512, true)),
    blocks: optional(number('Blocks', 1, 8, true)),
    norm: optional(z.enum(['layer', 'batch'])),
    dropout: optional(number('Dropout', 0, 0.9)),
    lr: optional(number('Learning rate', 0.00001, 1)),
    weightDecay: optional(number('Weight decay', 0, 10)),
    epochs: optional(number('Epochs', 1, 2000, true)),
    batchSize: optional(number('Batch size', 1, 4096, true)),
    patience: optional(number('Patience', 1, 500, true)),
    classWeight: optional(z.enum(['none', 'balanced'])),
    perceptronEpochs: optional(number('Perceptron passes', 1, 1000, true)),
    folds: number('Folds', 2, 10, true),
    seeds: number('Seeds', 1, 10, true),
    calibration: z.enum(['auto', 'platt', 'isotonic', 'none']),
    woe: checkbox,
    woeBins: optional(number('WoE bins', 2, 20, true)),
    minCategoryCount: optional(number('Minimum category count', 1, 1000, true)),
    logSkewed: checkbox,
    policyMode: z.enum(['cost', 'approvalRate']),
    badApproved: number('Loss on an approved bad loan', 0, 1e6),
    goodDeclined: number('Profit lost on a declined good loan', 0, 1e6),
    referral: optional(number('Cost of a manual review', 0, 1e6)),
    referWidth: optional(number('Refer band half-width', 0, 49)),
    approvalRate: optional(number('Target approval rate', 1, 99)),
    referShare: optional(number('Refer share', 0, 99)),
    baseline_logistic: checkbox,
    baseline_mlp: checkbox,
    baseline_resmlp: checkbox,
    baseline_perceptron: checkbox,
  })
  .superRefine((v, ctx) => {
    if (v.badApproved + v.goodDeclined <= 0) {
      ctx.addIssue({ code: 'custom', path: ['badApproved'], message: 'The two error costs cannot both be 0.' });
    }
    if (v.policyMode === 'approvalRate') {
      if (v.approvalRate === undefined) {
        ctx.addIssue({ code: 'custom', path: ['approvalRate'], message: 'Enter the target approval rate (%).' });
      } else if (v.approvalRate + (v.referShare ?? 10) > 100) {
        ctx.addIssue({
          code: 'custom',
          path: ['referShare'],
          message: 'Approval rate plus refer share cannot exceed 100 %.',
        });
      }
    }
  });

export const startTraining = defineAction('credit', trainForm, async (f, { user, requestId }) => {
  const db = getDb();
  const dataset = await getDataset(db, f.datasetId);
  if (!dataset || dataset.kind !== CREDIT_DATASET_KIND) throw new UserError('That credit dataset does not exist.');
  const nets = f.modelKind !== 'perceptron';
  const hyper = {
    ...(f.modelKind === 'mlp' ? { hidden: f.hidden, dropout: f.dropout } : {}),
    ...(f.modelKind === 'resmlp' ? { width: f.width, blocks: f.blocks, norm: f.norm, dropout: f.dropout } : {}),
    ...(nets
      ? {
          lr: f.lr,
          weightDecay: f.weightDecay,
          epochs: f.epochs,
          batchSize: f.batchSize,
          patience: f.patience,
          classWeight: f.classWeight,
        }
      : {}),
    // baselines may include the perceptron whatever the main kind is
    perceptronEpochs: f.perceptronEpochs,
  };
  const costs = { badApproved: f.badApproved, goodDeclined: f.goodDeclined, referral: f.referral ?? 0 };
  const policy =
    f.policyMode === 'cost'
      ? { mode: 'cost' as const, ...costs, referWidth: (f.referWidth ?? 5) / 100 }
      : {
          mode: 'approvalRate' as const,
          approvalRate: (f.approvalRate as number) / 100,
          referShare: (f.referShare ?? 10) / 100,
          costs,
        };
  const baselines = MODEL_KINDS.filter((k) => f[`baseline_${k}`] && k !== f.modelKind);
  const payload = creditTrainPayloadSchema.safeParse({
    datasetId: dataset.id,
    modelKind: f.modelKind,
    hyper: Object.fromEntries(Object.entries(hyper).filter(([, v]) => v !== undefined)),
    folds: f.folds,
    seeds: f.seeds,
    preprocess: {
      woe: f.woe,
      ...(f.woeBins !== undefined ? { woeBins: f.woeBins } : {}),
      ...(f.minCategoryCount !== undefined ? { minCategoryCount: f.minCategoryCount } : {}),
      logSkewed: f.logSkewed,
    },
    calibration: f.calibration,
    policy,
    baselines,
    name: f.name || `${MODEL_KIND_LABELS[f.modelKind]} on ${dataset.name}`,
  });
  if (!payload.success) {
    const issue = payload.error.issues[0];
    throw new UserError(`${issue.path.join('.') || 'settings'}: ${issue.message}`);
  }
  const job = await enqueueJob(db, {
    kind: CREDIT_TRAIN_JOB_KIND,
    payload: payload.data,
    createdBy: user.id,
    requestId,
  });
  return { jobId: job.id };
});

// ---- scoring -------------------------------------------------------------------------------------------------

async function modelOrFail(id: string) {
  const model = await loadCreditModel(getDb(), id);
  if (!model) throw new UserError('That credit model does not exist.');
  return model;
}

export type ScoredApplication = { decisionId: string; result: ScoreResult };

export const scoreOne = defineAction(
  'credit',
  z.object({ modelId: z.string().min(1), input: z.record(z.string(), z.string()) }),
  async ({ modelId, input }, { user, requestId }): Promise<ScoredApplication | { fieldErrors: FieldError[] }> => {
    const db = getDb();
    const model = await modelOrFail(modelId);
    const result = scoreApplication(model, input);
    if (!result.ok) return { fieldErrors: result.errors };
    const stored = await storeDecision(db, model, result, { userId: user.id, requestId, source: 'form' });
    revalidatePath(`/credit/models/${modelId}/score`);
    return { decisionId: stored.id, result };
  },
);

export type ScoredBatch = {
  batchId: string;
  fileName: string;
  rows: number;
  scored: number;
  failed: number;
  stored: number;
  counts: Record<Decision, number>;
  ignoredColumns: string[];
  /** the first problems (all are in the error file) */
  errors: RowError[];
  totalErrors: number;
  /** the first scored rows, for a look before downloading */
  sample: { row: number; pd: number; score: number; decision: Decision; reasons: string[] }[];
};

const SHOWN_ERRORS = 50;
const SHOWN_ROWS = 10;

export const scoreBatch = defineAction(
  'credit',
  z.object({ modelId: z.string().min(1), file: csvFile }),
  async ({ modelId, file }, { user, requestId }): Promise<ScoredBatch | FileProblems> => {
    const db = getDb();
    const model = await modelOrFail(modelId);
    const batch = scoreApplicationsCsv(model, await csvText(file));
    if (!batch.ok) return { problems: batch.errors };
    const { batchId, stored } = await storeBatchDecisions(db, model, batch, { userId: user.id, requestId });
    keepBatchFiles({
      batchId,
      modelId,
      fileName: file.name,
      resultCsv: batch.resultCsv,
      errorCsv: batch.errorCsv,
    });
    revalidatePath(`/credit/models/${modelId}/score`);
    const sample = batch.results
      .filter((b): b is BatchRow & { result: ScoreResult } => b.result !== null)
      .slice(0, SHOWN_ROWS)
      .map((b) => ({
        row: b.row,
        pd: b.result.pd,
        score: b.result.score,
        decision: b.result.decision,
        reasons: b.result.reasons.map((r) => r.text),
      }));
    return {
      batchId,
      fileName: file.name,
      rows: batch.rows,
      scored: batch.scored,
      failed: batch.failed,
      stored,
      counts: batch.counts,
      ignoredColumns: batch.ignoredColumns,
      errors: batch.errors.slice(0, SHOWN_ERRORS),
      totalErrors: batch.errors.length,
      sample,
    };
  },
);
