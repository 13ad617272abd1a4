// Fused loss kernels: each computes, in one pass, the per-unit losses l[u] and their derivatives ∂l/∂pred, plus
// the helpers that build per-unit weights and reduce them into a weighted mean. A unit is one loss term: an
// element for element-wise losses, a row for cross-entropy.

/** Which element-wise regression loss regressionLossElements computes. */
export enum RegressionLoss {
  Mse = 0,
  Mae = 1,
  Huber = 2,
}

/**
 * For d = pred − target: MSE l = d², ∂l/∂pred = 2d; MAE l = |d|, sign(d) (0 at d = 0); Huber (delta) l = ½d² for
 * |d| ≤ delta else delta·(|d| − ½delta), ∂l/∂pred = d clipped to [−delta, delta].
 */
export function regressionLossElements(
  kind: RegressionLoss,
  pred: Float32Array,
  target: Float32Array,
  loss: Float32Array,
  dPred: Float32Array,
  n: number,
  delta = 1,
): void {
  switch (kind) {
    case RegressionLoss.Mse:
      for (let i = 0; i < n; i++) {
        const d = pred[i] - target[i];
        loss[i] = d * d;
        dPred[i] = 2 * d;
      }
      break;
    case RegressionLoss.Mae:
      for (let i = 0; i < n; i++) {
        const d = pred[i] - target[i];
        loss[i] = Math.abs(d);
        dPred[i] = d > 0 ? 1 : d < 0 ? -1 : 0;
      }
      break;
    case RegressionLoss.Huber:
      for (let i = 0; i < n; i++) {
        const d = pred[i] - target[i];
        const a = Math.abs(d);
        if (a <= delta) {
          loss[i] = 0.5 * d * d;
          dPred[i] = d;
        } else {
          loss[i] = delta * (a - 0.5 * delta);
          dPred[i] = d > 0 ? delta : -delta;
        }
      }
      break;
  }
}

/**
 * Pinball (quantile) loss: pred (rows, q) of quantile forecasts, target (rows), quantiles (q) in (0, 1).
 * With u = target − pred: l = max(τu, (τ − 1)u); ∂l/∂pred = −τ for u > 0, 1 − τ for u ≤ 0.
 */
export function pinballLossElements(
  pred: Float32Array,
  target: Float32Array,
  quantiles: Float32Array,
  loss: Float32Array,
  dPred: Float32Array,
  rows: number,
  q: number,
): void {
  for (let r = 0; r < rows; r++) {
    const y = target[r];
    const b = r * q;
    for (let j = 0; j < q; j++) {
      const tau = quantiles[j];
      const u = y - pred[b + j];
      if (u > 0) {
        loss[b + j] = tau * u;
        dPred[b + j] = -tau;
      } else {
        loss[b + j] = (tau - 1) * u;
        dPred[b + j] = 1 - tau;
      }
    }
  }
}

/**
 * Binary cross-entropy on logits z with targets y ∈ [0, 1] and positive-class weight p (PyTorch pos_weight):
 * l = (1 − y)·z + (1 + (p − 1)·y)·softplus(−z), softplus(−z) = log1p(e^−|z|) + max(−z, 0), finite for any z
 * (p = 1 gives max(z, 0) − z·y + log1p(e^−|z|)). ∂l/∂z = (1 − y) − (1 + (p − 1)·y)·σ(−z).
 */
export function bceWithLogitsElements(
  z: Float32Array,
  y: Float32Array,
  posWeight: number,
  loss: Float32Array,
  dz: Float32Array,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const v = z[i];
    const t = y[i];
    const e = Math.exp(-Math.abs(v)); // ≤ 1: never overflows
    const softplusNeg = Math.log1p(e) + (v < 0 ? -v : 0);
    const sigmoidNeg = v >= 0 ? e / (1 + e) : 1 / (1 + e); // σ(−z)
    const logWeight = 1 + (posWeight - 1) * t;
    loss[i] = (1 - t) * v + logWeight * softplusNeg;
    dz[i] = 1 - t - logWeight * sigmoidNeg;
  }
}

/**
 * Binary focal loss on logits (Lin et al. 2017, as torchvision's sigmoid_focal_loss):
 * l = α_t·(1 − p_t)^γ·ce, ce = BCE-with-logits, p = σ(z), p_t = p·y + (1 − p)(1 − y), α_t = α·y + (1 − α)(1 − y)
 * (alpha < 0 turns the α-balancing off). 1 − p_t = y·σ(−z) + (1 − y)·σ(z) is computed from both stable sigmoids,
 * so it keeps precision when p is within float64 epsilon of 1.
 * ∂l/∂z = α_t·(γ(1 − p_t)^(γ−1)·p(1 − p)(1 − 2y)·ce + (1 − p_t)^γ·(p − y)).
 */
