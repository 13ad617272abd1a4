// The worker loop: claim a job, run its handler with heartbeats and cancellation, store the outcome, repeat.
// Policies (stale jobs, shutdown, cancellation) are described in lib/jobs/README.md.

import type { Kysely } from 'kysely';
import { config } from '../config';
import { createLogger, type Logger } from '../log';
import {
  claimNextJob,
  failStaleJobs,
  finishJob,
  heartbeatJob,
  isJobCancelRequested,
  type Job,
  recordJobProgress,
} from '../store/repos/jobs';
import type { Database } from '../store/schema';
import { type JobContext, type JobHandlers, JobStoppedError, type JobStopReason } from './types';

export type RunWorkerOptions = {
  db: Kysely<Database>;
  handlers: JobHandlers;
  /** unique per process, e.g. host-pid-random; recorded on every job it runs */
  workerId: string;
  /** abort to stop the worker: no new claims; the running job is stopped and failed with the signal's reason */
  signal: AbortSignal;
  /** wait between claims while the queue is empty; default NEURALFIN_WORKER_POLL_MS */
  pollMs?: number;
  /** a running job whose heartbeat is older than this is failed; default NEURALFIN_STALE_JOB_SECONDS */
  staleJobSeconds?: number;
  /** how long a stopped handler may take to return before its job is failed anyway; default 5000 */
  shutdownGraceMs?: number;
  log?: Logger;
};

/** Cancellation flag reads are cached this long (ms). */
const CANCEL_CHECK_MS = 500;
/** The job timer's period (ms): checks the cancel flag and heart-beats when due. */
const TICK_MS = 250;
/** Stored error texts are cut to this length; the full error and stack go to the log. */
const MAX_ERROR_CHARS = 1000;

function shortError(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}

/** Waits `ms`, or less if `signal` aborts; never throws. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

function stopDetail(signal: AbortSignal): string {
  return typeof signal.reason === 'string' ? signal.reason : 'shutdown requested';
}

/** Heartbeat period: at least every 2 s, and at least three beats per stale window. */
export function heartbeatIntervalMs(staleJobSeconds: number): number {
  return Math.min(2000, (staleJobSeconds * 1000) / 3);
}

/** How often the stale scan runs: every 10 s, or twice per stale window when that is shorter. */
export function staleScanIntervalMs(staleJobSeconds: number): number {
  return Math.min(10_000, (staleJobSeconds * 1000) / 2);
}

/** Runs until `signal` aborts; resolves once the current job (if any) has been finished or failed. */
export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const { db, handlers, workerId, signal } = options;
  const pollMs = options.pollMs ?? config().NEURALFIN_WORKER_POLL_MS;
  const staleJobSeconds = options.staleJobSeconds ?? config().NEURALFIN_STALE_JOB_SECONDS;
  const log = (options.log ?? createLogger()).child({ workerId });
  const kinds = Object.keys(handlers);
  const staleScanMs = staleScanIntervalMs(staleJobSeconds);
  let lastStaleScan = Number.NEGATIVE_INFINITY;

  const scanForStaleJobs = async (): Promise<void> => {
    lastStaleScan = Date.now();
    for (const stale of await failStaleJobs(db, { staleMs: staleJobSeconds * 1000 })) {
      log.warn('job.stale_failed', {
        jobId: stale.id,
        kind: stale.kind,
        staleWorkerId: stale.workerId,
        reason: stale.reason,
      });
    }
  };

  // the first query opens and migrates the database: a bad path or a failed migration ends the worker here
  await scanForStaleJobs();
  log.info('worker.started', { kinds, pollMs, staleJobSeconds });
  while (!signal.aborted) {
    try {
      if (Date.now() - lastStaleScan >= staleScanMs) await scanForStaleJobs();
      const job = await claimNextJob(db, { workerId, kinds });
      if (!job) {
        await pause(pollMs, signal);
        continue;
      }
      await runJob(job, { ...options, staleJobSeconds, log });
    } catch (err) {
      // e.g. SQLITE_BUSY after busy_timeout, a full disk: keep the worker alive and try again
      log.error('worker.loop_error', { err });
      await pause(Math.max(pollMs, 1000), signal);
    }
  }
  log.info('worker.stopped', { reason: stopDetail(signal) });
}

type Outcome = { ok: true; result: unknown } | { ok: false; error: unknown } | { timedOut: true };

