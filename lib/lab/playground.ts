// The Lab's playground: the TensorFlow Playground's classification tasks trained step by step on NeuralFin's engine,
// so a page can draw the decision surface and loss curves while it learns. Runs in the browser and in Node.

import { applyActivation } from '../nn/activations';
import {
  circleData,
  type Dataset,
  gaussianClustersData,
  shuffleRows,
  sliceRows,
  spiralData,
  xorData,
} from '../nn/datasets';
import { Activation, type FixedActivationName } from '../nn/layers/activation';
import { Dense } from '../nn/layers/dense';
import { Dropout } from '../nn/layers/dropout';
import { Sequential } from '../nn/layers/sequential';
import type { Module } from '../nn/module';
import { mean, mul, sub } from '../nn/ops/arithmetic';
import { type Optimizer, SGD } from '../nn/optim';
import { Rng } from '../nn/rng';
import { noGrad, Tensor } from '../nn/tensor';

export const PLAYGROUND_DATASETS = ['xor', 'circle', 'gauss', 'spiral'] as const;
export type PlaygroundDataset = (typeof PLAYGROUND_DATASETS)[number];

/** Inputs the network may see: the raw coordinates and the Playground's feature crosses. */
export const PLAYGROUND_FEATURES = ['x1', 'x2', 'x1x2', 'x1sq', 'x2sq', 'sinx1', 'sinx2'] as const;
export type PlaygroundFeature = (typeof PLAYGROUND_FEATURES)[number];

export const FEATURE_LABELS: Record<PlaygroundFeature, string> = {
  x1: 'x₁',
  x2: 'x₂',
  x1x2: 'x₁·x₂',
  x1sq: 'x₁²',
  x2sq: 'x₂²',
  sinx1: 'sin x₁',
  sinx2: 'sin x₂',
};

/** Hidden-layer activations offered in the playground (softmax and the learned PReLU are not per-unit choices here). */
export const PLAYGROUND_ACTIVATIONS: FixedActivationName[] = [
  'identity',
  'binaryStep',
  'sigmoid',
  'tanh',
  'arctan',
  'relu',
  'leakyRelu',
  'elu',
  'softplus',
  'gelu',
];

export interface PlaygroundConfig {
  dataset: PlaygroundDataset;
  /** Label noise as the Playground's slider, 0–0.5. Default 0. */
  noise: number;
  /** Share of points used for training, 0.1–0.9. Default 0.5. */
  trainRatio: number;
  /** Points generated in all. Default 500. */
  samples: number;
  features: PlaygroundFeature[];
  /** Neurons per hidden layer; [] is a single linear neuron into the output. */
  hidden: number[];
  activation: FixedActivationName;
  learningRate: number;
  batchSize: number;
  /** L2 regularisation rate (added to the gradient as rate·w). Default 0. */
  l2: number;
  /** Dropout rate after each hidden layer. Default 0. */
  dropout: number;
  /** Seed of the data. */
  dataSeed: number;
  /** Seed of the initialisation, dropout masks and batch order; "reset" draws a new one. */
  seed: number;
}

export const DEFAULT_PLAYGROUND: PlaygroundConfig = {
  dataset: 'circle',
  noise: 0,
  trainRatio: 0.5,
  samples: 500,
  features: ['x1', 'x2'],
  hidden: [4, 2],
  activation: 'tanh',
  learningRate: 0.03,
  batchSize: 10,
  l2: 0,
  dropout: 0,
  dataSeed: 1,
  seed: 1,
};

/** The Playground's loss: ½·mean((o − t)²) with a tanh output o and labels t ∈ {−1, +1}, so figures match its UI. */
function playgroundLoss(out: Tensor, target: Tensor): Tensor {
  const d = sub(out, target);
  return mul(mean(mul(d, d)), Tensor.scalar(0.5));
}

