// Triage: the alert queue and its filters, the status flow with notes, assignees and history, labels set by
// decisions, optimistic concurrency (the second of two changes gets a conflict and nothing is overwritten), and the
// one-alert-per-transaction constraint.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateFraudDataset } from '../../lib/fraud/datasets';
import { alertDetail, alertQueue, changeAlert } from '../../lib/fraud/triage';
import { listAudit } from '../../lib/store/repos/audit';
import {
  type FraudAlert,
  getAlert,
  getFraudTransaction,
  insertAlertIfAbsent,
  insertAlertStrict,
  loadTransactionColumns,
} from '../../lib/store/repos/fraud';
import { createUser } from '../../lib/store/repos/users';
import { isUniqueViolation } from '../../lib/store/values';
import { openTempDb, type TempDb } from '../store/temp-db';
import { TINY } from './helpers';

let t: TempDb;
let datasetId: string;
let alerts: FraudAlert[];
let ann: string;
let bob: string;

beforeAll(async () => {
  t = openTempDb();
  const { dataset } = await simulateFraudDataset(t.db, {
    preset: 'small',
    config: { ...TINY, days: 8 },
    createdBy: null,
  });
  datasetId = dataset.id;
  ann = (await createUser(t.db, { email: 'ann@x.test', name: 'Ann', role: 'fraud', passwordHash: 'x' })).id;
  bob = (await createUser(t.db, { email: 'bob@x.test', name: 'Bob', role: 'fraud', passwordHash: 'x' })).id;
  // alerts on 12 transactions of days 5 and 6 with scores 0.99, 0.98, …
  const cols = await loadTransactionColumns(t.db, datasetId);
  const picks: number[] = [];
  for (let i = 0; i < cols.n && picks.length < 12; i++) if (cols.day[i] === 5 || cols.day[i] === 6) picks.push(i);
  alerts = [];
  for (const [r, i] of picks.entries()) {
    const a = await insertAlertIfAbsent(t.db, {
      datasetId,
      transactionId: cols.id[i],
      modelId: null,
      score: 0.99 - r / 100,
      day: cols.day[i],
      reason: 'top_k',
      userId: null,
    });
    alerts.push(a!);
  }
});
afterAll(async () => {
  await t.cleanup();
});

describe('alertQueue', () => {
  it('lists alerts by descending score with filters', async () => {
    const all = await alertQueue(t.db, { datasetId });
    expect(all.total).toBe(12);
    expect(all.items.map((a) => a.score)).toEqual([...all.items.map((a) => a.score)].sort((p, q) => q - p));
    expect(all.items[0]).toMatchObject({ status: 'open', statusLabel: 'Open', version: 1, date: '2018-04-06' });

    const day6 = await alertQueue(t.db, { datasetId, day: 6 });
    expect(day6.items.every((a) => a.day === 6)).toBe(true);
    expect(day6.total + (await alertQueue(t.db, { datasetId, day: 5 })).total).toBe(12);

    const amounts = all.items.map((a) => a.amount).sort((p, q) => p - q);
    const mid = await alertQueue(t.db, { datasetId, minAmount: amounts[3], maxAmount: amounts[8] });
    expect(mid.items.every((a) => a.amount >= amounts[3] && a.amount <= amounts[8])).toBe(true);
    expect(mid.total).toBeGreaterThanOrEqual(6);

    const term = all.items[4].terminalId!;
    const byTerminal = await alertQueue(t.db, { datasetId, terminalId: term });
    expect(byTerminal.items.length).toBeGreaterThan(0);
    expect(byTerminal.items.every((a) => a.terminalId === term)).toBe(true);

    const page = await alertQueue(t.db, { datasetId, limit: 5, offset: 5 });
    expect(page.items.map((a) => a.id)).toEqual(all.items.slice(5, 10).map((a) => a.id));
  });
});

