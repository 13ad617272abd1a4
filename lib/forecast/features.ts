// Strictly causal features of a daily series: row t uses bars 0…t only. Lagged log returns, a volume z-score and
// technical indicators from the technicalindicators package, each turned into a scale-free number (a ratio to the
// price, a fraction), so one scaler suits every period of the series. Rows before an indicator's warm-up are NaN.
//
// technicalindicators returns each indicator's values for the bars where its window is full, so its output is
// aligned to the END of the input: output j belongs to bar (n − output length + j). Every indicator there is computed
// from trailing windows and recursions that start at the first bar (EMA seeds with an SMA, RSI/ATR use Wilder's
// smoothing), so a value at bar t depends on bars ≤ t only; test/forecast/features.test.ts checks that by changing
// the bars after t.

import { ATR, BollingerBands, EMA, MACD, OBV, ROC, RSI, SMA, Stochastic } from 'technicalindicators';
import type { AdjustedSeries } from '../data/prices';

/** Which features to build; null (or 0 lags) leaves one out. Periods are in trading days. */
export interface FeatureSpec {
  /** r_t, r_{t−1}, …: the last `returnLags` daily log returns r = ln(C_t / C_{t−1}) (0–60) */
  returnLags: number;
  /** (ln V_t − mean) / std of ln V over the trailing window ending at t; 0 when volume is constant */
  volumeZ: number | null;
  /** ln(C_t / SMA_t) */
  sma: number | null;
  /** ln(C_t / EMA_t) */
  ema: number | null;
  /** RSI / 100 − 0.5 */
  rsi: number | null;
  /** MACD line, signal and histogram, each divided by C_t */
  macd: { fast: number; slow: number; signal: number } | null;
  /** Bollinger %B − 0.5: where the close sits in the band (0 = middle) */
  bollinger: { period: number; stdDev: number } | null;
  /** ATR / C_t */
  atr: number | null;
  /** (OBV_t − OBV_{t−n}) / Σ_{t−n+1…t} V: the net signed volume of the last n days, in [−1, 1] */
  obv: number | null;
  /** rate of change ROC_t / 100 = C_t / C_{t−n} − 1 */
  roc: number | null;
  /** stochastic %K / 100 − 0.5 and %D / 100 − 0.5 */
  stochastic: { period: number; signal: number } | null;
}

export const DEFAULT_FEATURES: FeatureSpec = {
  returnLags: 5,
  volumeZ: 20,
  sma: null,
  ema: null,
  rsi: 14,
  macd: null,
  bollinger: null,
  atr: null,
  obv: null,
  roc: null,
  stochastic: null,
};

/** Every selectable feature with its settings and defaults, for the UI's checklist. */
export const FEATURE_CATALOG: {
  key: keyof FeatureSpec;
  label: string;
  description: string;
  defaults: FeatureSpec[keyof FeatureSpec];
}[] = [
  { key: 'returnLags', label: 'Lagged log returns', description: 'r_t … r_{t−k+1}', defaults: 5 },
  { key: 'volumeZ', label: 'Volume z-score', description: 'log volume vs its trailing mean / std', defaults: 20 },
  { key: 'sma', label: 'SMA', description: 'ln(close / simple moving average)', defaults: 20 },
  { key: 'ema', label: 'EMA', description: 'ln(close / exponential moving average)', defaults: 20 },
  { key: 'rsi', label: 'RSI', description: 'relative strength index / 100 − 0.5', defaults: 14 },
  {
    key: 'macd',
    label: 'MACD',
    description: 'MACD, signal and histogram / close',
    defaults: { fast: 12, slow: 26, signal: 9 },
  },
  {
    key: 'bollinger',
    label: 'Bollinger %B',
    description: 'position of the close in the Bollinger band − 0.5',
    defaults: { period: 20, stdDev: 2 },
  },
  { key: 'atr', label: 'ATR', description: 'average true range / close', defaults: 14 },
  { key: 'obv', label: 'OBV', description: 'net on-balance volume of the last n days / their volume', defaults: 20 },
  { key: 'roc', label: 'ROC', description: 'rate of change over n days', defaults: 10 },
  {
    key: 'stochastic',
    label: 'Stochastic',
    description: '%K and %D / 100 − 0.5',
    defaults: { period: 14, signal: 3 },
  },
];

/** Feature values by day: row t (one per bar) holds the features known at the close of day t. */
export interface FeatureMatrix {
  names: string[];
  /** T rows */
  rows: number;
  /** F columns */
  cols: number;
  /** (T, F) row-major; NaN where a feature is not defined yet */
  values: Float64Array;
  /** the first row from which every column is defined in the data as built (later NaNs are data problems) */
  warmup: number;
}

