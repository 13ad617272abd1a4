// Daily price bars: the domain type every importer produces and every forecast reads, and the adjusted series
// (splits and dividends folded into every price) that returns are computed from.

/** One trading day. Prices are as quoted (unadjusted); adjClose is the provider's split- and dividend-adjusted close. */
export interface PriceBar {
  /** ISO 'YYYY-MM-DD' */
  date: string;
  open: number;
  high: number;
  low: number;
  close: number;
  /** null when the source has no adjusted close */
  adjClose: number | null;
  /** shares traded; may be fractional in some sources */
  volume: number;
}

/** Bars as parallel arrays, ascending by date, with every price adjusted; what features and backtests read. */
export interface AdjustedSeries {
  dates: string[];
  open: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume: Float64Array;
  /** whether an adjusted close was used (else the raw prices are used as they are) */
  adjusted: boolean;
}

/**
 * The bars (ascending, as stored) with prices adjusted: when every bar has adjClose, each day's open/high/low/close
 * is multiplied by adjClose / close of that day, so a split or dividend does not show up as a return. Volume is
 * left as reported.
 */
export function adjustedSeries(bars: readonly PriceBar[]): AdjustedSeries {
  const n = bars.length;
  const adjusted = n > 0 && bars.every((b) => b.adjClose !== null);
  const s: AdjustedSeries = {
    dates: new Array<string>(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
    adjusted,
  };
  for (let i = 0; i < n; i++) {
    const b = bars[i];
    if (i > 0 && !(b.date > bars[i - 1].date)) {
      throw new Error(`adjustedSeries: bars must be ascending by date; ${b.date} follows ${bars[i - 1].date}`);
    }
    const f = adjusted ? (b.adjClose as number) / b.close : 1;
    s.dates[i] = b.date;
    s.open[i] = b.open * f;
    s.high[i] = b.high * f;
    s.low[i] = b.low * f;
    s.close[i] = b.close * f;
    s.volume[i] = b.volume;
  }
  return s;
}
