// What a job handler receives and returns.

import type { Logger } from '../log';
import type { Job, JobProgress } from '../store/repos/jobs';

export type { Job, JobProgress, JobStatus, JobSummary } from '../store/repos/jobs';

/** Why a running job must stop before its handler finished. */
export type JobStopReason =
  | { kind: 'cancelled' }
  | { kind: 'shutdown'; detail: string }
  | { kind: 'lost'; detail: string };

/** Thrown by ctx.progress() and ctx.yield() once the job must stop; handlers let it propagate. */
export class JobStoppedError extends Error {
  constructor(readonly stop: JobStopReason) {
    super(stop.kind === 'cancelled' ? 'job cancelled' : `job stopped: ${stop.detail}`);
    this.name = 'JobStoppedError';
  }
}

export type JobContext = {
  job: Job;
  /** the payload as enqueued; unvalidated, so parse it (zod) first */
  payload: unknown;
  workerId: string;
  /**
   * Records progress (latest value + history row) and refreshes the heartbeat. Call it once per epoch / fold /
   * step, not per batch. A cancellation point: throws JobStoppedError when the job must stop.
   */
  progress(p: JobProgress): Promise<void>;
  /** Whether a user asked to cancel; reads the row at most every 500 ms. */
  isCancelled(): Promise<boolean>;
  /**
   * Lets the worker's timers run (heartbeat, cancel check) in a CPU-bound loop, then throws JobStoppedError when
   * the job must stop. Await it at least every few hundred ms of computation: timers cannot fire while synchronous
   * code runs, so a handler that never awaits is marked stale and failed by another worker.
   */
  yield(): Promise<void>;
  /** Aborted when the job is cancelled, the worker shuts down or loses the job; pass it to abortable waits. */
  signal: AbortSignal;
  /** a logger bound to jobId and workerId */
  log: Logger;
};

/** Runs one job; the resolved value (JSON-serialisable) becomes the job's result. */
export type JobHandler = (ctx: JobContext) => Promise<unknown>;

/** Job kind → handler. A worker claims only kinds it has a handler for. */
export type JobHandlers = Readonly<Record<string, JobHandler>>;
