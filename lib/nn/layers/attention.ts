// Multi-head self-attention (Vaswani et al. 2017): project the sequence to queries, keys and values, attend within
// each head with softmax(Q·Kᵀ/√d_head + mask)·V, concatenate the heads and project back; (B, T, d) → (B, T, d).

import { initialize } from '../init';
import { Module, type ModuleSpec } from '../module';
import { fusedSelfAttention, qkvProjection } from '../ops/attention';
import { linear } from '../ops/linear';
import type { Rng } from '../rng';
import { parameter, shapeStr, type Tensor } from '../tensor';
import { requireInRange, requirePositiveInt } from './validate';

export interface MultiHeadSelfAttentionConfig {
  /** Width d of the input and output; a multiple of numHeads. */
  dModel: number;
  /** Heads; each attends over d / numHeads columns. */
  numHeads: number;
  /** Inverted-dropout rate on the attention weights while training (as torch's MultiheadAttention). Default 0. */
  dropout?: number;
  /** Position t attends to positions ≤ t only (no look-ahead). Default false. */
  causal?: boolean;
}

export class MultiHeadSelfAttention extends Module {
  readonly config: Required<MultiHeadSelfAttentionConfig>;
  /** (d, d) each, stored [in, out]; head h owns output columns [h·d_head, (h + 1)·d_head) of wq, wk, wv. */
  readonly wq: Tensor;
  readonly wk: Tensor;
  readonly wv: Tensor;
  /** (d, d): the concatenated heads (head h in input rows [h·d_head, (h + 1)·d_head)) → output. */
  readonly wo: Tensor;
  /** (d) each, initialised to zeros. */
  readonly bq: Tensor;
  readonly bk: Tensor;
  readonly bv: Tensor;
  readonly bo: Tensor;
  /** Draws the attention-dropout masks while training. */
  rng: Rng;
  /** Keep the last forward's attention weights in lastAttention (for display). Default false. */
  keepAttention = false;
  /** (B, heads, T, T) weights of the last forward (before dropout), when keepAttention was on; else null. */
  lastAttention: Tensor | null = null;

  /** rng draws the four Glorot-uniform weights (wq, wk, wv, wo in that order), then the dropout masks. */
  constructor(config: MultiHeadSelfAttentionConfig, rng: Rng) {
    super('attention');
    const dModel = requirePositiveInt('MultiHeadSelfAttention', 'dModel', config.dModel);
    const numHeads = requirePositiveInt('MultiHeadSelfAttention', 'numHeads', config.numHeads);
    if (dModel % numHeads !== 0) {
      throw new Error(`MultiHeadSelfAttention: dModel ${dModel} must be a multiple of numHeads ${numHeads}`);
    }
    const dropout = requireInRange('MultiHeadSelfAttention', 'dropout', config.dropout ?? 0, 0, 1);
    if (dropout >= 1) throw new Error('MultiHeadSelfAttention: dropout must be below 1');
    const causal = config.causal ?? false;
    if (typeof causal !== 'boolean') {
      throw new Error(`MultiHeadSelfAttention: causal must be a boolean, got ${String(causal)}`);
    }
    this.config = { dModel, numHeads, dropout, causal };
    const square = [dModel, dModel];
    this.wq = parameter(initialize('glorotUniform', square, rng), square, 'wq');
    this.bq = parameter(new Float32Array(dModel), [dModel], 'bq');
    this.wk = parameter(initialize('glorotUniform', square, rng), square, 'wk');
    this.bk = parameter(new Float32Array(dModel), [dModel], 'bk');
    this.wv = parameter(initialize('glorotUniform', square, rng), square, 'wv');
    this.bv = parameter(new Float32Array(dModel), [dModel], 'bv');
    this.wo = parameter(initialize('glorotUniform', square, rng), square, 'wo');
    this.bo = parameter(new Float32Array(dModel), [dModel], 'bo');
    this.rng = rng;
  }

  /** x (B, T, d) → (B, T, d). */
  forward(x: Tensor): Tensor {
    const { dModel, numHeads, dropout, causal } = this.config;
    if (x.rank !== 3 || x.shape[2] !== dModel) {
      throw new Error(
        `MultiHeadSelfAttention(d ${dModel}): expected input (B, T, ${dModel}), got ${shapeStr(x.shape)}`,
      );
    }
    const qkv = qkvProjection(x, this.wq, this.bq, this.wk, this.bk, this.wv, this.bv); // (B, T, 3d) = [q | k | v]
    const { output, weights } = fusedSelfAttention(qkv, {
      numHeads,
      causal,
      dropout: this.training ? dropout : 0,
      rng: this.rng,
      keepWeights: this.keepAttention,
    }); // (B, T, d), heads concatenated
    this.lastAttention = weights;
    return linear(output, this.wo, this.bo); // (B, T, d)
  }

  ownParameters(): Tensor[] {
    return [this.wq, this.bq, this.wk, this.bk, this.wv, this.bv, this.wo, this.bo];
  }

  spec(): ModuleSpec {
    return { type: 'MultiHeadSelfAttention', config: { ...this.config } };
  }
}
