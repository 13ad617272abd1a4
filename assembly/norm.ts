// Layer norm on f32x4 vectors: the semantics of lib/nn/kernels/norm.ts layerNormForward / layerNormBackward over
// byte addresses (rows, cols) row-major. Sums run in float32 lanes (TypeScript sums in float64): over a row of n
// values they differ by ~√n·2⁻²⁴ relative. Nothing here writes a global; a row range is one call with the row
// buffers (x, out, xhat, invStd, dy, dx) advanced to its first row.

import { hsum } from './vmath';

/** Per row: mean and biased variance (÷ cols), invStd = 1/√(variance + eps), xhat = (x − mean)·invStd, out = γ·xhat + β. */
export function layerNormForward(
  x: usize,
  gamma: usize,
  beta: usize,
  rows: i32,
  cols: i32,
  eps: f64,
  out: usize,
  xhat: usize,
  invStd: usize,
): void {
  const rowBytes = (<usize>cols) << 2;
  const n = <f32>cols;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    const xr = x + o;
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= cols; j += 4) acc = f32x4.add(acc, v128.load(xr + ((<usize>j) << 2)));
    let sum = inline.always(hsum(acc));
    for (; j < cols; j++) sum += load<f32>(xr + ((<usize>j) << 2));
    const mean = sum / n;
    const mv = f32x4.splat(mean);
    // two passes: Σ(x − mean)² does not cancel catastrophically as E[x²] − mean² would
    acc = f32x4.splat(0);
    j = 0;
    for (; j + 4 <= cols; j += 4) {
      const d = f32x4.sub(v128.load(xr + ((<usize>j) << 2)), mv);
      acc = f32x4.add(acc, f32x4.mul(d, d));
    }
    let sq = inline.always(hsum(acc));
    for (; j < cols; j++) {
      const d = load<f32>(xr + ((<usize>j) << 2)) - mean;
      sq += d * d;
    }
    const s = <f32>(1 / Math.sqrt(<f64>(sq / n) + eps));
    store<f32>(invStd + ((<usize>r) << 2), s);
    const sv = f32x4.splat(s);
    const hr = xhat + o;
    const outR = out + o;
    j = 0;
    for (; j + 4 <= cols; j += 4) {
      const c = (<usize>j) << 2;
      const hv = f32x4.mul(f32x4.sub(v128.load(xr + c), mv), sv);
      v128.store(hr + c, hv);
      v128.store(outR + c, f32x4.add(f32x4.mul(v128.load(gamma + c), hv), v128.load(beta + c)));
    }
    for (; j < cols; j++) {
      const c = (<usize>j) << 2;
      const hv = (load<f32>(xr + c) - mean) * s;
      store<f32>(hr + c, hv);
      store<f32>(outR + c, load<f32>(gamma + c) * hv + load<f32>(beta + c));
    }
  }
}

/**
 * Backward of layer norm, accumulating: with d = dy·γ, per row dx += invStd·(d − Σ_j d / cols − xhat·Σ_j d·xhat / cols);
 * dgamma += Σ_r dy·xhat; dbeta += Σ_r dy. dx, dgamma, dbeta: 0 skips one.
 */
export function layerNormBackward(
  dy: usize,
  xhat: usize,
  gamma: usize,
  invStd: usize,
  rows: i32,
  cols: i32,
  dx: usize,
  dgamma: usize,
  dbeta: usize,
): void {
  const rowBytes = (<usize>cols) << 2;
  const n = <f32>cols;
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    const gr = dy + o;
    const hr = xhat + o;
    let j = 0;
    if (dgamma !== 0 || dbeta !== 0) {
      for (; j + 4 <= cols; j += 4) {
        const c = (<usize>j) << 2;
        const g = v128.load(gr + c);
        if (dgamma !== 0) v128.store(dgamma + c, f32x4.add(v128.load(dgamma + c), f32x4.mul(g, v128.load(hr + c))));
        if (dbeta !== 0) v128.store(dbeta + c, f32x4.add(v128.load(dbeta + c), g));
      }
      for (; j < cols; j++) {
        const c = (<usize>j) << 2;
        const g = load<f32>(gr + c);
        if (dgamma !== 0) store<f32>(dgamma + c, load<f32>(dgamma + c) + g * load<f32>(hr + c));
        if (dbeta !== 0) store<f32>(dbeta + c, load<f32>(dbeta + c) + g);
      }
    }
    if (dx === 0) continue;
    let accD = f32x4.splat(0);
    let accDH = f32x4.splat(0);
    j = 0;
    for (; j + 4 <= cols; j += 4) {
      const c = (<usize>j) << 2;
      const d = f32x4.mul(v128.load(gr + c), v128.load(gamma + c));
      accD = f32x4.add(accD, d);
      accDH = f32x4.add(accDH, f32x4.mul(d, v128.load(hr + c)));
    }
    let sumD = inline.always(hsum(accD));
    let sumDH = inline.always(hsum(accDH));
    for (; j < cols; j++) {
      const c = (<usize>j) << 2;
      const d = load<f32>(gr + c) * load<f32>(gamma + c);
      sumD += d;
      sumDH += d * load<f32>(hr + c);
    }
    const meanD = sumD / n;
    const meanDH = sumDH / n;
    const s = load<f32>(invStd + ((<usize>r) << 2));
    const mdv = f32x4.splat(meanD);
    const mhv = f32x4.splat(meanDH);
    const sv = f32x4.splat(s);
    const xr = dx + o;
    j = 0;
    for (; j + 4 <= cols; j += 4) {
      const c = (<usize>j) << 2;
      const d = f32x4.mul(v128.load(gr + c), v128.load(gamma + c));
      const t = f32x4.sub(f32x4.sub(d, mdv), f32x4.mul(v128.load(hr + c), mhv));
      v128.store(xr + c, f32x4.add(v128.load(xr + c), f32x4.mul(sv, t)));
    }
    for (; j < cols; j++) {
      const c = (<usize>j) << 2;
      const d = load<f32>(gr + c) * load<f32>(gamma + c);
      store<f32>(xr + c, load<f32>(xr + c) + s * (d - meanD - load<f32>(hr + c) * meanDH));
    }
  }
}
