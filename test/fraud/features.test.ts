// Causal features: a hand-worked example, the guarantee that a transaction never sees its own or later labels (nor
// later transactions at all), and agreement between batch features and features of newly arriving rows.

import { describe, expect, it } from 'vitest';
import {
  computeHandbookFeatures,
  type FeatureInput,
  HANDBOOK_FEATURES,
  handbookFeaturesForNewRows,
} from '../../lib/fraud/features';
import { simulatedColumns, TINY } from './helpers';

const D = HANDBOOK_FEATURES.length;
const H = 3_600_000;
const DAY = 24 * H;
// Monday 2018-04-02 00:00 UTC
const MON = Date.UTC(2018, 3, 2);

function columns(rows: { t: number; c: number; term: number; amount: number; label: number }[]): FeatureInput {
  return {
    n: rows.length,
    ts: Float64Array.from(rows, (r) => r.t),
    customer: Int32Array.from(rows, (r) => r.c),
    terminal: Int32Array.from(rows, (r) => r.term),
    amount: Float64Array.from(rows, (r) => r.amount),
    label: Int8Array.from(rows, (r) => r.label),
  };
}

function feature(x: Float32Array, row: number, name: (typeof HANDBOOK_FEATURES)[number]): number {
  return x[row * D + HANDBOOK_FEATURES.indexOf(name)];
}

describe('computeHandbookFeatures', () => {
  it('matches a hand-worked example', () => {
    const rows = [
      { t: MON + 3 * H, c: 1, term: 9, amount: 10, label: 1 }, // 0: Mon 03:00, fraud at terminal 9
      { t: MON + 10 * H, c: 1, term: 9, amount: 30, label: 0 }, // 1: Mon 10:00
      { t: MON + DAY + 9 * H, c: 1, term: 8, amount: 50, label: 0 }, // 2: Tue 09:00 (33 h after row 0)
      { t: MON + 2 * DAY + 4 * H, c: 2, term: 9, amount: 20, label: 0 }, // 3: Wed 04:00, other customer
      { t: MON + 5 * DAY + 12 * H, c: 2, term: 9, amount: 40, label: 1 }, // 4: Sat 12:00
      { t: MON + 9 * DAY + 12 * H, c: 1, term: 9, amount: 60, label: 0 }, // 5: next Wed 12:00
    ];
    const x = computeHandbookFeatures(columns(rows), { delayDays: 2 });
    expect(feature(x, 0, 'isNight')).toBe(1);
    expect(feature(x, 1, 'isNight')).toBe(0);
    expect(feature(x, 4, 'isWeekend')).toBe(1);
    expect(feature(x, 3, 'isWeekend')).toBe(0);
    expect(feature(x, 3, 'amount')).toBe(20);
    // customer 1 at row 2: 1-day window (Mon 09:00, Tue 09:00] holds rows 1 and 2; 7 days holds rows 0–2
    expect(feature(x, 2, 'customerTx1d')).toBe(2);
    expect(feature(x, 2, 'customerMeanAmount1d')).toBe(40);
    expect(feature(x, 2, 'customerTx7d')).toBe(3);
    expect(feature(x, 2, 'customerMeanAmount7d')).toBe(30);
    // row 5 (customer 1): nothing in the last day or 7 days (Tue 09:00 is 8 days + 3 h earlier) but itself
    expect(feature(x, 5, 'customerTx7d')).toBe(1);
    expect(feature(x, 5, 'customerTx30d')).toBe(4);
    expect(feature(x, 5, 'customerMeanAmount30d')).toBe(37.5);
    // terminal 9 with delay 2 days. Row 3 (Wed 04:00): windows end Mon 04:00 → only row 0 (a fraud) is old enough
    expect(feature(x, 3, 'terminalTx1d')).toBe(1);
    expect(feature(x, 3, 'terminalRisk1d')).toBe(1);
    // row 4 (Sat 12:00): windows end Thu 12:00; 1 day (Wed 12:00, Thu 12:00] is empty; 7 days holds rows 0, 1, 3
    expect(feature(x, 4, 'terminalTx1d')).toBe(0);
    expect(feature(x, 4, 'terminalRisk1d')).toBe(0);
    expect(feature(x, 4, 'terminalTx7d')).toBe(3);
    expect(feature(x, 4, 'terminalRisk7d')).toBeCloseTo(1 / 3, 6);
    // row 5 (next Wed 12:00): windows end Mon 12:00; 7 days (Mon−7, Mon 12:00] holds rows 3 and 4, row 4 a fraud
    expect(feature(x, 5, 'terminalTx7d')).toBe(2);
    expect(feature(x, 5, 'terminalRisk7d')).toBe(0.5);
    // terminal 8 has no history before row 2
    expect(feature(x, 2, 'terminalTx30d')).toBe(0);
  });

  it('never lets a transaction see its own or later labels, or later transactions', () => {
    const cols = simulatedColumns(TINY, 20);
    const delayDays = 7;
    const base = computeHandbookFeatures(cols, { delayDays });
    let checked = 0;
    for (const cut of [6, 11.5, 15.25, 19]) {
      const cutMs = cols.ts[0] + cut * DAY;
      // Everything a row at time ≤ cut must not depend on: labels at or after cut − delay (its own included), and
      // the amounts of rows after cut. Flip / change them all.
      const changed: FeatureInput = { ...cols, label: cols.label.slice(), amount: cols.amount.slice() };
      for (let i = 0; i < cols.n; i++) {
        if (cols.ts[i] > cutMs - delayDays * DAY) changed.label[i] = cols.label[i] === 1 ? 0 : 1;
        if (cols.ts[i] > cutMs) changed.amount[i] = cols.amount[i] * 3 + 1;
      }
      const after = computeHandbookFeatures(changed, { delayDays });
      for (let i = 0; i < cols.n && cols.ts[i] <= cutMs; i++) {
        for (let j = 0; j < D; j++) {
          if (after[i * D + j] !== base[i * D + j]) {
            throw new Error(
              `row ${i} feature ${HANDBOOK_FEATURES[j]} changed: ${base[i * D + j]} → ${after[i * D + j]}`,
            );
          }
        }
        checked++;
      }
      // the edits do move the features of later rows, so the comparison above can fail
      let moved = 0;
      for (let i = 0; i < cols.n; i++) if (cols.ts[i] > cutMs && after[i * D] !== base[i * D]) moved++;
      expect(moved).toBeGreaterThan(0);
    }
    expect(checked).toBeGreaterThan(1000);
    // and labels older than the delay do matter: flipping them all changes terminal risks
    const flipped = { ...cols, label: cols.label.map((l) => (l === 1 ? 0 : 1)) };
    const risk = HANDBOOK_FEATURES.indexOf('terminalRisk7d');
    const x2 = computeHandbookFeatures(flipped, { delayDays });
    let differ = 0;
    for (let i = 0; i < cols.n; i++) if (x2[i * D + risk] !== base[i * D + risk]) differ++;
    expect(differ).toBeGreaterThan(cols.n / 2);
  });

  it('refuses a zero delay (a row would see its own label) and rows out of time order', () => {
    const cols = simulatedColumns(TINY, 2);
    expect(() => computeHandbookFeatures(cols, { delayDays: 0 })).toThrow(/delayDays must be an integer ≥ 1/);
    const swapped = { ...cols, ts: cols.ts.slice() };
    [swapped.ts[3], swapped.ts[4]] = [cols.ts[4] + 1, cols.ts[3]];
    expect(() => computeHandbookFeatures(swapped, { delayDays: 7 })).toThrow(/time order: row 4/);
  });
});