async function runJob(job: Job, options: RunWorkerOptions & { staleJobSeconds: number; log: Logger }): Promise<void> {
  const { db, workerId, signal: workerSignal, handlers } = options;
  const log = options.log.child({ jobId: job.id, kind: job.kind });
  const heartbeatMs = heartbeatIntervalMs(options.staleJobSeconds);
  const graceMs = options.shutdownGraceMs ?? 5000;
  const handler = handlers[job.kind];
  const controller = new AbortController();
  const startedAt = Date.now();
  let lastBeat = startedAt;
  let lastCancelCheck = 0;
  let cancelled = false;

  const stop = (reason: JobStopReason): void => {
    if (!controller.signal.aborted) controller.abort(reason);
  };
  const checkCancel = async (): Promise<boolean> => {
    if (cancelled || Date.now() - lastCancelCheck < CANCEL_CHECK_MS) return cancelled;
    lastCancelCheck = Date.now();
    if (await isJobCancelRequested(db, job.id)) {
      cancelled = true;
      stop({ kind: 'cancelled' });
    }
    return cancelled;
  };
  const lose = (): void => stop({ kind: 'lost', detail: 'another worker marked the job failed (stale heartbeat)' });
  const throwIfStopped = (): void => {
    if (controller.signal.aborted) throw new JobStoppedError(controller.signal.reason as JobStopReason);
  };

  let ticking = false;
  const ticker = setInterval(async () => {
    if (ticking) return;
    ticking = true;
    try {
      await checkCancel();
      if (Date.now() - lastBeat >= heartbeatMs) {
        lastBeat = Date.now();
        if (!(await heartbeatJob(db, { id: job.id, workerId }))) lose();
      }
    } catch (err) {
      log.warn('job.heartbeat_failed', { err });
    } finally {
      ticking = false;
    }
  }, TICK_MS);

  const ctx: JobContext = {
    job,
    payload: job.payload,
    workerId,
    signal: controller.signal,
    log,
    progress: async (p) => {
      throwIfStopped();
      lastBeat = Date.now();
      if (!(await recordJobProgress(db, { id: job.id, workerId, progress: p }))) lose();
      await checkCancel();
      throwIfStopped();
    },
    isCancelled: checkCancel,
    yield: async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      throwIfStopped();
    },
  };

  log.info('job.started', { attempt: job.attempts });
  let graceTimer: NodeJS.Timeout | undefined;
  let onWorkerStop: (() => void) | undefined;
  const outcome = await new Promise<Outcome>((resolve) => {
    onWorkerStop = () => {
      stop({ kind: 'shutdown', detail: stopDetail(workerSignal) });
      graceTimer = setTimeout(() => resolve({ timedOut: true }), graceMs);
    };
    if (workerSignal.aborted) onWorkerStop();
    else workerSignal.addEventListener('abort', onWorkerStop, { once: true });
    if (!handler) {
      resolve({ ok: false, error: new Error(`no handler for job kind '${job.kind}'`) });
      return;
    }
    handler(ctx).then(
      (result) => resolve({ ok: true, result }),
      (error: unknown) => resolve({ ok: false, error }),
    );
  });
  clearInterval(ticker);
  clearTimeout(graceTimer);
  if (onWorkerStop) workerSignal.removeEventListener('abort', onWorkerStop);

  const stopReason = controller.signal.aborted ? (controller.signal.reason as JobStopReason) : undefined;
  const durationMs = Date.now() - startedAt;
  let written: boolean;
  if ('ok' in outcome && outcome.ok) {
    // a handler that returned finished its work, even if a cancel arrived on the way
    written = await finishJob(db, { id: job.id, workerId, status: 'succeeded', result: outcome.result ?? null });
    if (written) log.info('job.succeeded', { durationMs });
  } else if (
    stopReason?.kind === 'cancelled' ||
    (!('timedOut' in outcome) && (await isJobCancelRequested(db, job.id)))
  ) {
    written = await finishJob(db, { id: job.id, workerId, status: 'cancelled', error: 'cancelled by request' });
    if (written) log.info('job.cancelled', { durationMs });
  } else if (stopReason?.kind === 'shutdown') {
    const error = `worker ${workerId} stopped (${stopReason.detail}) before the job finished; run it again`;
    written = await finishJob(db, { id: job.id, workerId, status: 'failed', error });
    if (written) log.warn('job.failed', { durationMs, reason: error, timedOut: 'timedOut' in outcome });
  } else {
    const err = 'error' in outcome ? outcome.error : new Error('handler did not finish');
    written = await finishJob(db, { id: job.id, workerId, status: 'failed', error: shortError(err) });
    if (written) log.error('job.failed', { durationMs, err });
  }
  if (!written) log.warn('job.lost', { durationMs, reason: 'the job was no longer running on this worker' });
}
