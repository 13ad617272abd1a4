// Fully connected op y = x·W + b, forward and backward side by side; the kernel fuses the bias into the product
// (written first and x·W accumulated onto it in TypeScript, added in the product's epilogue in wasm).
// linearReluInference fuses the ReLU too, for inference only: training keeps Dense and ReLU apart, because the ReLU
// backward needs the pre-activation to give f'(0) = 1 (the engine's convention) and the fused kernel keeps only y.

import { K, LinearActivation } from '../kernels';
import { isGradEnabled, record, shapeStr, Tensor } from '../tensor';

/**
 * x (N, in) · weight (in, out) + bias (out) → (N, out); bias may be null. Leading axes act as rows, so (B, T, in) →
 * (B, T, out) needs no reshape.
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  if (x.rank < 2 || weight.rank !== 2 || x.shape[x.rank - 1] !== weight.shape[0]) {
    throw new Error(
      `linear: input ${shapeStr(x.shape)} does not fit weight ${shapeStr(weight.shape)} (needs (..., in), (in, out))`,
    );
  }
  const k = weight.shape[0];
  const m = x.size / k; // rows: the product of the leading axes
  const n = weight.shape[1];
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== n)) {
    throw new Error(
      `linear: bias ${shapeStr(bias.shape)} does not fit weight ${shapeStr(weight.shape)} (needs [${n}])`,
    );
  }
  const out = Tensor.empty([...x.shape.slice(0, -1), n]); // (..., out): the kernel writes all of it
  K.linearForward(x.data, weight.data, bias?.data ?? null, out.data, m, n, k, LinearActivation.None);
  return record(out, bias !== null ? [x, weight, bias] : [x, weight], () => {
    const g = out.grad!; // (N, out)
    // dx = g·Wᵀ (N, in); dW = xᵀ·g (in, out); db = Σ_rows g (out)
    // a gradient buffer made here is overwritten rather than accumulated into (no zeros copied into wasm)
    if (x.requiresGrad) {
      const fresh = x.grad === null;
      K.matmul(g, weight.data, x.gradBuffer(fresh), m, k, n, false, true, !fresh);
    }
    if (weight.requiresGrad) {
      const fresh = weight.grad === null;
      K.matmul(x.data, g, weight.gradBuffer(), k, n, m, true, false, !fresh);
    }
    if (bias?.requiresGrad) K.sumAxis(g, 1, m, n, bias.gradBuffer(), true);
  });
}

/** relu(x · weight + bias) with no graph: for forward passes under noGrad (inference). */
export function linearReluInference(x: Tensor, weight: Tensor, bias: Tensor | null): Tensor {
  if (isGradEnabled()) throw new Error('linearReluInference records no graph: call it under noGrad only');
  if (x.rank !== 2 || weight.rank !== 2 || x.shape[1] !== weight.shape[0]) {
    throw new Error(`linearReluInference: input ${shapeStr(x.shape)} does not fit weight ${shapeStr(weight.shape)}`);
  }
  const [m, k] = x.shape;
  const n = weight.shape[1];
  const out = Tensor.zeros([m, n]);
  K.linearForward(x.data, weight.data, bias?.data ?? null, out.data, m, n, k, LinearActivation.Relu);
  return out;
}
