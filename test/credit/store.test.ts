// The credit workflow against a real (temporary) database: importing files (all or nothing), seeding the synthetic
// sample once, saving and loading a model, recording decisions with their audit rows, and monitoring.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCreditDataset, loadCreditTable } from '../../lib/credit/creditDatasets';
import {
  getCreditModelReport,
  listCreditModels,
  loadCreditModel,
  saveCreditModel,
} from '../../lib/credit/creditModels';
import { monitorCreditModel, storeBatchDecisions, storeDecision } from '../../lib/credit/decisions';
import { CREDIT_SAMPLE, generateCreditSample, seedCreditSample } from '../../lib/credit/sample';
import { applicationForm, scoreApplication, scoreApplicationsCsv } from '../../lib/credit/scoring';
import { trainCreditModel } from '../../lib/credit/training';
import { listAudit } from '../../lib/store/repos/audit';
import { listCreditDecisions } from '../../lib/store/repos/credit';
import { listDatasets } from '../../lib/store/repos/datasets';
import { createUser } from '../../lib/store/repos/users';
import { openTempDb, type TempDb } from '../store/temp-db';
import { germanFile } from './helpers';

let t: TempDb;
let userId: string;

beforeAll(async () => {
  t = openTempDb();
  userId = (await createUser(t.db, { email: 'risk@test', name: 'Risk', role: 'risk', passwordHash: 'x' })).id;
});
afterAll(async () => {
  await t.cleanup();
});

