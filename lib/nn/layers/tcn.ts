// Temporal convolutional network (Bai, Kolter & Koltun 2018, "An Empirical Evaluation of Generic Convolutional and
// Recurrent Networks for Sequence Modeling"): residual blocks of two dilated causal convolutions, and a helper that
// stacks blocks with dilations 1, 2, 4, … until they cover a wanted receptive field.
//
// Weight normalisation, which the paper applies to each convolution, is omitted: it reparameterises the weights to
// speed up optimisation but changes neither what the block computes nor its causality, and Adam trains these small
// stacks well without it.

import { relu } from '../activations';
import type { InitName } from '../init';
import { Module, type ModuleSpec } from '../module';
import { add } from '../ops/arithmetic';
import type { Rng } from '../rng';
import { shapeStr, type Tensor } from '../tensor';
import { Conv1D } from './conv1d';
import { Dropout } from './dropout';
import { Sequential } from './sequential';
import { requireInRange, requirePositiveInt } from './validate';

export interface TCNBlockConfig {
  /** Input channels. */
  channels: number;
  /** Output channels of both convolutions. Default channels. */
  outChannels?: number;
  /** Taps of each convolution. Default 3. */
  kernelSize?: number;
  /** Dilation of both convolutions (1, 2, 4, … down a stack). Default 1. */
  dilation?: number;
  /** Dropout rate after each convolution's ReLU (elementwise, as in the paper's code). Default 0.1. */
  dropout?: number;
  /** Initialiser of the convolution weights. Default 'heNormal' (each convolution is followed by a ReLU). */
  init?: InitName;
}

/**
 * out = ReLU(residual(x) + Dropout(ReLU(Conv(Dropout(ReLU(Conv(x))))))), both convolutions causal and dilated;
 * residual is the identity, or a 1×1 convolution when channels ≠ outChannels. (B, T, channels) → (B, T, outChannels);
 * the output at t depends on inputs t − 2·(kernelSize − 1)·dilation … t only.
 */
export class TCNBlock extends Module {
  readonly config: Required<TCNBlockConfig>;
  readonly conv1: Conv1D;
  readonly dropout1: Dropout;
  readonly conv2: Conv1D;
  readonly dropout2: Dropout;
  /** 1×1 convolution matching the channel counts for the skip connection, or null for the identity */
  readonly downsample: Conv1D | null;

  /** rng initialises conv1, conv2 and the downsample (in that order) and then draws both dropout masks. */
  constructor(config: TCNBlockConfig, rng: Rng) {
    super('tcnBlock');
    const channels = requirePositiveInt('TCNBlock', 'channels', config.channels);
    const outChannels = requirePositiveInt('TCNBlock', 'outChannels', config.outChannels ?? channels);
    const kernelSize = requirePositiveInt('TCNBlock', 'kernelSize', config.kernelSize ?? 3);
    const dilation = requirePositiveInt('TCNBlock', 'dilation', config.dilation ?? 1);
    const rate = requireInRange('TCNBlock', 'dropout', config.dropout ?? 0.1, 0, 1);
    const init = config.init ?? 'heNormal';
    this.config = { channels, outChannels, kernelSize, dilation, dropout: rate, init };
    const conv = { kernelSize, dilation, padding: 'causal', init } as const;
    this.conv1 = new Conv1D({ inChannels: channels, outChannels, ...conv }, rng);
    this.conv2 = new Conv1D({ inChannels: outChannels, outChannels, ...conv }, rng);
    this.downsample =
      channels !== outChannels
        ? new Conv1D(
            { inChannels: channels, outChannels, kernelSize: 1, padding: 'causal', init: 'glorotUniform' },
            rng,
          )
        : null;
    this.dropout1 = new Dropout({ rate }, rng);
    this.dropout2 = new Dropout({ rate }, rng);
  }

