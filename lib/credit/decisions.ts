// Recording decisions (each with its input, model, user and time, plus an audit row, in one transaction) and
// monitoring a model on the applications it has scored since training: population stability and fairness.

import type { Kysely } from 'kysely';
import { withAudit } from '../store/repos/audit';
import { type CreditDecisionRecord, insertCreditDecisions, listCreditDecisions } from '../store/repos/credit';
import type { Database } from '../store/schema';
import { newId } from '../store/values';
import type { CreditModel } from './creditModel';
import {
  defaultGroupings,
  type FairnessReport,
  fairnessReport,
  type GroupBy,
  populationStability,
  type StabilityReport,
} from './monitoring';
import type { BatchScoreResult, ScoreResult } from './scoring';

type Actor = { userId: string | null; requestId?: string | null };

function requireSaved(model: CreditModel): string {
  if (model.id === null) throw new Error('only a saved credit model can make recorded decisions');
  return model.id;
}

/** Stores one scored application with its audit row ('credit.decision'). */
export async function storeDecision(
  db: Kysely<Database>,
  model: CreditModel,
  result: ScoreResult,
  actor: Actor & { source?: 'form' | 'api' },
): Promise<CreditDecisionRecord> {
  const modelId = requireSaved(model);
  return withAudit(
    db,
    async (trx) =>
      (
        await insertCreditDecisions(trx, [
          {
            modelId,
            modelName: model.name,
            input: result.values,
            pd: result.pd,
            score: result.score,
            decision: result.decision,
            reasons: result.reasons,
            source: actor.source ?? 'form',
            userId: actor.userId,
          },
        ])
      )[0],
    (d) => ({
      userId: actor.userId,
      action: 'credit.decision',
      objectType: 'credit_decision',
      objectId: d.id,
      detail: { modelId, decision: d.decision, pd: d.pd, score: d.score },
      requestId: actor.requestId ?? null,
    }),
  );
}

/** Stores every scored row of a batch (rows with errors are not decisions) and one audit row ('credit.batch'). */
export async function storeBatchDecisions(
  db: Kysely<Database>,
  model: CreditModel,
  batch: BatchScoreResult,
  actor: Actor,
): Promise<{ batchId: string; stored: number }> {
  const modelId = requireSaved(model);
  const batchId = newId();
  const scored = batch.results.filter((b) => b.result !== null);
  const stored = await withAudit(
    db,
    async (trx) => {
      const now = Date.now();
      const rows = await insertCreditDecisions(
        trx,
        scored.map((b) => {
          const r = b.result as ScoreResult;
          return {
            modelId,
            modelName: model.name,
            input: r.values,
            pd: r.pd,
            score: r.score,
            decision: r.decision,
            reasons: r.reasons,
            source: 'batch' as const,
            batchId,
            userId: actor.userId,
            createdAt: now,
          };
        }),
      );
      return rows.length;
    },
    (n) => ({
      userId: actor.userId,
      action: 'credit.batch',
      objectType: 'credit_batch',
      objectId: batchId,
      detail: { modelId, rows: batch.rows, stored: n, failed: batch.failed, counts: batch.counts },
      requestId: actor.requestId ?? null,
    }),
  );
  return { batchId, stored };
}

export type MonitoringReport = {
  modelId: string;
  /** decisions compared with the training population */
  since: number | null;
  decisions: number;
  counts: { approve: number; refer: number; decline: number };
  stability: StabilityReport;
  fairness: FairnessReport[];
};

/**
 * PSI of the score and each feature between the training population and the model's decisions since `since`
 * (default: all), and approval-rate fairness of those decisions by each grouping (default: age band and sex where
 * the schema has them).
 */
export async function monitorCreditModel(
  db: Kysely<Database>,
  model: CreditModel,
  options: { since?: number; groupBy?: GroupBy[]; limit?: number } = {},
): Promise<MonitoringReport> {
  const modelId = requireSaved(model);
  const decisions = await listCreditDecisions(db, { modelId, since: options.since, limit: options.limit ?? 100_000 });
  const apps = decisions.map((d) => d.input);
  const counts = { approve: 0, refer: 0, decline: 0 };
  for (const d of decisions) counts[d.decision]++;
  const groupings = options.groupBy ?? defaultGroupings(model.bundle.features);
  return {
    modelId,
    since: options.since ?? null,
    decisions: decisions.length,
    counts,
    stability: populationStability(
      model.bundle.population,
      apps,
      decisions.map((d) => d.score),
    ),
    fairness: decisions.length
      ? groupings.map((g) =>
          fairnessReport(
            apps,
            decisions.map((d) => d.decision),
            g,
          ),
        )
      : [],
  };
}
