// Real worker processes (node --import tsx lib/jobs/worker-main.ts) sharing one database file.

import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DemoResult } from '../../lib/jobs/demo';
import { enqueueJob, getJob, listJobs } from '../../lib/jobs/queue';
import { type Db, openDb } from '../../lib/store/db';
import { type LogLine, tempDbFile, waitFor } from '../store/temp-db';

const root = path.resolve(import.meta.dirname, '../..');

type WorkerProcess = { child: ChildProcess; lines: LogLine[]; exited: Promise<number | null> };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function startWorker(file: string, env: Record<string, string> = {}): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'lib/jobs/worker-main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      NEURALFIN_DB: file,
      NEURALFIN_WORKER_POLL_MS: '30',
      NEURALFIN_LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  let buffered = '';
  const collect = (chunk: Buffer): void => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const p of parts) if (p.trim()) lines.push(JSON.parse(p) as LogLine);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, lines, exited };
}

function workerStarted(w: WorkerProcess): LogLine | undefined {
  return w.lines.find((l) => l.msg === 'worker.started');
}

function sharedDb(): { file: string; db: Db } {
  const { dir, file } = tempDbFile();
  const db = openDb(file);
  cleanups.push(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  return { file, db };
}

describe('worker processes', () => {
  it('two workers drain 40 jobs between them, each job run exactly once', async () => {
    const { file, db } = sharedDb();
    await listJobs(db); // migrate before the workers open the file
    const workers = [startWorker(file), startWorker(file)];
    await waitFor(() => workers.every(workerStarted), 20_000, 'both workers to start');

    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      ids.push((await enqueueJob(db, { kind: 'demo', payload: { steps: 2, stepMs: 20 }, createdBy: null })).id);
    }
    await waitFor(
      async () => (await listJobs(db, { status: ['queued', 'running'] })).length === 0,
      30_000,
      'the queue to drain',
    );

    const runsPerJob = new Map<string, string[]>();
    for (const w of workers) {
      for (const l of w.lines.filter((x) => x.msg === 'job.started')) {
        runsPerJob.set(l.jobId as string, [...(runsPerJob.get(l.jobId as string) ?? []), l.workerId as string]);
      }
    }
    const ranBy = new Set<string>();
    for (const id of ids) {
      const job = await getJob(db, id);
      const result = job?.result as DemoResult;
      expect(job?.status).toBe('succeeded');
      expect(job?.attempts).toBe(1);
      expect(result.attempt).toBe(1);
      expect(runsPerJob.get(id)).toEqual([result.workerId]);
      ranBy.add(result.workerId);
    }
    expect([...ranBy].sort()).toEqual(workers.map((w) => workerStarted(w)?.workerId).sort());

    for (const w of workers) w.child.kill('SIGTERM');
    expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
  });

  it('a worker killed mid-job leaves the job to be failed as stale by the next worker', async () => {
    const { file, db } = sharedDb();
    await listJobs(db);
    const env = { NEURALFIN_STALE_JOB_SECONDS: '5' };
    const first = startWorker(file, env);
    const job = await enqueueJob(db, { kind: 'demo', payload: { steps: 1000, stepMs: 100 }, createdBy: null });
    await waitFor(async () => (await getJob(db, job.id))?.progress, 20_000, 'the job to report progress');
    first.child.kill('SIGKILL');
    await first.exited;
    const deadWorkerId = workerStarted(first)?.workerId as string;

    const second = startWorker(file, env);
    const failed = await waitFor(
      async () => {
        const j = await getJob(db, job.id);
        return j?.status === 'failed' ? j : undefined;
      },
      20_000,
      'the stale job to be failed',
    );
    expect(failed.error).toMatch(
      new RegExp(`^worker ${deadWorkerId} stopped responding; last heartbeat \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z$`),
    );
    expect(second.lines.some((l) => l.msg === 'job.stale_failed' && l.jobId === job.id)).toBe(true);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('SIGTERM stops a worker cleanly, failing its running job with the reason', async () => {
    const { file, db } = sharedDb();
    await listJobs(db);
    const w = startWorker(file);
    const job = await enqueueJob(db, { kind: 'demo', payload: { steps: 1000, stepMs: 100 }, createdBy: null });
    await waitFor(async () => (await getJob(db, job.id))?.progress, 20_000, 'the job to report progress');
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    const done = await getJob(db, job.id);
    expect(done?.status).toBe('failed');
    expect(done?.error).toMatch(/^worker \S+ stopped \(SIGTERM\) before the job finished/);
  });
});
