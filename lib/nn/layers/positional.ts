// Positional encodings that add a per-position vector to a (B, T, d) sequence, so attention (which is blind to order)
// can tell time steps apart: fixed sinusoids (Vaswani et al. 2017, §3.5) or a learned table (BERT, GPT-2).

import { Module, type ModuleSpec } from '../module';
import { add } from '../ops/arithmetic';
import { sliceFirstAxis } from '../ops/shape';
import type { Rng } from '../rng';
import { parameter, shapeStr, Tensor } from '../tensor';
import { requireInRange, requirePositiveInt } from './validate';

/**
 * The (T, d) sinusoid table: PE[t, 2i] = sin(t / base^(2i/d)), PE[t, 2i + 1] = cos(t / base^(2i/d)).
 * Computed in float64, stored as float32.
 */
export function sinusoidalTable(steps: number, dModel: number, base = 10000): Float32Array {
  const table = new Float32Array(steps * dModel);
  for (let j = 0; j < dModel; j += 2) {
    const invFreq = base ** (-j / dModel);
    for (let t = 0; t < steps; t++) {
      table[t * dModel + j] = Math.sin(t * invFreq);
      if (j + 1 < dModel) table[t * dModel + j + 1] = Math.cos(t * invFreq);
    }
  }
  return table;
}

function checkSequence(layer: string, x: Tensor, dModel: number, maxLen: number): void {
  if (x.rank !== 3 || x.shape[2] !== dModel) {
    throw new Error(`${layer}(d ${dModel}): expected input (B, T, ${dModel}), got ${shapeStr(x.shape)}`);
  }
  if (x.shape[1] > maxLen) {
    throw new Error(`${layer}: input ${shapeStr(x.shape)} has T = ${x.shape[1]} steps, more than maxLen ${maxLen}`);
  }
}

export interface SinusoidalPositionalEncodingConfig {
  /** Width d of the sequence it is added to. */
  dModel: number;
  /** Longest sequence accepted. Default 4096 (the table is computed for the T seen, not for maxLen). */
  maxLen?: number;
  /** Wavelengths grow geometrically from 2π to base·2π. Default 10000 (Vaswani et al.). */
  base?: number;
}

/** x + PE (T, d) with fixed sinusoids; no parameters. Unlike Vaswani et al., x is not multiplied by √d first. */
export class SinusoidalPositionalEncoding extends Module {
  readonly config: Required<SinusoidalPositionalEncodingConfig>;
  /** Constant (T, d) table of the last T seen. */
  private table: Tensor | null = null;

  constructor(config: SinusoidalPositionalEncodingConfig) {
    super('sinusoidal');
    const dModel = requirePositiveInt('SinusoidalPositionalEncoding', 'dModel', config.dModel);
    const maxLen = requirePositiveInt('SinusoidalPositionalEncoding', 'maxLen', config.maxLen ?? 4096);
    const base = requireInRange(
      'SinusoidalPositionalEncoding',
      'base',
      config.base ?? 10000,
      1,
      Number.MAX_VALUE,
      true,
    );
    this.config = { dModel, maxLen, base };
  }

  /** x (B, T, d) → x + PE[0..T) (B, T, d). */
  forward(x: Tensor): Tensor {
    const { dModel, maxLen, base } = this.config;
    checkSequence('SinusoidalPositionalEncoding', x, dModel, maxLen);
    const steps = x.shape[1];
    if (this.table === null || this.table.shape[0] !== steps) {
      this.table = new Tensor(sinusoidalTable(steps, dModel, base), [steps, dModel]);
    }
    return add(x, this.table);
  }

  spec(): ModuleSpec {
    return { type: 'SinusoidalPositionalEncoding', config: { ...this.config } };
  }
}

export interface LearnedPositionalEncodingConfig {
  /** Width d of the sequence it is added to. */
  dModel: number;
  /** Rows of the table: the longest sequence accepted. */
  maxLen: number;
  /** Standard deviation of the normal initialisation. Default 0.02 (BERT, GPT-2). */
  initStd?: number;
}

/** x + P[0..T) with P a trainable (maxLen, d) table named 'weight'. */
export class LearnedPositionalEncoding extends Module {
  readonly config: Required<LearnedPositionalEncodingConfig>;
  /** (maxLen, d) */
  readonly weight: Tensor;

  constructor(config: LearnedPositionalEncodingConfig, rng: Rng) {
    super('learnedPosition');
    const dModel = requirePositiveInt('LearnedPositionalEncoding', 'dModel', config.dModel);
    const maxLen = requirePositiveInt('LearnedPositionalEncoding', 'maxLen', config.maxLen);
    const initStd = requireInRange('LearnedPositionalEncoding', 'initStd', config.initStd ?? 0.02, 0, Number.MAX_VALUE);
    this.config = { dModel, maxLen, initStd };
    const data = new Float32Array(maxLen * dModel);
    for (let i = 0; i < data.length; i++) data[i] = rng.normal(0, initStd);
    this.weight = parameter(data, [maxLen, dModel], 'weight');
  }

  /** x (B, T, d) → x + weight[0..T) (B, T, d); only the first T rows receive gradient. */
  forward(x: Tensor): Tensor {
    const { dModel, maxLen } = this.config;
    checkSequence('LearnedPositionalEncoding', x, dModel, maxLen);
    return add(x, sliceFirstAxis(this.weight, 0, x.shape[1]));
  }

  ownParameters(): Tensor[] {
    return [this.weight];
  }

  spec(): ModuleSpec {
    return { type: 'LearnedPositionalEncoding', config: { ...this.config } };
  }
}
