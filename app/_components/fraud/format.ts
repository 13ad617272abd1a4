// Number formats of the fraud pages: every figure with its unit (%, amount, count) and metrics as mean ± std.
// Stored reports are JSON, so a metric that could not be computed (one class only) arrives as null and shows "—".
// Pure functions: used by server pages and client components alike.

const DASH = '—';

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** 0.1234 → "12.3 %" (digits after the point) */
export function pct(v: number | null | undefined, digits = 1): string {
  return finite(v) ? `${(100 * v).toFixed(digits)} %` : DASH;
}

/** A fraud rate: small rates keep two significant decimals (0.0017 → "0.17 %"). */
export function rate(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  return pct(v, v < 0.01 ? 2 : 1);
}

export function fixed(v: number | null | undefined, digits = 3): string {
  return finite(v) ? v.toFixed(digits) : DASH;
}

/** A whole count with thousands separators. */
export function count(v: number | null | undefined): string {
  return finite(v) ? Math.round(v).toLocaleString('en-US') : DASH;
}

/** A transaction amount in the dataset's currency units, two decimals. */
export function amount(v: number | null | undefined): string {
  return finite(v) ? v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : DASH;
}

/** A fraud probability in [0, 1], three decimals. */
export function score(v: number | null | undefined): string {
  return finite(v) ? v.toFixed(3) : DASH;
}

export type SpreadLike = { mean: number | null; std: number | null; values?: unknown[] } | null | undefined;

/** mean ± std with the same decimals for both; the std is left out when there is one value. */
export function spread(s: SpreadLike, digits = 3): string {
  if (!s || !finite(s.mean)) return DASH;
  const n = s.values?.length ?? 2;
  return finite(s.std) && n > 1 ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : s.mean.toFixed(digits);
}

/** A signed difference: +0.012 / −0.034 */
export function signed(v: number | null | undefined, digits = 3): string {
  if (!finite(v)) return DASH;
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(digits)}`;
}

export function dateTime(ms: number): string {
  return `${new Date(ms).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })} UTC`;
}

/** An ISO timestamp as "2018-04-26 14:03:12 UTC". */
export function isoTime(iso: string): string {
  return `${iso.replace('T', ' ').slice(0, 19)} UTC`;
}

export function seconds(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  return v < 60 ? `${v.toFixed(1)} s` : `${Math.floor(v / 60)} min ${Math.round(v % 60)} s`;
}
