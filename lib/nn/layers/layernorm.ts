// Layer normalisation (Ba et al. 2016): each position's F features normalised by their own mean and variance, then
// scaled and shifted per feature; the same in training and inference.

import { Module, type ModuleSpec } from '../module';
import { layerNorm } from '../ops/normalization';
import { parameter, shapeStr, type Tensor } from '../tensor';
import { requireInRange, requirePositiveInt } from './validate';

export interface LayerNormConfig {
  /** Size of the last axis. */
  features: number;
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
}

export class LayerNorm extends Module {
  readonly config: Required<LayerNormConfig>;
  /** Scale, initialised to ones (features). */
  readonly gamma: Tensor;
  /** Shift, initialised to zeros (features). */
  readonly beta: Tensor;

  constructor(config: LayerNormConfig) {
    super('layernorm');
    const features = requirePositiveInt('LayerNorm', 'features', config.features);
    this.config = { features, eps: requireInRange('LayerNorm', 'eps', config.eps ?? 1e-5, 0, Number.MAX_VALUE, true) };
    this.gamma = parameter(new Float32Array(features).fill(1), [features], 'gamma');
    this.beta = parameter(new Float32Array(features), [features], 'beta');
  }

  forward(x: Tensor): Tensor {
    const { features, eps } = this.config;
    if (x.rank < 1 || x.shape[x.rank - 1] !== features) {
      throw new Error(`LayerNorm(${features}): expected input (..., ${features}), got ${shapeStr(x.shape)}`);
    }
    return layerNorm(x, this.gamma, this.beta, eps);
  }

  ownParameters(): Tensor[] {
    return [this.gamma, this.beta];
  }

  spec(): ModuleSpec {
    return { type: 'LayerNorm', config: { ...this.config } };
  }
}
