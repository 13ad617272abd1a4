// The forecast target: the log return over the next h trading days, y_t = ln(C_{t+h} / C_t), known at the close of
// day t + h; and its conversion back to a price, P̂_{t+h} = C_t · exp(ŷ_t).

export const HORIZONS = [1, 5, 20] as const;
export type Horizon = (typeof HORIZONS)[number];

/** y_t for every day; NaN for the last h days, whose future is not in the data. */
export function horizonReturns(close: ArrayLike<number>, h: number): Float64Array {
  if (!(Number.isInteger(h) && h >= 1)) throw new Error(`horizon must be a positive integer, got ${h}`);
  const n = close.length;
  const y = new Float64Array(n).fill(Number.NaN);
  for (let t = 0; t + h < n; t++) y[t] = Math.log(close[t + h] / close[t]);
  return y;
}

/** The price a log-return forecast implies: base · exp(r). */
export function priceFromLogReturn(base: number, r: number): number {
  return base * Math.exp(r);
}
