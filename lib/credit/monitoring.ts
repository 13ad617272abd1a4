// Monitoring: population stability of the score and of each feature, and approval-rate fairness.
//   PSI = Σ_b (a_b − e_b)·ln(a_b / e_b) over bins b, e_b the training population's share and a_b the share of
//         applications scored since; shares are floored at 1e−4 so an empty bin stays finite.
//         Bins: the score's training deciles; numeric features' training deciles (distinct edges) plus a missing
//         bin; categorical features' training categories plus "other" and "missing".
//         Bands: PSI < 0.10 stable, 0.10 ≤ PSI < 0.25 moderate shift, PSI ≥ 0.25 significant shift.
//   Fairness: approval rate (approved / all decisions; referrals are not approvals) per group of a chosen attribute,
//         and each group's ratio to the highest group's rate; the four-fifths rule flags ratios below 0.8.

import type { Decision } from './policy';
import type { Application, FeatureSpec } from './types';

export const PSI_FLOOR = 1e-4;
export const PSI_MODERATE = 0.1;
export const PSI_SIGNIFICANT = 0.25;
export const FOUR_FIFTHS = 0.8;

export type PsiBand = 'stable' | 'moderate shift' | 'significant shift';

export function psiBand(psi: number): PsiBand {
  return psi < PSI_MODERATE ? 'stable' : psi < PSI_SIGNIFICANT ? 'moderate shift' : 'significant shift';
}

/** PSI of two share vectors over the same bins (each summing to 1). */
export function psi(expected: readonly number[], actual: readonly number[]): number {
  if (expected.length !== actual.length)
    throw new Error(`psi: ${expected.length} expected vs ${actual.length} actual bins`);
  let s = 0;
  for (let b = 0; b < expected.length; b++) {
    const e = Math.max(PSI_FLOOR, expected[b]);
    const a = Math.max(PSI_FLOOR, actual[b]);
    s += (a - e) * Math.log(a / e);
  }
  return s;
}

/** Bins of one variable as fixed at training. */
export type VariableBins =
  | {
      kind: 'numeric';
      name: string /** ascending inner edges; bin i is [edges[i−1], edges[i]); last bin = missing */;
      edges: number[];
      labels: string[];
      expected: number[];
    }
  | {
      kind: 'categorical';
      name: string /** one bin each, then "other", then "missing" */;
      categories: string[];
      labels: string[];
      expected: number[];
    };

export type PopulationStats = {
  /** training rows the shares describe */
  n: number;
  score: VariableBins;
  features: VariableBins[];
};

function decileEdges(values: readonly number[]): number[] {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  const edges: number[] = [];
  for (let k = 1; k < 10; k++) {
    const e = xs[Math.floor((k * xs.length) / 10)];
    if (e !== undefined && e > xs[0] && (edges.length === 0 || e > edges[edges.length - 1])) edges.push(e);
  }
  return edges;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(2);
}

function numericBins(name: string, values: readonly (number | null)[]): VariableBins {
  const edges = decileEdges(values.filter((v): v is number => v !== null));
  const labels = [
    ...edges.map((e, i) => (i === 0 ? `< ${fmt(e)}` : `${fmt(edges[i - 1])} – ${fmt(e)}`)),
    edges.length ? `≥ ${fmt(edges[edges.length - 1])}` : 'all',
    'missing',
  ];
  const bins: VariableBins = { kind: 'numeric', name, edges, labels, expected: [] };
  bins.expected = shares(bins, values);
  return bins;
}

function categoricalBins(
  name: string,
  categories: readonly string[],
  values: readonly (string | null)[],
): VariableBins {
  const bins: VariableBins = {
    kind: 'categorical',
    name,
    categories: categories.slice(),
    labels: [...categories, 'other', 'missing'],
    expected: [],
  };
  bins.expected = shares(bins, values);
  return bins;
}