  /** x (B, T, channels) → (B, T, outChannels). */
  forward(x: Tensor): Tensor {
    const { channels, outChannels } = this.config;
    if (x.rank !== 3 || x.shape[2] !== channels) {
      throw new Error(
        `TCNBlock(${channels} → ${outChannels}): expected input (B, T, ${channels}), got ${shapeStr(x.shape)}`,
      );
    }
    let h = this.dropout1.forward(relu(this.conv1.forward(x))); // (B, T, out)
    h = this.dropout2.forward(relu(this.conv2.forward(h))); // (B, T, out)
    const skip = this.downsample !== null ? this.downsample.forward(x) : x; // (B, T, out)
    return relu(add(skip, h));
  }

  /** Input steps one output step depends on: 2·(kernelSize − 1)·dilation + 1. */
  receptiveField(): number {
    return 2 * (this.config.kernelSize - 1) * this.config.dilation + 1;
  }

  /** namedState paths: 0 (conv1), 1 (dropout1), 2 (conv2), 3 (dropout2), then 4 (downsample) when present. */
  children(): Module[] {
    const c: Module[] = [this.conv1, this.dropout1, this.conv2, this.dropout2];
    if (this.downsample !== null) c.push(this.downsample);
    return c;
  }

  /** Rebuilt from config alone; children are listed so the spec tree mirrors the namedState paths. */
  spec(): ModuleSpec {
    return { type: 'TCNBlock', config: { ...this.config }, children: this.children().map((c) => c.spec()) };
  }

  /** Sets the Rng of both dropout layers (e.g. a freshly seeded one for a reproducible mask). */
  setDropoutRng(rng: Rng): void {
    this.dropout1.rng = rng;
    this.dropout2.rng = rng;
  }
}

export interface TCNConfig {
  /** Channels of the input series (features per step). */
  inChannels: number;
  /** Channels of every block's output. */
  channels: number;
  /** Number of blocks; block i has dilation 2^i. Default: the fewest that cover receptiveField. */
  levels?: number;
  /** Input steps the last output should see; used when levels is not given. Default 32. */
  receptiveField?: number;
  /** Taps of each convolution. Default 3. */
  kernelSize?: number;
  /** Dropout rate inside each block. Default 0.1. */
  dropout?: number;
}

/** Receptive field of `levels` TCN blocks with dilations 1, 2, …, 2^(levels−1): 1 + 2·(kernelSize − 1)·(2^levels − 1). */
export function tcnReceptiveField(kernelSize: number, levels: number): number {
  return 1 + 2 * (kernelSize - 1) * (2 ** levels - 1);
}

/** The fewest levels whose receptive field is ≥ steps (at least 1). */
export function tcnLevelsFor(steps: number, kernelSize: number): number {
  if (kernelSize < 2)
    throw new Error(`tcnLevelsFor: kernelSize must be ≥ 2 to grow the receptive field, got ${kernelSize}`);
  let levels = 1;
  while (tcnReceptiveField(kernelSize, levels) < steps) levels++;
  return levels;
}

/**
 * A TCN: Sequential of TCNBlocks with dilations 1, 2, 4, …, (B, T, inChannels) → (B, T, channels). Follow it with
 * LastStep (the causal summary of the window) and a Dense head to forecast.
 */
export function buildTcn(config: TCNConfig, rng: Rng): Sequential {
  const inChannels = requirePositiveInt('TCN', 'inChannels', config.inChannels);
  const channels = requirePositiveInt('TCN', 'channels', config.channels);
  const kernelSize = requirePositiveInt('TCN', 'kernelSize', config.kernelSize ?? 3);
  const levels =
    config.levels !== undefined
      ? requirePositiveInt('TCN', 'levels', config.levels)
      : tcnLevelsFor(requirePositiveInt('TCN', 'receptiveField', config.receptiveField ?? 32), kernelSize);
  const dropout = config.dropout ?? 0.1;
  const blocks: TCNBlock[] = [];
  for (let i = 0; i < levels; i++) {
    blocks.push(
      new TCNBlock(
        { channels: i === 0 ? inChannels : channels, outChannels: channels, kernelSize, dilation: 2 ** i, dropout },
        rng,
      ),
    );
  }
  return new Sequential(blocks);
}
