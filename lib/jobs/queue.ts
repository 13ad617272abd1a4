// The job queue as the web app sees it: enqueue, read, list, cancel. Workers (worker.ts) do the rest.

import type { Kysely } from 'kysely';
import { withAudit, writeAudit } from '../store/repos/audit';
import {
  insertJob,
  type Job,
  type JobFilter,
  type JobProgressEntry,
  type JobSummary,
  markJobCancelRequested,
  selectJob,
  selectJobProgress,
  selectJobs,
} from '../store/repos/jobs';
import type { Database } from '../store/schema';
import { inTransaction } from '../store/transaction';

export type { JobFilter, JobProgressEntry } from '../store/repos/jobs';

/** Queues a job (audited as 'job.enqueue'); a worker with a handler for `kind` picks it up. */
export function enqueueJob(
  db: Kysely<Database>,
  input: { kind: string; payload: unknown; createdBy: string | null; requestId?: string | null },
): Promise<Job> {
  return withAudit(
    db,
    (trx) => insertJob(trx, { kind: input.kind, payload: input.payload, createdBy: input.createdBy }),
    (job) => ({
      userId: input.createdBy,
      action: 'job.enqueue',
      objectType: 'job',
      objectId: job.id,
      detail: { kind: job.kind },
      requestId: input.requestId ?? null,
    }),
  );
}

export function getJob(db: Kysely<Database>, id: string): Promise<Job | undefined> {
  return selectJob(db, id);
}

/** Newest first, without results; filter by status (one or several), kind, creator; limit (≤ 500) and offset. */
export function listJobs(db: Kysely<Database>, filter: JobFilter = {}): Promise<JobSummary[]> {
  return selectJobs(db, filter);
}

/** A job's progress history in order; pass the last seen entry id as afterId to poll for new entries only. */
export function listJobProgress(
  db: Kysely<Database>,
  jobId: string,
  options: { afterId?: number; limit?: number } = {},
): Promise<JobProgressEntry[]> {
  return selectJobProgress(db, jobId, options);
}

/**
 * Asks for a job to stop (audited as 'job.cancel'): a queued job becomes 'cancelled' at once, a running one when its
 * handler reaches its next cancellation point; a finished job is unchanged. Returns the job, undefined if unknown.
 * Whether `userId` may cancel this job is the caller's decision.
 */
export function requestCancel(
  db: Kysely<Database>,
  id: string,
  userId: string | null,
  requestId?: string | null,
): Promise<Job | undefined> {
  return inTransaction(db, async (trx) => {
    const before = await selectJob(trx, id);
    if (!before) return undefined;
    const job = await markJobCancelRequested(trx, id);
    await writeAudit(trx, {
      userId,
      action: 'job.cancel',
      objectType: 'job',
      objectId: id,
      detail: { statusBefore: before.status, statusAfter: job?.status },
      requestId: requestId ?? null,
    });
    return job;
  });
}
