// Trained models: manifest (architecture, preprocessing, seed, versions), metrics and the binary weights artifact.
// Listing never loads artifacts; they can be megabytes.

import type { Kysely, Selectable } from 'kysely';
import type { Database, ModelsTable } from '../schema';
import { fromJson, newId, toJson } from '../values';

export type Model = {
  id: string;
  /** e.g. 'forecast' | 'credit' | 'fraud' | 'lab' */
  kind: string;
  name: string;
  datasetId: string | null;
  /** the training job, when trained by one */
  jobId: string | null;
  manifest: Record<string, unknown>;
  metrics: Record<string, unknown>;
  createdBy: string | null;
  /** ms since epoch */
  createdAt: number;
};

export type NewModel = Omit<Model, 'id' | 'createdAt' | 'metrics' | 'datasetId' | 'jobId' | 'createdBy'> & {
  id?: string;
  datasetId?: string | null;
  jobId?: string | null;
  metrics?: Record<string, unknown>;
  artifact?: Uint8Array | null;
  createdBy: string | null;
  createdAt?: number;
};

type ModelRow = Omit<Selectable<ModelsTable>, 'artifact'>;

const COLUMNS = [
  'id',
  'kind',
  'name',
  'dataset_id',
  'job_id',
  'manifest',
  'metrics',
  'created_by',
  'created_at',
] as const satisfies readonly (keyof ModelRow)[];

function toModel(row: ModelRow): Model {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    datasetId: row.dataset_id,
    jobId: row.job_id,
    manifest: fromJson<Record<string, unknown>>(row.manifest) ?? {},
    metrics: fromJson<Record<string, unknown>>(row.metrics) ?? {},
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
  };
}

export async function createModel(db: Kysely<Database>, input: NewModel): Promise<Model> {
  const row = {
    id: input.id ?? newId(),
    kind: input.kind,
    name: input.name,
    dataset_id: input.datasetId ?? null,
    job_id: input.jobId ?? null,
    manifest: toJson(input.manifest),
    metrics: toJson(input.metrics ?? {}),
    created_by: input.createdBy,
    created_at: input.createdAt ?? Date.now(),
  };
  await db
    .insertInto('models')
    .values({ ...row, artifact: input.artifact ?? null })
    .execute();
  return toModel(row);
}

export async function getModel(db: Kysely<Database>, id: string): Promise<Model | undefined> {
  const row = await db.selectFrom('models').select(COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && toModel(row);
}

/** The weights blob, or null when the model has none; undefined when there is no such model. */
export async function getModelArtifact(db: Kysely<Database>, id: string): Promise<Uint8Array | null | undefined> {
  const row = await db.selectFrom('models').select('artifact').where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return row.artifact;
}

export type ModelFilter = { kind?: string; datasetId?: string; jobId?: string };

/** Newest first, without artifacts. */
export async function listModels(db: Kysely<Database>, filter: ModelFilter = {}): Promise<Model[]> {
  let q = db.selectFrom('models').select(COLUMNS);
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  if (filter.datasetId !== undefined) q = q.where('dataset_id', '=', filter.datasetId);
  if (filter.jobId !== undefined) q = q.where('job_id', '=', filter.jobId);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toModel);
}

/** Returns whether the model existed. */
export async function deleteModel(db: Kysely<Database>, id: string): Promise<boolean> {
  const r = await db.deleteFrom('models').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}
