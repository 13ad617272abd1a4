// The worker loop in this process: a demo run end to end, cancellation, failures, shutdown, heartbeats.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DemoResult } from '../../lib/jobs/demo';
import { jobHandlers } from '../../lib/jobs/handlers';
import { enqueueJob, getJob, listJobProgress, requestCancel } from '../../lib/jobs/queue';
import type { JobHandlers } from '../../lib/jobs/types';
import { runWorker } from '../../lib/jobs/worker';
import { jobFinished } from '../helpers/jobs';
import { type LogLine, memoryLogger, openTempDb, type TempDb, waitFor } from '../store/temp-db';

let t: TempDb;
let stopper: AbortController;
let running: Promise<void> | undefined;
let lines: LogLine[];

beforeEach(() => {
  t = openTempDb();
  stopper = new AbortController();
  lines = [];
});
afterEach(async () => {
  stopper.abort('test over');
  await running;
  running = undefined;
  await t.cleanup();
});

function start(handlers: JobHandlers = jobHandlers, staleJobSeconds = 30): void {
  running = runWorker({
    db: t.db,
    handlers,
    workerId: 'test-worker',
    signal: stopper.signal,
    pollMs: 20,
    staleJobSeconds,
    shutdownGraceMs: 2000,
    log: memoryLogger(lines),
  });
}

const finished = (id: string, timeoutMs = 15_000) => jobFinished(t.db, id, timeoutMs);

describe('runWorker', () => {
  it('runs a demo job to success, writing progress as it goes', async () => {
    start();
    const job = await enqueueJob(t.db, { kind: 'demo', payload: { steps: 60, stepMs: 0 }, createdBy: null });
    const done = await finished(job.id);
    expect(done.status).toBe('succeeded');
    const result = done.result as DemoResult;
    // gradient descent recovers y = 3x − 2 from the noisy points
    expect(result.w).toBeCloseTo(3, 0);
    expect(Math.abs(result.b + 2)).toBeLessThan(0.1);
    expect(result).toMatchObject({ steps: 60, workerId: 'test-worker', attempt: 1 });
    expect(done.progress).toMatchObject({ stage: 'train', epoch: 60, epochs: 60, pct: 100 });

    const history = await listJobProgress(t.db, job.id);
    expect(history.map((h) => h.progress.epoch)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const losses = history.map((h) => h.progress.loss ?? Number.NaN);
    expect(losses[59]).toBeLessThan(losses[0] / 10);
    expect(await listJobProgress(t.db, job.id, { afterId: history[57].id })).toHaveLength(2);
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['worker.started', 'job.started', 'job.succeeded']));
  });

  it('ends a running job as cancelled soon after a cancel request', async () => {
    start();
    const job = await enqueueJob(t.db, { kind: 'demo', payload: { steps: 1000, stepMs: 50 }, createdBy: null });
    await waitFor(async () => (await getJob(t.db, job.id))?.progress, 10_000, 'first progress');
    const asked = Date.now();
    await requestCancel(t.db, job.id, null);
    const done = await finished(job.id);
    expect(done).toMatchObject({ status: 'cancelled', error: 'cancelled by request', cancelRequested: true });
    expect(Date.now() - asked).toBeLessThan(2000);
  });

  it('stores a failing handler’s message (not its stack) and keeps going', async () => {
    start({
      boom: async () => {
        throw new Error('the data has no rows');
      },
      ...jobHandlers,
    });
    const bad = await enqueueJob(t.db, { kind: 'boom', payload: {}, createdBy: null });
    const invalid = await enqueueJob(t.db, { kind: 'demo', payload: { steps: -1 }, createdBy: null });
    const good = await enqueueJob(t.db, { kind: 'demo', payload: { steps: 2, stepMs: 0 }, createdBy: null });
    expect(await finished(bad.id)).toMatchObject({ status: 'failed', error: 'the data has no rows' });
    expect((await finished(invalid.id)).error).toMatch(/^invalid demo payload/);
    expect((await finished(good.id)).status).toBe('succeeded');
    const logged = lines.find((l) => l.msg === 'job.failed' && l.jobId === bad.id);
    const err = logged?.err;
    expect(err instanceof Error && err.stack).toContain('the data has no rows');
  });

  it('leaves jobs of kinds it has no handler for queued', async () => {
    start({ other: async () => 1 });
    const job = await enqueueJob(t.db, { kind: 'demo', payload: {}, createdBy: null });
    const other = await enqueueJob(t.db, { kind: 'other', payload: {}, createdBy: null });
    await finished(other.id);
    expect((await getJob(t.db, job.id))?.status).toBe('queued');
  });

  it('on shutdown, stops the running job and fails it with the reason', async () => {
    start();
    const job = await enqueueJob(t.db, { kind: 'demo', payload: { steps: 1000, stepMs: 50 }, createdBy: null });
    await waitFor(async () => (await getJob(t.db, job.id))?.progress, 10_000, 'first progress');
    stopper.abort('SIGTERM');
    await running;
    const done = await getJob(t.db, job.id);
    expect(done?.status).toBe('failed');
    expect(done?.error).toBe('worker test-worker stopped (SIGTERM) before the job finished; run it again');
  });

  it('keeps heart-beating a CPU-bound handler that awaits ctx.yield()', async () => {
    const beats: number[] = [];
    start(
      {
        busy: async (ctx) => {
          const until = Date.now() + 2500;
          while (Date.now() < until) {
            const spinUntil = Date.now() + 10;
            while (Date.now() < spinUntil) {
              // computing
            }
            await ctx.yield();
          }
          return 'done';
        },
      },
      5, // heartbeat every 5/3 s
    );
    const job = await enqueueJob(t.db, { kind: 'busy', payload: {}, createdBy: null });
    const observer = setInterval(async () => {
      const j = await getJob(t.db, job.id);
      if (j?.status === 'running' && j.heartbeatAt) beats.push(j.heartbeatAt);
    }, 100);
    const done = await finished(job.id);
    clearInterval(observer);
    expect(done.status).toBe('succeeded');
    expect(new Set(beats).size).toBeGreaterThanOrEqual(2);
  });
});
