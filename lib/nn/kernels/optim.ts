// Optimizer update kernels: one in-place pass over a parameter, its gradient and its state buffers, following
// PyTorch's torch.optim formulas (SGD, RMSprop, Adam/AdamW) so results match it to float32 rounding.
// The gradient is never modified; L2 weight decay is added to a local copy of each element (PyTorch does the same).

/**
 * SGD with momentum / Nesterov (torch.optim.SGD):
 *   g = grad + wd·p;  b = g on the first step, else b = μ·b + (1 − dampening)·g
 *   d = nesterov ? g + μ·b : b (or g when μ = 0);  p −= lr·d
 */
export function sgdStep(
  param: Float32Array,
  grad: Float32Array,
  momentumBuf: Float32Array,
  lr: number,
  momentum: number,
  dampening: number,
  weightDecay: number,
  nesterov: boolean,
  firstStep: boolean,
): void {
  const n = param.length;
  if (momentum === 0) {
    for (let i = 0; i < n; i++) param[i] -= lr * (grad[i] + weightDecay * param[i]);
    return;
  }
  const keep = 1 - dampening;
  for (let i = 0; i < n; i++) {
    const g = grad[i] + weightDecay * param[i];
    const b = firstStep ? g : momentum * momentumBuf[i] + keep * g;
    momentumBuf[i] = b;
    param[i] -= lr * (nesterov ? g + momentum * b : b);
  }
}

/**
 * RMSprop (torch.optim.RMSprop):
 *   g = grad + wd·p;  v = α·v + (1 − α)·g²
 *   centered: ḡ = α·ḡ + (1 − α)·g, denom = √(v − ḡ²) + ε; else denom = √v + ε
 *   μ > 0: buf = μ·buf + g / denom, p −= lr·buf; else p −= lr·g / denom
 * gradAvg and momentumBuf may be empty arrays when centered / momentum are off.
 */
export function rmspropStep(
  param: Float32Array,
  grad: Float32Array,
  squareAvg: Float32Array,
  gradAvg: Float32Array,
  momentumBuf: Float32Array,
  lr: number,
  alpha: number,
  eps: number,
  weightDecay: number,
  momentum: number,
  centered: boolean,
): void {
  const n = param.length;
  const oneMinusAlpha = 1 - alpha;
  for (let i = 0; i < n; i++) {
    const g = grad[i] + weightDecay * param[i];
    const v = alpha * squareAvg[i] + oneMinusAlpha * g * g;
    squareAvg[i] = v;
    let denom: number;
    if (centered) {
      const ga = alpha * gradAvg[i] + oneMinusAlpha * g;
      gradAvg[i] = ga;
      denom = Math.sqrt(Math.fround(v) - Math.fround(ga) * Math.fround(ga)) + eps;
    } else {
      denom = Math.sqrt(Math.fround(v)) + eps;
    }
    if (momentum > 0) {
      const b = momentum * momentumBuf[i] + g / denom;
      momentumBuf[i] = b;
      param[i] -= lr * b;
    } else {
      param[i] -= (lr * g) / denom;
    }
  }
}

/**
 * Adam / AdamW (torch.optim.Adam, torch.optim.AdamW), step t ≥ 1:
 *   AdamW first decays p ← p·(1 − lr·wd) (decoupled); Adam adds g = grad + wd·p (L2)
 *   m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;  amsgrad: v̂ = max(v̂, v)
 *   p −= (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
 * maxSquareAvg may be an empty array when amsgrad is off.
 */
export function adamStep(
  param: Float32Array,
  grad: Float32Array,
  expAvg: Float32Array,
  expAvgSq: Float32Array,
  maxExpAvgSq: Float32Array,
  lr: number,
  beta1: number,
  beta2: number,
  eps: number,
  weightDecay: number,
  decoupled: boolean,
  amsgrad: boolean,
  step: number,
): void {
  const n = param.length;
  const stepSize = lr / (1 - beta1 ** step);
  const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
  const l2 = decoupled ? 0 : weightDecay;
  const decay = decoupled ? 1 - lr * weightDecay : 1;
  const oneMinusB1 = 1 - beta1;
  const oneMinusB2 = 1 - beta2;
  for (let i = 0; i < n; i++) {
    const p = decay === 1 ? param[i] : Math.fround(param[i] * decay);
    const g = grad[i] + l2 * p;
    const m = beta1 * expAvg[i] + oneMinusB1 * g;
    const v = beta2 * expAvgSq[i] + oneMinusB2 * g * g;
    expAvg[i] = m;
    expAvgSq[i] = v;
    let vUsed = Math.fround(v);
    if (amsgrad) {
      if (maxExpAvgSq[i] > vUsed) vUsed = maxExpAvgSq[i];
      else maxExpAvgSq[i] = vUsed;
    }
    param[i] = p - (stepSize * Math.fround(m)) / (Math.sqrt(vUsed) / bc2Sqrt + eps);
  }
}
