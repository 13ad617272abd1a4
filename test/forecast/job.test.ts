// The 'forecast.backtest' job through the real worker loop on a temporary database: progress "fold i of k", the run
// stored with its model and audit row in one go, the saved model forecasting again; failures store nothing.

import { describe, expect, it } from 'vitest';
import { importPriceCsv } from '../../lib/data/import';
import { seedPriceSamples } from '../../lib/data/samples';
import { forecastWithSavedModel } from '../../lib/forecast/final';
import {
  createForecastBacktestJob,
  createForecastSaveJob,
  FORECAST_JOB_KIND,
  FORECAST_SAVE_JOB_KIND,
  type ForecastJobResult,
  type ForecastSaveJobResult,
} from '../../lib/jobs/forecast';
import { enqueueJob, getJob, listJobProgress, requestCancel } from '../../lib/jobs/queue';
import { listAudit } from '../../lib/store/repos/audit';
import { listDatasets } from '../../lib/store/repos/datasets';
import { getForecastRun, listForecastRuns } from '../../lib/store/repos/forecast';
import { getModel, listModels } from '../../lib/store/repos/models';
import { stockCsv } from '../data/data-dir';
import { workerPerTest } from '../helpers/jobs';
import { waitFor } from '../store/temp-db';

const t = workerPerTest({
  workerId: 'forecast-test',
  handlers: (db) => ({
    [FORECAST_JOB_KIND]: createForecastBacktestJob(() => db),
    [FORECAST_SAVE_JOB_KIND]: createForecastSaveJob(() => db),
  }),
});
const finished = t.finished;

async function stored() {
  return { runs: (await listForecastRuns(t.db)).length, models: (await listModels(t.db)).length };
}