function generate(cfg: PlaygroundConfig): Dataset {
  const rng = new Rng(cfg.dataSeed);
  const opts = { samples: cfg.samples, noise: cfg.noise };
  const d =
    cfg.dataset === 'xor'
      ? xorData(rng, opts)
      : cfg.dataset === 'circle'
        ? circleData(rng, opts)
        : cfg.dataset === 'gauss'
          ? gaussianClustersData(rng, opts)
          : spiralData(rng, opts);
  return shuffleRows(d, rng);
}

/** Maps raw points (N, 2) to the chosen inputs (N, F). */
export function featurize(points: Float32Array, features: readonly PlaygroundFeature[]): Float32Array {
  const n = points.length / 2;
  const f = features.length;
  const out = new Float32Array(n * f);
  for (let i = 0; i < n; i++) {
    const x1 = points[2 * i];
    const x2 = points[2 * i + 1];
    for (let j = 0; j < f; j++) {
      let v: number;
      switch (features[j]) {
        case 'x1':
          v = x1;
          break;
        case 'x2':
          v = x2;
          break;
        case 'x1x2':
          v = x1 * x2;
          break;
        case 'x1sq':
          v = x1 * x1;
          break;
        case 'x2sq':
          v = x2 * x2;
          break;
        case 'sinx1':
          v = Math.sin(x1);
          break;
        default:
          v = Math.sin(x2);
      }
      out[i * f + j] = v;
    }
  }
  return out;
}

/** Validates a configuration; returns a message naming the first bad field, or null. */
export function playgroundProblem(cfg: PlaygroundConfig): string | null {
  if (!PLAYGROUND_DATASETS.includes(cfg.dataset)) return `dataset must be one of ${PLAYGROUND_DATASETS.join(', ')}`;
  if (cfg.features.length === 0) return 'choose at least one input feature';
  if (cfg.hidden.length > 6) return 'at most 6 hidden layers';
  if (cfg.hidden.some((h) => !Number.isInteger(h) || h < 1 || h > 8)) return 'each hidden layer has 1 to 8 neurons';
  if (!(cfg.learningRate > 0 && cfg.learningRate <= 10)) return 'learning rate must be in (0, 10]';
  if (!(cfg.batchSize >= 1 && cfg.batchSize <= 100)) return 'batch size must be 1 to 100';
  if (!(cfg.noise >= 0 && cfg.noise <= 0.5)) return 'noise must be 0 to 0.5';
  if (!(cfg.trainRatio >= 0.1 && cfg.trainRatio <= 0.9)) return 'training share must be 10% to 90%';
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) return 'dropout must be in [0, 1)';
  if (!(cfg.l2 >= 0 && cfg.l2 <= 1)) return 'L2 rate must be 0 to 1';
  return null;
}

export class PlaygroundRun {
  readonly config: PlaygroundConfig;
  readonly model: Sequential;
  /** Raw 2-D points and 0/1 labels, for drawing. */
  readonly trainPoints: Dataset;
  readonly testPoints: Dataset;
  private readonly trainX: Float32Array;
  private readonly testX: Float32Array;
  /** Labels as ±1 (N, 1). */
  private readonly trainT: Float32Array;
  private readonly testT: Float32Array;
  private readonly optimizer: Optimizer;
  private readonly rng: Rng;
  private order: Int32Array;
  private cursor = 0;
  /** Mini-batch updates so far. */
  steps = 0;
  /** Full passes over the training set so far. */
  epochs = 0;

  constructor(config: PlaygroundConfig) {
    const problem = playgroundProblem(config);
    if (problem) throw new Error(`playground: ${problem}`);
    this.config = config;
    const all = generate(config);
    const n = all.xShape[0];
    const nTrain = Math.max(1, Math.min(n - 1, Math.round(n * config.trainRatio)));
    this.trainPoints = sliceRows(all, 0, nTrain);
    this.testPoints = sliceRows(all, nTrain, n);
    this.trainX = featurize(this.trainPoints.x, config.features);
    this.testX = featurize(this.testPoints.x, config.features);
    this.trainT = this.trainPoints.y.map((v) => 2 * v - 1);
    this.testT = this.testPoints.y.map((v) => 2 * v - 1);
    this.rng = new Rng(config.seed);
    const layers: Module[] = [];
    let width = config.features.length;
    for (const h of config.hidden) {
      layers.push(new Dense({ inFeatures: width, outFeatures: h, init: 'glorotNormal' }, this.rng));
      layers.push(new Activation({ fn: config.activation }));
      if (config.dropout > 0) layers.push(new Dropout({ rate: config.dropout }, this.rng));
      width = h;
    }
    layers.push(new Dense({ inFeatures: width, outFeatures: 1, init: 'glorotNormal' }, this.rng));
    this.model = new Sequential(layers);
    this.optimizer = new SGD(this.model.parameters(), { lr: config.learningRate, weightDecay: config.l2 });
    this.order = this.rng.permutation(nTrain);
  }

