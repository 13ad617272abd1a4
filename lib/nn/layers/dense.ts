// Dense (fully connected) layer: y = x·W + b with W stored [in, out]; (B, in) → (B, out) and (B, T, in) → (B, T, out).

import { type InitName, initialize } from '../init';
import { Module, type ModuleSpec } from '../module';
import { reshape } from '../ops/arithmetic';
import { linear } from '../ops/linear';
import type { Rng } from '../rng';
import { parameter, shapeStr, type Tensor } from '../tensor';
import { requirePositiveInt } from './validate';

export interface DenseConfig {
  inFeatures: number;
  outFeatures: number;
  /** Learn an additive bias (initialised to zeros). Default true. */
  bias?: boolean;
  /** Initialiser of the weight. Default 'glorotUniform'; use 'heNormal' / 'heUniform' before a ReLU. */
  init?: InitName;
}

export class Dense extends Module {
  readonly config: Required<DenseConfig>;
  /** (in, out) */
  readonly weight: Tensor;
  /** (out), or null without bias */
  readonly bias: Tensor | null;

  constructor(config: DenseConfig, rng: Rng) {
    super('dense');
    const inFeatures = requirePositiveInt('Dense', 'inFeatures', config.inFeatures);
    const outFeatures = requirePositiveInt('Dense', 'outFeatures', config.outFeatures);
    this.config = { inFeatures, outFeatures, bias: config.bias ?? true, init: config.init ?? 'glorotUniform' };
    const shape = [inFeatures, outFeatures];
    this.weight = parameter(initialize(this.config.init, shape, rng), shape, 'weight');
    this.bias = this.config.bias ? parameter(new Float32Array(outFeatures), [outFeatures], 'bias') : null;
  }

  forward(x: Tensor): Tensor {
    const { inFeatures, outFeatures } = this.config;
    if ((x.rank !== 2 && x.rank !== 3) || x.shape[x.rank - 1] !== inFeatures) {
      throw new Error(
        `Dense(${inFeatures} → ${outFeatures}): expected input (B, ${inFeatures}) or (B, T, ${inFeatures}), got ${shapeStr(x.shape)}`,
      );
    }
    if (x.rank === 2) return linear(x, this.weight, this.bias);
    const [b, t] = x.shape;
    const flat = reshape(x, [b * t, inFeatures]); // (B·T, in)
    return reshape(linear(flat, this.weight, this.bias), [b, t, outFeatures]); // (B, T, out)
  }

  ownParameters(): Tensor[] {
    return this.bias !== null ? [this.weight, this.bias] : [this.weight];
  }

  spec(): ModuleSpec {
    return { type: 'Dense', config: { ...this.config } };
  }
}
