// Pooling over time for channels-last sequences (B, T, C): windowed max/average pooling, global pooling over T and
// the last time step, each (B, T, C) → (B, C) reducer usable as the bridge from a sequence model to a Dense head.

import { Module, type ModuleSpec } from '../module';
import { avgPool1d, globalAvgPool1d, globalMaxPool1d, lastStep, maxPool1d } from '../ops/conv';
import type { Tensor } from '../tensor';
import { requirePositiveInt } from './validate';

export interface Pool1DConfig {
  /** Window length in time steps. */
  size: number;
  /** Steps between windows. Default size (non-overlapping windows). */
  stride?: number;
}

function poolConfig(layer: string, config: Pool1DConfig): Required<Pool1DConfig> {
  const size = requirePositiveInt(layer, 'size', config.size);
  return { size, stride: requirePositiveInt(layer, 'stride', config.stride ?? size) };
}

/** Max over windows of time steps (no padding): (B, T, C) → (B, ⌊(T − size)/stride⌋ + 1, C). */
export class MaxPool1D extends Module {
  readonly config: Required<Pool1DConfig>;

  constructor(config: Pool1DConfig) {
    super('maxPool1d');
    this.config = poolConfig('MaxPool1D', config);
  }

  forward(x: Tensor): Tensor {
    return maxPool1d(x, this.config.size, this.config.stride);
  }

  spec(): ModuleSpec {
    return { type: 'MaxPool1D', config: { ...this.config } };
  }
}

/** Mean over windows of time steps (no padding): (B, T, C) → (B, ⌊(T − size)/stride⌋ + 1, C). */
export class AvgPool1D extends Module {
  readonly config: Required<Pool1DConfig>;

  constructor(config: Pool1DConfig) {
    super('avgPool1d');
    this.config = poolConfig('AvgPool1D', config);
  }

  forward(x: Tensor): Tensor {
    return avgPool1d(x, this.config.size, this.config.stride);
  }

  spec(): ModuleSpec {
    return { type: 'AvgPool1D', config: { ...this.config } };
  }
}

/** Mean over all time steps: (B, T, C) → (B, C). No configuration. */
export class GlobalAvgPool1D extends Module {
  constructor() {
    super('globalAvgPool1d');
  }

  forward(x: Tensor): Tensor {
    return globalAvgPool1d(x);
  }

  spec(): ModuleSpec {
    return { type: 'GlobalAvgPool1D', config: {} };
  }
}

/** Max over all time steps: (B, T, C) → (B, C). No configuration. */
export class GlobalMaxPool1D extends Module {
  constructor() {
    super('globalMaxPool1d');
  }

  forward(x: Tensor): Tensor {
    return globalMaxPool1d(x);
  }

  spec(): ModuleSpec {
    return { type: 'GlobalMaxPool1D', config: {} };
  }
}

/** The last time step: (B, T, C) → (B, C), e.g. a causal sequence model's summary of the whole window. */
export class LastStep extends Module {
  constructor() {
    super('lastStep');
  }

  forward(x: Tensor): Tensor {
    return lastStep(x);
  }

  spec(): ModuleSpec {
    return { type: 'LastStep', config: {} };
  }
}
