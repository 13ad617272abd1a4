// Dropout layer: inverted dropout while training (mask drawn from the layer's Rng), the identity in eval mode.

import { Module, type ModuleSpec } from '../module';
import { dropout } from '../ops/dropout';
import type { Rng } from '../rng';
import type { Tensor } from '../tensor';
import { requireInRange } from './validate';

export interface DropoutConfig {
  /** Probability of zeroing each element while training, in [0, 1]. Default 0.5. */
  rate?: number;
}

export class Dropout extends Module {
  readonly config: Required<DropoutConfig>;
  /** Source of the masks; each training forward draws one uniform per element. Replace it to fix a mask. */
  rng: Rng;

  constructor(config: DropoutConfig, rng: Rng) {
    super('dropout');
    this.config = { rate: requireInRange('Dropout', 'rate', config.rate ?? 0.5, 0, 1) };
    this.rng = rng;
  }

  forward(x: Tensor): Tensor {
    if (!this.training) return x;
    return dropout(x, this.config.rate, this.rng);
  }

  spec(): ModuleSpec {
    return { type: 'Dropout', config: { ...this.config } };
  }
}