/** Checks a spec's numbers, naming the first bad one. */
export function validateFeatureSpec(spec: FeatureSpec): void {
  const bad = (what: string, v: unknown, rule: string): never => {
    throw new Error(`features: ${what} must be ${rule}, got ${JSON.stringify(v)}`);
  };
  const period = (what: string, v: number | null, min = 2, max = 500): void => {
    if (v !== null && !(Number.isInteger(v) && v >= min && v <= max)) bad(what, v, `an integer in [${min}, ${max}]`);
  };
  if (!(Number.isInteger(spec.returnLags) && spec.returnLags >= 0 && spec.returnLags <= 60)) {
    bad('returnLags', spec.returnLags, 'an integer in [0, 60]');
  }
  period('volumeZ', spec.volumeZ);
  period('sma', spec.sma);
  period('ema', spec.ema);
  period('rsi', spec.rsi);
  period('atr', spec.atr);
  period('obv', spec.obv, 1);
  period('roc', spec.roc, 1);
  if (spec.macd) {
    period('macd.fast', spec.macd.fast);
    period('macd.slow', spec.macd.slow);
    period('macd.signal', spec.macd.signal, 1);
    if (spec.macd.fast >= spec.macd.slow) bad('macd.fast', spec.macd.fast, `below macd.slow (${spec.macd.slow})`);
  }
  if (spec.bollinger) {
    period('bollinger.period', spec.bollinger.period);
    if (!(spec.bollinger.stdDev > 0 && spec.bollinger.stdDev <= 10))
      bad('bollinger.stdDev', spec.bollinger.stdDev, 'in (0, 10]');
  }
  if (spec.stochastic) {
    period('stochastic.period', spec.stochastic.period);
    period('stochastic.signal', spec.stochastic.signal, 1);
  }
}

/** Builds the features of the whole series; row t depends on bars 0…t only. */
export function buildFeatures(s: AdjustedSeries, spec: FeatureSpec): FeatureMatrix {
  validateFeatureSpec(spec);
  const n = s.close.length;
  const close = Array.from(s.close);
  const high = Array.from(s.high);
  const low = Array.from(s.low);
  const volume = Array.from(s.volume);
  const columns: { name: string; values: Float64Array }[] = [];
  const column = (name: string): Float64Array => {
    const v = new Float64Array(n).fill(Number.NaN);
    columns.push({ name, values: v });
    return v;
  };
  /** writes an end-aligned indicator output into a column through f(value, bar) */
  const endAligned = <T>(name: string, out: T[], f: (v: T, t: number) => number): void => {
    const col = column(name);
    const offset = n - out.length;
    for (let j = 0; j < out.length; j++) col[offset + j] = f(out[j], offset + j);
  };

  const ret = new Float64Array(n).fill(Number.NaN);
  for (let t = 1; t < n; t++) ret[t] = Math.log(close[t] / close[t - 1]);
  for (let k = 0; k < spec.returnLags; k++) {
    const col = column(`ret_lag${k + 1}`); // lag 1 is today's return r_t
    for (let t = k; t < n; t++) col[t] = ret[t - k];
  }
  if (spec.volumeZ !== null) {
    const w = spec.volumeZ;
    const col = column(`volume_z${w}`);
    const lv = volume.map((v) => Math.log(v + 1));
    for (let t = w - 1; t < n; t++) {
      let m = 0;
      for (let i = t - w + 1; i <= t; i++) m += lv[i];
      m /= w;
      let ss = 0;
      for (let i = t - w + 1; i <= t; i++) ss += (lv[i] - m) ** 2;
      const sd = Math.sqrt(ss / (w - 1));
      // a constant window has no spread: z = 0; a NaN volume stays NaN (findBadFeature then names it)
      col[t] = Number.isNaN(sd) ? Number.NaN : sd > 0 ? (lv[t] - m) / sd : 0;
    }
  }
  if (spec.sma !== null && n >= spec.sma) {
    endAligned(`sma${spec.sma}`, SMA.calculate({ period: spec.sma, values: close }), (v, t) => Math.log(close[t] / v));
  } else if (spec.sma !== null) column(`sma${spec.sma}`);
  if (spec.ema !== null && n >= spec.ema) {
    endAligned(`ema${spec.ema}`, EMA.calculate({ period: spec.ema, values: close }), (v, t) => Math.log(close[t] / v));
  } else if (spec.ema !== null) column(`ema${spec.ema}`);
  if (spec.rsi !== null) {
    endAligned(
      `rsi${spec.rsi}`,
      n > spec.rsi ? RSI.calculate({ period: spec.rsi, values: close }) : [],
      (v) => v / 100 - 0.5,
    );
  }
  if (spec.macd !== null) {
    const { fast, slow, signal } = spec.macd;
    const out =
      n >= slow
        ? MACD.calculate({
            values: close,
            fastPeriod: fast,
            slowPeriod: slow,
            signalPeriod: signal,
            SimpleMAOscillator: false,
            SimpleMASignal: false,
          })
        : [];
    const nan = Number.NaN;
    endAligned('macd', out, (v, t) => (v.MACD ?? nan) / close[t]);
    endAligned('macd_signal', out, (v, t) => (v.signal ?? nan) / close[t]);
    endAligned('macd_hist', out, (v, t) => (v.histogram ?? nan) / close[t]);
  }
  if (spec.bollinger !== null) {
    const { period, stdDev } = spec.bollinger;
    const out = n >= period ? BollingerBands.calculate({ period, stdDev, values: close }) : [];
    // %B is undefined when the band has no width (a constant window); the package then gives NaN or ±Infinity
    endAligned(`bollinger_pb${period}`, out, (v) => (Number.isFinite(v.pb) ? v.pb - 0.5 : Number.NaN));
  }
  if (spec.atr !== null) {
    const p = spec.atr;
    endAligned(`atr${p}`, n > p ? ATR.calculate({ period: p, high, low, close }) : [], (v, t) => v / close[t]);
  }
  if (spec.obv !== null) {
    const w = spec.obv;
    const obv = new Float64Array(n).fill(Number.NaN);
    const out = n > 1 ? OBV.calculate({ close, volume }) : [];
    // the package's OBV starts at bar 1 (bar 0 has no previous close); anchor OBV_0 = 0
    obv[0] = 0;
    const offset = n - out.length;
    for (let j = 0; j < out.length; j++) obv[offset + j] = out[j];
    const col = column(`obv${w}`);
    for (let t = w; t < n; t++) {
      let vol = 0;
      for (let i = t - w + 1; i <= t; i++) vol += volume[i];
      col[t] = Number.isNaN(vol) ? Number.NaN : vol > 0 ? (obv[t] - obv[t - w]) / vol : 0;
    }
  }
  if (spec.roc !== null) {
    const p = spec.roc;
    endAligned(`roc${p}`, n > p ? ROC.calculate({ period: p, values: close }) : [], (v) => v / 100);
  }
  if (spec.stochastic !== null) {
    const { period, signal } = spec.stochastic;
    const out = n >= period ? Stochastic.calculate({ period, signalPeriod: signal, high, low, close }) : [];
    const nan = Number.NaN;
    endAligned(`stoch_k${period}`, out, (v) => (Number.isFinite(v.k) ? v.k / 100 - 0.5 : nan));
    endAligned(`stoch_d${period}`, out, (v) => (v.d === undefined || !Number.isFinite(v.d) ? nan : v.d / 100 - 0.5));
  }
  if (columns.length === 0) throw new Error('features: select at least one feature');
  return assemble(columns, n);
}

