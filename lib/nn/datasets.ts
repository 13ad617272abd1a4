// The course's toy datasets (the TensorFlow Playground ones the lecture exercises use): XOR, circle, two Gaussian
// clusters and two noisy spirals, plus a sine regression. Points are 2-D (N, 2); labels are 0/1 as (N, 1).
// Everything is drawn from the Rng passed in, so a seed fixes the data.

import type { Rng } from './rng';

/** Samples as flat float32 arrays with their shapes; the first dimension is the sample index N. */
export interface Dataset {
  x: Float32Array;
  xShape: number[];
  y: Float32Array;
  yShape: number[];
}

export interface ToyDataConfig {
  /** Number of points (default 400). */
  samples?: number;
  /** Noise level in [0, 0.5], as the Playground's slider (default 0). */
  noise?: number;
}

function sizes(cfg: ToyDataConfig, name: string): [number, number] {
  const n = cfg.samples ?? 400;
  const noise = cfg.noise ?? 0;
  if (!Number.isInteger(n) || n < 2) throw new Error(`${name}: samples must be an integer ≥ 2, got ${n}`);
  if (!(noise >= 0 && noise <= 0.5)) throw new Error(`${name}: noise must be in [0, 0.5], got ${noise}`);
  return [n, noise];
}

function pointSet(n: number): Dataset {
  return { x: new Float32Array(n * 2), xShape: [n, 2], y: new Float32Array(n), yShape: [n, 1] };
}

/** The XOR truth table: (0,0)→0, (0,1)→1, (1,0)→1, (1,1)→0. */
export function xorTruthTable(): Dataset {
  return { x: Float32Array.of(0, 0, 0, 1, 1, 0, 1, 1), xShape: [4, 2], y: Float32Array.of(0, 1, 1, 0), yShape: [4, 1] };
}

/** Playground XOR: points uniform in [−5, 5]² pushed 0.3 off the axes; label 1 where x·y ≥ 0 (after noise). */
export function xorData(rng: Rng, cfg: ToyDataConfig = {}): Dataset {
  const [n, noise] = sizes(cfg, 'xorData');
  const d = pointSet(n);
  const padding = 0.3;
  for (let i = 0; i < n; i++) {
    let px = rng.range(-5, 5);
    px += px > 0 ? padding : -padding;
    let py = rng.range(-5, 5);
    py += py > 0 ? padding : -padding;
    const nx = rng.range(-5, 5) * noise;
    const ny = rng.range(-5, 5) * noise;
    d.x[2 * i] = px;
    d.x[2 * i + 1] = py;
    d.y[i] = (px + nx) * (py + ny) >= 0 ? 1 : 0;
  }
  return d;
}

/**
 * Playground circle: half the points at radius [0, 2.5] (label 1), half at [3.5, 5] (label 0); noise moves the
 * point used for labelling by up to noise·5, so labels near the gap flip.
 */
export function circleData(rng: Rng, cfg: ToyDataConfig = {}): Dataset {
  const [n, noise] = sizes(cfg, 'circleData');
  const radius = 5;
  const d = pointSet(n);
  for (let i = 0; i < n; i++) {
    const inner = i < n / 2;
    const r = inner ? rng.range(0, radius * 0.5) : rng.range(radius * 0.7, radius);
    const angle = rng.range(0, 2 * Math.PI);
    const px = r * Math.sin(angle);
    const py = r * Math.cos(angle);
    const nx = rng.range(-radius, radius) * noise;
    const ny = rng.range(-radius, radius) * noise;
    d.x[2 * i] = px;
    d.x[2 * i + 1] = py;
    d.y[i] = Math.hypot(px + nx, py + ny) < radius * 0.5 ? 1 : 0;
  }
  return d;
}

/**
 * Playground Gaussian clusters: label 1 around (2, 2), label 0 around (−2, −2), each coordinate with variance
 * 0.5 + 7·noise (0.5 at noise 0, 4 at noise 0.5).
 */
