// Credit scoring storage: the rows of imported application datasets and the decisions made by credit models.
// Rows are written in one transaction with their datasets row; decisions are only ever inserted.

import type { Kysely, Selectable } from 'kysely';
import type { CreditDecisionsTable, Database } from '../schema';
import { fromJson, newId, toJson } from '../values';

export type CreditRecord = {
  /** 1-based data row */
  rowNo: number;
  /** 1-based file line */
  line: number;
  /** column name → cell text (null when missing) */
  cells: Record<string, string | null>;
};

/** Rows are inserted in chunks so one statement stays under SQLite's bound-parameter limit. */
const CHUNK = 200;

export async function insertCreditRecords(
  db: Kysely<Database>,
  datasetId: string,
  records: readonly CreditRecord[],
): Promise<void> {
  for (let i = 0; i < records.length; i += CHUNK) {
    await db
      .insertInto('credit_applications')
      .values(
        records.slice(i, i + CHUNK).map((r) => ({
          dataset_id: datasetId,
          row_no: r.rowNo,
          line: r.line,
          cells: toJson(r.cells),
        })),
      )
      .execute();
  }
}

/** Every row of the dataset, in row order. */
export async function listCreditRecords(db: Kysely<Database>, datasetId: string): Promise<CreditRecord[]> {
  const rows = await db
    .selectFrom('credit_applications')
    .select(['row_no', 'line', 'cells'])
    .where('dataset_id', '=', datasetId)
    .orderBy('row_no')
    .execute();
  return rows.map((r) => ({
    rowNo: Number(r.row_no),
    line: Number(r.line),
    cells: fromJson<Record<string, string | null>>(r.cells) ?? {},
  }));
}

export type CreditDecisionRecord = {
  id: string;
  modelId: string;
  modelName: string;
  /** the validated application as scored */
  input: Record<string, number | string | null>;
  pd: number;
  score: number;
  decision: 'approve' | 'refer' | 'decline';
  reasons: unknown[];
  source: 'form' | 'batch' | 'api';
  batchId: string | null;
  userId: string | null;
  /** ms since epoch */
  createdAt: number;
};

export type NewCreditDecision = Omit<CreditDecisionRecord, 'id' | 'createdAt' | 'batchId'> & {
  id?: string;
  batchId?: string | null;
  createdAt?: number;
};

function toDecision(row: Selectable<CreditDecisionsTable>): CreditDecisionRecord {
  return {
    id: row.id,
    modelId: row.model_id,
    modelName: row.model_name,
    input: fromJson<Record<string, number | string | null>>(row.input) ?? {},
    pd: Number(row.pd),
    score: Number(row.score),
    decision: row.decision as CreditDecisionRecord['decision'],
    reasons: fromJson<unknown[]>(row.reasons) ?? [],
    source: row.source as CreditDecisionRecord['source'],
    batchId: row.batch_id,
    userId: row.user_id,
    createdAt: Number(row.created_at),
  };
}

export async function insertCreditDecisions(
  db: Kysely<Database>,
  decisions: readonly NewCreditDecision[],
): Promise<CreditDecisionRecord[]> {
  const now = Date.now();
  const rows = decisions.map((d) => ({
    id: d.id ?? newId(),
    model_id: d.modelId,
    model_name: d.modelName,
    input: toJson(d.input),
    pd: d.pd,
    score: d.score,
    decision: d.decision,
    reasons: toJson(d.reasons),
    source: d.source,
    batch_id: d.batchId ?? null,
    user_id: d.userId,
    created_at: d.createdAt ?? now,
  }));
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('credit_decisions')
      .values(rows.slice(i, i + CHUNK))
      .execute();
  }
  return rows.map(toDecision);
}

export type CreditDecisionFilter = {
  modelId?: string;
  batchId?: string;
  /** decisions made at or after this time (ms since epoch) */
  since?: number;
  /** default 1000, at most 100 000 */
  limit?: number;
};

/** Newest first. */
export async function listCreditDecisions(
  db: Kysely<Database>,
  filter: CreditDecisionFilter = {},
): Promise<CreditDecisionRecord[]> {
  let q = db.selectFrom('credit_decisions').selectAll();
  if (filter.modelId !== undefined) q = q.where('model_id', '=', filter.modelId);
  if (filter.batchId !== undefined) q = q.where('batch_id', '=', filter.batchId);
  if (filter.since !== undefined) q = q.where('created_at', '>=', filter.since);
  const limit = Math.min(Math.max(1, filter.limit ?? 1000), 100_000);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toDecision);
}

export async function getCreditDecision(db: Kysely<Database>, id: string): Promise<CreditDecisionRecord | undefined> {
  const row = await db.selectFrom('credit_decisions').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toDecision(row);
}
