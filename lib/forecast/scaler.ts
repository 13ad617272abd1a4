// Per-feature standardisation fitted on one fold's training rows only: z = (x − mean) / std, where mean and std
// (population, divisor n) come from rows first…last of the feature matrix. The state records which rows it saw, so
// a test can assert that no row at or after the test period reached it.

import type { FeatureMatrix } from './features';

export interface ScalerState {
  mean: number[];
  /** 1 where a column was constant on the fitted rows (it then scales to 0) */
  std: number[];
  /** the feature rows (days) the statistics were computed from, inclusive */
  fittedRows: { first: number; last: number; count: number };
}

export function fitScaler(m: FeatureMatrix, first: number, last: number): ScalerState {
  if (!(first >= 0 && last >= first && last < m.rows)) {
    throw new Error(`fitScaler: rows ${first}…${last} are outside the ${m.rows} feature rows`);
  }
  const f = m.cols;
  const count = last - first + 1;
  const mean = new Array<number>(f).fill(0);
  const std = new Array<number>(f).fill(0);
  for (let t = first; t <= last; t++) for (let c = 0; c < f; c++) mean[c] += m.values[t * f + c];
  for (let c = 0; c < f; c++) mean[c] /= count;
  for (let t = first; t <= last; t++) for (let c = 0; c < f; c++) std[c] += (m.values[t * f + c] - mean[c]) ** 2;
  for (let c = 0; c < f; c++) {
    const sd = Math.sqrt(std[c] / count);
    std[c] = sd > 1e-12 ? sd : 1;
  }
  return { mean, std, fittedRows: { first, last, count } };
}

/** Scaled feature row t written into out at offset. */
export function scaleRowInto(m: FeatureMatrix, s: ScalerState, t: number, out: Float32Array, offset: number): void {
  const f = m.cols;
  for (let c = 0; c < f; c++) out[offset + c] = (m.values[t * f + c] - s.mean[c]) / s.std[c];
}
