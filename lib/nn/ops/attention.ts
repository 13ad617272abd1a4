// Multi-head scaled-dot-product attention as one autodiff op: softmax(Q·Kᵀ/√d_head + mask)·V for every batch row and
// head in a single fused kernel call forward and one backward (Vaswani et al. 2017, eq. 1), heads read in place from
// batch-first (B, T, d) tensors.

import { type AttentionDims, K } from '../kernels';
import type { Rng } from '../rng';
import { isGradEnabled, record, shapeStr, Tensor } from '../tensor';
import { dropoutMask } from './dropout';

export interface AttentionOptions {
  /** Heads; d must be a multiple of it. Head h uses columns [h·d/heads, (h + 1)·d/heads) of q, k and v. */
  numHeads: number;
  /** Query t attends to keys ≤ t only. Default false. */
  causal?: boolean;
  /** Inverted-dropout rate on the attention weights, in [0, 1). Default 0 (no rng needed). */
  dropout?: number;
  /** Draws the dropout mask: one uniform per weight of (B, heads, T, T), in order. Required when dropout > 0. */
  rng?: Rng;
  /** Return the attention weights (B, heads, T, T) (before dropout). Default false. */
  keepWeights?: boolean;
}

export interface AttentionResult {
  /** (B, T, d): the heads' outputs concatenated in head order. */
  output: Tensor;
  /** (B, heads, T, T) softmax weights, rows sum to 1 (0 above the diagonal when causal); null unless keepWeights. */
  weights: Tensor | null;
}

/** q, k, v (B, T, d) → softmax(q_h·k_hᵀ/√d_head + mask)·v_h per head h, concatenated: (B, T, d). */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts: AttentionOptions): AttentionResult {
  const { numHeads } = opts;
  const causal = opts.causal ?? false;
  const rate = opts.dropout ?? 0;
  if (q.rank !== 3 || shapeStr(q.shape) !== shapeStr(k.shape) || shapeStr(q.shape) !== shapeStr(v.shape)) {
    throw new Error(
      `attention: q, k and v must all be (B, T, d), got ${shapeStr(q.shape)}, ${shapeStr(k.shape)} and ${shapeStr(v.shape)}`,
    );
  }
  const [batch, steps, dModel] = q.shape;
  if (!Number.isInteger(numHeads) || numHeads < 1 || dModel % numHeads !== 0) {
    throw new Error(`attention: d = ${dModel} of ${shapeStr(q.shape)} is not divisible into ${numHeads} heads`);
  }
  if (!(rate >= 0 && rate < 1)) throw new Error(`attention: dropout must be in [0, 1), got ${rate}`);
  if (rate > 0 && opts.rng === undefined) throw new Error('attention: dropout > 0 needs an rng for its mask');
  const headSize = dModel / numHeads;
  const dims: AttentionDims = {
    batch,
    steps,
    heads: numHeads,
    headSize,
    rowStride: dModel,
    qOffset: 0,
    kOffset: 0,
    vOffset: 0,
    scale: 1 / Math.sqrt(headSize),
    causal,
  };
  const recording = isGradEnabled() && (q.requiresGrad || k.requiresGrad || v.requiresGrad);
  const keepAll = recording || opts.keepWeights === true;
  // backward needs every head's weights; inference only needs one (T, T) block at a time
  const probs = new Float32Array(keepAll ? batch * numHeads * steps * steps : steps * steps);
  const mask = rate > 0 ? dropoutMask(batch * numHeads * steps * steps, rate, opts.rng!) : null;
  const out = Tensor.zeros([batch, steps, dModel]); // (B, T, d)
  K.attentionForward(q.data, k.data, v.data, dims, out.data, probs, keepAll, mask);
  const output = record(out, [q, k, v], () => {
    K.attentionBackward(
      q.data,
      k.data,
      v.data,
      dims,
      out.data,
      probs,
      mask,
      out.grad!,
      q.requiresGrad ? q.gradBuffer() : null,
      k.requiresGrad ? k.gradBuffer() : null,
      v.requiresGrad ? v.gradBuffer() : null,
    );
  });
  const weights = opts.keepWeights === true ? new Tensor(probs, [batch, numHeads, steps, steps]) : null;
  return { output, weights };
}
