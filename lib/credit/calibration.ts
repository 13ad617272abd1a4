// Calibration: maps a model's raw score z (its logit) to a probability of default, fit on held-out predictions.
//   platt     pd = σ(a·z + b), a and b minimising the log loss on Platt's smoothed targets
//             t₊ = (B + 1)/(B + 2) for bads, t₋ = 1/(G + 2) for goods (Platt 1999; Lin, Lin & Weng 2007), by Newton
//             steps with step halving;
//   isotonic  the pool-adjacent-violators fit of the bad indicator on z — the non-decreasing step function with the
//             least squared error — joined linearly between the ends of neighbouring blocks and clipped outside the
//             fitted range (as scikit-learn's IsotonicRegression with out_of_bounds='clip');
//   none      pd = σ(z).
// Calibrated PDs are clipped to [PD_MIN, PD_MAX], so a score and a log loss always exist.

export const PD_MIN = 0.001;
export const PD_MAX = 0.999;

export type CalibrationMethod = 'platt' | 'isotonic' | 'none';

export type Calibrator =
  | { method: 'none' }
  | { method: 'platt'; a: number; b: number }
  /** knots (x ascending, y non-decreasing) of the piecewise-linear isotonic map */
  | { method: 'isotonic'; x: number[]; y: number[] };

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function logit(p: number): number {
  return Math.log(p / (1 - p));
}

function clipPd(p: number): number {
  return Math.min(PD_MAX, Math.max(PD_MIN, p));
}

/** Platt scaling fit on scores z and labels y (1 = bad). */
export function fitPlatt(z: ArrayLike<number>, y: ArrayLike<number>): Calibrator {
  const n = z.length;
  let bads = 0;
  for (let i = 0; i < n; i++) bads += y[i];
  const goods = n - bads;
  if (bads === 0 || goods === 0) throw new Error('fitPlatt: needs both bads and goods');
  const hi = (bads + 1) / (bads + 2);
  const lo = 1 / (goods + 2);
  const t = Float64Array.from({ length: n }, (_, i) => (y[i] === 1 ? hi : lo));
  // objective: Σ −[t ln p + (1 − t) ln(1 − p)], p = σ(a z + b)
  const loss = (a: number, b: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const u = a * z[i] + b;
      // −[t ln σ(u) + (1 − t) ln σ(−u)] = ln(1 + e^u) − t·u, computed stably
      s += (u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u))) - t[i] * u;
    }
    return s;
  };
  let a = 1;
  let b = Math.log((bads + 1) / (goods + 1));
  let f = loss(a, b);
  for (let iter = 0; iter < 100; iter++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < n; i++) {
      const p = sigmoid(a * z[i] + b);
      const r = p - t[i];
      const w = p * (1 - p);
      ga += r * z[i];
      gb += r;
      haa += w * z[i] * z[i];
      hab += w * z[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(Math.abs(det) > 0)) break;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    let step = 1;
    let improved = false;
    while (step > 1e-10) {
      const na = a - step * da;
      const nb = b - step * db;
      const nf = loss(na, nb);
      if (nf <= f + 1e-12) {
        improved = f - nf > 1e-12 * Math.max(1, Math.abs(f));
        a = na;
        b = nb;
        f = nf;
        break;
      }
      step /= 2;
    }
    if (!improved || Math.abs(ga) + Math.abs(gb) < 1e-9) break;
  }
  return { method: 'platt', a, b };
}

/** Isotonic regression (PAV) of the bad indicator on the scores. */
export function fitIsotonic(z: ArrayLike<number>, y: ArrayLike<number>): Calibrator {
  const n = z.length;
  if (n === 0) throw new Error('fitIsotonic: no predictions');
  const idx = Array.from({ length: n }, (_, i) => i).sort((p, q) => z[p] - z[q] || p - q);
  // blocks of equal z first (a step function cannot split tied scores), then pooled while they violate the order
  type Block = { lo: number; hi: number; sum: number; w: number };
  const blocks: Block[] = [];
  for (let i = 0; i < n; ) {
    let j = i;
    let sum = 0;
    while (j < n && z[idx[j]] === z[idx[i]]) sum += y[idx[j++]];
    blocks.push({ lo: z[idx[i]], hi: z[idx[i]], sum, w: j - i });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1];
      const prev = blocks[blocks.length - 2];
      if (prev.sum / prev.w < last.sum / last.w) break;
      blocks.pop();
      prev.hi = last.hi;
      prev.sum += last.sum;
      prev.w += last.w;
    }
    i = j;
  }
  const x: number[] = [];
  const v: number[] = [];
  for (const b of blocks) {
    const m = b.sum / b.w;
    x.push(b.lo);
    v.push(m);
    if (b.hi > b.lo) {
      x.push(b.hi);
      v.push(m);
    }
  }
  return { method: 'isotonic', x, y: v };
}

export function fitCalibrator(method: CalibrationMethod, z: ArrayLike<number>, y: ArrayLike<number>): Calibrator {
  if (method === 'platt') return fitPlatt(z, y);
  if (method === 'isotonic') return fitIsotonic(z, y);
  return { method: 'none' };
}

/** The calibrated PD of one raw score. */
export function calibrate(c: Calibrator, z: number): number {
  if (c.method === 'none') return clipPd(sigmoid(z));
  if (c.method === 'platt') return clipPd(sigmoid(c.a * z + c.b));
  const { x, y } = c;
  if (z <= x[0]) return clipPd(y[0]);
  if (z >= x[x.length - 1]) return clipPd(y[y.length - 1]);
  let lo = 0;
  let hi = x.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= z) lo = mid;
    else hi = mid;
  }
  const t = (z - x[lo]) / (x[hi] - x[lo]);
  return clipPd(y[lo] + t * (y[hi] - y[lo]));
}

export function calibrateAll(c: Calibrator, z: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: z.length }, (_, i) => calibrate(c, z[i]));
}

/**
 * Cross-fitted calibration of out-of-fold scores: the PDs of fold k come from a calibrator fit on the other folds'
 * scores and labels only, so no row's own label shapes its calibrated PD.
 */
export function crossFitCalibration(
  method: CalibrationMethod,
  z: ArrayLike<number>,
  y: ArrayLike<number>,
  foldOf: ArrayLike<number>,
  folds: number,
): Float64Array {
  const out = new Float64Array(z.length);
  for (let k = 0; k < folds; k++) {
    const zs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < z.length; i++) {
      if (foldOf[i] !== k) {
        zs.push(z[i]);
        ys.push(y[i]);
      }
    }
    const c = fitCalibrator(method, zs, ys);
    for (let i = 0; i < z.length; i++) if (foldOf[i] === k) out[i] = calibrate(c, z[i]);
  }
  return out;
}
