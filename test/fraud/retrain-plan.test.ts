import { describe, expect, it } from 'vitest';
import type { FraudTrainConfig } from '@/lib/fraud';
import { planRetrain } from '@/lib/fraud/retrain-plan';
import { parseTransactionsCsv } from '@/lib/fraud/transactions-csv';

const previous = { trainDays: 7, delayDays: 7, testDays: 7, name: 'first run' } as unknown as FraudTrainConfig;

describe('retraining with triage labels', () => {
  it('puts the decided days inside the training period, with the delay and a test period after them', () => {
    const plan = planRetrain({
      source: 'simulator',
      startMs: Date.UTC(2026, 0, 1),
      days: 40,
      previous,
      decided: [
        { day: 20, confirmed: 1, falsePositive: 0 },
        { day: 22, confirmed: 0, falsePositive: 2 },
      ],
    });
    if (!plan.ok) throw new Error(plan.reason);
    expect(plan.train).toEqual({ fromDay: 16, toDay: 23 });
    expect(plan.test).toEqual({ fromDay: 30, toDay: 37 });
    expect(plan.confirmed + plan.falsePositive).toBe(3);
    expect(plan.config.name).toBe('Retrained with 3 triage labels');
  });

  it('says why when nothing is decided, no model exists, no test day is left, or the data is the ULB sample', () => {
    const base = { source: 'simulator' as const, startMs: 0, days: 30, previous };
    expect(planRetrain({ ...base, decided: [] })).toMatchObject({ ok: false, reason: /No alert/ });
    expect(planRetrain({ ...base, previous: null, decided: [] })).toMatchObject({ ok: false, reason: /Train a model/ });
    expect(planRetrain({ ...base, decided: [{ day: 25, confirmed: 1, falsePositive: 0 }] })).toMatchObject({
      ok: false,
      reason: /leaves no test day/,
    });
    expect(planRetrain({ ...base, source: 'ulb', decided: [] })).toMatchObject({ ok: false, reason: /ULB/ });
  });
});

describe('transactions CSV upload', () => {
  it('reads our column names and the Handbook’s, leaving values as text', () => {
    const r = parseTransactionsCsv(
      'TRANSACTION_ID,CUSTOMER_ID,TERMINAL_ID,TX_DATETIME,TX_AMOUNT,extra\nt1,c1,k1,2026-01-01T10:00:00Z,12.5,x\n',
    );
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.records).toEqual([
      { txId: 't1', customerId: 'c1', terminalId: 'k1', timestamp: '2026-01-01T10:00:00Z', amount: '12.5' },
    ]);
    expect(r.ignoredColumns).toEqual(['extra']);
  });

  it('names the missing columns of a bad header', () => {
    const r = parseTransactionsCsv('txId,amount\nt1,3\n');
    expect(r).toMatchObject({
      ok: false,
      errors: [{ field: '(header)', message: /missing customerId, terminalId, timestamp/ }],
    });
    expect(parseTransactionsCsv('')).toMatchObject({ ok: false, errors: [{ message: 'the file is empty' }] });
  });
});
