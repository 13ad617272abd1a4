// The transaction simulator: statistics for a seed, the Handbook's rules row by row, determinism and continuation,
// and streaming into the store (visible only when complete; nothing left behind by a failed run).

import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { simulateFraudDataset, simulateLiveTransactions } from '../../lib/fraud/datasets';
import {
  addDayToStats,
  emptyStats,
  HANDBOOK_SIMULATOR_CONFIG,
  SIMULATOR_PRESETS,
  TransactionSimulator,
} from '../../lib/fraud/simulator';
import { listDatasets } from '../../lib/store/repos/datasets';
import { listFraudDatasets } from '../../lib/store/repos/fraud';
import { openTempDb, type TempDb } from '../store/temp-db';
import { TINY } from './helpers';

function simulate(seed: number) {
  const sim = new TransactionSimulator({ ...SIMULATOR_PRESETS.small, seed });
  const stats = emptyStats(sim);
  const days = Array.from({ length: SIMULATOR_PRESETS.small.days }, (_, d) => sim.day(d));
  for (const d of days) addDayToStats(stats, d, sim.startMs);
  return { sim, stats, days };
}

describe('simulator statistics (small preset, seed 1)', () => {
  const { sim, stats, days } = simulate(1);

  it('has the expected volume, fraud rate and every scenario', () => {
    // E[transactions] ≈ customers · E[rate] 2/day · days · P(time inside the day) 0.97 · P(has a terminal) ≈ 11,300
    expect(stats.transactions).toBeGreaterThan(9500);
    expect(stats.transactions).toBeLessThan(13_000);
    // the small preset targets ~1–2 % fraud over 30 days (Handbook default 0.8 %)
    expect(stats.fraudRate).toBeGreaterThan(0.006);
    expect(stats.fraudRate).toBeLessThan(0.03);
    expect(stats.scenarios.amount).toBeGreaterThan(0);
    expect(stats.scenarios.terminal).toBeGreaterThan(0);
    expect(stats.scenarios.card).toBeGreaterThan(0);
    expect(stats.scenarios.amount + stats.scenarios.terminal + stats.scenarios.card).toBe(stats.frauds);
    // 0.24 terminals and 0.36 cards a day over 30 days: about 7 and 11
    expect(stats.compromisedTerminals).toBeGreaterThanOrEqual(3);
    expect(stats.compromisedTerminals).toBeLessThanOrEqual(14);
    expect(stats.compromisedCards).toBeGreaterThanOrEqual(4);
    expect(stats.compromisedCards).toBeLessThanOrEqual(20);
    expect(stats.perDay).toHaveLength(30);
  });

  it('follows the Handbook rules on every row', () => {
    const { customers, terminals } = sim;
    const drawnTerminals = (day: number) =>
      new Set(
        Array.from({ length: 28 }, (_, k) => day - k)
          .filter((d) => d >= 0)
          .flatMap((d) => sim.compromisedTerminalsDrawnOn(d)),
      );
    const drawnCards = (day: number) =>
      new Set(
        Array.from({ length: 14 }, (_, k) => day - k)
          .filter((d) => d >= 0)
          .flatMap((d) => sim.compromisedCardsDrawnOn(d)),
      );
    // violations are collected and compared once (an expect per row would dominate the run time)
    const violations: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok && violations.length < 5) violations.push(what);
    };
    for (const d of days) {
      const badTerminals = drawnTerminals(d.day);
      const badCards = drawnCards(d.day);
      for (let i = 0; i < d.n; i++) {
        const at = `day ${d.day} row ${i}`;
        const secs = (d.ts[i] - sim.startMs) / 1000 - d.day * 86_400;
        check(secs > 0 && secs < 86_400, `${at}: time of day ${secs}`);
        check(i === 0 || d.ts[i] >= d.ts[i - 1], `${at}: out of time order`);
        const c = d.customer[i];
        const t = d.terminal[i];
        const dist = Math.hypot(customers.x[c] - terminals.x[t], customers.y[c] - terminals.y[t]);
        check(dist < 5, `${at}: terminal ${t} is ${dist} from customer ${c}`);
        const s = d.scenario[i];
        // a genuine row is never above the threshold or on a compromised terminal
        if (s === 0)
          check(d.amount[i] <= 220 && !badTerminals.has(t), `${at}: genuine but amount ${d.amount[i]}, terminal ${t}`);
        if (s === 2) check(badTerminals.has(t), `${at}: scenario 2 on terminal ${t} that was not compromised`);
        if (s === 3) check(badCards.has(c), `${at}: scenario 3 for customer ${c} who was not compromised`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const again = simulate(1);
    expect(again.stats).toEqual(stats);
    expect(Array.from(again.days[12].amount)).toEqual(Array.from(days[12].amount));
    expect(simulate(2).stats.transactions).not.toBe(stats.transactions);
  });

  it('generates any day on its own, so a dataset can be continued', () => {
    const fresh = new TransactionSimulator({ ...SIMULATOR_PRESETS.small, seed: 1 });
    const d17 = fresh.day(17);
    expect(d17.txId).toEqual(days[17].txId);
    expect(Array.from(d17.scenario)).toEqual(Array.from(days[17].scenario));
    expect(Array.from(d17.amount)).toEqual(Array.from(days[17].amount));
  });

  it('keeps the Handbook volume at the default size', () => {
    const big = new TransactionSimulator({ ...HANDBOOK_SIMULATOR_CONFIG, seed: 3 });
    const d = big.day(40);
    // 5,000 customers × 2 transactions a day × 0.97 ≈ 9,700 (the Handbook's 183 days hold 1.75 M)
    expect(d.n).toBeGreaterThan(9000);
    expect(d.n).toBeLessThan(10_500);
    expect(big.compromisedTerminalsDrawnOn(40)).toHaveLength(2);
    expect(big.compromisedCardsDrawnOn(40)).toHaveLength(3);
  });

  it('rejects an invalid config with every problem named', () => {
    expect(
      () => new TransactionSimulator({ ...HANDBOOK_SIMULATOR_CONFIG, customers: 0, startDate: '2018-02-30' }),
    ).toThrow(/customers must be an integer.*startDate must be a calendar date/);
  });
});

describe('simulateFraudDataset (store)', () => {
  let t: TempDb;
  beforeEach(() => {
    t = openTempDb();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('streams every day into the store and lists the dataset only when complete', async () => {
    const seen: boolean[] = [];
    const { dataset, stats } = await simulateFraudDataset(t.db, {
      preset: 'small',
      config: TINY,
      createdBy: null,
      onDay: async () => {
        seen.push(
          (await listFraudDatasets(t.db)).length > 0 || (await listDatasets(t.db, { kind: 'fraud' })).length > 0,
        );
      },
    });
    expect(seen).toHaveLength(20);
    expect(seen.every((v) => v === false)).toBe(true);
    expect(dataset.status).toBe('ready');
    const [row] = (
      await sql<{
        n: number;
        f: number;
        c: number;
      }>`select count(*) as n, sum(label) as f, count(distinct customer_id) as c
        from fraud_transactions where dataset_id = ${dataset.id}`.execute(t.db)
    ).rows;
    expect(Number(row.n)).toBe(stats.transactions);
    expect(Number(row.f)).toBe(stats.frauds);
    const listed = await listDatasets(t.db, { kind: 'fraud' });
    expect(listed.map((d) => [d.id, d.rowCount, d.synthetic])).toEqual([[dataset.id, stats.transactions, true]]);
  });

  it('deletes everything written so far when a run fails, and lists nothing', async () => {
    let buildId = '';
    await expect(
      simulateFraudDataset(t.db, {
        preset: 'small',
        config: TINY,
        createdBy: null,
        onBuildStarted: (id) => {
          buildId = id;
        },
        onDay: async ({ day }) => {
          if (day === 5) throw new Error('worker stopped');
        },
      }),
    ).rejects.toThrow('worker stopped');
    expect(buildId).not.toBe('');
    for (const table of [
      'fraud_datasets',
      'fraud_transactions',
      'fraud_customers',
      'fraud_terminals',
      'datasets',
    ] as const) {
      const [r] = (await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(t.db)).rows;
      expect(Number(r.n), table).toBe(0);
    }
  });

  it('continues a stored simulation with live days from the same simulator', async () => {
    const { dataset } = await simulateFraudDataset(t.db, {
      preset: 'small',
      config: { ...TINY, days: 5 },
      createdBy: null,
    });
    const live = await simulateLiveTransactions(t.db, dataset.id, { fromDay: 5, days: 1 });
    const expected = new TransactionSimulator({ ...SIMULATOR_PRESETS.small, ...TINY }).day(5);
    expect(live.transactions.map((x) => x.txId)).toEqual(expected.txId);
    expect(live.transactions[0]).toMatchObject({ customerId: expected.customer[0], amount: expected.amount[0] });
    expect(live.truth.get(expected.txId[0])).toBe(expected.scenario[0]);
  });
});
