// Pre-norm Transformer encoder block (Xiong et al. 2020; torch's TransformerEncoderLayer with norm_first=True):
//   x1 = x + Drop(MHA(LN1(x)));  out = x1 + Drop(FF(LN2(x1))),  FF = Dense(d → ffHidden) → GELU(tanh) → Drop → Dense.

import { gelu } from '../activations';
import { Module, type ModuleSpec } from '../module';
import { add } from '../ops/arithmetic';
import type { Rng } from '../rng';
import { shapeStr, type Tensor } from '../tensor';
import { MultiHeadSelfAttention } from './attention';
import { Dense } from './dense';
import { Dropout } from './dropout';
import { LayerNorm } from './layernorm';
import { requireInRange, requirePositiveInt } from './validate';

export interface TransformerEncoderBlockConfig {
  /** Width d of the sequence, a multiple of numHeads. */
  dModel: number;
  numHeads: number;
  /** Width of the feed-forward hidden layer (often 2–4·d). */
  ffHidden: number;
  /**
   * Dropout rate while training, applied where torch applies it: on the attention weights, after the GELU, and on
   * both residual branches. Default 0.1.
   */
  dropout?: number;
  /** Each position attends only to itself and earlier positions. Default false. */
  causal?: boolean;
  /** LayerNorm epsilon. Default 1e-5. */
  layerNormEps?: number;
}

export class TransformerEncoderBlock extends Module {
  readonly config: Required<TransformerEncoderBlockConfig>;
  readonly norm1: LayerNorm;
  readonly attention: MultiHeadSelfAttention;
  readonly attentionDropout: Dropout;
  readonly norm2: LayerNorm;
  /** d → ffHidden */
  readonly ff1: Dense;
  readonly ffDropout: Dropout;
  /** ffHidden → d */
  readonly ff2: Dense;
  readonly ffOutDropout: Dropout;

  /** rng initialises the attention weights, then ff1 and ff2, and afterwards draws every dropout mask. */
  constructor(config: TransformerEncoderBlockConfig, rng: Rng) {
    super('encoder');
    const dModel = requirePositiveInt('TransformerEncoderBlock', 'dModel', config.dModel);
    const numHeads = requirePositiveInt('TransformerEncoderBlock', 'numHeads', config.numHeads);
    const ffHidden = requirePositiveInt('TransformerEncoderBlock', 'ffHidden', config.ffHidden);
    const dropout = requireInRange('TransformerEncoderBlock', 'dropout', config.dropout ?? 0.1, 0, 1);
    const layerNormEps = requireInRange(
      'TransformerEncoderBlock',
      'layerNormEps',
      config.layerNormEps ?? 1e-5,
      0,
      Number.MAX_VALUE,
      true,
    );
    const causal = config.causal ?? false;
    this.config = { dModel, numHeads, ffHidden, dropout, causal, layerNormEps };
    this.norm1 = new LayerNorm({ features: dModel, eps: layerNormEps });
    this.attention = new MultiHeadSelfAttention({ dModel, numHeads, dropout, causal }, rng);
    this.attentionDropout = new Dropout({ rate: dropout }, rng);
    this.norm2 = new LayerNorm({ features: dModel, eps: layerNormEps });
    this.ff1 = new Dense({ inFeatures: dModel, outFeatures: ffHidden }, rng);
    this.ffDropout = new Dropout({ rate: dropout }, rng);
    this.ff2 = new Dense({ inFeatures: ffHidden, outFeatures: dModel }, rng);
    this.ffOutDropout = new Dropout({ rate: dropout }, rng);
  }

  /** x (B, T, d) → (B, T, d). */
  forward(x: Tensor): Tensor {
    const { dModel } = this.config;
    if (x.rank !== 3 || x.shape[2] !== dModel) {
      throw new Error(
        `TransformerEncoderBlock(d ${dModel}): expected input (B, T, ${dModel}), got ${shapeStr(x.shape)}`,
      );
    }
    const attended = this.attention.forward(this.norm1.forward(x)); // (B, T, d)
    const x1 = add(x, this.attentionDropout.forward(attended));
    let h = this.ff1.forward(this.norm2.forward(x1)); // (B, T, ffHidden)
    h = this.ffDropout.forward(gelu(h, 'tanh'));
    h = this.ff2.forward(h); // (B, T, d)
    return add(x1, this.ffOutDropout.forward(h));
  }

  /** In forward order; namedState paths are 0 (norm1), 1 (attention: wq, bq, …), 3 (norm2), 4 (ff1), 6 (ff2). */
  children(): Module[] {
    return [
      this.norm1,
      this.attention,
      this.attentionDropout,
      this.norm2,
      this.ff1,
      this.ffDropout,
      this.ff2,
      this.ffOutDropout,
    ];
  }

  spec(): ModuleSpec {
    return { type: 'TransformerEncoderBlock', config: { ...this.config } };
  }

  /** Sets the Rng of every dropout in the block (e.g. a freshly seeded one for a reproducible mask). */
  setDropoutRng(rng: Rng): void {
    this.attention.rng = rng;
    this.attentionDropout.rng = rng;
    this.ffDropout.rng = rng;
    this.ffOutDropout.rng = rng;
  }
}
