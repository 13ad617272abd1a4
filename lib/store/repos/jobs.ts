// Job rows: the durable queue's storage. Every state change is one conditional UPDATE (…WHERE status = …), so two
// processes racing for the same row cannot both win; the queue logic and worker loop live in lib/jobs.

import type { Kysely, Selectable } from 'kysely';
import type { Database, JobsTable } from '../schema';
import { inTransaction } from '../transaction';
import { fromFlag, fromJson, newId, toJson } from '../values';

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export type FinishedJobStatus = Extract<JobStatus, 'succeeded' | 'failed' | 'cancelled'>;

/** What a running job reports; every field optional. pct is 0–100. */
export type JobProgress = {
  stage?: string;
  epoch?: number;
  epochs?: number;
  loss?: number;
  valLoss?: number;
  fold?: number;
  folds?: number;
  pct?: number;
  message?: string;
  /** further named figures (e.g. generator and discriminator loss of a GAN) */
  metrics?: Record<string, number>;
};

export type Job = {
  id: string;
  kind: string;
  status: JobStatus;
  payload: unknown;
  /** the latest progress report */
  progress: JobProgress | null;
  result: unknown;
  /** short reason when failed or cancelled */
  error: string | null;
  createdBy: string | null;
  /** ms since epoch, like every time below */
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  heartbeatAt: number | null;
  workerId: string | null;
  /** how many times a worker has claimed it */
  attempts: number;
  cancelRequested: boolean;
};

/** A job without its result, which can be large (predictions, backtest curves). */
export type JobSummary = Omit<Job, 'result'>;

export type JobProgressEntry = { id: number; at: number; progress: JobProgress };

type SummaryRow = Omit<Selectable<JobsTable>, 'result'>;

const SUMMARY_COLUMNS = [
  'id',
  'kind',
  'status',
  'payload',
  'progress',
  'error',
  'created_by',
  'created_at',
  'started_at',
  'finished_at',
  'heartbeat_at',
  'worker_id',
  'attempts',
  'cancel_requested',
] as const satisfies readonly (keyof SummaryRow)[];

const num = (v: number | null): number | null => (v === null ? null : Number(v));

function toSummary(row: SummaryRow): JobSummary {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status as JobStatus,
    payload: fromJson(row.payload),
    progress: fromJson<JobProgress>(row.progress),
    error: row.error,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    startedAt: num(row.started_at),
    finishedAt: num(row.finished_at),
    heartbeatAt: num(row.heartbeat_at),
    workerId: row.worker_id,
    attempts: Number(row.attempts),
    cancelRequested: fromFlag(row.cancel_requested),
  };
}

function toJob(row: Selectable<JobsTable>): Job {
  return { ...toSummary(row), result: fromJson(row.result) };
}

export async function insertJob(
  db: Kysely<Database>,
  input: { id?: string; kind: string; payload: unknown; createdBy: string | null; now?: number },
): Promise<Job> {
  const row: Selectable<JobsTable> = {
    id: input.id ?? newId(),
    kind: input.kind,
    status: 'queued',
    payload: toJson(input.payload),
    progress: null,
    result: null,
    error: null,
    created_by: input.createdBy,
    created_at: input.now ?? Date.now(),
    started_at: null,
    finished_at: null,
    heartbeat_at: null,
    worker_id: null,
    attempts: 0,
    cancel_requested: 0,
  };
  await db.insertInto('jobs').values(row).execute();
  return toJob(row);
}

export async function selectJob(db: Kysely<Database>, id: string): Promise<Job | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toJob(row);
}

export type JobFilter = {
  status?: JobStatus | readonly JobStatus[];
  kind?: string;
  createdBy?: string;
  /** default 50, at most 500 */
  limit?: number;
  offset?: number;
};

/** Newest first, without results. */
export async function selectJobs(db: Kysely<Database>, filter: JobFilter = {}): Promise<JobSummary[]> {
  let q = db.selectFrom('jobs').select(SUMMARY_COLUMNS);
  if (typeof filter.status === 'string') q = q.where('status', '=', filter.status);
  else if (filter.status) {
    if (filter.status.length === 0) return [];
    q = q.where('status', 'in', filter.status);
  }
  if (filter.kind !== undefined) q = q.where('kind', '=', filter.kind);
  if (filter.createdBy !== undefined) q = q.where('created_by', '=', filter.createdBy);
  const limit = Math.min(Math.max(1, filter.limit ?? 50), 500);
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .offset(Math.max(0, filter.offset ?? 0))
    .execute();
  return rows.map(toSummary);
}

/**
 * Claims the oldest queued job of one of `kinds` for `workerId`, or returns undefined when none is queued.
 * The UPDATE only succeeds while the row is still 'queued', so of two workers that pick the same row exactly one
 * changes it; the loser picks again.
 */
export async function claimNextJob(
  db: Kysely<Database>,
  input: { workerId: string; kinds: readonly string[]; now?: number },
): Promise<Job | undefined> {
  if (input.kinds.length === 0) return undefined;
  for (let tries = 0; tries < 10; tries++) {
    const now = input.now ?? Date.now();
    const outcome = await inTransaction(db, async (trx) => {
      const next = await trx
        .selectFrom('jobs')
        .select('id')
        .where('status', '=', 'queued')
        .where('kind', 'in', input.kinds)
        .orderBy('created_at')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      if (!next) return 'empty' as const;
      const r = await trx
        .updateTable('jobs')
        .set((eb) => ({
          status: 'running',
          worker_id: input.workerId,
          started_at: now,
          heartbeat_at: now,
          attempts: eb('attempts', '+', 1),
        }))
        .where('id', '=', next.id)
        .where('status', '=', 'queued')
        .executeTakeFirst();
      return r.numUpdatedRows === 1n ? next.id : ('lost' as const);
    });
    if (outcome === 'empty') return undefined;
    if (outcome !== 'lost') return selectJob(db, outcome);
  }
  return undefined;
}