export function gaussianClustersData(rng: Rng, cfg: ToyDataConfig = {}): Dataset {
  const [n, noise] = sizes(cfg, 'gaussianClustersData');
  const std = Math.sqrt(0.5 + 7 * noise);
  const d = pointSet(n);
  for (let i = 0; i < n; i++) {
    const positive = i < n / 2;
    const c = positive ? 2 : -2;
    d.x[2 * i] = rng.normal(c, std);
    d.x[2 * i + 1] = rng.normal(c, std);
    d.y[i] = positive ? 1 : 0;
  }
  return d;
}

/**
 * Playground two spirals: for i < N/2, r = 5·i/(N/2), θ = 1.75·2π·i/(N/2) + δ with δ = 0 (label 1) or π
 * (label 0); each coordinate gets uniform noise in [−noise, noise], as the Playground.
 */
export function spiralData(rng: Rng, cfg: ToyDataConfig = {}): Dataset {
  const [n, noise] = sizes(cfg, 'spiralData');
  const d = pointSet(n);
  const half = Math.floor(n / 2);
  for (let i = 0; i < n; i++) {
    const first = i < half;
    const k = first ? i : i - half;
    const count = first ? half : n - half;
    const r = (5 * k) / count;
    const t = (1.75 * 2 * Math.PI * k) / count + (first ? 0 : Math.PI);
    d.x[2 * i] = r * Math.sin(t) + rng.range(-1, 1) * noise;
    d.x[2 * i + 1] = r * Math.cos(t) + rng.range(-1, 1) * noise;
    d.y[i] = first ? 1 : 0;
  }
  return d;
}

export interface SineDataConfig {
  /** Number of points (default 256). */
  samples?: number;
  /** Interval of x (default [−3, 3]). */
  lo?: number;
  hi?: number;
  /** Standard deviation of Gaussian noise added to y (default 0). */
  noiseStd?: number;
}

/** Regression toy: x uniform in [lo, hi], y = sin(x) + noise; shapes (N, 1) and (N, 1). */
export function sineData(rng: Rng, cfg: SineDataConfig = {}): Dataset {
  const n = cfg.samples ?? 256;
  const lo = cfg.lo ?? -3;
  const hi = cfg.hi ?? 3;
  const noiseStd = cfg.noiseStd ?? 0;
  if (!Number.isInteger(n) || n < 1) throw new Error(`sineData: samples must be an integer ≥ 1, got ${n}`);
  const d: Dataset = { x: new Float32Array(n), xShape: [n, 1], y: new Float32Array(n), yShape: [n, 1] };
  for (let i = 0; i < n; i++) {
    const x = rng.range(lo, hi);
    d.x[i] = x;
    d.y[i] = Math.sin(x) + (noiseStd > 0 ? rng.normal(0, noiseStd) : 0);
  }
  return d;
}

/** Rows [start, end) of a dataset, copied. */
export function sliceRows(d: Dataset, start: number, end: number): Dataset {
  const n = d.xShape[0];
  if (!(start >= 0 && end <= n && start <= end)) {
    throw new Error(`sliceRows: [${start}, ${end}) is outside the ${n} rows`);
  }
  const xRow = d.x.length / n;
  const yRow = d.y.length / n;
  return {
    x: d.x.slice(start * xRow, end * xRow),
    xShape: [end - start, ...d.xShape.slice(1)],
    y: d.y.slice(start * yRow, end * yRow),
    yShape: [end - start, ...d.yShape.slice(1)],
  };
}

/** The same rows in an order drawn from rng (the toy generators emit the classes in blocks). */
export function shuffleRows(d: Dataset, rng: Rng): Dataset {
  const n = d.xShape[0];
  const xRow = d.x.length / n;
  const yRow = d.y.length / n;
  const perm = rng.permutation(n);
  const x = new Float32Array(d.x.length);
  const y = new Float32Array(d.y.length);
  for (let i = 0; i < n; i++) {
    x.set(d.x.subarray(perm[i] * xRow, (perm[i] + 1) * xRow), i * xRow);
    y.set(d.y.subarray(perm[i] * yRow, (perm[i] + 1) * yRow), i * yRow);
  }
  return { x, xShape: d.xShape.slice(), y, yShape: d.yShape.slice() };
}
