// Test helpers for job handlers: a real worker loop on a fresh temporary database for every test of a file, and
// waiting for a job to reach a final status.

import { afterEach, beforeEach } from 'vitest';
import { getJob } from '../../lib/jobs/queue';
import type { JobHandlers } from '../../lib/jobs/types';
import { runWorker } from '../../lib/jobs/worker';
import type { Db } from '../../lib/store/db';
import type { Job } from '../../lib/store/repos/jobs';
import { memoryLogger, openTempDb, type TempDb, waitFor } from '../store/temp-db';

/** Polls until job `id` has left 'queued' and 'running', and returns it; throws after timeoutMs. */
export function jobFinished(db: Db, id: string, timeoutMs = 60_000): Promise<Job> {
  return waitFor(
    async () => {
      const job = await getJob(db, id);
      return job && !['queued', 'running'].includes(job.status) ? job : undefined;
    },
    timeoutMs,
    `job ${id} to finish`,
  );
}

export type WorkerPerTestOptions = {
  /** recorded on every job the worker runs */
  workerId: string;
  /** the handlers, built on the current test's database */
  handlers: (db: Db) => JobHandlers;
  /** runs on the fresh database before the worker starts (e.g. seeding) */
  prepare?: (db: Db) => Promise<void>;
};

export type WorkerPerTest = {
  /** the current test's database */
  readonly db: Db;
  /** jobFinished on the current test's database (default timeout 60 s) */
  finished(id: string, timeoutMs?: number): Promise<Job>;
};

/**
 * Registers beforeEach / afterEach hooks: before each test, a fresh temporary database, `prepare` on it, then a
 * worker polling every 20 ms (stale jobs after 30 s, 2 s shutdown grace, logs kept in memory); after each test the
 * worker is stopped and awaited, and the database closed and removed. Call it at the top level of a test file.
 */
export function workerPerTest(opts: WorkerPerTestOptions): WorkerPerTest {
  let temp: TempDb | undefined;
  let stopper: AbortController;
  let running: Promise<void> | undefined;
  beforeEach(async () => {
    temp = openTempDb();
    stopper = new AbortController();
    await opts.prepare?.(temp.db);
    running = runWorker({
      db: temp.db,
      handlers: opts.handlers(temp.db),
      workerId: opts.workerId,
      signal: stopper.signal,
      pollMs: 20,
      staleJobSeconds: 30,
      shutdownGraceMs: 2000,
      log: memoryLogger(),
    });
  });
  afterEach(async () => {
    stopper.abort('test over');
    await running;
    running = undefined;
    await temp?.cleanup();
    temp = undefined;
  });
  const current = (): Db => {
    if (!temp) throw new Error('workerPerTest: the database exists only while a test runs');
    return temp.db;
  };
  return {
    get db() {
      return current();
    },
    finished: (id, timeoutMs) => jobFinished(current(), id, timeoutMs),
  };
}
