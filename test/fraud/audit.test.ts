// Every change the fraud library makes to the store leaves an audit row in the same transaction: a simulated or
// imported dataset, a trained model, ingested transactions (an all-duplicate batch changes nothing and has none).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importUlbSample, simulateFraudDataset, simulateLiveTransactions } from '../../lib/fraud/datasets';
import { ingestTransactions } from '../../lib/fraud/scoring';
import { trainFraudModels } from '../../lib/fraud/training';
import { listAudit } from '../../lib/store/repos/audit';
import { createUser } from '../../lib/store/repos/users';
import { openTempDb, type TempDb } from '../store/temp-db';

let t: TempDb;
let userId: string;
let datasetId: string;
let fraudDatasetId: string;
let modelId: string;
const NOW = Date.UTC(2018, 3, 23);

beforeAll(async () => {
  t = openTempDb();
  userId = (await createUser(t.db, { email: 'f@example.com', name: 'F', role: 'fraud', passwordHash: 'x' })).id;
  const { dataset } = await simulateFraudDataset(t.db, {
    preset: 'small',
    config: { seed: 3, days: 20 },
    createdBy: userId,
  });
  fraudDatasetId = dataset.id;
  datasetId = dataset.datasetId as string;
  const report = await trainFraudModels(
    t.db,
    {
      datasetId: fraudDatasetId,
      trainDays: 7,
      delayDays: 3,
      testDays: 5,
      hiddenCandidates: [[4]],
      strategies: ['classWeights'],
      seeds: 1,
      epochs: 1,
      alerts: null,
    },
    { createdBy: userId },
  );
  modelId = report.modelId;
});
afterAll(async () => {
  await t.cleanup();
});

describe('fraud audit trail', () => {
  it('records the simulated dataset and the trained model', async () => {
    const [created] = await listAudit(t.db, { action: 'dataset.create' });
    expect(created).toMatchObject({ userId, objectType: 'dataset', objectId: datasetId });
    const [model] = await listAudit(t.db, { action: 'model.create' });
    expect(model).toMatchObject({ userId, objectType: 'model', objectId: modelId, detail: { kind: 'fraud' } });
  });

  it('records an ingest that stored transactions, and not a repeat of it', async () => {
    const { transactions } = await simulateLiveTransactions(t.db, fraudDatasetId, { fromDay: 20, days: 1 });
    const batch = transactions.slice(0, 5);
    const policy = { mode: 'topK' as const, perDay: 1 };
    const first = await ingestTransactions(t.db, { modelId, transactions: batch, policy, userId, now: NOW });
    expect(first.ok).toBe(true);
    const again = await ingestTransactions(t.db, { modelId, transactions: batch, policy, userId, now: NOW });
    expect(again).toMatchObject({ ok: true, newTransactions: 0, duplicates: 5 });
    const audit = await listAudit(t.db, { action: 'fraud.ingest' });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      userId,
      objectType: 'fraud_dataset',
      objectId: fraudDatasetId,
      detail: { modelId, transactions: 5, duplicates: 0 },
    });
  });

  it('records an imported ULB file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'neuralfin-ulb-'));
    try {
      const header = ['', 'Time', ...Array.from({ length: 28 }, (_, i) => `V${i + 1}`), 'Amount', 'Class'];
      const row = (i: number, cls: number) => [i, i * 60, ...Array.from({ length: 28 }, () => 0.5), 12.5, cls];
      const file = path.join(dir, 'sample.csv');
      writeFileSync(file, [header, row(0, 0), row(1, 1), row(2, 0)].map((r) => r.join(',')).join('\n'));
      const r = await importUlbSample(t.db, { file, createdBy: userId });
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      const [imported] = await listAudit(t.db, { action: 'dataset.import' });
      expect(imported).toMatchObject({
        userId,
        objectType: 'dataset',
        objectId: r.dataset.datasetId,
        detail: { source: 'ulb', rows: 3, frauds: 1 },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