export function focalWithLogitsElements(
  z: Float32Array,
  y: Float32Array,
  gamma: number,
  alpha: number,
  loss: Float32Array,
  dz: Float32Array,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const v = z[i];
    const t = y[i];
    const e = Math.exp(-Math.abs(v));
    const p = v >= 0 ? 1 / (1 + e) : e / (1 + e); // σ(z)
    const pNeg = v >= 0 ? e / (1 + e) : 1 / (1 + e); // σ(−z) = 1 − p
    const ce = Math.log1p(e) + Math.max(v, 0) - v * t;
    const q = t * pNeg + (1 - t) * p; // 1 − p_t
    const m = gamma === 0 ? 1 : q ** gamma;
    const dm = gamma === 0 || q === 0 ? 0 : gamma * q ** (gamma - 1) * p * pNeg * (1 - 2 * t);
    const at = alpha < 0 ? 1 : alpha * t + (1 - alpha) * (1 - t);
    loss[i] = at * m * ce;
    dz[i] = at * (dm * ce + m * (p - t));
  }
}

/**
 * Softmax cross-entropy per row of logits (rows, cols): l = Σ_j t_j·(lse − z_j) with lse = log Σ_j e^z_j
 * (max-shifted), ∂l/∂z_j = softmax_j·Σt − t_j. Targets are class indices `labels` (rows; t one-hot) or, when
 * labels is null, target distributions / one-hot rows `targets` (rows, cols).
 */
export function crossEntropyRows(
  logits: Float32Array,
  labels: Int32Array | null,
  targets: Float32Array | null,
  loss: Float32Array,
  dLogits: Float32Array,
  rows: number,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    const b = r * cols;
    let mx = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < cols; j++) if (logits[b + j] > mx) mx = logits[b + j];
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(logits[b + j] - mx);
      dLogits[b + j] = e;
      s += e;
    }
    const lse = mx + Math.log(s);
    const inv = 1 / s;
    if (labels !== null) {
      const k = labels[r];
      for (let j = 0; j < cols; j++) dLogits[b + j] *= inv;
      dLogits[b + k] -= 1;
      loss[r] = lse - logits[b + k];
    } else {
      const t = targets as Float32Array;
      let mass = 0;
      let l = 0;
      for (let j = 0; j < cols; j++) {
        mass += t[b + j];
        l += t[b + j] * (lse - logits[b + j]);
      }
      for (let j = 0; j < cols; j++) dLogits[b + j] = dLogits[b + j] * inv * mass - t[b + j];
      loss[r] = l;
    }
  }
}

/** weights[u] = rowWeights[⌊u / unitsPerRow⌋]: per-sample weights spread over each sample's units. */
export function spreadRowWeights(
  rowWeights: Float32Array,
  weights: Float32Array,
  rows: number,
  unitsPerRow: number,
): void {
  for (let r = 0; r < rows; r++) {
    const w = rowWeights[r];
    const b = r * unitsPerRow;
    for (let j = 0; j < unitsPerRow; j++) weights[b + j] = w;
  }
}

/** weights[i] *= y[i]·w1 + (1 − y[i])·w0: binary class weights, interpolated for soft targets. */
export function mulBinaryClassWeights(y: Float32Array, w0: number, w1: number, weights: Float32Array, n: number): void {
  for (let i = 0; i < n; i++) weights[i] *= y[i] * w1 + (1 - y[i]) * w0;
}

/**
 * weights[r] *= classWeights[labels[r]], or Σ_j targets[r, j]·classWeights[j] for target distributions
 * (equal to the label's weight for one-hot rows).
 */
export function mulLabelClassWeights(
  labels: Int32Array | null,
  targets: Float32Array | null,
  classWeights: Float32Array,
  weights: Float32Array,
  rows: number,
  cols: number,
): void {
  if (labels !== null) {
    for (let r = 0; r < rows; r++) weights[r] *= classWeights[labels[r]];
    return;
  }
  const t = targets as Float32Array;
  for (let r = 0; r < rows; r++) {
    let w = 0;
    for (let j = 0; j < cols; j++) w += t[r * cols + j] * classWeights[j];
    weights[r] *= w;
  }
}

/**
 * out[u·len + k] += scale · w[u] · d[u·len + k] for units u < units, each owning len consecutive entries of d
 * (len = 1 for element-wise losses, the class count for cross-entropy). w null means all ones.
 */
export function accumulateWeightedGrad(
  d: Float32Array,
  w: Float32Array | null,
  units: number,
  len: number,
  scale: number,
  out: Float32Array,
): void {
  for (let u = 0; u < units; u++) {
    const s = w === null ? scale : scale * w[u];
    const b = u * len;
    for (let k = 0; k < len; k++) out[b + k] += s * d[b + k];
  }
}
