// 1-D convolution layer over time, channels-last: (B, T, Cin) → (B, T', Cout) with weight [kernelSize, Cin, Cout].

import { type InitName, initialize } from '../init';
import { Module, type ModuleSpec } from '../module';
import { CONV_PADDINGS, type ConvPadding, conv1d } from '../ops/conv';
import type { Rng } from '../rng';
import { parameter, shapeStr, type Tensor } from '../tensor';
import { requirePositiveInt } from './validate';

export interface Conv1DConfig {
  inChannels: number;
  outChannels: number;
  /** Taps of the kernel. */
  kernelSize: number;
  /** Steps between consecutive outputs. Default 1. */
  stride?: number;
  /** Steps between the kernel's taps; the kernel spans (kernelSize − 1)·dilation + 1 steps. Default 1. */
  dilation?: number;
  /** 'causal' (output at t sees only inputs ≤ t), 'same' or 'valid'; see ConvPadding. Default 'causal'. */
  padding?: ConvPadding;
  /** Learn an additive bias per output channel (initialised to zeros). Default true. */
  bias?: boolean;
  /** Initialiser of the weight, fan-in kernelSize·inChannels. Default 'heNormal' (a ReLU usually follows). */
  init?: InitName;
}

export class Conv1D extends Module {
  readonly config: Required<Conv1DConfig>;
  /** (kernelSize, inChannels, outChannels); with causal padding tap k reads the input (kernelSize − 1 − k)·dilation steps back */
  readonly weight: Tensor;
  /** (outChannels), or null without bias */
  readonly bias: Tensor | null;

  constructor(config: Conv1DConfig, rng: Rng) {
    super('conv1d');
    const inChannels = requirePositiveInt('Conv1D', 'inChannels', config.inChannels);
    const outChannels = requirePositiveInt('Conv1D', 'outChannels', config.outChannels);
    const kernelSize = requirePositiveInt('Conv1D', 'kernelSize', config.kernelSize);
    const stride = requirePositiveInt('Conv1D', 'stride', config.stride ?? 1);
    const dilation = requirePositiveInt('Conv1D', 'dilation', config.dilation ?? 1);
    const padding = config.padding ?? 'causal';
    if (!CONV_PADDINGS.includes(padding)) {
      throw new Error(`Conv1D: padding must be one of ${CONV_PADDINGS.join(', ')}, got ${String(padding)}`);
    }
    this.config = {
      inChannels,
      outChannels,
      kernelSize,
      stride,
      dilation,
      padding,
      bias: config.bias ?? true,
      init: config.init ?? 'heNormal',
    };
    const shape = [kernelSize, inChannels, outChannels];
    this.weight = parameter(initialize(this.config.init, shape, rng), shape, 'weight');
    this.bias = this.config.bias ? parameter(new Float32Array(outChannels), [outChannels], 'bias') : null;
  }

  /** x (B, T, inChannels) → (B, T', outChannels); T' = T for 'causal' and 'same' at stride 1. */
  forward(x: Tensor): Tensor {
    const { inChannels, outChannels, kernelSize, stride, dilation, padding } = this.config;
    if (x.rank !== 3 || x.shape[2] !== inChannels) {
      throw new Error(
        `Conv1D(${inChannels} → ${outChannels}, kernel ${kernelSize}): expected input (B, T, ${inChannels}), got ${shapeStr(x.shape)}`,
      );
    }
    return conv1d(x, this.weight, this.bias, { stride, dilation, padding });
  }

  /** Input steps one output step depends on: (kernelSize − 1)·dilation + 1. */
  receptiveField(): number {
    return (this.config.kernelSize - 1) * this.config.dilation + 1;
  }

  ownParameters(): Tensor[] {
    return this.bias !== null ? [this.weight, this.bias] : [this.weight];
  }

  spec(): ModuleSpec {
    return { type: 'Conv1D', config: { ...this.config } };
  }
}
