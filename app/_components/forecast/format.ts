// Number formats of the Forecast pages: every figure with its unit (price, %, days, σ-free ratios) and metrics over
// seeds as mean ± std. Stored results are JSON, so a metric that was undefined (no directional calls, one seed)
// arrives as null and is shown as "—".

const DASH = '—';

export type Spread = { mean: number | null; std: number | null } | null | undefined;

function finite(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** 0.1234 → "12.34 %" */
export function pct(v: number | null | undefined, digits = 2): string {
  return finite(v) ? `${(100 * v).toFixed(digits)} %` : DASH;
}

/** A plain number with fixed decimals. */
export function fixed(v: number | null | undefined, digits = 3): string {
  return finite(v) ? v.toFixed(digits) : DASH;
}

/** A price in the dataset's own currency units (the CSV does not say which). */
export function price(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  return v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: Math.abs(v) < 10 ? 4 : 2 });
}

/** A whole count with thousands separators. */
export function count(v: number | null | undefined): string {
  return finite(v) ? Math.round(v).toLocaleString('en-US') : DASH;
}

export function days(v: number | null | undefined): string {
  return finite(v) ? `${count(v)} d` : DASH;
}

/** A p-value: 4 decimals, or "< 0.0001". */
export function pValue(v: number | null | undefined): string {
  if (!finite(v)) return DASH;
  return v < 1e-4 ? '< 0.0001' : v.toFixed(4);
}

/** mean ± std with one formatter for both (std left out when there is one seed or none). */
export function spread(s: Spread, fmt: (v: number) => string, showStd = true): string {
  if (!s || !finite(s.mean)) return DASH;
  return showStd && finite(s.std) ? `${fmt(s.mean)} ± ${fmt(s.std)}` : fmt(s.mean);
}

export function dateTime(ms: number): string {
  return new Date(ms).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

export function duration(ms: number | null | undefined): string {
  if (!finite(ms)) return DASH;
  const s = ms / 1000;
  if (s < 1) return `${Math.round(ms)} ms`;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}
