// Multi-head scaled-dot-product attention as one autodiff op: softmax(Q·Kᵀ/√d_head + mask)·V for every batch row and
// head in a single fused kernel call forward and one backward (Vaswani et al. 2017, eq. 1), heads read in place from
// batch-first (B, T, ·) tensors; plus the fused query/key/value projection that feeds it.

import { type AttentionDims, K } from '../kernels';
import type { Rng } from '../rng';
import { isGradEnabled, record, scopedArray, shapeStr, Tensor } from '../tensor';
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
  if (q.rank !== 3 || shapeStr(q.shape) !== shapeStr(k.shape) || shapeStr(q.shape) !== shapeStr(v.shape)) {
    throw new Error(
      `attention: q, k and v must all be (B, T, d), got ${shapeStr(q.shape)}, ${shapeStr(k.shape)} and ${shapeStr(v.shape)}`,
    );
  }
  const [batch, steps, dModel] = q.shape;
  return attend([q, k, v], batch, steps, dModel, dModel, [0, 0, 0], opts);
}

/**
 * Self-attention over a fused projection qkv (B, T, 3d) = [q | k | v] (as qkvProjection makes it): the same as
 * scaledDotProductAttention on its three column blocks, without splitting them.
 */
export function fusedSelfAttention(qkv: Tensor, opts: AttentionOptions): AttentionResult {
  if (qkv.rank !== 3 || qkv.shape[2] % 3 !== 0) {
    throw new Error(`attention: fused qkv must be (B, T, 3·d), got ${shapeStr(qkv.shape)}`);
  }
  const [batch, steps, width] = qkv.shape;
  const dModel = width / 3;
  return attend([qkv], batch, steps, dModel, width, [0, dModel, 2 * dModel], opts);
}

/** The op behind both entry points: inputs is [q, k, v], or [qkv] read at three column offsets. */
function attend(
  inputs: Tensor[],
  batch: number,
  steps: number,
  dModel: number,
  rowStride: number,
  [qOffset, kOffset, vOffset]: number[],
  opts: AttentionOptions,
): AttentionResult {
  const { numHeads } = opts;
  const causal = opts.causal ?? false;
  const rate = opts.dropout ?? 0;
  const shapes = inputs.map((t) => shapeStr(t.shape)).join(', ');
  if (!Number.isInteger(numHeads) || numHeads < 1 || dModel % numHeads !== 0) {
    throw new Error(`attention: d = ${dModel} of ${shapes} is not divisible into ${numHeads} heads`);
  }
  if (!(rate >= 0 && rate < 1)) throw new Error(`attention: dropout must be in [0, 1), got ${rate}`);
  if (rate > 0 && opts.rng === undefined) throw new Error('attention: dropout > 0 needs an rng for its mask');
  const headSize = dModel / numHeads;
  const dims: AttentionDims = {
    batch,
    steps,
    heads: numHeads,
    headSize,
    rowStride,
    qOffset,
    kOffset,
    vOffset,
    scale: 1 / Math.sqrt(headSize),
    causal,
  };
  const [q, k, v] = inputs.length === 3 ? inputs : [inputs[0], inputs[0], inputs[0]];
  const recording = isGradEnabled() && inputs.some((t) => t.requiresGrad);
  const keepAll = recording || opts.keepWeights === true;
  // backward needs every head's weights; inference only needs one (T, T) block at a time
  // (only backward reads them, unless the caller keeps them: then they must outlive a step scope)
  const probsFloats = keepAll ? batch * numHeads * steps * steps : steps * steps;
  const probs = opts.keepWeights === true ? new Float32Array(probsFloats) : scopedArray(probsFloats, false);
  const mask = rate > 0 ? dropoutMask(batch * numHeads * steps * steps, rate, opts.rng!) : null;
  const out = Tensor.empty([batch, steps, dModel]); // (B, T, d): the kernel writes all of it
  K.attentionForward(q.data, k.data, v.data, dims, out.data, probs, keepAll, mask);
  const output = record(out, inputs, () => {
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

/**
 * x (..., in) → (..., 3·d) = [x·wq + bq | x·wk + bk | x·wv + bv] with wq, wk, wv (in, d) and biases (d): the three
 * projections of self-attention as one matmul against the weights packed side by side.
 */
export function qkvProjection(
  x: Tensor,
  wq: Tensor,
  bq: Tensor,
  wk: Tensor,
  bk: Tensor,
  wv: Tensor,
  bv: Tensor,
): Tensor {
  const inF = x.shape[x.rank - 1];
  const d = wq.rank === 2 ? wq.shape[1] : -1;
  const fits = (w: Tensor, b: Tensor) =>
    w.rank === 2 && w.shape[0] === inF && w.shape[1] === d && b.rank === 1 && b.shape[0] === d;
  if (x.rank < 2 || !fits(wq, bq) || !fits(wk, bk) || !fits(wv, bv)) {
    throw new Error(
      `qkvProjection: input ${shapeStr(x.shape)} needs weights (${inF}, d) and biases (d), got ` +
        `${[wq, bq, wk, bk, wv, bv].map((t) => shapeStr(t.shape)).join(', ')}`,
    );
  }
  const rows = x.size / inF;
  const width = 3 * d;
  const weight = new Float32Array(inF * width); // (in, 3d) = [wq | wk | wv]
  for (let r = 0; r < inF; r++) {
    weight.set(wq.data.subarray(r * d, (r + 1) * d), r * width);
    weight.set(wk.data.subarray(r * d, (r + 1) * d), r * width + d);
    weight.set(wv.data.subarray(r * d, (r + 1) * d), r * width + 2 * d);
  }
  const bias = new Float32Array(width); // (3d)
  bias.set(bq.data, 0);
  bias.set(bk.data, d);
  bias.set(bv.data, 2 * d);
  const out = Tensor.empty([...x.shape.slice(0, -1), width]); // (..., 3d): bias rows, then the product added
  K.fillRows(bias, out.data, rows, width);
  K.matmul(x.data, weight, out.data, rows, width, inF, false, false, true);
  const params = [wq, bq, wk, bk, wv, bv];
  return record(out, [x, ...params], () => {
    const g = out.grad!; // (rows, 3d)
    // dx = g·[wq | wk | wv]ᵀ; d[wq | wk | wv] = xᵀ·g and d[bq | bk | bv] = Σ_rows g, then split by column block
    // (the packed weight and bias are no longer needed once dx is done, so they hold those sums)
    if (x.requiresGrad) {
      const fresh = x.grad === null; // overwrite a buffer made here instead of accumulating onto its zeros
      K.matmul(g, weight, x.gradBuffer(fresh), rows, inF, width, false, true, !fresh);
    }
    if (!params.some((p) => p.requiresGrad)) return;
    K.matmul(x.data, g, weight, inF, width, rows, true, false);
    K.sumAxis(g, 1, rows, width, bias);
    for (let block = 0; block < 3; block++) {
      const w = params[2 * block];
      const b = params[2 * block + 1];
      if (w.requiresGrad) {
        const gw = w.gradBuffer();
        for (let r = 0; r < inF; r++) {
          K.axpy(
            1,
            weight.subarray(r * width + block * d, r * width + (block + 1) * d),
            gw.subarray(r * d, (r + 1) * d),
          );
        }
      }
      if (b.requiresGrad) K.axpy(1, bias.subarray(block * d, (block + 1) * d), b.gradBuffer());
    }
  });
}
