// The course's training pathologies as small, seeded experiments on the engine: vanishing gradients, exploding
// gradients and clipping, dead ReLUs at a high learning rate, dropout against over-fitting, and batch norm at a high
// learning rate. Each returns the curves a Lab page plots; onEpoch lets the page draw them while they grow.

import { applyActivation } from '../nn/activations';
import { circleData, type Dataset, shuffleRows, sliceRows, spiralData } from '../nn/datasets';
import { deadReluReport, GradNormTracker } from '../nn/diagnostics';
import { type EpochLog, fit } from '../nn/fit';
import { Activation, type FixedActivationName } from '../nn/layers/activation';
import { BatchNorm } from '../nn/layers/batchnorm';
import { Dense } from '../nn/layers/dense';
import { Dropout } from '../nn/layers/dropout';
import { Sequential } from '../nn/layers/sequential';
import { bceWithLogits } from '../nn/losses';
import type { Module } from '../nn/module';
import { Rng } from '../nn/rng';
import { noGrad, Tensor } from '../nn/tensor';

export type OnEpoch = (epoch: number) => void;

function mlp(
  inputs: number,
  hidden: number[],
  activation: FixedActivationName,
  rng: Rng,
  opts: { dropout?: number; batchNorm?: boolean; init?: 'glorotUniform' | 'heNormal'; gain?: number } = {},
): Sequential {
  const layers: Module[] = [];
  let w = inputs;
  for (const h of hidden) {
    const dense = new Dense({ inFeatures: w, outFeatures: h, init: opts.init ?? 'glorotUniform' }, rng);
    if (opts.gain) for (let i = 0; i < dense.weight.size; i++) dense.weight.data[i] *= opts.gain;
    layers.push(dense);
    if (opts.batchNorm) layers.push(new BatchNorm({ features: h }));
    layers.push(new Activation({ fn: activation }));
    if (opts.dropout) layers.push(new Dropout({ rate: opts.dropout }, rng));
    w = h;
  }
  layers.push(new Dense({ inFeatures: w, outFeatures: 1 }, rng));
  return new Sequential(layers);
}

function split(d: Dataset, rng: Rng, nTrain: number): { train: Dataset; test: Dataset } {
  const s = shuffleRows(d, rng);
  return { train: sliceRows(s, 0, nTrain), test: sliceRows(s, nTrain, s.xShape[0]) };
}

function bceLoss(model: Module, d: Dataset): number {
  return noGrad(() => {
    const wasTraining = model.training;
    model.eval();
    const v = bceWithLogits(model.forward(new Tensor(d.x, d.xShape)), new Tensor(d.y, d.yShape)).item();
    model.train(wasTraining);
    return v;
  });
}

function accuracy(model: Module, d: Dataset): number {
  return noGrad(() => {
    model.eval();
    const p = applyActivation(model.forward(new Tensor(d.x, d.xShape)), 'sigmoid').data;
    model.train(true);
    let ok = 0;
    for (let i = 0; i < p.length; i++) if (p[i] >= 0.5 === d.y[i] > 0.5) ok++;
    return ok / p.length;
  });
}

export interface VanishingResult {
  activation: FixedActivationName;
  /** Dense layers from input (first) to output (last). */
  layers: string[];
  /** norms[l][e]: mean gradient norm of layer l in epoch e. */
  norms: number[][];
  loss: number[];
}

/**
 * A 10-hidden-layer net (width 16) on the circle data: with sigmoid the gradient shrinks layer by layer towards the
 * input (each sigmoid multiplies it by at most 0.25), with tanh less, with ReLU hardly at all.
 */
export async function vanishingGradients(
  activation: FixedActivationName,
  opts: { depth?: number; epochs?: number; seed?: number; onEpoch?: OnEpoch } = {},
): Promise<VanishingResult> {
  const rng = new Rng(opts.seed ?? 1);
  const depth = opts.depth ?? 10;
  const data = circleData(new Rng(7), { samples: 256, noise: 0 });
  const model = mlp(2, Array(depth).fill(16), activation, rng, {
    init: activation === 'relu' ? 'heNormal' : 'glorotUniform',
  });
  const tracker = new GradNormTracker(model);
  const loss: number[] = [];
  const h = await fit(model, data, {
    loss: bceWithLogits,
    optimizer: { type: 'sgd', lr: 0.05 },
    epochs: opts.epochs ?? 20,
    batchSize: 32,
    seed: opts.seed ?? 1,
    collectGradNorms: true,
    onEpochEnd: (log: EpochLog) => {
      loss.push(log.loss);
      opts.onEpoch?.(log.epoch);
    },
  });
  const labels = tracker.layers.map((l) => l.label);
  const norms = labels.map((l) => h.gradNorms?.[l] ?? []);
  return { activation, layers: labels, norms, loss };
}

export interface ClippingResult {
  clipNorm: number | null;
  loss: number[];
  /** Global gradient norm per epoch (before clipping). */
  gradNorm: number[];
  stopReason: string;
}

/**
 * Exploding gradients: a deep ReLU net whose weights start 2.5× too large, trained with a high learning rate.
 * Without clipping the loss blows up; clipping the global gradient norm keeps the steps bounded.
 */
