// Forecast backtest runs: the resolved settings, the leaderboard summary and the full result (predictions, metrics
// per model and baseline, equity curves). Listing never loads results; they can be megabytes.

import type { Kysely, Selectable } from 'kysely';
import type { ForecastRunResult } from '../../forecast/backtest';
import type { ForecastRunConfig } from '../../forecast/config';
import type { RunSummary } from '../../forecast/summary';
import type { Database, ForecastRunsTable } from '../schema';
import { fromJson, newId, toJson } from '../values';

export type ForecastRunInfo = {
  id: string;
  datasetId: string;
  jobId: string | null;
  name: string;
  modelType: string;
  horizon: number;
  summary: RunSummary;
  /** the forecaster saved to the models table from this run, if any */
  modelId: string | null;
  createdBy: string | null;
  /** ms since epoch */
  createdAt: number;
};

export type ForecastRun = ForecastRunInfo & { config: ForecastRunConfig; result: ForecastRunResult };

export type NewForecastRun = {
  id?: string;
  datasetId: string;
  jobId?: string | null;
  name: string;
  result: ForecastRunResult;
  summary: RunSummary;
  modelId?: string | null;
  createdBy: string | null;
  createdAt?: number;
};

type InfoRow = Omit<Selectable<ForecastRunsTable>, 'result' | 'config'>;

const INFO_COLUMNS = [
  'id',
  'dataset_id',
  'job_id',
  'name',
  'model_type',
  'horizon',
  'summary',
  'model_id',
  'created_by',
  'created_at',
] as const satisfies readonly (keyof InfoRow)[];

function toInfo(row: InfoRow): ForecastRunInfo {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    jobId: row.job_id,
    name: row.name,
    modelType: row.model_type,
    horizon: Number(row.horizon),
    summary: fromJson<RunSummary>(row.summary) as RunSummary,
    modelId: row.model_id,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
  };
}

export async function createForecastRun(db: Kysely<Database>, input: NewForecastRun): Promise<ForecastRunInfo> {
  const row = {
    id: input.id ?? newId(),
    dataset_id: input.datasetId,
    job_id: input.jobId ?? null,
    name: input.name,
    model_type: input.result.modelType,
    horizon: input.result.horizon,
    summary: toJson(input.summary),
    model_id: input.modelId ?? null,
    created_by: input.createdBy,
    created_at: input.createdAt ?? Date.now(),
  };
  await db
    .insertInto('forecast_runs')
    .values({ ...row, config: toJson(input.result.config), result: toJson(input.result) })
    .execute();
  return toInfo(row);
}

/** The run with its full result, or undefined. */
export async function getForecastRun(db: Kysely<Database>, id: string): Promise<ForecastRun | undefined> {
  const row = await db.selectFrom('forecast_runs').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return undefined;
  return {
    ...toInfo(row),
    config: fromJson<ForecastRunConfig>(row.config) as ForecastRunConfig,
    result: fromJson<ForecastRunResult>(row.result) as ForecastRunResult,
  };
}

export async function getForecastRunByJob(db: Kysely<Database>, jobId: string): Promise<ForecastRunInfo | undefined> {
  const row = await db.selectFrom('forecast_runs').select(INFO_COLUMNS).where('job_id', '=', jobId).executeTakeFirst();
  return row && toInfo(row);
}

export type ForecastRunFilter = { datasetId?: string; horizon?: number; limit?: number };

/** Newest first, without results (the leaderboard reads the summaries). */
export async function listForecastRuns(
  db: Kysely<Database>,
  filter: ForecastRunFilter = {},
): Promise<ForecastRunInfo[]> {
  let q = db.selectFrom('forecast_runs').select(INFO_COLUMNS);
  if (filter.datasetId !== undefined) q = q.where('dataset_id', '=', filter.datasetId);
  if (filter.horizon !== undefined) q = q.where('horizon', '=', filter.horizon);
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(Math.min(Math.max(1, filter.limit ?? 200), 1000))
    .execute();
  return rows.map(toInfo);
}

/** Links the model saved from a run. */
export async function setForecastRunModel(db: Kysely<Database>, id: string, modelId: string): Promise<void> {
  await db.updateTable('forecast_runs').set({ model_id: modelId }).where('id', '=', id).execute();
}

/** Returns whether the run existed. */
export async function deleteForecastRun(db: Kysely<Database>, id: string): Promise<boolean> {
  const r = await db.deleteFrom('forecast_runs').where('id', '=', id).executeTakeFirst();
  return r.numDeletedRows > 0n;
}