describe('changeAlert', () => {
  it('follows open → investigating → confirmed fraud with notes, assignee, history, labels and audit', async () => {
    const a = alerts[0];
    const tx0 = await getFraudTransaction(t.db, a.transactionId);
    const skip = await changeAlert(
      t.db,
      { alertId: a.id, expectedVersion: 1, status: 'confirmed_fraud' },
      { userId: ann },
    );
    expect(skip).toMatchObject({ ok: false, error: { kind: 'invalid_transition', allowed: ['investigating'] } });

    const r1 = await changeAlert(
      t.db,
      { alertId: a.id, expectedVersion: 1, status: 'investigating', assigneeId: ann, note: 'card holder called' },
      { userId: ann },
    );
    expect(r1.ok).toBe(true);
    const r2 = await changeAlert(
      t.db,
      { alertId: a.id, expectedVersion: 2, status: 'confirmed_fraud', note: 'confirmed by phone' },
      { userId: ann },
    );
    if (!r2.ok) throw new Error(r2.error.message);
    expect(r2.alert).toMatchObject({ status: 'confirmed_fraud', version: 3, assigneeId: ann });
    expect(r2.history.map((h) => [h.fromStatus, h.toStatus, h.note, h.userName, h.version])).toEqual([
      [null, 'open', expect.stringContaining('top-k'), null, 1],
      ['open', 'investigating', 'card holder called', 'Ann', 2],
      ['investigating', 'confirmed_fraud', 'confirmed by phone', 'Ann', 3],
    ]);
    expect(await getFraudTransaction(t.db, a.transactionId)).toMatchObject({ label: 1, labelSource: 'triage' });
    const audit = await listAudit(t.db, { objectType: 'fraud_alert', objectId: a.id });
    expect(audit.map((e) => e.action)).toEqual(['fraud.alert.change', 'fraud.alert.change']);

    // reopening restores the label the transaction had before the decision
    const r3 = await changeAlert(
      t.db,
      { alertId: a.id, expectedVersion: 3, status: 'investigating', note: 'wrong card' },
      { userId: bob },
    );
    expect(r3.ok).toBe(true);
    expect(await getFraudTransaction(t.db, a.transactionId)).toMatchObject({
      label: tx0!.label,
      labelSource: 'simulator',
    });
    const r4 = await changeAlert(
      t.db,
      { alertId: a.id, expectedVersion: 4, status: 'false_positive' },
      { userId: bob },
    );
    expect(r4.ok).toBe(true);
    expect(await getFraudTransaction(t.db, a.transactionId)).toMatchObject({ label: 0, labelSource: 'triage' });
  });

  it('gives the second of two concurrent changes a conflict and overwrites nothing', async () => {
    const a = alerts[1];
    const [first, second] = await Promise.all([
      changeAlert(
        t.db,
        { alertId: a.id, expectedVersion: 1, status: 'investigating', assigneeId: ann, note: 'mine' },
        { userId: ann },
      ),
      changeAlert(
        t.db,
        { alertId: a.id, expectedVersion: 1, status: 'investigating', assigneeId: bob, note: 'no, mine' },
        { userId: bob },
      ),
    ]);
    expect(first.ok).toBe(true);
    expect(second.ok).toBe(false);
    if (second.ok) return;
    expect(second.error.kind).toBe('conflict');
    expect(second.error.message).toMatch(/changed by Ann .* version 2\)\. Your change was not saved/);
    const now = await getAlert(t.db, a.id);
    expect(now).toMatchObject({ status: 'investigating', assigneeId: ann, version: 2 });
    const detail = await alertDetail(t.db, a.id);
    expect(detail!.history.map((h) => h.note)).toEqual([expect.any(String), 'mine']);

    // a stale version stays a conflict; the current one works
    const stale = await changeAlert(t.db, { alertId: a.id, expectedVersion: 1, note: 'late' }, { userId: bob });
    expect(stale).toMatchObject({ ok: false, error: { kind: 'conflict' } });
    const fresh = await changeAlert(
      t.db,
      { alertId: a.id, expectedVersion: 2, assigneeId: bob, note: 'handing over' },
      { userId: ann },
    );
    expect(fresh).toMatchObject({ ok: true, alert: { status: 'investigating', assigneeId: bob, version: 3 } });
    expect((await alertQueue(t.db, { datasetId, assigneeId: bob })).items.map((i) => i.id)).toEqual([a.id]);
    expect((await alertQueue(t.db, { datasetId, status: 'investigating' })).total).toBe(1);
  });

  it('rejects invalid changes with field messages and changes nothing', async () => {
    const a = alerts[2];
    const r1 = await changeAlert(t.db, { alertId: a.id, expectedVersion: 1 }, { userId: ann });
    expect(r1).toMatchObject({ ok: false, error: { kind: 'invalid', fields: [{ field: 'status' }] } });
    const r2 = await changeAlert(t.db, { alertId: a.id, expectedVersion: 1, assigneeId: 'nobody' }, { userId: ann });
    expect(r2).toMatchObject({ ok: false, error: { kind: 'invalid', fields: [{ field: 'assigneeId' }] } });
    // an active user whose role cannot open fraud alerts is no assignee either
    const analyst = await createUser(t.db, { email: 'al@x.test', name: 'Al', role: 'analyst', passwordHash: 'x' });
    const r2b = await changeAlert(t.db, { alertId: a.id, expectedVersion: 1, assigneeId: analyst.id }, { userId: ann });
    expect(r2b).toMatchObject({
      ok: false,
      error: { kind: 'invalid', fields: [{ field: 'assigneeId', message: 'Al (analyst) cannot open fraud alerts' }] },
    });
    const r3 = await changeAlert(t.db, { alertId: a.id, expectedVersion: 0, status: 'investigating' } as never, {
      userId: ann,
    });
    expect(r3).toMatchObject({ ok: false, error: { kind: 'invalid', fields: [{ field: 'expectedVersion' }] } });
    const r4 = await changeAlert(
      t.db,
      { alertId: 'missing', expectedVersion: 1, status: 'investigating' },
      { userId: ann },
    );
    expect(r4).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect(await getAlert(t.db, a.id)).toMatchObject({ status: 'open', version: 1 });
  });
});

