// Residual block of the ResNet for tabular data (Gorishniy et al. 2021, rtdl):
//   x + Dropout(Linear(Dropout(ReLU(Linear(Norm(x))))))   — features → hidden → features, pre-norm, identity skip.

import { relu } from '../activations';
import { Module, type ModuleSpec } from '../module';
import { add } from '../ops/arithmetic';
import type { Rng } from '../rng';
import { shapeStr, type Tensor } from '../tensor';
import { BatchNorm } from './batchnorm';
import { Dense } from './dense';
import { Dropout } from './dropout';
import { LayerNorm } from './layernorm';
import { requireInRange, requirePositiveInt } from './validate';

export type ResidualNorm = 'batch' | 'layer';

export interface ResidualBlockConfig {
  /** Width of the input and output (the skip connection needs them equal). */
  features: number;
  /** Width of the inner layer. Default 2·features (rtdl's d_hidden_factor of 2). */
  hidden?: number;
  /** Dropout rate after the ReLU and after the second linear layer (rtdl's hidden and residual dropout). Default 0. */
  dropout?: number;
  /** Normalisation at the block's input: BatchNorm (rtdl's default) or LayerNorm. Default 'batch'. */
  norm?: ResidualNorm;
}

export class ResidualBlock extends Module {
  readonly config: Required<ResidualBlockConfig>;
  readonly norm: BatchNorm | LayerNorm;
  /** features → hidden, He-initialised because a ReLU follows */
  readonly expand: Dense;
  readonly hiddenDropout: Dropout;
  /** hidden → features, Glorot-initialised */
  readonly project: Dense;
  readonly residualDropout: Dropout;

  /** rng initialises both linear layers and then draws both dropout masks. */
  constructor(config: ResidualBlockConfig, rng: Rng) {
    super('residual');
    const features = requirePositiveInt('ResidualBlock', 'features', config.features);
    const hidden = requirePositiveInt('ResidualBlock', 'hidden', config.hidden ?? 2 * features);
    const rate = requireInRange('ResidualBlock', 'dropout', config.dropout ?? 0, 0, 1);
    const norm = config.norm ?? 'batch';
    if (norm !== 'batch' && norm !== 'layer') {
      throw new Error(`ResidualBlock: norm must be 'batch' or 'layer', got ${String(norm)}`);
    }
    this.config = { features, hidden, dropout: rate, norm };
    this.norm = norm === 'batch' ? new BatchNorm({ features }) : new LayerNorm({ features });
    this.expand = new Dense({ inFeatures: features, outFeatures: hidden, init: 'heUniform' }, rng);
    this.hiddenDropout = new Dropout({ rate }, rng);
    this.project = new Dense({ inFeatures: hidden, outFeatures: features, init: 'glorotUniform' }, rng);
    this.residualDropout = new Dropout({ rate }, rng);
  }

  /** x (B, F) or (B, T, F) → same shape. */
  forward(x: Tensor): Tensor {
    const { features } = this.config;
    if ((x.rank !== 2 && x.rank !== 3) || x.shape[x.rank - 1] !== features) {
      throw new Error(
        `ResidualBlock(${features}): expected input (B, ${features}) or (B, T, ${features}), got ${shapeStr(x.shape)}`,
      );
    }
    let h = this.norm.forward(x);
    h = this.expand.forward(h); // (B, hidden)
    h = this.hiddenDropout.forward(relu(h));
    h = this.project.forward(h); // (B, F)
    return add(x, this.residualDropout.forward(h));
  }

  /** In forward order; namedState paths are 0 (norm), 1 (expand), 2, 3 (project), 4. */
  children(): Module[] {
    return [this.norm, this.expand, this.hiddenDropout, this.project, this.residualDropout];
  }

  /** Rebuilt from config alone; children are listed so the spec tree mirrors the namedState paths. */
  spec(): ModuleSpec {
    return { type: 'ResidualBlock', config: { ...this.config }, children: this.children().map((c) => c.spec()) };
  }

  /** Sets the Rng of both dropout layers (e.g. a freshly seeded one for a reproducible mask). */
  setDropoutRng(rng: Rng): void {
    this.hiddenDropout.rng = rng;
    this.residualDropout.rng = rng;
  }
}