function binIndex(bins: VariableBins, v: number | string | null | undefined): number {
  const missing = bins.labels.length - 1;
  if (v === null || v === undefined) return missing;
  if (bins.kind === 'numeric') {
    const x = Number(v);
    if (!Number.isFinite(x)) return missing;
    let i = 0;
    while (i < bins.edges.length && x >= bins.edges[i]) i++;
    return i;
  }
  const k = bins.categories.indexOf(String(v));
  return k >= 0 ? k : bins.categories.length;
}

/** Shares of `values` over the bins (all zeros for no values). */
export function shares(bins: VariableBins, values: readonly (number | string | null)[]): number[] {
  const counts = new Array<number>(bins.labels.length).fill(0);
  for (const v of values) counts[binIndex(bins, v)]++;
  return counts.map((c) => (values.length > 0 ? c / values.length : 0));
}

/** The training population's bins and shares of the score and of every feature. */
export function populationStats(
  features: readonly FeatureSpec[],
  rows: readonly Application[],
  scores: readonly number[],
): PopulationStats {
  return {
    n: rows.length,
    score: numericBins('score', scores),
    features: features.map((f) =>
      f.kind === 'numeric'
        ? numericBins(
            f.name,
            rows.map((r) => (typeof r[f.name] === 'number' ? (r[f.name] as number) : null)),
          )
        : categoricalBins(
            f.name,
            f.categories ?? [],
            rows.map((r) => (r[f.name] === null || r[f.name] === undefined ? null : String(r[f.name]))),
          ),
    ),
  };
}

export type PsiBin = { label: string; expected: number; actual: number };
export type PsiResult = { name: string; psi: number; band: PsiBand; bins: PsiBin[] };

export type StabilityReport = {
  /** applications compared with the training population */
  n: number;
  score: PsiResult | null;
  /** most shifted first */
  features: PsiResult[];
};

function compare(bins: VariableBins, values: readonly (number | string | null)[]): PsiResult {
  const actual = shares(bins, values);
  const v = psi(bins.expected, actual);
  return {
    name: bins.name,
    psi: v,
    band: psiBand(v),
    bins: bins.labels.map((label, b) => ({ label, expected: bins.expected[b], actual: actual[b] })),
  };
}

/** PSI of the score and each feature between the training population and `apps` (scored with `scores`). */
export function populationStability(
  stats: PopulationStats,
  apps: readonly Application[],
  scores: readonly number[],
): StabilityReport {
  if (apps.length === 0) return { n: 0, score: null, features: [] };
  return {
    n: apps.length,
    score: compare(stats.score, scores),
    features: stats.features
      .map((b) =>
        compare(
          b,
          apps.map((a) => a[b.name] ?? null),
        ),
      )
      .sort((a, b) => b.psi - a.psi || (a.name < b.name ? -1 : 1)),
  };
}

// ---- fairness ---------------------------------------------------------------------------------------------------

/** How applications are grouped: by a categorical feature's value, age bands, or sex read from a personal-status field. */
export type GroupBy =
  | { kind: 'category'; feature: string }
  | { kind: 'ageBand'; feature: string }
  | { kind: 'sex'; feature: string };

export const AGE_BANDS = ['under 25', '25–34', '35–49', '50 and over'] as const;

export function ageBand(age: number): string {
  if (age < 25) return AGE_BANDS[0];
  if (age < 35) return AGE_BANDS[1];
  if (age < 50) return AGE_BANDS[2];
  return AGE_BANDS[3];
}

/** Sex from a personal-status value: credit-g labels ("male single", "female div/dep/mar") or codes A91–A95. */
export function sexFromPersonalStatus(value: string): string | null {
  const v = value.trim().toLowerCase();
  if (/^a9[134]$/.test(v)) return 'male';
  if (/^a9[25]$/.test(v)) return 'female';
  if (/\bfemale\b/.test(v)) return 'female';
  if (/\bmale\b/.test(v)) return 'male';
  return null;
}

