// Fused batch-norm and layer-norm kernels over row-major (rows, cols) buffers: statistics, normalisation and the
// affine γ·x̂ + β in one forward call, and the whole chain rule (through the statistics) in one backward call.
// Backward kernels accumulate (+=) into the gradient buffers they are given; pass null to skip one.

/**
 * Batch norm with batch statistics over the rows of x (rows, cols): per column, mean and biased variance
 * (÷ rows), invStd = 1/√(variance + eps), xhat = (x − mean)·invStd, out = gamma·xhat + beta.
 * mean, variance and invStd have cols elements; xhat and out have rows·cols.
 */
export function batchNormForward(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  rows: number,
  cols: number,
  eps: number,
  out: Float32Array,
  xhat: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  invStd: Float32Array,
): void {
  mean.fill(0, 0, cols);
  variance.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) {
    const b = r * cols;
    for (let j = 0; j < cols; j++) mean[j] += x[b + j];
  }
  for (let j = 0; j < cols; j++) mean[j] /= rows;
  // two passes: Σ(x − mean)² does not cancel catastrophically as E[x²] − mean² would
  for (let r = 0; r < rows; r++) {
    const b = r * cols;
    for (let j = 0; j < cols; j++) {
      const d = x[b + j] - mean[j];
      variance[j] += d * d;
    }
  }
  for (let j = 0; j < cols; j++) {
    variance[j] /= rows;
    invStd[j] = 1 / Math.sqrt(variance[j] + eps);
  }
  for (let r = 0; r < rows; r++) {
    const b = r * cols;
    for (let j = 0; j < cols; j++) {
      const h = (x[b + j] - mean[j]) * invStd[j];
      xhat[b + j] = h;
      out[b + j] = gamma[j] * h + beta[j];
    }
  }
}

/** Batch norm with fixed (running) statistics: invStd = 1/√(runningVar + eps), xhat = (x − runningMean)·invStd. */
export function batchNormInference(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  runningMean: Float32Array,
  runningVar: Float32Array,
  rows: number,
  cols: number,
  eps: number,
  out: Float32Array,
  xhat: Float32Array,
  invStd: Float32Array,
): void {
  for (let j = 0; j < cols; j++) invStd[j] = 1 / Math.sqrt(runningVar[j] + eps);
  for (let r = 0; r < rows; r++) {
    const b = r * cols;
    for (let j = 0; j < cols; j++) {
      const h = (x[b + j] - runningMean[j]) * invStd[j];
      xhat[b + j] = h;
      out[b + j] = gamma[j] * h + beta[j];
    }
  }
}

/**
 * Backward of batch norm. dgamma += Σ_r dy·xhat, dbeta += Σ_r dy. With batch statistics (N = rows)
 *   dx += gamma·invStd·(dy − Σ_r dy / N − xhat·Σ_r dy·xhat / N)
 * (the mean and variance depend on x); with fixed statistics dx += gamma·invStd·dy.
 * sumDy and sumDyXhat are cols-long scratch buffers the caller owns.
 */
export function batchNormBackward(
  dy: Float32Array,
  xhat: Float32Array,
  gamma: Float32Array,
  invStd: Float32Array,
  rows: number,
  cols: number,
  batchStatistics: boolean,
  sumDy: Float32Array,
  sumDyXhat: Float32Array,
  dx: Float32Array | null,
  dgamma: Float32Array | null,
  dbeta: Float32Array | null,
): void {
  sumDy.fill(0, 0, cols);
  sumDyXhat.fill(0, 0, cols);
  for (let r = 0; r < rows; r++) {
    const b = r * cols;
    for (let j = 0; j < cols; j++) {
      const g = dy[b + j];
      sumDy[j] += g;
      sumDyXhat[j] += g * xhat[b + j];
    }
  }
  if (dgamma !== null) for (let j = 0; j < cols; j++) dgamma[j] += sumDyXhat[j];
  if (dbeta !== null) for (let j = 0; j < cols; j++) dbeta[j] += sumDy[j];
  if (dx === null) return;
  if (batchStatistics) {
    // the scratch sums become per-column means: Σ_r dy / N and Σ_r dy·xhat / N
    for (let j = 0; j < cols; j++) {
      sumDy[j] /= rows;
      sumDyXhat[j] /= rows;
    }
    for (let r = 0; r < rows; r++) {
      const b = r * cols;
      for (let j = 0; j < cols; j++) {
        dx[b + j] += gamma[j] * invStd[j] * (dy[b + j] - sumDy[j] - xhat[b + j] * sumDyXhat[j]);
      }
    }
  } else {
    for (let r = 0; r < rows; r++) {
      const b = r * cols;
      for (let j = 0; j < cols; j++) dx[b + j] += gamma[j] * invStd[j] * dy[b + j];
    }
  }
}

/**
 * Layer norm over each row of x (rows, cols): per row, mean and biased variance (÷ cols),
 * invStd[r] = 1/√(variance + eps), xhat = (x − mean)·invStd, out = gamma·xhat + beta (gamma, beta per column).
 */
export function layerNormForward(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  rows: number,
  cols: number,
  eps: number,
  out: Float32Array,
  xhat: Float32Array,
  invStd: Float32Array,
): void {
  for (let r = 0; r < rows; r++) {
    const b = r * cols;
    let mean = 0;
    for (let j = 0; j < cols; j++) mean += x[b + j];
    mean /= cols;
    let variance = 0;
    for (let j = 0; j < cols; j++) {
      const d = x[b + j] - mean;
      variance += d * d;
    }
    variance /= cols;
    const s = 1 / Math.sqrt(variance + eps);
    invStd[r] = s;
    for (let j = 0; j < cols; j++) {
      const h = (x[b + j] - mean) * s;
      xhat[b + j] = h;
      out[b + j] = gamma[j] * h + beta[j];
    }
  }
}

/**
 * Backward of layer norm. With d = dy·gamma, per row:
 *   dx += invStd·(d − Σ_j d / cols − xhat·Σ_j d·xhat / cols);  dgamma += Σ_r dy·xhat;  dbeta += Σ_r dy.
 */
export function layerNormBackward(
  dy: Float32Array,
  xhat: Float32Array,
  gamma: Float32Array,
  invStd: Float32Array,
  rows: number,
  cols: number,
  dx: Float32Array | null,
  dgamma: Float32Array | null,
  dbeta: Float32Array | null,
): void {
  for (let r = 0; r < rows; r++) {
    const b = r * cols;
    if (dgamma !== null) for (let j = 0; j < cols; j++) dgamma[j] += dy[b + j] * xhat[b + j];
    if (dbeta !== null) for (let j = 0; j < cols; j++) dbeta[j] += dy[b + j];
    if (dx === null) continue;
    let sumD = 0;
    let sumDXhat = 0;
    for (let j = 0; j < cols; j++) {
      const d = dy[b + j] * gamma[j];
      sumD += d;
      sumDXhat += d * xhat[b + j];
    }
    const meanD = sumD / cols;
    const meanDXhat = sumDXhat / cols;
    const s = invStd[r];
    for (let j = 0; j < cols; j++) {
      dx[b + j] += s * (dy[b + j] * gamma[j] - meanD - xhat[b + j] * meanDXhat);
    }
  }
}