describe('one alert per transaction', () => {
  it('is enforced by a unique constraint, and raising twice is a no-op', async () => {
    const a = alerts[3];
    const again = await insertAlertIfAbsent(t.db, {
      datasetId,
      transactionId: a.transactionId,
      modelId: null,
      score: 0.5,
      day: a.day,
      reason: 'threshold',
      userId: null,
    });
    expect(again).toBeNull();
    const err = await insertAlertStrict(t.db, {
      datasetId,
      transactionId: a.transactionId,
      score: 0.5,
      day: a.day,
    }).catch((e) => e);
    expect(isUniqueViolation(err)).toBe(true);
    expect((await alertQueue(t.db, { datasetId })).total).toBe(12);
  });
});

describe('alertDetail', () => {
  it('shows the transaction, the customer’s recent history and the simulated truth', async () => {
    const a = alerts[5];
    const d = await alertDetail(t.db, a.id);
    expect(d).toBeDefined();
    expect(d!.transaction.id).toBe(a.transactionId);
    expect(d!.alert.allowedNext).toEqual(['investigating']);
    expect(d!.customer).not.toBeNull();
    expect(d!.customerHistory.length).toBeGreaterThan(0);
    expect(
      d!.customerHistory.every((h) => h.customerId === d!.transaction.customerId && h.time <= d!.transaction.time),
    ).toBe(true);
    expect([0, 1, 2, 3]).toContain(d!.simulatedScenario);
    // no model on these alerts: no drivers, and a note saying why
    expect(d!.drivers).toBeNull();
    expect(d!.driversNote).toMatch(/deleted/);
    expect(await alertDetail(t.db, 'missing')).toBeUndefined();
  });
});