export function groupOf(app: Application, by: GroupBy): string | null {
  const v = app[by.feature];
  if (v === null || v === undefined) return null;
  if (by.kind === 'ageBand') return typeof v === 'number' ? ageBand(v) : null;
  if (by.kind === 'sex') return sexFromPersonalStatus(String(v));
  return String(v);
}

export function describeGroupBy(by: GroupBy): string {
  if (by.kind === 'ageBand') return `age band (from ${by.feature})`;
  if (by.kind === 'sex') return `sex (from ${by.feature})`;
  return by.feature;
}

/** Sensible fairness attributes for a schema: age bands and sex when the German-style columns exist. */
export function defaultGroupings(features: readonly FeatureSpec[]): GroupBy[] {
  const out: GroupBy[] = [];
  const age = features.find((f) => f.kind === 'numeric' && /^age$/i.test(f.name));
  if (age) out.push({ kind: 'ageBand', feature: age.name });
  const status = features.find((f) => f.kind === 'categorical' && /personal_status|^sex$|^gender$/i.test(f.name));
  if (status)
    out.push(
      /personal_status/i.test(status.name)
        ? { kind: 'sex', feature: status.name }
        : { kind: 'category', feature: status.name },
    );
  return out;
}

export type FairnessGroup = {
  group: string;
  n: number;
  approved: number;
  approvalRate: number;
  /** approval rate / the highest group's approval rate */
  ratio: number;
  /** ratio ≥ 0.8 */
  passes: boolean;
  /** fewer than 30 decisions: the rate is too noisy to judge */
  smallSample: boolean;
};

export type FairnessReport = {
  attribute: string;
  groupBy: GroupBy;
  groups: FairnessGroup[];
  /** the group with the highest approval rate */
  referenceGroup: string | null;
  minRatio: number | null;
  passesFourFifths: boolean | null;
  /** decisions whose attribute was missing or unreadable */
  ungrouped: number;
};

export const MIN_GROUP_SIZE = 30;

/** Approval rates per group and the four-fifths check. */
export function fairnessReport(
  apps: readonly Application[],
  decisions: readonly Decision[],
  by: GroupBy,
): FairnessReport {
  if (apps.length !== decisions.length)
    throw new Error(`fairnessReport: ${apps.length} applications, ${decisions.length} decisions`);
  const counts = new Map<string, { n: number; approved: number }>();
  let ungrouped = 0;
  apps.forEach((a, i) => {
    const g = groupOf(a, by);
    if (g === null) {
      ungrouped++;
      return;
    }
    const c = counts.get(g) ?? { n: 0, approved: 0 };
    c.n++;
    if (decisions[i] === 'approve') c.approved++;
    counts.set(g, c);
  });
  const order = by.kind === 'ageBand' ? [...AGE_BANDS] : [...counts.keys()].sort();
  const rows = order.filter((g) => counts.has(g)).map((g) => ({ group: g, ...counts.get(g)! }));
  const best = rows.reduce<{ group: string; rate: number } | null>((acc, r) => {
    const rate = r.approved / r.n;
    return acc === null || rate > acc.rate ? { group: r.group, rate } : acc;
  }, null);
  const groups: FairnessGroup[] = rows.map((r) => {
    const approvalRate = r.approved / r.n;
    const ratio = best && best.rate > 0 ? approvalRate / best.rate : 1;
    return { ...r, approvalRate, ratio, passes: ratio >= FOUR_FIFTHS, smallSample: r.n < MIN_GROUP_SIZE };
  });
  const minRatio = groups.length ? Math.min(...groups.map((g) => g.ratio)) : null;
  return {
    attribute: describeGroupBy(by),
    groupBy: by,
    groups,
    referenceGroup: best?.group ?? null,
    minRatio,
    passesFourFifths: minRatio === null ? null : minRatio >= FOUR_FIFTHS,
    ungrouped,
  };
}
