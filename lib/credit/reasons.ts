// Reason codes by baseline substitution against a reference applicant. The reference is the typical applicant of
// the training data: the (lower) median of every numeric feature and the most frequent category of every
// categorical one.
// For an application x and each feature j, the model is run once more with x_j replaced by the reference's value:
//   contribution_j = z(x) − z(x with x_j := reference_j)        (z = the model's raw score, its logit)
// A positive contribution means the applicant's own value of j raised the risk score compared with a typical
// applicant. Reasons are the features with a positive contribution, largest first (ties by feature order), at most
// four. Calibration is monotone, so a feature that raised z never lowered the PD, and a feature that lowered z (or
// left it unchanged) never appears. Deterministic: no sampling, one batched forward pass of D + 1 rows.

import type { Application, FeatureSpec } from './types';

export const MAX_REASONS = 4;

export type Reason = {
  feature: string;
  label: string;
  value: number | string | null;
  reference: number | string | null;
  /** plain-language reason, e.g. "Checking account balance is below 0 DM" */
  text: string;
  /** raise of the raw score (logit units) over the reference value */
  contribution: number;
};

/** Scores applications with the model: their raw scores z, in order. */
export type RawScorer = (apps: readonly Application[]) => Float64Array;

/** The typical applicant of `rows`: lower median of numeric features, most frequent category (feature order on ties). */
export function referenceApplicant(features: readonly FeatureSpec[], rows: readonly Application[]): Application {
  const ref: Application = {};
  for (const f of features) {
    if (f.kind === 'numeric') {
      const xs = rows
        .map((r) => r[f.name])
        .filter((v): v is number => typeof v === 'number')
        .sort((a, b) => a - b);
      const n = xs.length;
      // the lower median: always a value some applicant had (a whole number for whole-number fields)
      ref[f.name] = n === 0 ? null : xs[Math.floor((n - 1) / 2)];
    } else {
      const counts = new Map<string, number>();
      for (const r of rows) {
        const v = r[f.name];
        if (v !== null && v !== undefined) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
      }
      let best: string | null = null;
      let bestCount = 0;
      for (const c of f.categories ?? [...counts.keys()].sort()) {
        const k = counts.get(c) ?? 0;
        if (k > bestCount) {
          best = c;
          bestCount = k;
        }
      }
      ref[f.name] = best;
    }
  }
  return ref;
}

function formatNumber(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function withUnit(v: number, unit: string | undefined): string {
  return unit ? `${formatNumber(v)} ${unit}` : formatNumber(v);
}

/** The plain-language sentence for feature f having `value` where the typical applicant has `reference`. */
export function reasonText(f: FeatureSpec, value: number | string | null, reference: number | string | null): string {
  if (value === null || value === undefined) return `${f.label} is not given`;
  if (f.kind === 'categorical') {
    const v = String(value);
    if (f.categoryReasons && Object.hasOwn(f.categoryReasons, v)) return f.categoryReasons[v];
    const shown = f.categoryLabels && Object.hasOwn(f.categoryLabels, v) ? f.categoryLabels[v] : v;
    return `${f.label}: ${shown}`;
  }
  const x = Number(value);
  if (typeof reference !== 'number') return `${f.label} is ${withUnit(x, f.unit)}`;
  const side = x > reference ? 'above' : 'below';
  return `${f.label} is ${withUnit(x, f.unit)}, ${side} the typical ${withUnit(reference, f.unit)}`;
}

/**
 * Up to `max` reasons why `app` scores riskier than the reference applicant: only features whose own value raised
 * the raw score appear, the largest raise first.
 */
export function reasonCodes(
  score: RawScorer,
  features: readonly FeatureSpec[],
  app: Application,
  reference: Application,
  max = MAX_REASONS,
): Reason[] {
  const variants: Application[] = [app];
  const changed: FeatureSpec[] = [];
  for (const f of features) {
    const v = app[f.name] ?? null;
    const r = reference[f.name] ?? null;
    if (v === r) continue; // same value as the reference: no contribution by construction
    changed.push(f);
    variants.push({ ...app, [f.name]: r });
  }
  if (changed.length === 0) return [];
  const z = score(variants);
  // differences below float32 resolution of the logit are noise, not evidence
  const tolerance = 1e-5 * Math.max(1, Math.abs(z[0]));
  const reasons: Reason[] = [];
  changed.forEach((f, k) => {
    const contribution = z[0] - z[k + 1];
    if (contribution > tolerance) {
      const value = app[f.name] ?? null;
      const ref = reference[f.name] ?? null;
      reasons.push({
        feature: f.name,
        label: f.label,
        value,
        reference: ref,
        text: reasonText(f, value, ref),
        contribution,
      });
    }
  });
  const order = new Map(features.map((f, i) => [f.name, i]));
  reasons.sort((a, b) => b.contribution - a.contribution || order.get(a.feature)! - order.get(b.feature)!);
  return reasons.slice(0, max);
}
