import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueJob, getJob, listJobs, requestCancel } from '../../lib/jobs/queue';
import { listAudit } from '../../lib/store/repos/audit';
import { claimNextJob } from '../../lib/store/repos/jobs';
import { createUser } from '../../lib/store/repos/users';
import { openTempDb, type TempDb } from '../store/temp-db';

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
});
afterEach(async () => {
  await t.cleanup();
});

describe('job queue', () => {
  it('enqueues (audited), reads and lists newest first with filters', async () => {
    const u = await createUser(t.db, { email: 'a@x.io', name: 'A', role: 'analyst', passwordHash: 'h' });
    const j1 = await enqueueJob(t.db, { kind: 'demo', payload: { steps: 3 }, createdBy: u.id, requestId: 'req-1' });
    await new Promise((r) => setTimeout(r, 2));
    const j2 = await enqueueJob(t.db, { kind: 'other', payload: null, createdBy: null });
    expect(j1).toMatchObject({ status: 'queued', payload: { steps: 3 }, attempts: 0, cancelRequested: false });
    expect(await getJob(t.db, j1.id)).toEqual(j1);
    expect(await getJob(t.db, 'missing')).toBeUndefined();

    expect((await listJobs(t.db)).map((j) => j.id)).toEqual([j2.id, j1.id]);
    expect((await listJobs(t.db, { kind: 'demo' })).map((j) => j.id)).toEqual([j1.id]);
    expect((await listJobs(t.db, { createdBy: u.id })).map((j) => j.id)).toEqual([j1.id]);
    expect(await listJobs(t.db, { status: ['running', 'failed'] })).toEqual([]);
    expect((await listJobs(t.db, { limit: 1, offset: 1 })).map((j) => j.id)).toEqual([j1.id]);
    expect(await listJobs(t.db, { status: [] })).toEqual([]);

    const audit = await listAudit(t.db, { action: 'job.enqueue' });
    expect(audit.map((a) => [a.objectId, a.userId, a.requestId])).toEqual([
      [j2.id, null, null],
      [j1.id, u.id, 'req-1'],
    ]);
  });

  it('cancels a queued job at once, flags a running one, leaves finished ones', async () => {
    const queued = await enqueueJob(t.db, { kind: 'demo', payload: {}, createdBy: null });
    const cancelled = await requestCancel(t.db, queued.id, null, 'req-2');
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancelRequested: true,
      error: 'cancelled before it started',
    });

    const running = await enqueueJob(t.db, { kind: 'demo', payload: {}, createdBy: null });
    await claimNextJob(t.db, { workerId: 'w', kinds: ['demo'] });
    expect(await requestCancel(t.db, running.id, null)).toMatchObject({ status: 'running', cancelRequested: true });

    expect(await requestCancel(t.db, queued.id, null)).toMatchObject({ status: 'cancelled' });
    expect(await requestCancel(t.db, 'missing', null)).toBeUndefined();
    const audit = await listAudit(t.db, { action: 'job.cancel' });
    expect(audit).toHaveLength(3);
    expect(audit[2]).toMatchObject({
      objectId: queued.id,
      requestId: 'req-2',
      detail: { statusBefore: 'queued', statusAfter: 'cancelled' },
    });
  });
});