  private forwardOut(x: Tensor): Tensor {
    return applyActivation(this.model.forward(x), 'tanh');
  }

  /** One mini-batch SGD update; returns the batch loss. */
  step(): number {
    const { batchSize } = this.config;
    const nTrain = this.trainPoints.xShape[0];
    const f = this.config.features.length;
    const b = Math.min(batchSize, nTrain - this.cursor);
    const x = new Float32Array(b * f);
    const t = new Float32Array(b);
    for (let i = 0; i < b; i++) {
      const r = this.order[this.cursor + i];
      x.set(this.trainX.subarray(r * f, (r + 1) * f), i * f);
      t[i] = this.trainT[r];
    }
    this.model.train(true);
    this.optimizer.zeroGrad();
    const loss = playgroundLoss(this.forwardOut(new Tensor(x, [b, f])), new Tensor(t, [b, 1]));
    const value = loss.item();
    loss.backward();
    this.optimizer.step();
    this.steps++;
    this.cursor += b;
    if (this.cursor >= nTrain) {
      this.cursor = 0;
      this.epochs++;
      this.order = this.rng.permutation(nTrain);
    }
    return value;
  }

  /** Outputs in (−1, 1) for inputs (N, F), in inference mode. */
  private outputs(x: Float32Array): Float32Array {
    const n = x.length / this.config.features.length;
    return noGrad(() => {
      this.model.eval();
      const out = this.forwardOut(new Tensor(x, [n, this.config.features.length])).data;
      this.model.train(true);
      return out;
    });
  }

  private evaluate(x: Float32Array, t: Float32Array): { loss: number; accuracy: number } {
    const o = this.outputs(x);
    let loss = 0;
    let correct = 0;
    for (let i = 0; i < o.length; i++) {
      loss += 0.5 * (o[i] - t[i]) ** 2;
      if (o[i] >= 0 === t[i] > 0) correct++;
    }
    return { loss: loss / o.length, accuracy: correct / o.length };
  }

  /** Loss (the Playground's) and accuracy on the training and test points. */
  metrics(): { trainLoss: number; testLoss: number; trainAccuracy: number; testAccuracy: number } {
    const tr = this.evaluate(this.trainX, this.trainT);
    const te = this.evaluate(this.testX, this.testT);
    return { trainLoss: tr.loss, testLoss: te.loss, trainAccuracy: tr.accuracy, testAccuracy: te.accuracy };
  }

  /**
   * The output over a res×res grid spanning [−extent, extent]² (row 0 at the top, y = +extent), for the heat-map.
   * Values in (−1, 1): the sign is the predicted class.
   */
  decisionGrid(res: number, extent = 6): Float32Array {
    const pts = new Float32Array(res * res * 2);
    for (let r = 0; r < res; r++) {
      const y = extent - ((r + 0.5) / res) * 2 * extent;
      for (let c = 0; c < res; c++) {
        const x = -extent + ((c + 0.5) / res) * 2 * extent;
        const k = r * res + c;
        pts[2 * k] = x;
        pts[2 * k + 1] = y;
      }
    }
    return this.outputs(featurize(pts, this.config.features));
  }

  /** Number of trainable weights and biases. */
  parameterCount(): number {
    return this.model.parameters().reduce((s, p) => s + p.size, 0);
  }
}