describe('forecast.backtest job', () => {
  it('imports AAPL, runs a small LSTM backtest, stores the run and the model, and forecasts again from it', async () => {
    const { dataset } = await importPriceCsv(t.db, {
      name: 'AAPL',
      text: stockCsv('AAPL'),
      ticker: 'AAPL',
      createdBy: null,
    });
    const job = await enqueueJob(t.db, {
      kind: FORECAST_JOB_KIND,
      createdBy: null,
      payload: {
        datasetId: dataset.id,
        saveModel: true,
        horizon: 5,
        model: { type: 'lstm', hidden: 8, window: 10, epochs: 3 },
        walkForward: { trainSize: 300, retrainEvery: 100, maxFolds: 3 },
        seeds: [1, 2],
        trading: { costBp: 10, mode: 'longShort' },
      },
    });
    const done = await finished(job.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('succeeded');
    const result = done.result as ForecastJobResult;
    expect(result.modelId).not.toBeNull();

    const history = await listJobProgress(t.db, job.id);
    const messages = history.map((h) => h.progress.message ?? '');
    for (const fold of [1, 2, 3]) expect(messages.some((m) => m.includes(`fold ${fold} of 3`))).toBe(true);
    expect(history.some((h) => h.progress.epoch !== undefined && h.progress.loss !== undefined)).toBe(true);

    const run = (await getForecastRun(t.db, result.runId))!;
    expect(run).toMatchObject({
      datasetId: dataset.id,
      jobId: job.id,
      modelType: 'lstm',
      horizon: 5,
      modelId: result.modelId,
    });
    expect(run.name).toBe('LSTM · h5 · AAPL');
    expect(run.result.folds).toHaveLength(3);
    expect(run.result.dates).toHaveLength(300);
    expect(run.result.models.map((m) => m.id)).toEqual(['model', 'naive', 'drift', 'ar', 'ma']);
    expect(run.result.models[0].metrics.rmse.values).toHaveLength(2);
    expect(run.summary.seeds).toEqual([1, 2]);
    expect(run.summary.nextForecast?.asOf).toBe('2012-09-12');
    expect((await listForecastRuns(t.db, { datasetId: dataset.id })).map((r) => r.id)).toEqual([result.runId]);

    const model = (await getModel(t.db, result.modelId!))!;
    expect(model).toMatchObject({ kind: 'forecast', datasetId: dataset.id, jobId: job.id });
    const again = await forecastWithSavedModel(t.db, model.id);
    expect(again.asOf).toBe('2012-09-12');
    expect(again.targetDate).toBe('2012-09-19');
    expect(again.p50).toBeCloseTo(run.summary.nextForecast!.p50, 6);
    const audit = await listAudit(t.db, { action: 'forecast.run' });
    expect(audit.map((a) => a.objectId)).toEqual([result.runId]);
  });

  it("forecast.saveModel saves a finished run's forecaster without a new run, and refuses a second save", async () => {
    const { dataset } = await importPriceCsv(t.db, { name: 'MSFT', text: stockCsv('MSFT'), createdBy: null });
    const job = await enqueueJob(t.db, {
      kind: FORECAST_JOB_KIND,
      createdBy: null,
      payload: {
        datasetId: dataset.id,
        horizon: 5,
        model: { type: 'mlp', hidden: 8, epochs: 3 },
        walkForward: { trainSize: 300, retrainEvery: 100, maxFolds: 2 },
        seeds: [7, 8],
      },
    });
    const done = await finished(job.id);
    expect(done.error).toBeNull();
    const { runId, modelId } = done.result as ForecastJobResult;
    expect(modelId).toBeNull();
    expect(await stored()).toEqual({ runs: 1, models: 0 });
    const run = (await getForecastRun(t.db, runId))!;

    const save = await enqueueJob(t.db, { kind: FORECAST_SAVE_JOB_KIND, createdBy: null, payload: { runId } });
    const saved = await finished(save.id);
    expect(saved.error).toBeNull();
    expect(saved.status).toBe('succeeded');
    const result = saved.result as ForecastSaveJobResult;
    // no new run; the one model is linked to the run and its dataset
    expect(await stored()).toEqual({ runs: 1, models: 1 });
    expect((await getForecastRun(t.db, runId))!.modelId).toBe(result.modelId);
    const model = (await getModel(t.db, result.modelId))!;
    expect(model).toMatchObject({ kind: 'forecast', datasetId: dataset.id, jobId: save.id, name: run.name });
    expect(model.metrics.rmse as number).toBeCloseTo(run.summary.model.rmse.mean!, 12);
    const history = await listJobProgress(t.db, save.id);
    expect(history.some((h) => h.progress.stage === 'final')).toBe(true);
    expect(history.some((h) => h.progress.fold !== undefined)).toBe(false); // the backtest was not repeated

    // same settings, seed and window as the run's final forecaster: the same forecast (to 1e-6 in log return)
    const again = await forecastWithSavedModel(t.db, model.id);
    expect(again.asOf).toBe(run.summary.nextForecast!.asOf);
    expect(again.p50).toBeCloseTo(run.summary.nextForecast!.p50, 6);
    expect(again.p10).toBeCloseTo(run.summary.nextForecast!.p10, 6);
    expect(result.next.p50).toBeCloseTo(again.p50, 9);
    const audit = await listAudit(t.db, { action: 'forecast.saveModel' });
    expect(audit.map((a) => a.objectId)).toEqual([result.modelId]);

    const twice = await enqueueJob(t.db, { kind: FORECAST_SAVE_JOB_KIND, createdBy: null, payload: { runId } });
    expect((await finished(twice.id)).error).toMatch(/already has a saved model/);
    const missing = await enqueueJob(t.db, {
      kind: FORECAST_SAVE_JOB_KIND,
      createdBy: null,
      payload: { runId: 'nope' },
    });
    expect((await finished(missing.id)).error).toBe('forecast run nope does not exist');
    expect(await stored()).toEqual({ runs: 1, models: 1 });
  });

  it('fails with the reason and stores nothing when the data is too short', async () => {
    await seedPriceSamples(t.db);
    const ds = (await listDatasets(t.db, { kind: 'prices' }))[0];
    const job = await enqueueJob(t.db, {
      kind: FORECAST_JOB_KIND,
      createdBy: null,
      payload: { datasetId: ds.id, saveModel: true, model: { type: 'mlp' }, walkForward: { trainSize: 5000 } },
    });
    const done = await finished(job.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/^too few rows: the data has 2520 days, but the settings need at least 5022/);
    expect(await stored()).toEqual({ runs: 0, models: 0 });
  });

  it('refuses a bad payload with the field named', async () => {
    const job = await enqueueJob(t.db, {
      kind: FORECAST_JOB_KIND,
      createdBy: null,
      payload: { model: { type: 'mlp' } },
    });
    const done = await finished(job.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/invalid forecast payload[\s\S]*datasetId/);
    const job2 = await enqueueJob(t.db, { kind: FORECAST_JOB_KIND, createdBy: null, payload: { datasetId: 'nope' } });
    expect((await finished(job2.id)).error).toBe('dataset nope does not exist');
  });

  it('stops when cancelled and stores nothing', async () => {
    await seedPriceSamples(t.db);
    const ds = (await listDatasets(t.db, { kind: 'prices' }))[0];
    const job = await enqueueJob(t.db, {
      kind: FORECAST_JOB_KIND,
      createdBy: null,
      payload: { datasetId: ds.id, saveModel: true, model: { type: 'gru', hidden: 16, epochs: 200, patience: 200 } },
    });
    await waitFor(async () => (await getJob(t.db, job.id))?.progress?.epoch, 30_000, 'first epoch');
    await requestCancel(t.db, job.id, null);
    const done = await finished(job.id, 20_000);
    expect(done.status).toBe('cancelled');
    expect(await stored()).toEqual({ runs: 0, models: 0 });
  });
});