async function counts() {
  const rows = await t.db
    .selectFrom('credit_applications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { datasets: (await listDatasets(t.db)).length, rows: Number(rows.n), audit: (await listAudit(t.db)).length };
}

describe('importCreditDataset', () => {
  it('stores both German files as 1000 rows / 300 bad, readable back as the same table', async () => {
    const a = await importCreditDataset(t.db, {
      text: germanFile('german.csv'),
      name: 'German Credit (coded)',
      source: 'german.csv',
      target: 'class',
      badValue: 'bad',
      createdBy: userId,
    });
    const b = await importCreditDataset(t.db, {
      text: germanFile('credit-g.csv'),
      name: 'German Credit (named)',
      source: 'credit-g.csv',
      target: 'class',
      badValue: 'bad',
      createdBy: userId,
    });
    if (!a.ok || !b.ok) throw new Error('import failed');
    expect(a.dataset).toMatchObject({ kind: 'credit', rowCount: 1000, synthetic: false });
    expect(a.meta).toMatchObject({ bads: 300, goods: 700, germanCoded: true, target: 'class', badValue: 'bad' });
    const la = await loadCreditTable(t.db, a.dataset.id);
    const lb = await loadCreditTable(t.db, b.dataset.id);
    if (!la.ok || !lb.ok) throw new Error('load failed');
    expect(la.table.rows).toEqual(lb.table.rows);
    expect(la.table.rows).toEqual(a.table.rows);
    expect(la.table.y.reduce((s, v) => s + v, 0)).toBe(300);
    const audit = await listAudit(t.db, { action: 'dataset.import' });
    expect(audit.map((e) => e.objectId).sort()).toEqual([a.dataset.id, b.dataset.id].sort());
    // overriding the target when reading back: a column with one class is refused
    const one = await loadCreditTable(t.db, b.dataset.id, { target: 'foreign_worker', badValue: 'maybe' });
    expect(!one.ok && one.errors[0].message).toMatch(/No row has "foreign_worker" = "maybe"/);
  });

  it('writes nothing for a bad file: no target column, one class, non-numeric cells', async () => {
    const before = await counts();
    const noTarget = await importCreditDataset(t.db, {
      text: 'age,housing\n30,own\n40,rent\n',
      name: 'x',
      source: 'x.csv',
      target: 'default',
      badValue: 'yes',
      createdBy: userId,
    });
    expect(!noTarget.ok && noTarget.errors[0].message).toBe(
      'The file has no column "default". Its columns are: age, housing.',
    );
    const oneClass = await importCreditDataset(t.db, {
      text: 'age,default\n30,no\n40,no\n',
      name: 'x',
      source: 'x.csv',
      target: 'default',
      badValue: 'no',
      createdBy: userId,
    });
    expect(oneClass.ok).toBe(false);
    const word = await importCreditDataset(t.db, {
      text: 'age,default\n30,no\n40,yes\nold,no\n',
      name: 'x',
      source: 'x.csv',
      target: 'default',
      badValue: 'yes',
      kinds: { age: 'numeric' },
      createdBy: userId,
    });
    expect(!word.ok && word.errors).toEqual([
      { row: 3, line: 4, field: 'age', message: 'Line 4: "age" should be a number, got "old".' },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('seeds the synthetic sample once, labelled synthetic', async () => {
    expect(await seedCreditSample(t.db)).toEqual([`dataset: ${CREDIT_SAMPLE.name}`]);
    expect(await seedCreditSample(t.db)).toEqual([]);
    const sample = (await listDatasets(t.db, { kind: 'credit' })).filter((d) => d.source === CREDIT_SAMPLE.source);
    expect(sample).toHaveLength(1);
    expect(sample[0]).toMatchObject({ synthetic: true, rowCount: CREDIT_SAMPLE.rows });
    const bads = (sample[0].meta as { bads: number }).bads;
    // about a fifth of the synthetic applications default
    expect(bads / CREDIT_SAMPLE.rows).toBeGreaterThan(0.12);
    expect(bads / CREDIT_SAMPLE.rows).toBeLessThan(0.3);
  });
});

describe('models, decisions and monitoring', () => {
  let modelId: string;

  beforeAll(async () => {
    const ds = (await listDatasets(t.db, { kind: 'credit' })).find((d) => d.source === CREDIT_SAMPLE.source)!;
    const loaded = await loadCreditTable(t.db, ds.id);
    if (!loaded.ok) throw new Error('load failed');
    const trained = await trainCreditModel(loaded.table, {
      kind: 'logistic',
      folds: 3,
      seeds: [1],
      baselines: [],
      dataset: { id: ds.id, name: ds.name, source: ds.source, synthetic: true },
    });
    modelId = (
      await saveCreditModel(t.db, trained, { name: 'sample LR', datasetId: ds.id, jobId: null, createdBy: userId })
    ).id;
  });

  it('saves the model with its metrics and audit row and loads it for scoring', async () => {
    const listed = await listCreditModels(t.db);
    expect(listed.map((m) => m.id)).toContain(modelId);
    const stored = listed.find((m) => m.id === modelId)!;
    expect(stored.metrics.auc).toBeGreaterThan(0.7);
    const report = await getCreditModelReport(t.db, modelId);
    expect(report?.card.data.synthetic).toBe(true);
    expect(report?.card.limitations.join(' ')).toMatch(/synthetic/);
    expect(report?.report.charts.roc.length).toBeGreaterThan(10);
    expect((await listAudit(t.db, { action: 'model.create' }))[0].objectId).toBe(modelId);
    const model = await loadCreditModel(t.db, modelId);
    expect(model?.name).toBe('sample LR');
    expect(await loadCreditModel(t.db, 'no-such-model')).toBeUndefined();
  });

  it('stores each decision with input, model, user and time, and its audit row in the same transaction', async () => {
    const model = (await loadCreditModel(t.db, modelId))!;
    const input = Object.fromEntries(applicationForm(model).map((f) => [f.name, f.typical]));
    const result = scoreApplication(model, { ...input, previous_defaults: 2, checking_balance: 'negative' });
    if (!result.ok) throw new Error('scoring failed');
    const before = Date.now();
    const d = await storeDecision(t.db, model, result, { userId, requestId: 'req-1' });
    expect(d).toMatchObject({ modelId, modelName: 'sample LR', userId, decision: result.decision, source: 'form' });
    expect(d.createdAt).toBeGreaterThanOrEqual(before);
    expect(d.input).toEqual(result.values);
    const audit = await listAudit(t.db, { action: 'credit.decision' });
    expect(audit[0]).toMatchObject({ objectId: d.id, userId, requestId: 'req-1' });
  });

  it('stores a batch in one go and monitors stability and fairness of what was scored', async () => {
    const model = (await loadCreditModel(t.db, modelId))!;
    // applications like the training ones (another seed of the same generator)
    const batch = scoreApplicationsCsv(model, generateCreditSample({ rows: 400, seed: 1234 }));
    if (!batch.ok) throw new Error('batch failed');
    const { batchId, stored } = await storeBatchDecisions(t.db, model, batch, { userId });
    expect(stored).toBe(400);
    expect(await listCreditDecisions(t.db, { batchId })).toHaveLength(400);
    expect((await listAudit(t.db, { action: 'credit.batch' }))[0].detail).toMatchObject({ stored: 400, rows: 400 });
    const since = Date.now() - 60_000;
    const report = await monitorCreditModel(t.db, model, { since });
    expect(report.decisions).toBe(401);
    // same generator → the score and every feature stay stable
    expect(report.stability.score?.band).toBe('stable');
    expect(report.stability.features.every((f) => f.psi < 0.1)).toBe(true);
    expect(report.fairness[0]?.attribute).toBe('age band (from age)');

    // a shifted population: everyone has a negative balance and two past defaults
    const shifted = generateCreditSample({ rows: 300, seed: 77 })
      .replace(/,(low|moderate|high|no account),(north|south|east|west),/g, ',negative,$2,')
      .replace(/,(0|1),(negative),/g, ',2,$2,');
    const b2 = scoreApplicationsCsv(model, shifted);
    if (!b2.ok) throw new Error('batch failed');
    await storeBatchDecisions(t.db, model, b2, { userId });
    const after = await monitorCreditModel(t.db, model, { since });
    const byName = Object.fromEntries(after.stability.features.map((f) => [f.name, f]));
    expect(byName.checking_balance.band).toBe('significant shift');
    expect(byName.previous_defaults.band).toBe('significant shift');
    expect(after.stability.score?.psi).toBeGreaterThan(report.stability.score?.psi ?? 0);
  });
});