describe('handbookFeaturesForNewRows', () => {
  it('gives new rows the features they get once stored with the rest', () => {
    const cols = simulatedColumns(TINY, 20);
    const full = computeHandbookFeatures(cols, { delayDays: 7 });
    const first = cols.day.indexOf(19);
    const cut = <T extends { slice(a: number, b?: number): T }>(a: T, lo: number, hi?: number) => a.slice(lo, hi);
    const history: FeatureInput = {
      n: first,
      ts: cut(cols.ts, 0, first),
      customer: cut(cols.customer, 0, first),
      terminal: cut(cols.terminal, 0, first),
      amount: cut(cols.amount, 0, first),
      label: cut(cols.label, 0, first),
    };
    // the new rows arrive shuffled; results come back in arrival order
    const idx = Array.from({ length: cols.n - first }, (_, i) => first + i).reverse();
    const fresh = {
      n: idx.length,
      ts: Float64Array.from(idx, (i) => cols.ts[i]),
      customer: Int32Array.from(idx, (i) => cols.customer[i]),
      terminal: Int32Array.from(idx, (i) => cols.terminal[i]),
      amount: Float64Array.from(idx, (i) => cols.amount[i]),
    };
    const x = handbookFeaturesForNewRows(history, fresh, { delayDays: 7 });
    idx.forEach((i, r) => {
      expect(Array.from(x.subarray(r * D, (r + 1) * D))).toEqual(Array.from(full.subarray(i * D, (i + 1) * D)));
    });
  });
});
