// Batch norm and layer norm ops over the last (feature) axis: forward and backward side by side, each a pair of fused
// kernel calls (statistics + normalise + affine; then the whole chain rule through the statistics).

import { K } from '../kernels';
import { record, scopedArray, shapeStr, Tensor } from '../tensor';

function checkAffine(op: string, x: Tensor, gamma: Tensor, beta: Tensor): number {
  const features = x.shape[x.rank - 1];
  if (gamma.rank !== 1 || beta.rank !== 1 || gamma.shape[0] !== features || beta.shape[0] !== features) {
    throw new Error(
      `${op}: input ${shapeStr(x.shape)} needs gamma and beta of shape [${features}], got ${shapeStr(gamma.shape)} and ${shapeStr(beta.shape)}`,
    );
  }
  return features;
}

export interface BatchNormTrainingResult {
  y: Tensor;
  /** Per-feature batch mean (features). */
  mean: Float32Array;
  /** Per-feature biased batch variance, Σ(x − mean)² / rows (features). */
  variance: Float32Array;
  /** Rows the statistics were taken over (the product of all leading axes). */
  rows: number;
}

/**
 * Batch norm with batch statistics: every axis but the last is a sample axis, so (B, F) and (B, T, F) normalise each
 * feature over B (or B·T) rows. y = gamma·(x − mean)/√(variance + eps) + beta with the biased variance.
 */
export function batchNormTraining(x: Tensor, gamma: Tensor, beta: Tensor, eps: number): BatchNormTrainingResult {
  if (x.rank < 2) throw new Error(`batchNorm: input ${shapeStr(x.shape)} needs a batch axis, e.g. (B, F)`);
  const cols = checkAffine('batchNorm', x, gamma, beta);
  const rows = x.size / cols;
  if (rows < 2) {
    throw new Error(`batchNorm: training needs more than one value per feature, got input ${shapeStr(x.shape)}`);
  }
  const out = Tensor.zeros(x.shape.slice());
  const xhat = new Float32Array(x.size);
  const mean = new Float32Array(cols);
  const variance = new Float32Array(cols);
  const invStd = new Float32Array(cols);
  K.batchNormForward(x.data, gamma.data, beta.data, rows, cols, eps, out.data, xhat, mean, variance, invStd);
  const y = record(out, [x, gamma, beta], () => {
    K.batchNormBackward(
      out.grad!,
      xhat,
      gamma.data,
      invStd,
      rows,
      cols,
      true,
      new Float32Array(cols),
      new Float32Array(cols),
      x.requiresGrad ? x.gradBuffer() : null,
      gamma.requiresGrad ? gamma.gradBuffer() : null,
      beta.requiresGrad ? beta.gradBuffer() : null,
    );
  });
  return { y, mean, variance, rows };
}

/** Batch norm with fixed statistics (inference): y = gamma·(x − runningMean)/√(runningVar + eps) + beta. */
export function batchNormInference(
  x: Tensor,
  gamma: Tensor,
  beta: Tensor,
  runningMean: Tensor,
  runningVar: Tensor,
  eps: number,
): Tensor {
  if (x.rank < 2) throw new Error(`batchNorm: input ${shapeStr(x.shape)} needs a batch axis, e.g. (B, F)`);
  const cols = checkAffine('batchNorm', x, gamma, beta);
  if (runningMean.size !== cols || runningVar.size !== cols) {
    throw new Error(
      `batchNorm: input ${shapeStr(x.shape)} needs running statistics of shape [${cols}], got ${shapeStr(runningMean.shape)} and ${shapeStr(runningVar.shape)}`,
    );
  }
  const rows = x.size / cols;
  const out = Tensor.zeros(x.shape.slice());
  const xhat = new Float32Array(x.size);
  const invStd = new Float32Array(cols);
  K.batchNormInference(
    x.data,
    gamma.data,
    beta.data,
    runningMean.data,
    runningVar.data,
    rows,
    cols,
    eps,
    out.data,
    xhat,
    invStd,
  );
  // the running statistics are constants here, so the gradient is that of a per-feature affine map
  return record(out, [x, gamma, beta], () => {
    K.batchNormBackward(
      out.grad!,
      xhat,
      gamma.data,
      invStd,
      rows,
      cols,
      false,
      new Float32Array(cols),
      new Float32Array(cols),
      x.requiresGrad ? x.gradBuffer() : null,
      gamma.requiresGrad ? gamma.gradBuffer() : null,
      beta.requiresGrad ? beta.gradBuffer() : null,
    );
  });
}

/** Layer norm over the last axis: each row of F features is normalised by its own mean and biased variance. */
export function layerNorm(x: Tensor, gamma: Tensor, beta: Tensor, eps: number): Tensor {
  if (x.rank < 1) throw new Error(`layerNorm: input ${shapeStr(x.shape)} needs a feature axis`);
  const cols = checkAffine('layerNorm', x, gamma, beta);
  const rows = cols === 0 ? 0 : x.size / cols;
  // the kernel writes all of out, xhat and invStd; xhat and invStd live as long as the graph (the step)
  const out = Tensor.empty(x.shape.slice());
  const xhat = scopedArray(x.size, false);
  const invStd = scopedArray(rows, false);
  K.layerNormForward(x.data, gamma.data, beta.data, rows, cols, eps, out.data, xhat, invStd);
  return record(out, [x, gamma, beta], () => {
    K.layerNormBackward(
      out.grad!,
      xhat,
      gamma.data,
      invStd,
      rows,
      cols,
      x.requiresGrad ? x.gradBuffer() : null,
      gamma.requiresGrad ? gamma.gradBuffer() : null,
      beta.requiresGrad ? beta.gradBuffer() : null,
    );
  });
}
