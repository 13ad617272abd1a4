// Batch normalisation (Ioffe & Szegedy 2015) over the feature axis of (B, F) or (B, T, F): batch statistics while
// training, running statistics in inference, updated as PyTorch does.

import { K } from '../kernels';
import { Module, type ModuleSpec } from '../module';
import { batchNormInference, batchNormTraining } from '../ops/normalization';
import { parameter, shapeStr, Tensor } from '../tensor';
import { requireInRange, requirePositiveInt } from './validate';

export interface BatchNormConfig {
  features: number;
  /** Weight of the newest batch in the running statistics: r ← (1 − momentum)·r + momentum·batch. Default 0.1. */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
}

export class BatchNorm extends Module {
  readonly config: Required<BatchNormConfig>;
  /** Scale, initialised to ones (features). */
  readonly gamma: Tensor;
  /** Shift, initialised to zeros (features). */
  readonly beta: Tensor;
  /** Running mean of the batch means, initialised to zeros (features). */
  readonly runningMean: Tensor;
  /** Running mean of the unbiased batch variances, initialised to ones (features). */
  readonly runningVar: Tensor;

  constructor(config: BatchNormConfig) {
    super('batchnorm');
    const features = requirePositiveInt('BatchNorm', 'features', config.features);
    this.config = {
      features,
      momentum: requireInRange('BatchNorm', 'momentum', config.momentum ?? 0.1, 0, 1),
      eps: requireInRange('BatchNorm', 'eps', config.eps ?? 1e-5, 0, Number.MAX_VALUE, true),
    };
    this.gamma = parameter(new Float32Array(features).fill(1), [features], 'gamma');
    this.beta = parameter(new Float32Array(features), [features], 'beta');
    this.runningMean = new Tensor(new Float32Array(features), [features], false, 'runningMean');
    this.runningVar = new Tensor(new Float32Array(features).fill(1), [features], false, 'runningVar');
  }

  forward(x: Tensor): Tensor {
    const { features, momentum, eps } = this.config;
    if ((x.rank !== 2 && x.rank !== 3) || x.shape[x.rank - 1] !== features) {
      throw new Error(
        `BatchNorm(${features}): expected input (B, ${features}) or (B, T, ${features}), got ${shapeStr(x.shape)}`,
      );
    }
    if (!this.training) return batchNormInference(x, this.gamma, this.beta, this.runningMean, this.runningVar, eps);
    const { y, mean, variance, rows } = batchNormTraining(x, this.gamma, this.beta, eps);
    const rm = this.runningMean.data;
    const rv = this.runningVar.data;
    K.scale(1 - momentum, rm, rm);
    K.axpy(momentum, mean, rm);
    // normalising uses the biased variance; the running estimate uses the unbiased one, × rows/(rows − 1)
    K.scale(1 - momentum, rv, rv);
    K.axpy((momentum * rows) / (rows - 1), variance, rv);
    return y;
  }

  ownParameters(): Tensor[] {
    return [this.gamma, this.beta];
  }

  ownBuffers(): Tensor[] {
    return [this.runningMean, this.runningVar];
  }

  spec(): ModuleSpec {
    return { type: 'BatchNorm', config: { ...this.config } };
  }
}
