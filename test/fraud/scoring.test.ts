// Scoring with a stored model: field errors for bad input with nothing stored, previews, idempotent ingestion (the
// same transaction twice makes one row and one alert), daily budgets, history lookup and score explanations.

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateFraudDataset, simulateLiveTransactions, type TransactionInput } from '../../lib/fraud/datasets';
import { handbookFeaturesForNewRows } from '../../lib/fraud/features';
import { loadFraudScorer } from '../../lib/fraud/model-store';
import { explainScore, ingestTransactions, loadHistoryFor, scoreTransactions } from '../../lib/fraud/scoring';
import { trainFraudModels } from '../../lib/fraud/training';
import { alertDetail } from '../../lib/fraud/triage';
import { openTempDb, type TempDb } from '../store/temp-db';

let t: TempDb;
let datasetId: string;
let modelId: string;
let live: TransactionInput[];
// after the simulated history: day 20 is 2018-04-21
const NOW = Date.UTC(2018, 3, 23);

beforeAll(async () => {
  t = openTempDb();
  const { dataset } = await simulateFraudDataset(t.db, {
    preset: 'small',
    config: { seed: 1, days: 20 },
    createdBy: null,
  });
  datasetId = dataset.id;
  const report = await trainFraudModels(
    t.db,
    {
      datasetId,
      trainDays: 7,
      delayDays: 3,
      testDays: 5,
      hiddenCandidates: [[8]],
      strategies: ['classWeights'],
      seeds: 1,
      epochs: 2,
      alerts: null,
    },
    { createdBy: null },
  );
  modelId = report.modelId;
  live = (await simulateLiveTransactions(t.db, datasetId, { fromDay: 20, days: 1 })).transactions;
});
afterAll(async () => {
  await t.cleanup();
});

async function count(table: 'fraud_transactions' | 'fraud_alerts' | 'fraud_scores'): Promise<number> {
  const [r] = (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.db)).rows;
  return Number(r.n);
}

