// The fraud job handlers run by a real worker loop: simulate then train end to end with progress, a bad payload
// failing with a message, and a cancelled simulation leaving nothing behind.

import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { fraudDashboard } from '../../lib/fraud/dashboard';
import type { FraudTrainingReport } from '../../lib/fraud/training';
import { alertQueue, changeAlert } from '../../lib/fraud/triage';
import { type FraudSimulateResult, makeFraudSimulateJob, makeFraudTrainJob } from '../../lib/jobs/fraud';
import { enqueueJob, listJobProgress, requestCancel } from '../../lib/jobs/queue';
import { listFraudDatasets } from '../../lib/store/repos/fraud';
import { workerPerTest } from '../helpers/jobs';
import { waitFor } from '../store/temp-db';

const t = workerPerTest({
  workerId: 'fraud-test-worker',
  handlers: (db) => {
    const deps = { db: () => db };
    return { 'fraud.simulate': makeFraudSimulateJob(deps), 'fraud.train': makeFraudTrainJob(deps) };
  },
});
const finished = t.finished;

describe('fraud jobs', () => {
  it('simulates a small dataset, then trains on it and raises alerts', async () => {
    const sim = await enqueueJob(t.db, {
      kind: 'fraud.simulate',
      payload: { preset: 'small', seed: 1, days: 25 },
      createdBy: null,
    });
    const simDone = await finished(sim.id);
    expect(simDone.status).toBe('succeeded');
    const simResult = simDone.result as FraudSimulateResult;
    expect(simResult.stats.days).toBe(25);
    expect(simResult.stats.transactions).toBeGreaterThan(8000);
    const simProgress = await listJobProgress(t.db, sim.id);
    expect(simProgress.length).toBeGreaterThan(0);
    expect(simProgress.at(-1)?.progress).toMatchObject({ stage: 'simulate', pct: 100 });

    const train = await enqueueJob(t.db, {
      kind: 'fraud.train',
      payload: {
        datasetId: simResult.datasetId,
        trainDays: 7,
        delayDays: 3,
        testDays: 5,
        seeds: 1,
        epochs: 2,
        hiddenCandidates: [[8]],
        strategies: ['classWeights'],
        alerts: { perDay: 3 },
      },
      createdBy: null,
    });
    const trainDone = await finished(train.id);
    expect(trainDone.error).toBeNull();
    const report = trainDone.result as FraudTrainingReport;
    expect(report.alerts).toMatchObject({ created: 15, perDay: 3 });
    expect(report.models.map((m) => m.id)).toEqual(['amount-rule', 'logreg', 'ffn-classWeights']);
    const stages = (await listJobProgress(t.db, train.id)).map((p) => p.progress.stage);
    expect(stages).toEqual(expect.arrayContaining(['load', 'test', 'alerts', 'done']));

    // the dashboard's figures after one decision
    const [first] = (await alertQueue(t.db, { datasetId: simResult.datasetId })).items;
    await changeAlert(t.db, { alertId: first.id, expectedVersion: 1, status: 'investigating' }, { userId: null });
    await changeAlert(t.db, { alertId: first.id, expectedVersion: 2, status: 'false_positive' }, { userId: null });
    const dash = await fraudDashboard(t.db, simResult.datasetId);
    expect(dash!.alertsPerDay.map((d) => d.total)).toEqual([3, 3, 3, 3, 3]);
    expect(dash!.alertsPerDay.reduce((s, d) => s + d.false_positive, 0)).toBe(1);
    expect(dash!.confirmedFraudShare).toEqual({ decided: 1, confirmed: 0, share: 0 });
    expect(dash!.cardPrecisionTrend).toHaveLength(1);
    expect(dash!.cardPrecisionTrend[0].cardPrecisionAtK).toBe(report.models[2].metrics.cardPrecisionAtK.mean);
    const bins = dash!.scoreHistogram!.bins;
    expect(bins).toHaveLength(20);
    // every transaction of the five test days was scored
    expect(bins.reduce((s, b) => s + b.fraud + b.genuine + b.unknown, 0)).toBeGreaterThan(1000);
  });

  it('fails a job with an invalid payload, naming the field', async () => {
    const job = await enqueueJob(t.db, {
      kind: 'fraud.train',
      payload: { datasetId: 'x', trainDays: -1 },
      createdBy: null,
    });
    const done = await finished(job.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/invalid fraud\.train payload.*trainDays/s);
    const sim = await enqueueJob(t.db, { kind: 'fraud.simulate', payload: { preset: 'huge' }, createdBy: null });
    expect((await finished(sim.id)).error).toMatch(/preset/);
  });

  it('leaves nothing behind when a simulation is cancelled', async () => {
    const job = await enqueueJob(t.db, {
      kind: 'fraud.simulate',
      payload: { preset: 'small', days: 400 },
      createdBy: null,
    });
    await waitFor(async () => (await listJobProgress(t.db, job.id)).length > 0, 30_000, 'first progress');
    await requestCancel(t.db, job.id, null);
    const done = await finished(job.id);
    expect(done.status).toBe('cancelled');
    expect(await listFraudDatasets(t.db)).toEqual([]);
    const [r] = (await sql<{ n: number }>`select count(*) as n from fraud_transactions`.execute(t.db)).rows;
    expect(Number(r.n)).toBe(0);
  });
});
