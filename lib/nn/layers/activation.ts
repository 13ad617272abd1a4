// Activation layers: Activation applies a fixed activation by name; PReLU learns its negative slope per channel.

import {
  ACTIVATION_NAMES,
  type ActivationName,
  applyActivation,
  type GeluApproximation,
  PRELU_INIT_ALPHA,
  prelu,
} from '../activations';
import { Module, type ModuleSpec } from '../module';
import { parameter, shapeStr, type Tensor } from '../tensor';

/** Every activation without learned parameters (PReLU has its own layer). */
export type FixedActivationName = Exclude<ActivationName, 'prelu'>;

export interface ActivationConfig {
  /** The activation to apply. */
  fn: FixedActivationName;
  /** LeakyReLU negative slope (default 0.01) or ELU scale (default 1); ignored by the others. */
  alpha?: number;
  /** GELU formula: 'tanh' approximation (default) or 'none' for the exact erf form. */
  approximate?: GeluApproximation;
}

/** A parameter-free activation layer, e.g. between two Dense layers. */
export class Activation extends Module {
  readonly config: ActivationConfig;

  constructor(config: ActivationConfig, name: string = config.fn) {
    super(name);
    if ((config.fn as ActivationName) === 'prelu') {
      throw new Error('Activation: prelu has a learned slope; use the PReLU layer');
    }
    if (!ACTIVATION_NAMES.includes(config.fn)) {
      throw new Error(`Activation: unknown fn '${config.fn}'; known: ${ACTIVATION_NAMES.join(', ')}`);
    }
    this.config = { ...config };
  }

  forward(x: Tensor): Tensor {
    return applyActivation(x, this.config.fn, this.config);
  }

  spec(): ModuleSpec {
    const config: Record<string, unknown> = { fn: this.config.fn };
    if (this.config.alpha !== undefined) config.alpha = this.config.alpha;
    if (this.config.approximate !== undefined) config.approximate = this.config.approximate;
    return { type: 'Activation', config };
  }
}

export interface PReLUConfig {
  /**
   * Number of learned slopes: 1 (default) shares one slope across all elements; C learns one per channel of the
   * input's last axis, which must then have size C.
   */
  channels?: number;
  /** Initial slope (default 0.25, He et al. 2015). */
  init?: number;
}

/** PReLU: x for x ≥ 0, alpha·x below, with alpha a trainable parameter named 'alpha'. */
export class PReLU extends Module {
  readonly channels: number;
  readonly init: number;
  /** (channels) learned negative slopes. */
  readonly alpha: Tensor;

  constructor(config: PReLUConfig = {}, name = 'prelu') {
    super(name);
    this.channels = config.channels ?? 1;
    this.init = config.init ?? PRELU_INIT_ALPHA;
    if (!Number.isInteger(this.channels) || this.channels < 1) {
      throw new Error(`PReLU: channels must be a positive integer, got ${this.channels}`);
    }
    if (!Number.isFinite(this.init)) throw new Error(`PReLU: init must be a finite number, got ${this.init}`);
    this.alpha = parameter(new Float32Array(this.channels).fill(this.init), [this.channels], 'alpha');
  }

  forward(x: Tensor): Tensor {
    if (this.channels > 1 && (x.rank === 0 || x.shape[x.rank - 1] !== this.channels)) {
      throw new Error(`PReLU: input ${shapeStr(x.shape)} must have ${this.channels} channels on its last axis`);
    }
    return prelu(x, this.alpha);
  }

  ownParameters(): Tensor[] {
    return [this.alpha];
  }

  spec(): ModuleSpec {
    return { type: 'PReLU', config: { channels: this.channels, init: this.init } };
  }
}
