// Turning scores into alerts within a daily budget. Two policies: a score threshold (optionally capped per day,
// highest scores first) and the top k per day — the Handbook's setting, where investigators can check k cards a day.
// Every alert goes through insertAlertIfAbsent, whose unique constraint on the transaction makes raising idempotent.

import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { countAlertsByDay, type FraudAlert, insertAlertIfAbsent } from '../store/repos/fraud';
import type { Database } from '../store/schema';

export const alertPolicySchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('threshold'),
    /** alert when the fraud probability is at least this */
    threshold: z.number().min(0).max(1),
    /** at most this many alerts per day (null: no cap) */
    dailyBudget: z.number().int().min(1).max(1_000_000).nullable().default(null),
  }),
  z.object({
    mode: z.literal('topK'),
    /** the day's k highest-scored transactions (among those scored by the model so far), at most k alerts a day */
    perDay: z.number().int().min(1).max(1_000_000).default(100),
  }),
]);

export type AlertPolicy = z.output<typeof alertPolicySchema>;
export type AlertPolicyInput = z.input<typeof alertPolicySchema>;

export type ScoredRow = { transactionId: number; day: number; score: number };

/**
 * Batch top-k: for each day, the perDay highest-scored rows are alerted, minus the alerts the day already has
 * (a rerun never exceeds the budget, and never alerts a transaction twice). Ties: lower transaction id first.
 * Returns the number of alerts created.
 */
export async function createTopKAlerts(
  db: Kysely<Database>,
  input: {
    datasetId: string;
    modelId: string | null;
    rows: readonly ScoredRow[];
    perDay: number;
    userId: string | null;
  },
): Promise<number> {
  const byDay = new Map<number, ScoredRow[]>();
  for (const r of input.rows) {
    let list = byDay.get(r.day);
    if (!list) byDay.set(r.day, (list = []));
    list.push(r);
  }
  const existing = await countAlertsByDay(db, input.datasetId, [...byDay.keys()]);
  let created = 0;
  for (const [day, list] of byDay) {
    let remaining = input.perDay - (existing.get(day) ?? 0);
    list.sort((a, b) => b.score - a.score || a.transactionId - b.transactionId);
    for (const r of list) {
      if (remaining <= 0) break;
      const alert = await insertAlertIfAbsent(db, {
        datasetId: input.datasetId,
        transactionId: r.transactionId,
        modelId: input.modelId,
        score: r.score,
        day,
        reason: 'top_k',
        userId: input.userId,
      });
      if (alert) {
        created++;
        remaining--;
      }
    }
  }
  return created;
}

/**
 * Streaming policy for newly ingested rows (their scores must already be stored in fraud_scores for modelId):
 * threshold — score ≥ threshold while the day's alerts are under dailyBudget, highest scores first; topK — the
 * row ranks among the day's perDay highest scores of this model so far and the day has fewer than perDay alerts.
 * Returns the alerts created, by transaction id.
 */
export async function raiseAlerts(
  db: Kysely<Database>,
  input: { datasetId: string; modelId: string; policy: AlertPolicy; rows: readonly ScoredRow[]; userId: string | null },
): Promise<Map<number, FraudAlert>> {
  const out = new Map<number, FraudAlert>();
  const counts = await countAlertsByDay(
    db,
    input.datasetId,
    input.rows.map((r) => r.day),
  );
  const rows = [...input.rows].sort((a, b) => b.score - a.score || a.transactionId - b.transactionId);
  const { policy } = input;
  for (const r of rows) {
    const today = counts.get(r.day) ?? 0;
    if (policy.mode === 'threshold') {
      if (r.score < policy.threshold) continue;
      if (policy.dailyBudget !== null && today >= policy.dailyBudget) continue;
    } else {
      if (today >= policy.perDay) continue;
      const higher = await sql<{ n: number }>`
        select count(*) as n from fraud_scores s join fraud_transactions t on t.id = s.transaction_id
        where s.model_id = ${input.modelId} and t.dataset_id = ${input.datasetId} and t.day = ${r.day}
          and s.score > ${r.score}`.execute(db);
      if (Number(higher.rows[0]?.n ?? 0) >= policy.perDay) continue;
    }
    const alert = await insertAlertIfAbsent(db, {
      datasetId: input.datasetId,
      transactionId: r.transactionId,
      modelId: input.modelId,
      score: r.score,
      day: r.day,
      reason: policy.mode === 'threshold' ? 'threshold' : 'top_k',
      userId: input.userId,
    });
    if (alert) {
      out.set(r.transactionId, alert);
      counts.set(r.day, today + 1);
    }
  }
  return out;
}
