// Causal transaction features (Fraud Detection Handbook ch. 3.4): amount, weekend and night flags, the customer's
// transaction count and mean amount over the last 1/7/30 days, and the terminal's transaction count and fraud risk
// over 1/7/30-day windows that end `delayDays` before the transaction (labels only become known after investigation,
// the feedback delay). Computed over columns in time order with one two-pointer pass per customer and per terminal.
//
// What a transaction can see, exactly:
// - customer windows (t − w days, t]: amounts and times of the customer's earlier transactions and its own (known at
//   authorisation time), never labels;
// - terminal windows (t − (delay + w) days, t − delay days]: times and labels of the terminal's transactions at least
//   `delayDays` before it — never its own label or any later one (delayDays ≥ 1 is enforced);
// - unknown labels (−1: not yet investigated) count as genuine, as they do for the bank at that time.
// Calendar flags use UTC: weekend = Saturday or Sunday; night = hour 0–6 (the Handbook's tx_hour ≤ 6).

import { DAY_MS } from './simulator';

export const HANDBOOK_WINDOWS_DAYS = [1, 7, 30] as const;

export const HANDBOOK_FEATURES = [
  'amount',
  'isWeekend',
  'isNight',
  'customerTx1d',
  'customerMeanAmount1d',
  'customerTx7d',
  'customerMeanAmount7d',
  'customerTx30d',
  'customerMeanAmount30d',
  'terminalTx1d',
  'terminalRisk1d',
  'terminalTx7d',
  'terminalRisk7d',
  'terminalTx30d',
  'terminalRisk30d',
] as const;

export type HandbookFeature = (typeof HANDBOOK_FEATURES)[number];

/** Human labels for tables and explanations. */
export const FEATURE_LABELS: Record<string, string> = {
  amount: 'Amount',
  isWeekend: 'Weekend',
  isNight: 'Night (00:00–06:59 UTC)',
  customerTx1d: 'Customer transactions, last day',
  customerMeanAmount1d: 'Customer mean amount, last day',
  customerTx7d: 'Customer transactions, last 7 days',
  customerMeanAmount7d: 'Customer mean amount, last 7 days',
  customerTx30d: 'Customer transactions, last 30 days',
  customerMeanAmount30d: 'Customer mean amount, last 30 days',
  terminalTx1d: 'Terminal transactions, 1-day window before the delay',
  terminalRisk1d: 'Terminal fraud rate, 1-day window before the delay',
  terminalTx7d: 'Terminal transactions, 7-day window before the delay',
  terminalRisk7d: 'Terminal fraud rate, 7-day window before the delay',
  terminalTx30d: 'Terminal transactions, 30-day window before the delay',
  terminalRisk30d: 'Terminal fraud rate, 30-day window before the delay',
  ...Object.fromEntries(Array.from({ length: 28 }, (_, i) => [`v${i + 1}`, `V${i + 1} (PCA component)`])),
};

/** What the feature computation reads; rows must be in time order (ties keep their given order). */
export type FeatureInput = {
  n: number;
  /** ms since epoch, non-decreasing */
  ts: Float64Array;
  /** −1 when unknown */
  customer: Int32Array;
  /** −1 when unknown */
  terminal: Int32Array;
  amount: Float64Array;
  /** −1 unknown, 0 genuine, 1 fraud */
  label: Int8Array;
};

export type FeatureConfig = {
  /** the feedback delay in days (Handbook 7); at least 1 so a transaction never sees its own label */
  delayDays: number;
};

/**
 * Rows in groups of equal key (customer or terminal), each group in time order: returns the row indices grouped and
 * the group boundaries. Counting sort over the key range when it is compact, a comparison sort otherwise.
 */
function groupRows(keys: Int32Array, n: number): { order: Int32Array; starts: number[] } {
  let max = -1;
  for (let i = 0; i < n; i++) if (keys[i] > max) max = keys[i];
  const order = new Int32Array(n);
  const starts: number[] = [];
  if (max >= 0 && max <= 4 * n + 1024) {
    const count = new Int32Array(max + 2);
    for (let i = 0; i < n; i++) if (keys[i] >= 0) count[keys[i] + 1]++;
    for (let k = 0; k <= max; k++) count[k + 1] += count[k];
    const fill = count.slice(0, max + 1);
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (keys[i] >= 0) {
        order[fill[keys[i]]++] = i;
        m++;
      }
    }
    for (let k = 0; k <= max; k++) if (count[k + 1] > count[k]) starts.push(count[k]);
    starts.push(m);
    return { order: order.subarray(0, m), starts };
  }
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (keys[i] >= 0) idx.push(i);
  idx.sort((a, b) => keys[a] - keys[b] || a - b);
  for (let j = 0; j < idx.length; j++) {
    order[j] = idx[j];
    if (j === 0 || keys[idx[j]] !== keys[idx[j - 1]]) starts.push(j);
  }
  starts.push(idx.length);
  return { order: order.subarray(0, idx.length), starts };
}

