import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAudit, withAudit, writeAudit } from '../../lib/store/repos/audit';
import { createDataset, deleteDataset, getDataset, listDatasets } from '../../lib/store/repos/datasets';
import {
  claimNextJob,
  failStaleJobs,
  finishJob,
  heartbeatJob,
  insertJob,
  recordJobProgress,
  selectJob,
  selectJobProgress,
} from '../../lib/store/repos/jobs';
import { createModel, deleteModel, getModel, getModelArtifact, listModels } from '../../lib/store/repos/models';
import {
  createSession,
  deleteExpiredSessions,
  deleteUserSessions,
  getSession,
  getSessionWithUser,
  touchSession,
} from '../../lib/store/repos/sessions';
import {
  countUsers,
  createUser,
  getUserByEmail,
  getUserById,
  listUsers,
  updateUser,
} from '../../lib/store/repos/users';
import { isUniqueViolation } from '../../lib/store/values';
import { openTempDb, type TempDb } from './temp-db';

let t: TempDb;
beforeEach(() => {
  t = openTempDb();
});
afterEach(async () => {
  await t.cleanup();
});

const alice = { email: ' Alice@Example.com ', name: 'Alice', role: 'risk' as const, passwordHash: 'scrypt$x' };

describe('users', () => {
  it('round-trips, normalises e-mail, rejects duplicates, updates', async () => {
    const u = await createUser(t.db, { ...alice, createdAt: 1000 });
    expect(u).toMatchObject({ email: 'alice@example.com', role: 'risk', disabled: false, createdAt: 1000 });
    expect(await getUserById(t.db, u.id)).toEqual(u);
    expect(await getUserByEmail(t.db, 'ALICE@example.com')).toEqual(u);
    const dup = await createUser(t.db, alice).catch((e: unknown) => e);
    expect(isUniqueViolation(dup)).toBe(true);
    const changed = await updateUser(t.db, u.id, { role: 'admin', disabled: true });
    expect(changed).toMatchObject({ role: 'admin', disabled: true, name: 'Alice' });
    expect(await updateUser(t.db, 'missing', { name: 'x' })).toBeUndefined();
    expect(await countUsers(t.db)).toBe(1);
    expect((await listUsers(t.db)).map((x) => x.id)).toEqual([u.id]);
  });
});

describe('sessions', () => {
  it('round-trips with the user, slides, expires and cascades on user delete', async () => {
    const u = await createUser(t.db, alice);
    const s = await createSession(t.db, { id: 'hash1', userId: u.id, expiresAt: 5000, now: 1000 });
    expect(s).toEqual({ id: 'hash1', userId: u.id, createdAt: 1000, expiresAt: 5000, lastSeenAt: 1000 });
    expect(await getSessionWithUser(t.db, 'hash1')).toEqual({ session: s, user: u });
    await touchSession(t.db, 'hash1', { lastSeenAt: 2000, expiresAt: 9000 });
    expect(await getSession(t.db, 'hash1')).toMatchObject({ lastSeenAt: 2000, expiresAt: 9000 });
    await createSession(t.db, { id: 'hash2', userId: u.id, expiresAt: 1500, now: 1000 });
    expect(await deleteExpiredSessions(t.db, 3000)).toBe(1);
    expect(await deleteUserSessions(t.db, u.id)).toBe(1);
    await createSession(t.db, { id: 'hash3', userId: u.id, expiresAt: 5000 });
    await t.db.deleteFrom('users').where('id', '=', u.id).execute();
    expect(await getSession(t.db, 'hash3')).toBeUndefined();
    expect(await getSessionWithUser(t.db, 'nope')).toBeUndefined();
  });
});

describe('audit', () => {
  it('writes entries and lists them newest first with filters', async () => {
    await writeAudit(t.db, { userId: 'u1', action: 'user.create', objectType: 'user', objectId: 'u2', at: 1 });
    await writeAudit(t.db, { userId: null, action: 'job.enqueue', detail: { kind: 'demo' }, requestId: 'r1', at: 2 });
    const all = await listAudit(t.db);
    expect(all.map((e) => e.action)).toEqual(['job.enqueue', 'user.create']);
    expect(all[0]).toMatchObject({ userId: null, detail: { kind: 'demo' }, requestId: 'r1', objectType: null, at: 2 });
    expect(await listAudit(t.db, { objectType: 'user', objectId: 'u2' })).toHaveLength(1);
    expect(await listAudit(t.db, { beforeId: all[0].id })).toHaveLength(1);
  });

  it('withAudit commits the change and its entry together, or neither', async () => {
    const u = await withAudit(
      t.db,
      (trx) => createUser(trx, alice),
      (created) => ({ userId: null, action: 'user.create', objectType: 'user', objectId: created.id }),
    );
    expect((await listAudit(t.db))[0]).toMatchObject({ action: 'user.create', objectId: u.id });

    const failed = withAudit(
      t.db,
      async (trx) => {
        await updateUser(trx, u.id, { name: 'Renamed' });
        throw new Error('validation failed after the update');
      },
      { userId: u.id, action: 'user.rename' },
    );
    await expect(failed).rejects.toThrow('validation failed');
    expect((await getUserById(t.db, u.id))?.name).toBe('Alice');
    expect(await listAudit(t.db, { action: 'user.rename' })).toEqual([]);
  });
});

