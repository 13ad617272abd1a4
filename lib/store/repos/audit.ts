// The audit trail: who changed what, when, from which request. Rows are only ever inserted.

import type { Kysely, Selectable } from 'kysely';
import type { AuditLogTable, Database } from '../schema';
import { inTransaction } from '../transaction';
import { fromJson, toJson } from '../values';

export type AuditInput = {
  userId: string | null;
  /** dotted verb, e.g. 'user.create', 'job.cancel', 'model.delete' */
  action: string;
  objectType?: string | null;
  objectId?: string | null;
  /** any JSON-serialisable detail; never secrets (passwords, tokens) */
  detail?: unknown;
  requestId?: string | null;
  /** ms since epoch; defaults to now */
  at?: number;
};

export type AuditEntry = {
  id: number;
  at: number;
  userId: string | null;
  action: string;
  objectType: string | null;
  objectId: string | null;
  detail: unknown;
  requestId: string | null;
};

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    id: Number(row.id),
    at: Number(row.at),
    userId: row.user_id,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    detail: fromJson(row.detail),
    requestId: row.request_id,
  };
}

export async function writeAudit(db: Kysely<Database>, input: AuditInput): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: input.at ?? Date.now(),
      user_id: input.userId,
      action: input.action,
      object_type: input.objectType ?? null,
      object_id: input.objectId ?? null,
      detail: input.detail === undefined ? null : toJson(input.detail),
      request_id: input.requestId ?? null,
    })
    .execute();
}

/**
 * Runs a state change and writes its audit row in the same transaction: both happen or neither does.
 * `audit` may depend on the change's result (e.g. the id of a created row).
 *
 *   const user = await withAudit(db, (trx) => createUser(trx, input),
 *     (u) => ({ userId: actor.id, action: 'user.create', objectType: 'user', objectId: u.id, requestId }));
 */
export function withAudit<T>(
  db: Kysely<Database>,
  change: (trx: Kysely<Database>) => Promise<T>,
  audit: AuditInput | ((result: T) => AuditInput),
): Promise<T> {
  return inTransaction(db, async (trx) => {
    const result = await change(trx);
    await writeAudit(trx, typeof audit === 'function' ? audit(result) : audit);
    return result;
  });
}

export type AuditFilter = {
  userId?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  /** only entries with id below this (for paging back through the trail) */
  beforeId?: number;
  /** default 100, at most 1000 */
  limit?: number;
};

/** Newest first. */
export async function listAudit(db: Kysely<Database>, filter: AuditFilter = {}): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
  if (filter.action !== undefined) q = q.where('action', '=', filter.action);
  if (filter.objectType !== undefined) q = q.where('object_type', '=', filter.objectType);
  if (filter.objectId !== undefined) q = q.where('object_id', '=', filter.objectId);
  if (filter.beforeId !== undefined) q = q.where('id', '<', filter.beforeId);
  const limit = Math.min(Math.max(1, filter.limit ?? 100), 1000);
  const rows = await q.orderBy('id', 'desc').limit(limit).execute();
  return rows.map(toEntry);
}

/** How many entries of one action on one object were written at or after `since` (ms since epoch). */
export async function countAuditSince(
  db: Kysely<Database>,
  filter: { action: string; objectType: string; objectId: string; since: number },
): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('action', '=', filter.action)
    .where('object_type', '=', filter.objectType)
    .where('object_id', '=', filter.objectId)
    .where('at', '>=', filter.since)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
