// Read-side helpers of the fraud pages that combine several lib/fraud calls: the training run behind a model, the
// datasets with their figures, and the retrain plan of a dataset. Server-only; no writes.

import {
  type FraudDataset,
  type FraudRun,
  type FraudTrainConfig,
  type FraudTrainingReport,
  fraudDashboard,
  getFraudDataset,
  getFraudRunResult,
  listFraudRuns,
} from '@/lib/fraud';
import { planRetrain, type RetrainPlan } from '@/lib/fraud/retrain-plan';
import { getDb } from '@/lib/store/db';
import { getModel } from '@/lib/store/repos/models';

/** The training report that stored `modelId`, with the run row. */
export async function reportOfModel(
  modelId: string,
): Promise<{ run: FraudRun; report: FraudTrainingReport; dataset: FraudDataset | undefined } | undefined> {
  const db = getDb();
  const model = await getModel(db, modelId);
  if (model?.kind !== 'fraud') return undefined;
  const runId = typeof model.manifest.runId === 'string' ? model.manifest.runId : null;
  const runs = await listFraudRuns(db);
  const run = runs.find((r) => (runId ? r.id === runId : r.modelId === modelId));
  if (!run) return undefined;
  const report = (await getFraudRunResult(db, run.id)) as FraudTrainingReport | undefined;
  if (!report) return undefined;
  return { run, report, dataset: await getFraudDataset(db, run.datasetId) };
}

/** The retrain plan of a dataset from its latest run and its decided alerts; null for an unknown dataset. */
export async function retrainPlanFor(datasetId: string): Promise<RetrainPlan | null> {
  const db = getDb();
  const ds = await getFraudDataset(db, datasetId);
  if (ds?.status !== 'ready') return null;
  const [latest] = await listFraudRuns(db, datasetId);
  const dash = await fraudDashboard(db, datasetId);
  return planRetrain({
    source: ds.source,
    startMs: ds.startMs,
    days: ds.days,
    previous: latest ? (latest.config as unknown as FraudTrainConfig) : null,
    decided: (dash?.alertsPerDay ?? []).map((d) => ({
      day: d.day,
      confirmed: d.confirmed_fraud,
      falsePositive: d.false_positive,
    })),
  });
}

/** Figures of a dataset for tables, from its stored stats (simulator or ULB). */
export function datasetFigures(ds: FraudDataset): {
  transactions: number | null;
  frauds: number | null;
  fraudRate: number | null;
  scenarios: { amount: number; terminal: number; card: number } | null;
} {
  const s = ds.stats ?? {};
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const sc = s.scenarios as { amount: number; terminal: number; card: number } | undefined;
  return {
    transactions: num(s.transactions),
    frauds: num(s.frauds),
    fraudRate: num(s.fraudRate),
    scenarios: sc && typeof sc.amount === 'number' ? sc : null,
  };
}