describe('datasets and models', () => {
  it('round-trip; models keep existing when their dataset goes', async () => {
    const d = await createDataset(t.db, {
      kind: 'prices',
      name: 'Sample prices',
      source: 'generator:gbm seed=1',
      synthetic: true,
      rowCount: 500,
      meta: { symbols: ['AAA'] },
      createdBy: null,
      createdAt: 10,
    });
    expect(await getDataset(t.db, d.id)).toEqual(d);
    expect(await listDatasets(t.db, { kind: 'credit' })).toEqual([]);
    expect(await listDatasets(t.db, { kind: 'prices' })).toEqual([d]);

    const artifact = new Uint8Array([1, 2, 3, 250]);
    const m = await createModel(t.db, {
      kind: 'forecast',
      name: 'LSTM 1',
      datasetId: d.id,
      manifest: { arch: 'lstm', seed: 7 },
      metrics: { rmse: 0.5 },
      artifact,
      createdBy: null,
    });
    expect(await getModel(t.db, m.id)).toEqual(m);
    expect(Array.from((await getModelArtifact(t.db, m.id)) ?? [])).toEqual([1, 2, 3, 250]);
    expect(await listModels(t.db, { datasetId: d.id })).toEqual([m]);
    expect(await deleteDataset(t.db, d.id)).toBe(true);
    expect((await getModel(t.db, m.id))?.datasetId).toBeNull();
    expect(await deleteModel(t.db, m.id)).toBe(true);
    expect(await getModelArtifact(t.db, m.id)).toBeUndefined();
  });
});

describe('job rows', () => {
  it('claim takes the oldest queued job once, by kind; ownership guards every later write', async () => {
    const a = await insertJob(t.db, { kind: 'demo', payload: { steps: 1 }, createdBy: null, now: 1 });
    const b = await insertJob(t.db, { kind: 'other', payload: {}, createdBy: null, now: 0 });
    const claimed = await claimNextJob(t.db, { workerId: 'w1', kinds: ['demo'], now: 5 });
    expect(claimed).toMatchObject({ id: a.id, status: 'running', workerId: 'w1', attempts: 1, startedAt: 5 });
    expect(await claimNextJob(t.db, { workerId: 'w2', kinds: ['demo'] })).toBeUndefined();
    expect(await claimNextJob(t.db, { workerId: 'w2', kinds: [] })).toBeUndefined();
    expect((await selectJob(t.db, b.id))?.status).toBe('queued');

    expect(await recordJobProgress(t.db, { id: a.id, workerId: 'w2', progress: { epoch: 1 } })).toBe(false);
    expect(await recordJobProgress(t.db, { id: a.id, workerId: 'w1', progress: { epoch: 1, loss: 0.5 }, now: 6 })).toBe(
      true,
    );
    expect(await heartbeatJob(t.db, { id: a.id, workerId: 'w1', now: 7 })).toBe(true);
    expect(await selectJob(t.db, a.id)).toMatchObject({ progress: { epoch: 1, loss: 0.5 }, heartbeatAt: 7 });
    expect(await selectJobProgress(t.db, a.id)).toEqual([
      { id: expect.any(Number), at: 6, progress: { epoch: 1, loss: 0.5 } },
    ]);

    expect(await finishJob(t.db, { id: a.id, workerId: 'w2', status: 'succeeded', result: 1 })).toBe(false);
    expect(await finishJob(t.db, { id: a.id, workerId: 'w1', status: 'succeeded', result: { ok: 1 }, now: 9 })).toBe(
      true,
    );
    expect(await selectJob(t.db, a.id)).toMatchObject({ status: 'succeeded', result: { ok: 1 }, finishedAt: 9 });
  });

  it('failStaleJobs fails only running jobs whose heartbeat is too old, with the reason', async () => {
    const old = await insertJob(t.db, { kind: 'demo', payload: {}, createdBy: null, now: 0 });
    const fresh = await insertJob(t.db, { kind: 'demo', payload: {}, createdBy: null, now: 1 });
    await claimNextJob(t.db, { workerId: 'dead', kinds: ['demo'], now: 1000 });
    await claimNextJob(t.db, { workerId: 'alive', kinds: ['demo'], now: 1000 });
    await heartbeatJob(t.db, { id: fresh.id, workerId: 'alive', now: 9000 });
    const failed = await failStaleJobs(t.db, { staleMs: 5000, now: 10_000 });
    expect(failed.map((f) => f.id)).toEqual([old.id]);
    const job = await selectJob(t.db, old.id);
    expect(job?.status).toBe('failed');
    expect(job?.error).toBe('worker dead stopped responding; last heartbeat 1970-01-01T00:00:01.000Z');
    expect((await selectJob(t.db, fresh.id))?.status).toBe('running');
    // the dead worker cannot write over the verdict if it comes back
    expect(await finishJob(t.db, { id: old.id, workerId: 'dead', status: 'succeeded' })).toBe(false);
  });
});
