// Number formats of the credit pages: every figure with its unit (%, points, cost units) and metrics as mean ± std.
// Stored reports are JSON, so a metric that was NaN (one class in a fold) arrives as null and is shown as "—".

export type SpreadLike = { mean: number | null; std: number | null; n?: number } | null | undefined;

const DASH = '—';

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** 0.1234 → "12.3 %" */
export function pct(v: number | null | undefined, digits = 1): string {
  return finite(v) ? `${(100 * v).toFixed(digits)} %` : DASH;
}

/** A plain number with fixed decimals. */
export function fixed(v: number | null | undefined, digits = 3): string {
  return finite(v) ? v.toFixed(digits) : DASH;
}

/** A whole count with thousands separators. */
export function count(v: number | null | undefined): string {
  return finite(v) ? Math.round(v).toLocaleString('en-US') : DASH;
}

/** mean ± std with the same decimals for both; a single value (n = 1) has no spread to show. */
export function spread(s: SpreadLike, digits = 3): string {
  if (!s || !finite(s.mean)) return DASH;
  if (s.n === 1 || !finite(s.std)) return s.mean.toFixed(digits);
  return `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}`;
}

/** Score points (higher is safer). */
export function points(v: number | null | undefined): string {
  return finite(v) ? `${Math.round(v)} pts` : DASH;
}

/** Cost units per application (the cost matrix's own units). */
export function costPerApp(v: number | null | undefined): string {
  return finite(v) ? `${v.toFixed(3)} per application` : DASH;
}

export function dateTime(ms: number): string {
  return new Date(ms).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** Points-to-double-odds score of a PD (the same formula as lib/credit/creditModel.ts pdToScore). */
export function scoreOfPd(pd: number, scale: { baseScore: number; baseOdds: number; pdo: number }): number {
  const factor = scale.pdo / Math.LN2;
  const offset = scale.baseScore - factor * Math.log(scale.baseOdds);
  return offset + factor * Math.log((1 - pd) / pd);
}