/** The 15 Handbook features, (n, 15) row-major in HANDBOOK_FEATURES order. */
export function computeHandbookFeatures(input: FeatureInput, cfg: FeatureConfig): Float32Array {
  const { n, ts, customer, terminal, amount, label } = input;
  if (!(Number.isInteger(cfg.delayDays) && cfg.delayDays >= 1)) {
    throw new Error(
      `delayDays must be an integer ≥ 1 (a transaction must not see its own label), got ${cfg.delayDays}`,
    );
  }
  for (let i = 1; i < n; i++) {
    if (!(ts[i] >= ts[i - 1]))
      throw new Error(`transactions must be in time order: row ${i} is earlier than row ${i - 1}`);
  }
  const D = HANDBOOK_FEATURES.length;
  const out = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const o = i * D;
    out[o] = amount[i];
    const date = new Date(ts[i]);
    const dow = date.getUTCDay();
    out[o + 1] = dow === 0 || dow === 6 ? 1 : 0;
    out[o + 2] = date.getUTCHours() <= 6 ? 1 : 0;
  }

  // Customer windows (t − w, t]: the group's rows from `lo` to the current one.
  {
    const { order, starts } = groupRows(customer, n);
    for (let g = 0; g + 1 < starts.length; g++) {
      const a = starts[g];
      const b = starts[g + 1];
      HANDBOOK_WINDOWS_DAYS.forEach((w, wi) => {
        const span = w * DAY_MS;
        let lo = a;
        let sum = 0;
        for (let j = a; j < b; j++) {
          const i = order[j];
          sum += amount[i];
          while (ts[order[lo]] <= ts[i] - span) sum -= amount[order[lo++]];
          const count = j - lo + 1;
          out[i * D + 3 + 2 * wi] = count;
          out[i * D + 4 + 2 * wi] = sum / count;
        }
      });
    }
  }

  // Terminal windows (t − (delay + w), t − delay]: rows in [lo, hi) of the group.
  {
    const delay = cfg.delayDays * DAY_MS;
    const { order, starts } = groupRows(terminal, n);
    for (let g = 0; g + 1 < starts.length; g++) {
      const a = starts[g];
      const b = starts[g + 1];
      HANDBOOK_WINDOWS_DAYS.forEach((w, wi) => {
        const span = (cfg.delayDays + w) * DAY_MS;
        let lo = a;
        let hi = a;
        let frauds = 0;
        for (let j = a; j < b; j++) {
          const t = ts[order[j]];
          while (hi < j && ts[order[hi]] <= t - delay) {
            if (label[order[hi]] === 1) frauds++;
            hi++;
          }
          while (lo < hi && ts[order[lo]] <= t - span) {
            if (label[order[lo]] === 1) frauds--;
            lo++;
          }
          const count = hi - lo;
          const i = order[j];
          out[i * D + 9 + 2 * wi] = count;
          out[i * D + 10 + 2 * wi] = count > 0 ? frauds / count : 0;
        }
      });
    }
  }
  // Rows without a customer or terminal keep zeros there.
  return out;
}

/** Rows appended to a history for scoring: they come after every history row with the same timestamp. */
export type NewRows = {
  n: number;
  ts: Float64Array;
  customer: Int32Array;
  terminal: Int32Array;
  amount: Float64Array;
};

/**
 * Features of new transactions given the stored history around them (history in time order, e.g. from
 * loadTransactionColumns). New rows get unknown labels; they are merged into the history in time order, after
 * history rows with equal time, and among themselves in their given order when times tie. Returns (m, 15).
 */
export function handbookFeaturesForNewRows(history: FeatureInput, rows: NewRows, cfg: FeatureConfig): Float32Array {
  const h = history.n;
  const m = rows.n;
  const n = h + m;
  const newOrder = Array.from({ length: m }, (_, i) => i).sort((a, b) => rows.ts[a] - rows.ts[b] || a - b);
  const merged: FeatureInput = {
    n,
    ts: new Float64Array(n),
    customer: new Int32Array(n),
    terminal: new Int32Array(n),
    amount: new Float64Array(n),
    label: new Int8Array(n),
  };
  const positionOfNew = new Int32Array(m);
  let i = 0;
  let j = 0;
  for (let k = 0; k < n; k++) {
    if (j >= m || (i < h && history.ts[i] <= rows.ts[newOrder[j]])) {
      merged.ts[k] = history.ts[i];
      merged.customer[k] = history.customer[i];
      merged.terminal[k] = history.terminal[i];
      merged.amount[k] = history.amount[i];
      merged.label[k] = history.label[i];
      i++;
    } else {
      const r = newOrder[j];
      merged.ts[k] = rows.ts[r];
      merged.customer[k] = rows.customer[r];
      merged.terminal[k] = rows.terminal[r];
      merged.amount[k] = rows.amount[r];
      merged.label[k] = -1;
      positionOfNew[r] = k;
      j++;
    }
  }
  const all = computeHandbookFeatures(merged, cfg);
  const D = HANDBOOK_FEATURES.length;
  const out = new Float32Array(m * D);
  for (let r = 0; r < m; r++) out.set(all.subarray(positionOfNew[r] * D, (positionOfNew[r] + 1) * D), r * D);
  return out;
}

/** How far back a new transaction's features reach: the terminal's longest window plus the delay. */
export function handbookLookbackMs(delayDays: number): number {
  return (delayDays + HANDBOOK_WINDOWS_DAYS[HANDBOOK_WINDOWS_DAYS.length - 1]) * DAY_MS;
}

/** ULB features: V1–V28 as imported, then the amount. */
export const ULB_FEATURES = [...Array.from({ length: 28 }, (_, i) => `v${i + 1}`), 'amount'] as const;

export function ulbFeatures(cols: {
  n: number;
  features: Float32Array | null;
  featureDim: number;
  amount: Float64Array;
}): Float32Array {
  if (!cols.features || cols.featureDim !== 28) {
    throw new Error(`ULB rows need 28 stored features (V1–V28), found ${cols.featureDim}`);
  }
  const D = ULB_FEATURES.length;
  const out = new Float32Array(cols.n * D);
  for (let i = 0; i < cols.n; i++) {
    out.set(cols.features.subarray(i * 28, (i + 1) * 28), i * D);
    out[i * D + 28] = cols.amount[i];
  }
  return out;
}