/** Conditions that hold while `workerId` still owns the running job. */
function owned(db: Kysely<Database>, id: string, workerId: string) {
  return db.updateTable('jobs').where('id', '=', id).where('worker_id', '=', workerId).where('status', '=', 'running');
}

/**
 * Stores the latest progress, appends it to the job's progress history and refreshes the heartbeat.
 * Returns false when the worker no longer owns the job (it was failed as stale meanwhile).
 */
export async function recordJobProgress(
  db: Kysely<Database>,
  input: { id: string; workerId: string; progress: JobProgress; now?: number },
): Promise<boolean> {
  const now = input.now ?? Date.now();
  const progress = toJson(input.progress);
  return inTransaction(db, async (trx) => {
    const r = await owned(trx, input.id, input.workerId).set({ progress, heartbeat_at: now }).executeTakeFirst();
    if (r.numUpdatedRows !== 1n) return false;
    await trx.insertInto('job_progress').values({ job_id: input.id, at: now, progress }).execute();
    return true;
  });
}

/** Refreshes the heartbeat; false when the worker no longer owns the job. */
export async function heartbeatJob(
  db: Kysely<Database>,
  input: { id: string; workerId: string; now?: number },
): Promise<boolean> {
  const r = await owned(db, input.id, input.workerId)
    .set({ heartbeat_at: input.now ?? Date.now() })
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

export async function isJobCancelRequested(db: Kysely<Database>, id: string): Promise<boolean> {
  const row = await db.selectFrom('jobs').select('cancel_requested').where('id', '=', id).executeTakeFirst();
  return row ? fromFlag(row.cancel_requested) : false;
}

/** Records the outcome of a running job; false when the worker no longer owns it (nothing is written then). */
export async function finishJob(
  db: Kysely<Database>,
  input: {
    id: string;
    workerId: string;
    status: FinishedJobStatus;
    result?: unknown;
    error?: string | null;
    now?: number;
  },
): Promise<boolean> {
  const now = input.now ?? Date.now();
  const r = await owned(db, input.id, input.workerId)
    .set({
      status: input.status,
      result: input.result === undefined ? null : toJson(input.result),
      error: input.error ?? null,
      finished_at: now,
      heartbeat_at: now,
    })
    .executeTakeFirst();
  return r.numUpdatedRows === 1n;
}

/**
 * Asks for a job to stop. A queued job is cancelled at once; a running one gets cancel_requested = 1 and its worker
 * stops it at the handler's next check. Finished jobs are left as they are. Returns the job as it is now.
 */
export async function markJobCancelRequested(
  db: Kysely<Database>,
  id: string,
  now = Date.now(),
): Promise<Job | undefined> {
  return inTransaction(db, async (trx) => {
    const queued = await trx
      .updateTable('jobs')
      .set({ status: 'cancelled', cancel_requested: 1, finished_at: now, error: 'cancelled before it started' })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .executeTakeFirst();
    if (queued.numUpdatedRows === 0n) {
      await trx
        .updateTable('jobs')
        .set({ cancel_requested: 1 })
        .where('id', '=', id)
        .where('status', '=', 'running')
        .execute();
    }
    return selectJob(trx, id);
  });
}

export type StaleJob = { id: string; kind: string; workerId: string | null; heartbeatAt: number; reason: string };

/**
 * Fails every running job whose heartbeat is older than `staleMs`: its worker died or hung. The UPDATE repeats the
 * heartbeat it saw, so a job that beats again in the meantime is left alone. Returns the jobs it failed.
 */
export async function failStaleJobs(
  db: Kysely<Database>,
  input: { staleMs: number; now?: number },
): Promise<StaleJob[]> {
  const now = input.now ?? Date.now();
  const candidates = await db
    .selectFrom('jobs')
    .select(['id', 'kind', 'worker_id', 'heartbeat_at'])
    .where('status', '=', 'running')
    .where('heartbeat_at', '<', now - input.staleMs)
    .execute();
  const failed: StaleJob[] = [];
  for (const c of candidates) {
    const heartbeatAt = Number(c.heartbeat_at);
    const reason = `worker ${c.worker_id ?? 'unknown'} stopped responding; last heartbeat ${new Date(heartbeatAt).toISOString()}`;
    const r = await db
      .updateTable('jobs')
      .set({ status: 'failed', error: reason, finished_at: now })
      .where('id', '=', c.id)
      .where('status', '=', 'running')
      .where('heartbeat_at', '=', heartbeatAt)
      .executeTakeFirst();
    if (r.numUpdatedRows === 1n) failed.push({ id: c.id, kind: c.kind, workerId: c.worker_id, heartbeatAt, reason });
  }
  return failed;
}

/** The job's progress history in order, optionally only entries after `afterId` (for polling or streaming). */
export async function selectJobProgress(
  db: Kysely<Database>,
  jobId: string,
  options: { afterId?: number; limit?: number } = {},
): Promise<JobProgressEntry[]> {
  let q = db.selectFrom('job_progress').select(['id', 'at', 'progress']).where('job_id', '=', jobId);
  if (options.afterId !== undefined) q = q.where('id', '>', options.afterId);
  const rows = await q
    .orderBy('id')
    .limit(Math.min(Math.max(1, options.limit ?? 10_000), 100_000))
    .execute();
  return rows.map((r) => ({ id: Number(r.id), at: Number(r.at), progress: fromJson<JobProgress>(r.progress) ?? {} }));
}