describe('bad input', () => {
  it('returns field errors for every problem and stores nothing', async () => {
    const before = await Promise.all([count('fraud_transactions'), count('fraud_alerts'), count('fraud_scores')]);
    const good = live[0];
    const bad: unknown[] = [
      good,
      { txId: 'b1', customerId: 1, terminalId: 2, timestamp: '2018-04-21T10:00:00Z' }, // amount missing
      { ...good, txId: 'b2', amount: -5 },
      { ...good, txId: 'b3', terminalId: 99_999 },
      { ...good, txId: 'b4', customerId: 88_888 },
      { ...good, txId: 'b5', timestamp: 'yesterday' },
      { ...good, txId: 'b6', timestamp: '2018-02-30T10:00:00Z' },
      { ...good, txId: 'b7', timestamp: '2017-01-01T00:00:00Z' },
      { ...good, txId: 'b8', timestamp: '2030-01-01T00:00:00Z' },
      { ...good, txId: 'b9', customerId: 'seven' },
      { ...good, amount: good.amount + 1 }, // same id as row 0, different amount
    ];
    const r = await ingestTransactions(t.db, {
      modelId,
      transactions: bad,
      policy: { mode: 'threshold', threshold: 0 },
      userId: null,
      now: NOW,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const got = r.errors.map((e) => [e.row, e.field]);
    expect(got).toEqual([
      [1, 'amount'],
      [2, 'amount'],
      [3, 'terminalId'],
      [4, 'customerId'],
      [5, 'timestamp'],
      [6, 'timestamp'],
      [7, 'timestamp'],
      [8, 'timestamp'],
      [9, 'customerId'],
      [10, 'txId'],
    ]);
    const msg = (row: number) => r.errors.find((e) => e.row === row)!.message;
    expect(msg(1)).toBe('is required');
    expect(msg(2)).toBe('must not be negative, got -5');
    expect(msg(3)).toMatch(/terminal 99999 is not known/);
    expect(msg(6)).toMatch(/not a real date/);
    expect(msg(7)).toMatch(/before the dataset begins/);
    expect(msg(8)).toMatch(/in the future/);
    expect(msg(10)).toMatch(/used by row 0 with different fields/);
    expect(await Promise.all([count('fraud_transactions'), count('fraud_alerts'), count('fraud_scores')])).toEqual(
      before,
    );
  });

  it('rejects a request that is not a list, an unknown model and a bad policy', async () => {
    expect(await scoreTransactions(t.db, { modelId, transactions: { txId: 'x' }, now: NOW })).toMatchObject({
      ok: false,
      errors: [{ field: 'transactions', message: 'must be a list of transactions' }],
    });
    expect(await scoreTransactions(t.db, { modelId: 'nope', transactions: [live[0]] })).toMatchObject({
      ok: false,
      errors: [{ field: 'modelId', message: 'model nope does not exist' }],
    });
    const r = await ingestTransactions(t.db, {
      modelId,
      transactions: [live[0]],
      policy: { mode: 'threshold', threshold: 2 },
      userId: null,
    });
    expect(r).toMatchObject({ ok: false, errors: [{ field: 'policy' }] });
  });
});

describe('scoring and ingestion', () => {
  it('previews scores without storing anything', async () => {
    const before = await count('fraud_transactions');
    const r = await scoreTransactions(t.db, { modelId, transactions: live.slice(0, 3), now: NOW });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.results).toHaveLength(3);
    for (const s of r.results) {
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(1);
      expect(Object.keys(s.features)).toHaveLength(15);
    }
    expect(r.results[0].features.amount).toBe(live[0].amount);
    expect(await count('fraud_transactions')).toBe(before);
  });

  it('ingests a transaction twice as one row and one alert', async () => {
    const tx = live[5];
    const policy = { mode: 'threshold' as const, threshold: 0 };
    const first = await ingestTransactions(t.db, { modelId, transactions: [tx], policy, userId: null, now: NOW });
    if (!first.ok) throw new Error(JSON.stringify(first.errors));
    expect(first).toMatchObject({ newTransactions: 1, duplicates: 0, alertsCreated: 1 });
    expect(first.results[0]).toMatchObject({
      status: 'new',
      alert: { status: 'open', reason: 'threshold', created: true },
    });
    const second = await ingestTransactions(t.db, { modelId, transactions: [tx, tx], policy, userId: null, now: NOW });
    if (!second.ok) throw new Error(JSON.stringify(second.errors));
    expect(second).toMatchObject({ newTransactions: 0, duplicates: 1, alertsCreated: 0 });
    expect(second.results[0]).toMatchObject({
      status: 'duplicate',
      transactionId: first.results[0].transactionId,
      alert: { id: first.results[0].alert!.id, created: false },
    });
    const [r] = (
      await sql<{
        n: number;
        a: number;
      }>`select count(*) as n, (select count(*) from fraud_alerts a where a.transaction_id = t.id) as a
        from fraud_transactions t where t.tx_id = ${tx.txId}`.execute(t.db)
    ).rows;
    expect([Number(r.n), Number(r.a)]).toEqual([1, 1]);
    // the same id with other fields is refused
    const changed = await ingestTransactions(t.db, {
      modelId,
      transactions: [{ ...tx, amount: tx.amount + 10 }],
      policy,
      userId: null,
      now: NOW,
    });
    expect(changed).toMatchObject({
      ok: false,
      errors: [{ field: 'txId', message: expect.stringMatching(/already ingested with different fields/) }],
    });
  });

  it('keeps a daily budget: top-k per day and a capped threshold', async () => {
    const batch = live.slice(10, 110);
    const r = await ingestTransactions(t.db, {
      modelId,
      transactions: batch,
      policy: { mode: 'topK', perDay: 4 },
      userId: null,
      now: NOW,
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    // one alert already exists on day 20 (previous test): 3 more fit the budget, the batch's 3 highest scores
    expect(r.alertsCreated).toBe(3);
    const alerted = r.results.filter((x) => x.alert?.created).map((x) => x.score!);
    const top3 = r.results
      .map((x) => x.score!)
      .sort((a, b) => b - a)
      .slice(0, 3);
    expect(alerted.sort((a, b) => b - a)).toEqual(top3);
    const capped = await ingestTransactions(t.db, {
      modelId,
      transactions: live.slice(110, 160),
      policy: { mode: 'threshold', threshold: 0, dailyBudget: 6 },
      userId: null,
      now: NOW,
    });
    if (!capped.ok) throw new Error(JSON.stringify(capped.errors));
    expect(capped.alertsCreated).toBe(2);
  });

  it('reads the same history per customer and terminal as for the whole time range', async () => {
    const scorer = await loadFraudScorer(t.db, modelId);
    const rows = live
      .slice(200, 230)
      .map((x) => ({ customerId: x.customerId, terminalId: x.terminalId, ts: Date.parse(x.timestamp) }));
    const small = await loadHistoryFor(t.db, datasetId, rows, scorer.manifest.delayDays);
    const manyRows = [...rows, ...Array.from({ length: 70 }, () => rows[0])];
    const whole = await loadHistoryFor(t.db, datasetId, manyRows, scorer.manifest.delayDays);
    expect(small.n).toBeLessThan(whole.n);
    const fresh = {
      n: rows.length,
      ts: Float64Array.from(rows, (r) => r.ts),
      customer: Int32Array.from(rows, (r) => r.customerId),
      terminal: Int32Array.from(rows, (r) => r.terminalId),
      amount: Float64Array.from(live.slice(200, 230), (x) => x.amount),
    };
    const cfg = { delayDays: scorer.manifest.delayDays };
    expect(Array.from(handbookFeaturesForNewRows(small, fresh, cfg))).toEqual(
      Array.from(handbookFeaturesForNewRows(whole, fresh, cfg)),
    );
  });

  it('explains a score by the features that drove it', async () => {
    const scorer = await loadFraudScorer(t.db, modelId);
    const preview = await scoreTransactions(t.db, { modelId, transactions: [live[300]], now: NOW });
    if (!preview.ok) throw new Error('preview failed');
    const x = Float32Array.from(scorer.manifest.featureNames, (f) => preview.results[0].features[f]);
    const { score, drivers } = explainScore(scorer, x);
    expect(score).toBeCloseTo(preview.results[0].score, 6);
    expect(drivers).toHaveLength(15);
    const sizes = drivers.map((d) => Math.abs(d.contribution));
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    // the alert detail of an ingested transaction carries the same kind of explanation
    const r = await ingestTransactions(t.db, {
      modelId,
      transactions: [live[300]],
      policy: { mode: 'threshold', threshold: 0 },
      userId: null,
      now: NOW,
    });
    if (!r.ok) throw new Error('ingest failed');
    const detail = await alertDetail(t.db, r.results[0].alert!.id);
    expect(detail!.drivers).toHaveLength(15);
    expect(detail!.transaction.label).toBeNull();
  });
});