function assemble(columns: { name: string; values: Float64Array }[], n: number): FeatureMatrix {
  const f = columns.length;
  const values = new Float64Array(n * f);
  for (let c = 0; c < f; c++) {
    const v = columns[c].values;
    for (let t = 0; t < n; t++) values[t * f + c] = v[t];
  }
  // warm-up: the first row after which each column has been defined at least once
  let warmup = 0;
  for (let c = 0; c < f; c++) {
    const v = columns[c].values;
    let first = 0;
    while (first < n && !Number.isFinite(v[first])) first++;
    warmup = Math.max(warmup, first);
  }
  return { names: columns.map((c) => c.name), rows: n, cols: f, values, warmup };
}

/** A copy of m with one more column (e.g. a deliberately leaked one in the leak-canary test). */
export function appendFeature(m: FeatureMatrix, name: string, column: ArrayLike<number>): FeatureMatrix {
  if (column.length !== m.rows)
    throw new Error(`appendFeature: ${name} has ${column.length} values for ${m.rows} rows`);
  const cols: { name: string; values: Float64Array }[] = m.names.map((nm, c) => {
    const v = new Float64Array(m.rows);
    for (let t = 0; t < m.rows; t++) v[t] = m.values[t * m.cols + c];
    return { name: nm, values: v };
  });
  cols.push({ name, values: Float64Array.from(column) });
  return assemble(cols, m.rows);
}

/**
 * The first row ≥ from (and < to) with a non-finite feature, as a message naming the feature and date, or null.
 * Backtests call it on every row they use, so a NaN from bad data stops the run with a clear reason.
 */
export function findBadFeature(m: FeatureMatrix, dates: readonly string[], from: number, to: number): string | null {
  for (let t = from; t < to; t++) {
    for (let c = 0; c < m.cols; c++) {
      const v = m.values[t * m.cols + c];
      if (!Number.isFinite(v)) {
        return `feature ${m.names[c]} is ${v} on ${dates[t]} (row ${t + 1} of ${m.rows}); check the prices around that day`;
      }
    }
  }
  return null;
}
