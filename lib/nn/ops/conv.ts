// 1-D convolution and pooling over time on channels-last (B, T, C) tensors, each op's forward and backward side by
// side: conv1d (causal / same / valid padding, stride, dilation), max and average pooling, global pooling over T and
// the last time step.

import { type Conv1dGeometry, K } from '../kernels';
import { record, shapeStr, Tensor } from '../tensor';

/**
 * 'causal': (K − 1)·dilation zeros before the series, so output step o sees only inputs ≤ o·stride (Keras
 * 'causal', Bai et al. 2018); 'same': ⌈T / stride⌉ outputs with the padding split as TF/PyTorch do (the smaller
 * half before); 'valid': no padding.
 */
export type ConvPadding = 'causal' | 'same' | 'valid';

export const CONV_PADDINGS: readonly ConvPadding[] = ['causal', 'same', 'valid'];

export interface Conv1dOptions {
  /** Steps between consecutive outputs. Default 1. */
  stride?: number;
  /** Steps between the taps of the kernel. Default 1. */
  dilation?: number;
  /** Default 'causal'. */
  padding?: ConvPadding;
}

/** Number of output steps and zero steps before the input for a convolution over `steps` inputs. */
export function conv1dOutputSteps(
  steps: number,
  kernelSize: number,
  stride: number,
  dilation: number,
  padding: ConvPadding,
): { outSteps: number; padLeft: number } {
  const span = (kernelSize - 1) * dilation + 1; // steps one output reads, padding included
  switch (padding) {
    case 'causal':
      return { outSteps: Math.floor((steps - 1) / stride) + 1, padLeft: span - 1 };
    case 'same': {
      const outSteps = Math.ceil(steps / stride);
      const total = Math.max((outSteps - 1) * stride + span - steps, 0);
      return { outSteps, padLeft: Math.floor(total / 2) };
    }
    case 'valid':
      return { outSteps: steps >= span ? Math.floor((steps - span) / stride) + 1 : 0, padLeft: 0 };
    default:
      throw new Error(`conv1d: padding must be one of ${CONV_PADDINGS.join(', ')}, got ${String(padding)}`);
  }
}

function requireRank3(x: Tensor, op: string): void {
  if (x.rank !== 3) throw new Error(`${op}: expected input (B, T, C), got ${shapeStr(x.shape)}`);
}

function requireStep(op: string, field: string, v: number): void {
  if (!Number.isInteger(v) || v < 1) throw new Error(`${op}: ${field} must be a positive integer, got ${v}`);
}

/**
 * Convolution over time: x (B, T, Cin) ⊛ weight (K, Cin, Cout) + bias (Cout) → (B, T', Cout), where T' is T for
 * causal/same padding with stride 1 (see conv1dOutputSteps). bias may be null.
 */
export function conv1d(x: Tensor, weight: Tensor, bias: Tensor | null, opts: Conv1dOptions = {}): Tensor {
  const stride = opts.stride ?? 1;
  const dilation = opts.dilation ?? 1;
  const padding = opts.padding ?? 'causal';
  requireStep('conv1d', 'stride', stride);
  requireStep('conv1d', 'dilation', dilation);
  if (x.rank !== 3 || weight.rank !== 3 || x.shape[2] !== weight.shape[1]) {
    throw new Error(
      `conv1d: input ${shapeStr(x.shape)} does not fit weight ${shapeStr(weight.shape)} (needs (B, T, Cin), (K, Cin, Cout))`,
    );
  }
  const [batch, tIn, cIn] = x.shape;
  const [kernelSize, , cOut] = weight.shape;
  if (bias !== null && (bias.rank !== 1 || bias.shape[0] !== cOut)) {
    throw new Error(
      `conv1d: bias ${shapeStr(bias.shape)} does not fit weight ${shapeStr(weight.shape)} (needs [${cOut}])`,
    );
  }
  const { outSteps, padLeft } = conv1dOutputSteps(tIn, kernelSize, stride, dilation, padding);
  if (outSteps < 1) {
    throw new Error(
      `conv1d: input ${shapeStr(x.shape)} has fewer than the ${(kernelSize - 1) * dilation + 1} steps a '${padding}' kernel of size ${kernelSize}, dilation ${dilation} needs`,
    );
  }
  const g: Conv1dGeometry = { batch, tIn, cIn, tOut: outSteps, cOut, kernelSize, stride, dilation, padLeft };
  const out = Tensor.zeros([batch, outSteps, cOut]); // (B, T', Cout)
  K.conv1dForward(x.data, weight.data, bias === null ? null : bias.data, out.data, g);
  return record(out, bias !== null ? [x, weight, bias] : [x, weight], () => {
    const dy = out.grad!; // (B, T', Cout)
    if (x.requiresGrad) K.conv1dBackwardInput(dy, weight.data, x.gradBuffer(), g);
    const dw = weight.requiresGrad ? weight.gradBuffer() : null;
    const db = bias?.requiresGrad ? bias.gradBuffer() : null;
    if (dw !== null || db !== null) K.conv1dBackwardParams(x.data, dy, dw, db, g);
  });
}

