// Inverted dropout op: each element is kept with probability 1 − rate and scaled by 1/(1 − rate), so the expected
// output equals the input and inference needs no rescaling. The mask is drawn from the Rng passed in.

import { BinaryOp, K } from '../kernels';
import type { Rng } from '../rng';
import { record, Tensor } from '../tensor';

/**
 * A mask of `size` elements: 0 with probability rate, otherwise 1/(1 − rate). One rng.uniform() per element in
 * order, so a fixed seed gives a fixed mask. rate = 1 gives all zeros.
 */
export function dropoutMask(size: number, rate: number, rng: Rng): Float32Array {
  const mask = new Float32Array(size);
  if (rate >= 1) return mask;
  const keepScale = 1 / (1 - rate);
  for (let i = 0; i < size; i++) mask[i] = rng.uniform() < rate ? 0 : keepScale;
  return mask;
}

/** x ⊙ mask for a mask of x's size (e.g. from dropoutMask); the gradient is masked the same way. */
export function applyMask(x: Tensor, mask: Float32Array): Tensor {
  if (mask.length !== x.size) {
    throw new Error(`applyMask: mask has ${mask.length} elements, input has ${x.size}`);
  }
  const out = Tensor.zeros(x.shape.slice());
  K.binaryBroadcast(BinaryOp.Mul, x.data, x.shape, mask, x.shape, out.data, out.shape);
  return record(out, [x], () => {
    const masked = new Float32Array(mask.length);
    K.binaryBroadcast(BinaryOp.Mul, out.grad!, out.shape, mask, out.shape, masked, out.shape);
    K.axpy(1, masked, x.gradBuffer());
  });
}

/** Inverted dropout of x at `rate` in [0, 1]; rate 0 returns x itself. */
export function dropout(x: Tensor, rate: number, rng: Rng): Tensor {
  if (!(rate >= 0 && rate <= 1)) throw new Error(`dropout: rate must be in [0, 1], got ${rate}`);
  if (rate === 0) return x;
  return applyMask(x, dropoutMask(x.size, rate, rng));
}
