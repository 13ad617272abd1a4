// The 'credit.train' job through the worker: progress per fold and epoch, a saved model that scores, clear failures
// for bad payloads, and cancellation that stores nothing.

import { describe, expect, it } from 'vitest';
import { loadCreditModel } from '../../lib/credit/creditModels';
import { CREDIT_SAMPLE, seedCreditSample } from '../../lib/credit/sample';
import { applicationForm, scoreApplication } from '../../lib/credit/scoring';
import { CREDIT_TRAIN_JOB_KIND, type CreditTrainJobResult, createCreditTrainJob } from '../../lib/jobs/credit';
import { jobHandlers } from '../../lib/jobs/handlers';
import { enqueueJob, listJobProgress, requestCancel } from '../../lib/jobs/queue';
import { listAudit } from '../../lib/store/repos/audit';
import { listDatasets } from '../../lib/store/repos/datasets';
import { listModels } from '../../lib/store/repos/models';
import { workerPerTest } from '../helpers/jobs';
import { waitFor } from '../store/temp-db';

let datasetId: string;

const t = workerPerTest({
  workerId: 'credit-test-worker',
  handlers: (db) => ({ [CREDIT_TRAIN_JOB_KIND]: createCreditTrainJob(() => db) }),
  prepare: async (db) => {
    await seedCreditSample(db);
    datasetId = (await listDatasets(db, { kind: 'credit' })).find((d) => d.source === CREDIT_SAMPLE.source)!.id;
  },
});
const finished = t.finished;

describe('credit.train job', () => {
  it('is registered with the worker', () => {
    expect(jobHandlers[CREDIT_TRAIN_JOB_KIND]).toBeTypeOf('function');
  });

  it('trains, reports progress per fold and epoch, saves a model that scores', async () => {
    const job = await enqueueJob(t.db, {
      kind: CREDIT_TRAIN_JOB_KIND,
      payload: { datasetId, modelKind: 'mlp', folds: 3, seeds: 1, baselines: ['logistic'], name: 'sample MLP' },
      createdBy: null,
    });
    const done = await finished(job.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    const result = done.result as CreditTrainJobResult;
    expect(result.name).toBe('sample MLP');
    expect(result.report.models.map((m) => m.kind)).toEqual(['mlp', 'logistic']);
    expect(result.report.headline.auc.mean).toBeGreaterThan(0.7);
    const progress = (await listJobProgress(t.db, job.id)).map((p) => p.progress);
    expect(progress.some((p) => p.stage === 'cv' && p.fold === 3 && p.folds === 3)).toBe(true);
    expect(progress.some((p) => p.epoch !== undefined && p.loss !== undefined)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ stage: 'saved', pct: 100 });
    const models = await listModels(t.db, { kind: 'credit' });
    expect(models.map((m) => m.id)).toEqual([result.modelId]);
    expect(models[0]).toMatchObject({ jobId: job.id, datasetId });
    expect((await listAudit(t.db, { action: 'model.create' }))[0].objectId).toBe(result.modelId);
    const model = (await loadCreditModel(t.db, result.modelId))!;
    const input = Object.fromEntries(applicationForm(model).map((f) => [f.name, f.typical]));
    const scored = scoreApplication(model, input);
    expect(scored.ok).toBe(true);
  });

  it('fails with a clear message for a bad payload or a target that does not fit', async () => {
    const bad = await enqueueJob(t.db, {
      kind: CREDIT_TRAIN_JOB_KIND,
      payload: { datasetId, folds: 1 },
      createdBy: null,
    });
    expect((await finished(bad.id)).error).toMatch(/invalid credit.train payload[\s\S]*folds/);
    const missing = await enqueueJob(t.db, {
      kind: CREDIT_TRAIN_JOB_KIND,
      payload: { datasetId: 'nope' },
      createdBy: null,
    });
    expect((await finished(missing.id)).error).toBe('There is no dataset nope.');
    const target = await enqueueJob(t.db, {
      kind: CREDIT_TRAIN_JOB_KIND,
      payload: { datasetId, target: 'housing', badValue: 'castle' },
      createdBy: null,
    });
    expect((await finished(target.id)).error).toMatch(/No row has "housing" = "castle"/);
    expect(await listModels(t.db, { kind: 'credit' })).toEqual([]);
  });

  it('stops when cancelled and stores no model', async () => {
    const job = await enqueueJob(t.db, {
      kind: CREDIT_TRAIN_JOB_KIND,
      payload: { datasetId, modelKind: 'mlp', folds: 5, seeds: 3, hyper: { lr: 0.0003, patience: 200 } },
      createdBy: null,
    });
    await waitFor(
      async () => (await listJobProgress(t.db, job.id)).some((p) => p.progress.epoch !== undefined),
      30_000,
      'first epoch',
    );
    await requestCancel(t.db, job.id, null);
    const done = await finished(job.id, 20_000);
    expect(done.status).toBe('cancelled');
    expect(await listModels(t.db, { kind: 'credit' })).toEqual([]);
  });
});
