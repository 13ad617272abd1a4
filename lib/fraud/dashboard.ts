// Dashboard figures of a fraud dataset: alerts per day by status, the share of decided alerts confirmed as fraud,
// the card precision@k of successive training runs, and the score histogram by label of the latest scoring model.

import { sql } from 'kysely';
import type { Db } from '../store/db';
import { type AlertStatus, getFraudDataset, listFraudRuns } from '../store/repos/fraud';
import { dayDate } from './simulator';

export type FraudDashboard = {
  alertsPerDay: ({ day: number; date: string; total: number } & Record<AlertStatus, number>)[];
  /** confirmed ÷ (confirmed + false positives); null before any decision */
  confirmedFraudShare: { decided: number; confirmed: number; share: number | null };
  /** oldest run first */
  cardPrecisionTrend: {
    runId: string;
    name: string;
    createdAt: number;
    k: number;
    cardPrecisionAtK: number | null;
    ap: number | null;
    auc: number | null;
    triageLabelsInTraining: number;
  }[];
  /** 20 bins over [0, 1] of the latest model's stored scores, by the transactions' known labels */
  scoreHistogram: {
    modelId: string;
    bins: { from: number; to: number; fraud: number; genuine: number; unknown: number }[];
  } | null;
};

const BINS = 20;

export async function fraudDashboard(db: Db, datasetId: string): Promise<FraudDashboard | undefined> {
  const ds = await getFraudDataset(db, datasetId);
  if (!ds) return undefined;
  const perDay = await db
    .selectFrom('fraud_alerts')
    .select(['day', 'status', sql<number>`count(*)`.as('n')])
    .where('dataset_id', '=', datasetId)
    .groupBy(['day', 'status'])
    .orderBy('day')
    .execute();
  const days = new Map<number, FraudDashboard['alertsPerDay'][number]>();
  for (const r of perDay) {
    const day = Number(r.day);
    let e = days.get(day);
    if (!e) {
      e = {
        day,
        date: dayDate(ds.startMs, day),
        total: 0,
        open: 0,
        investigating: 0,
        confirmed_fraud: 0,
        false_positive: 0,
      };
      days.set(day, e);
    }
    e[r.status as AlertStatus] += Number(r.n);
    e.total += Number(r.n);
  }
  const alertsPerDay = [...days.values()];
  const confirmed = alertsPerDay.reduce((s, d) => s + d.confirmed_fraud, 0);
  const decided = confirmed + alertsPerDay.reduce((s, d) => s + d.false_positive, 0);

  const runs = (await listFraudRuns(db, datasetId)).reverse();
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const cardPrecisionTrend = runs.map((r) => ({
    runId: r.id,
    name: r.name,
    createdAt: r.createdAt,
    k: num(r.summary.k) ?? 0,
    cardPrecisionAtK: num(r.summary.cardPrecisionAtK),
    ap: num(r.summary.ap),
    auc: num(r.summary.auc),
    triageLabelsInTraining: num(r.summary.triageLabelsInTraining) ?? 0,
  }));

  let scoreHistogram: FraudDashboard['scoreHistogram'] = null;
  const latest = await db
    .selectFrom('fraud_scores as s')
    .innerJoin('fraud_transactions as t', 't.id', 's.transaction_id')
    .select(['s.model_id', sql<number>`max(s.scored_at)`.as('at')])
    .where('t.dataset_id', '=', datasetId)
    .groupBy('s.model_id')
    .orderBy('at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest) {
    const rows = await db
      .selectFrom('fraud_scores as s')
      .innerJoin('fraud_transactions as t', 't.id', 's.transaction_id')
      .select([
        // bin index ⌊score·20⌋ (a score of exactly 1 is clamped into the last bin below)
        sql<number>`cast(s.score * ${BINS} as integer)`.as('bin'),
        't.label',
        sql<number>`count(*)`.as('n'),
      ])
      .where('s.model_id', '=', latest.model_id)
      .where('t.dataset_id', '=', datasetId)
      .groupBy(['bin', 't.label'])
      .execute();
    const bins = Array.from({ length: BINS }, (_, i) => ({
      from: i / BINS,
      to: (i + 1) / BINS,
      fraud: 0,
      genuine: 0,
      unknown: 0,
    }));
    for (const r of rows) {
      const b = bins[Math.max(0, Math.min(BINS - 1, Number(r.bin)))];
      const key = r.label === null ? 'unknown' : Number(r.label) === 1 ? 'fraud' : 'genuine';
      b[key] += Number(r.n);
    }
    scoreHistogram = { modelId: latest.model_id, bins };
  }
  return {
    alertsPerDay,
    confirmedFraudShare: { decided, confirmed, share: decided > 0 ? confirmed / decided : null },
    cardPrecisionTrend,
    scoreHistogram,
  };
}
