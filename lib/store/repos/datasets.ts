// Datasets: bundled samples, generated data and uploads, described by kind, provenance and size.

import type { Kysely, Selectable } from 'kysely';
import type { Database, DatasetsTable } from '../schema';
import { fromFlag, fromJson, newId, toFlag, toJson } from '../values';

export type Dataset = {
  id: string;
  /** 'prices' | 'credit' | 'fraud' | … */
  kind: string;
  name: string;
  /** where the rows came from: a file name, a provider, or the generator and its seed */
  source: string;
  synthetic: boolean;
  rowCount: number;
  meta: Record<string, unknown>;
  /** null for data created by the system (seeding) */
  createdBy: string | null;
  /** ms since epoch */
  createdAt: number;
};

export type NewDataset = Omit<Dataset, 'id' | 'createdAt' | 'meta'> & {
  id?: string;
  createdAt?: number;
  meta?: Record<string, unknown>;
};

function toDataset(row: Selectable<DatasetsTable>): Dataset {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    source: row.source,
    synthetic: fromFlag(row.synthetic),
    rowCount: Number(row.row_count),
    meta: fromJson<Record<string, unknown>>(row.meta) ?? {},
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
  };
}

export async function createDataset(db: Kysely<Database>, input: NewDataset): Promise<Dataset> {
  const row = {
    id: input.id ?? newId(),
    kind: input.kind,
    name: input.name,
    source: input.source,
    synthetic: toFlag(input.synthetic),
    row_count: input.rowCount,
    meta: toJson(input.meta ?? {}),
    created_by: input.createdBy,
    created_at: input.createdAt ?? Date.now(),
  };
  await db.insertInto('datasets').values(row).execute();
  return toDataset(row);
}

export async function getDataset(db: Kysely<Database>, id: string): Promise<Dataset | undefined> {
  const row = await db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toDataset(row);
}

/** Newest first. */
export async function listDatasets(db: Kysely<Database>, filter: { kind?: string } = {}): Promise<Dataset[]> {
  let q = db.selectFrom('datasets').selectAll();
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toDataset);
}

/** Deletes the dataset; models trained on it keep existing with datasetId null. Returns whether it existed. */
export async function deleteDataset(db: Kysely<Database>, id: string): Promise<boolean> {
  const r = await db.deleteFrom('datasets').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}