export async function explodingGradients(
  clipNorm: number | null,
  opts: { epochs?: number; seed?: number; onEpoch?: OnEpoch } = {},
): Promise<ClippingResult> {
  const rng = new Rng(opts.seed ?? 2);
  const data = circleData(new Rng(8), { samples: 256, noise: 0 });
  const model = mlp(2, Array(8).fill(32), 'relu', rng, { init: 'heNormal', gain: 2.5 });
  const loss: number[] = [];
  const h = await fit(model, data, {
    loss: bceWithLogits,
    optimizer: { type: 'sgd', lr: 0.05 },
    epochs: opts.epochs ?? 15,
    batchSize: 32,
    seed: opts.seed ?? 2,
    clipNorm: clipNorm ?? undefined,
    collectGradNorms: true,
    onEpochEnd: (log) => {
      loss.push(log.loss);
      opts.onEpoch?.(log.epoch);
    },
  });
  const per = Object.values(h.gradNorms ?? {});
  const gradNorm = (per[0] ?? []).map((_, e) => Math.sqrt(per.reduce((s, l) => s + (l[e] ?? 0) ** 2, 0)));
  return { clipNorm, loss, gradNorm, stopReason: h.stopReason };
}

export interface DeadReluResult {
  learningRate: number;
  /** Share of dead hidden ReLU units (all layers) after each epoch. */
  deadShare: number[];
  loss: number[];
}

/** Dead ReLUs: a large learning rate pushes many units into the region where they output 0 for every input. */
export async function deadRelus(
  learningRate: number,
  opts: { epochs?: number; seed?: number; onEpoch?: OnEpoch } = {},
): Promise<DeadReluResult> {
  const rng = new Rng(opts.seed ?? 3);
  const data = spiralData(new Rng(9), { samples: 300, noise: 0.1 });
  const model = mlp(2, [32, 32, 32], 'relu', rng, { init: 'heNormal' });
  const deadShare: number[] = [];
  const loss: number[] = [];
  await fit(model, data, {
    loss: bceWithLogits,
    optimizer: { type: 'sgd', lr: learningRate },
    epochs: opts.epochs ?? 20,
    batchSize: 16,
    seed: opts.seed ?? 3,
    onEpochEnd: (log) => {
      const report = deadReluReport(model, data.x, data.xShape);
      const units = report.reduce((s, r) => s + r.units, 0);
      deadShare.push(report.reduce((s, r) => s + r.deadUnits, 0) / units);
      loss.push(log.loss);
      opts.onEpoch?.(log.epoch);
    },
  });
  return { learningRate, deadShare, loss };
}

export interface OverfitResult {
  dropout: number;
  trainLoss: number[];
  testLoss: number[];
  trainAccuracy: number;
  testAccuracy: number;
}

/**
 * Over-fitting: a wide net on 40 noisy training points memorises them (train loss → 0, test loss rises); dropout
 * keeps the two curves closer.
 */
export async function dropoutOverfit(
  dropout: number,
  opts: { epochs?: number; seed?: number; onEpoch?: OnEpoch } = {},
): Promise<OverfitResult> {
  const rng = new Rng(opts.seed ?? 4);
  const { train, test } = split(circleData(new Rng(10), { samples: 440, noise: 0.25 }), new Rng(11), 40);
  const model = mlp(2, [64, 64], 'relu', rng, { init: 'heNormal', dropout });
  const trainLoss: number[] = [];
  const testLoss: number[] = [];
  await fit(model, train, {
    loss: bceWithLogits,
    optimizer: { type: 'adam', lr: 0.01 },
    epochs: opts.epochs ?? 150,
    batchSize: 40,
    seed: opts.seed ?? 4,
    onEpochEnd: (log) => {
      trainLoss.push(bceLoss(model, train));
      testLoss.push(bceLoss(model, test));
      opts.onEpoch?.(log.epoch);
    },
  });
  return { dropout, trainLoss, testLoss, trainAccuracy: accuracy(model, train), testAccuracy: accuracy(model, test) };
}

export interface BatchNormResult {
  batchNorm: boolean;
  loss: number[];
  accuracy: number;
  stopReason: string;
}

/** Batch norm at a high learning rate (1.0, plain SGD): the normalised ReLU net trains where the plain one diverges. */
export async function batchNormHighLr(
  batchNorm: boolean,
  opts: { epochs?: number; seed?: number; learningRate?: number; onEpoch?: OnEpoch } = {},
): Promise<BatchNormResult> {
  const rng = new Rng(opts.seed ?? 5);
  const data = circleData(new Rng(12), { samples: 400, noise: 0.05 });
  const model = mlp(2, [32, 32, 32, 32], 'relu', rng, { batchNorm, init: 'heNormal' });
  const loss: number[] = [];
  const h = await fit(model, data, {
    loss: bceWithLogits,
    optimizer: { type: 'sgd', lr: opts.learningRate ?? 1 },
    epochs: opts.epochs ?? 30,
    batchSize: 32,
    seed: opts.seed ?? 5,
    onEpochEnd: (log) => {
      loss.push(log.loss);
      opts.onEpoch?.(log.epoch);
    },
  });
  return { batchNorm, loss, accuracy: accuracy(model, data), stopReason: h.stopReason };
}
