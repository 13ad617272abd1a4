// The real ULB / Worldline card-fraud sample ($NEURALFIN_DATA_DIR/creditcard_fraud_ulb): import with field errors for
// bad files (nothing stored), and training on a time-ordered split with the down-sampling note on every result.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importUlbSample, parseUlbCsv, ULB_SAMPLE_RELATIVE_PATH } from '../../lib/fraud/datasets';
import { scoreTransactions } from '../../lib/fraud/scoring';
import { type FraudTrainingReport, trainFraudModels } from '../../lib/fraud/training';
import { listDatasets } from '../../lib/store/repos/datasets';
import { openTempDb, type TempDb } from '../store/temp-db';
import { dataDir } from './helpers';

let t: TempDb;
let file: string;
let scratch: string;

beforeAll(() => {
  t = openTempDb();
  file = path.join(dataDir(), ULB_SAMPLE_RELATIVE_PATH);
  scratch = mkdtempSync(path.join(os.tmpdir(), 'neuralfin-ulb-'));
});
afterAll(async () => {
  await t.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

async function rowCount(): Promise<number> {
  const [r] = (await sql<{ n: number }>`select count(*) as n from fraud_transactions`.execute(t.db)).rows;
  return Number(r.n);
}

describe('ULB sample import', () => {
  it('rejects a malformed file with row and column, storing nothing', async () => {
    const lines = readFileSync(file, 'utf8').split('\n');
    const bad = (edit: (cells: string[]) => void, row = 3) => {
      const copy = [...lines];
      const cells = copy[row].split(',');
      edit(cells);
      copy[row] = cells.join(',');
      const p = path.join(scratch, `bad-${Math.random()}.csv`);
      writeFileSync(p, copy.join('\n'));
      return p;
    };
    const r1 = await importUlbSample(t.db, { file: bad((c) => (c[4] = 'abc')), createdBy: null });
    expect(r1).toEqual({ ok: false, errors: [{ row: 3, field: 'V3', message: "expected a number, got 'abc'" }] });
    const r2 = await importUlbSample(t.db, { file: bad((c) => (c[30] = '-4.5'), 10), createdBy: null });
    expect(r2).toMatchObject({
      ok: false,
      errors: [{ row: 10, field: 'Amount', message: 'must not be negative, got -4.5' }],
    });
    const r3 = await importUlbSample(t.db, { file: bad((c) => (c[31] = '2')), createdBy: null });
    expect(r3).toMatchObject({ ok: false, errors: [{ row: 3, field: 'Class', message: 'must be 0 or 1, got 2' }] });
    expect(parseUlbCsv('Time,Amount\n1,2\n')).toMatchObject({ ok: false, errors: [{ row: 0, field: '(header)' }] });
    const r4 = await importUlbSample(t.db, { file: path.join(scratch, 'missing.csv'), createdBy: null });
    expect(r4).toMatchObject({ ok: false, errors: [{ field: '(file)' }] });
    expect(await rowCount()).toBe(0);
    expect(await listDatasets(t.db)).toEqual([]);
  });

  it('imports 1,722 rows, 492 of them fraud, with the down-sampling note', async () => {
    const r = await importUlbSample(t.db, { file, createdBy: null });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.rows).toBe(1722);
    expect(r.frauds).toBe(492);
    expect(r.note).toMatch(/28\.6% fraud/);
    expect(await rowCount()).toBe(1722);
    const [ds] = await listDatasets(t.db, { kind: 'fraud' });
    expect(ds).toMatchObject({ rowCount: 1722, synthetic: false, meta: { note: expect.stringMatching(/0\.172%/) } });
  });
});

describe('training on the ULB sample', () => {
  let report: FraudTrainingReport;

  beforeAll(async () => {
    const [ds] = await listDatasets(t.db, { kind: 'fraud' });
    report = await trainFraudModels(
      t.db,
      {
        datasetId: ds.id,
        seeds: 2,
        epochs: 15,
        hiddenCandidates: [[16], [32, 16]],
        strategies: ['classWeights', 'focal'],
        alerts: null,
      },
      { createdBy: null },
    );
  });

  it('splits by time, says the data are down-sampled, and has no card precision', () => {
    expect(report.source).toBe('ulb');
    expect(report.note).toMatch(/28\.6% fraud/);
    const s = report.split;
    if (s.kind !== 'fractions') throw new Error('expected a fraction split');
    expect([s.train.rows, s.validation.rows, s.test.rows]).toEqual([1033, 344, 345]);
    expect(s.train.frauds + s.validation.frauds + s.test.frauds).toBe(492);
    expect(report.selection.method).toBe('holdout');
    expect(report.featureNames).toHaveLength(29);
    for (const m of report.models) expect(m.metrics.cardPrecisionAtK.mean).toBeNull();
  });

  it('ranks frauds far above chance with both the baseline and the net', () => {
    const byId = Object.fromEntries(report.models.map((m) => [m.id, m]));
    // PCA features separate this sample well (published AUCs are above 0.95); chance is 0.5
    expect(byId.logreg.metrics.auc.mean).toBeGreaterThan(0.9);
    expect(byId['ffn-classWeights'].metrics.auc.mean).toBeGreaterThan(0.9);
    expect(byId['ffn-classWeights'].metrics.auc.std).toBeLessThan(0.05);
    expect(byId['ffn-classWeights'].metrics.ap.mean).toBeGreaterThan(0.8);
  });

  it('cannot score new transactions, and says why', async () => {
    const r = await scoreTransactions(t.db, {
      modelId: report.modelId,
      transactions: [{ txId: 'x', customerId: 1, terminalId: 1, timestamp: '2013-09-01T10:00:00Z', amount: 1 }],
    });
    expect(r).toMatchObject({ ok: false, errors: [{ field: 'modelId', message: expect.stringMatching(/V1–V28/) }] });
  });
});