function poolSteps(op: string, x: Tensor, size: number, stride: number): number {
  requireRank3(x, op);
  requireStep(op, 'size', size);
  requireStep(op, 'stride', stride);
  const steps = x.shape[1];
  if (steps < size) throw new Error(`${op}: input ${shapeStr(x.shape)} has fewer steps than the window size ${size}`);
  return Math.floor((steps - size) / stride) + 1;
}

/** Max over windows of `size` steps, `stride` apart, no padding: (B, T, C) → (B, ⌊(T − size)/stride⌋ + 1, C). */
export function maxPool1d(x: Tensor, size: number, stride = size): Tensor {
  const outSteps = poolSteps('maxPool1d', x, size, stride);
  const [batch, steps, channels] = x.shape;
  return maxPoolInto(x, [batch, outSteps, channels], batch, steps, channels, outSteps, size, stride);
}

function maxPoolInto(
  x: Tensor,
  shape: number[],
  batch: number,
  steps: number,
  channels: number,
  outSteps: number,
  size: number,
  stride: number,
): Tensor {
  const out = Tensor.zeros(shape);
  const argmax = new Int32Array(out.size);
  K.maxPool1dForward(x.data, out.data, argmax, batch, steps, channels, outSteps, size, stride);
  return record(out, [x], () => K.maxPool1dBackward(out.grad!, argmax, x.gradBuffer(), out.size));
}

/** Mean over windows of `size` steps, `stride` apart, no padding: (B, T, C) → (B, ⌊(T − size)/stride⌋ + 1, C). */
export function avgPool1d(x: Tensor, size: number, stride = size): Tensor {
  const outSteps = poolSteps('avgPool1d', x, size, stride);
  const [batch, steps, channels] = x.shape;
  return avgPoolInto(x, [batch, outSteps, channels], batch, steps, channels, outSteps, size, stride);
}

function avgPoolInto(
  x: Tensor,
  shape: number[],
  batch: number,
  steps: number,
  channels: number,
  outSteps: number,
  size: number,
  stride: number,
): Tensor {
  const out = Tensor.zeros(shape);
  K.avgPool1dForward(x.data, out.data, batch, steps, channels, outSteps, size, stride);
  return record(out, [x], () =>
    K.avgPool1dBackward(out.grad!, x.gradBuffer(), batch, steps, channels, outSteps, size, stride),
  );
}

/** Mean over all time steps: (B, T, C) → (B, C). */
export function globalAvgPool1d(x: Tensor): Tensor {
  requireRank3(x, 'globalAvgPool1d');
  const [batch, steps, channels] = x.shape;
  if (steps < 1) throw new Error(`globalAvgPool1d: input ${shapeStr(x.shape)} has no time steps`);
  return avgPoolInto(x, [batch, channels], batch, steps, channels, 1, steps, steps);
}

/** Max over all time steps: (B, T, C) → (B, C). */
export function globalMaxPool1d(x: Tensor): Tensor {
  requireRank3(x, 'globalMaxPool1d');
  const [batch, steps, channels] = x.shape;
  if (steps < 1) throw new Error(`globalMaxPool1d: input ${shapeStr(x.shape)} has no time steps`);
  return maxPoolInto(x, [batch, channels], batch, steps, channels, 1, steps, steps);
}

/** The last time step: (B, T, C) → (B, C); the gradient reaches step T − 1 only. */
export function lastStep(x: Tensor): Tensor {
  requireRank3(x, 'lastStep');
  const [batch, steps, channels] = x.shape;
  if (steps < 1) throw new Error(`lastStep: input ${shapeStr(x.shape)} has no time steps`);
  const out = Tensor.zeros([batch, channels]); // (B, C)
  K.gatherTimeStep(x.data, out.data, batch, steps, channels, steps - 1);
  return record(out, [x], () => K.scatterTimeStep(out.grad!, x.gradBuffer(), batch, steps, channels, steps - 1));
}
