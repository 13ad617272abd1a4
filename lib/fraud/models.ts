// Fraud classifiers on the engine (lib/nn): a logistic-regression baseline and a feed-forward net, a standard scaler
// fit on training rows only, and the imbalance strategies — none, class weights, focal loss, and oversampling of
// fraud with synthetic feature vectors from a GAN trained on the training frauds.

import { fit, predict } from '../nn/fit';
import { generateSamples, trainGan } from '../nn/gan';
import { Activation } from '../nn/layers/activation';
import { Dense } from '../nn/layers/dense';
import { Dropout } from '../nn/layers/dropout';
import { Sequential } from '../nn/layers/sequential';
import { bceWithLogits, focal } from '../nn/losses';
import type { Module } from '../nn/module';
import { createOptimizer } from '../nn/optim';
import { Rng } from '../nn/rng';
import { Tensor } from '../nn/tensor';

export const IMBALANCE_STRATEGIES = ['none', 'classWeights', 'focal', 'gan'] as const;
export type ImbalanceStrategy = (typeof IMBALANCE_STRATEGIES)[number];

export const STRATEGY_LABELS: Record<ImbalanceStrategy, string> = {
  none: 'no imbalance handling',
  classWeights: 'class weights',
  focal: 'focal loss',
  gan: 'GAN oversampling',
};

export type ClassifierSpec = { family: 'logreg' } | { family: 'ffn'; hidden: number[]; dropout: number };

export type GanOptions = {
  /** generator steps (default 1000) */
  steps: number;
  latentDim: number;
  /** synthetic frauds are added until frauds make up this share of the training rows (default 0.1) */
  targetFraudShare: number;
};

export type TrainSettings = {
  epochs: number;
  batchSize: number;
  learningRate: number;
  strategy: ImbalanceStrategy;
  focal: { gamma: number; alpha: number | null };
  gan: GanOptions;
};

/** Per-feature mean and standard deviation of the training rows (std 0 → 1, so constant features stay 0). */
export type Scaler = { mean: number[]; std: number[] };

export function fitScaler(x: Float32Array, n: number, d: number): Scaler {
  if (n < 1) throw new Error('cannot fit a scaler on zero rows');
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j] - mean[j];
      sq[j] += v * v;
    }
  }
  const std = Array.from(sq, (s) => {
    const v = Math.sqrt(s / n);
    return v > 1e-12 ? v : 1;
  });
  return { mean: Array.from(mean), std };
}

/** (x − mean) / std into a new array. */
export function applyScaler(x: Float32Array, n: number, d: number, s: Scaler): Float32Array {
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = (x[i * d + j] - s.mean[j]) / s.std[j];
  return out;
}

export function buildClassifier(spec: ClassifierSpec, inputs: number, rng: Rng): Module {
  if (spec.family === 'logreg') return new Sequential([new Dense({ inFeatures: inputs, outFeatures: 1 }, rng)]);
  const layers: Module[] = [];
  let width = inputs;
  for (const h of spec.hidden) {
    layers.push(new Dense({ inFeatures: width, outFeatures: h, init: 'heUniform' }, rng));
    layers.push(new Activation({ fn: 'relu' }));
    if (spec.dropout > 0) layers.push(new Dropout({ rate: spec.dropout }, rng.fork()));
    width = h;
  }
  layers.push(new Dense({ inFeatures: width, outFeatures: 1 }, rng)); // the logit; σ is applied by the loss / scorer
  return new Sequential(layers);
}

export type TrainingHooks = {
  /** awaited after every epoch (and every 200 GAN steps): report progress, throw to stop */
  onEpoch?: (e: { stage: 'gan' | 'fit'; epoch: number; epochs: number; loss: number }) => Promise<void>;
  signal?: AbortSignal;
};

export type TrainedClassifier = {
  model: Module;
  /** training loss per epoch */
  loss: number[];
  /** frauds added by the GAN (0 for other strategies) */
  syntheticFrauds: number;
  /** GAN discriminator / generator loss at the end, when a GAN was trained */
  gan: { dLoss: number; gLoss: number; steps: number } | null;
  /** why the strategy could not be applied as asked (e.g. too few frauds for a GAN), else null */
  note: string | null;
};

/** Fewer training frauds than this and the GAN is not trained (it would memorise a handful of points). */
export const MIN_GAN_FRAUDS = 8;

const GAN_CHUNK = 200;

/**
 * Trains one classifier on standardised rows x (n, d) with 0/1 targets y. Deterministic for a seed. The data are
 * in time order; fit shuffles them with the seed's Rng.
 */
export async function trainClassifier(
  x: Float32Array,
  y: Float32Array,
  n: number,
  d: number,
  spec: ClassifierSpec,
  settings: TrainSettings,
  seed: number,
  hooks: TrainingHooks = {},
): Promise<TrainedClassifier> {
  const rng = new Rng(seed);
  let frauds = 0;
  for (let i = 0; i < n; i++) frauds += y[i] === 1 ? 1 : 0;
  if (frauds === 0) throw new Error('the training rows contain no fraud; choose a longer training period');
  if (frauds === n) throw new Error('the training rows contain no genuine transaction');

  let trainX = x;
  let trainY = y;
  let rows = n;
  let syntheticFrauds = 0;
  let gan: TrainedClassifier['gan'] = null;
  let note: string | null = null;
  let strategy = settings.strategy;
  if (strategy === 'gan') {
    if (frauds < MIN_GAN_FRAUDS) {
      note = `only ${frauds} training frauds (a GAN needs at least ${MIN_GAN_FRAUDS}); trained without oversampling`;
      strategy = 'none';
    } else {
      const r = await ganOversample(x, y, n, d, frauds, settings.gan, rng.fork(), hooks);
      trainX = r.x;
      trainY = r.y;
      rows = r.n;
      syntheticFrauds = r.added;
      gan = r.gan;
    }
  }

  const model = buildClassifier(spec, d, rng.fork());
  // Prior initialisation (Lin et al. 2017, §4.1): start the output bias at the log-odds of the positive share the loss
  // effectively sees (½ under balanced class weights), so early steps learn the ranking instead of the base rate.
  const n1Seen = strategy === 'gan' ? frauds + syntheticFrauds : frauds;
  const prior = strategy === 'classWeights' ? 0.5 : n1Seen / rows;
  setOutputBias(model, Math.log(prior / (1 - prior)));
  const optimizer = createOptimizer(model.parameters(), { type: 'adam', lr: settings.learningRate });
  const n1 = n1Seen;
  // Balanced class weights: w_c = N / (2·N_c), so both classes carry half of the total weight.
  const classWeights = { 0: rows / (2 * (rows - n1)), 1: rows / (2 * n1) };
  const loss =
    strategy === 'classWeights'
      ? (p: Tensor, t: Tensor) => bceWithLogits(p, t, { classWeights })
      : strategy === 'focal'
        ? (p: Tensor, t: Tensor) => focal(p, t, { gamma: settings.focal.gamma, alpha: settings.focal.alpha })
        : (p: Tensor, t: Tensor) => bceWithLogits(p, t);
  const data = { x: trainX, xShape: [rows, d], y: trainY, yShape: [rows, 1] };
  const shuffle = rng.fork();
  const losses: number[] = [];
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    // one fit call per epoch with the same optimizer and shuffle Rng: the same run as fit(epochs), with an await
    // point for progress and cancellation between epochs
    const h = await fit(model, data, {
      loss,
      optimizer,
      epochs: 1,
      batchSize: settings.batchSize,
      rng: shuffle,
      signal: hooks.signal,
    });
    if (h.stopReason === 'cancelled') throw new Error('training cancelled');
    if (h.stopReason === 'diverged') throw new Error(`training diverged: ${h.stopMessage}`);
    losses.push(h.loss[0]);
    await hooks.onEpoch?.({ stage: 'fit', epoch, epochs: settings.epochs, loss: h.loss[0] });
  }
  model.eval();
  return { model, loss: losses, syntheticFrauds, gan, note };
}

/**
 * Trains a GAN on the standardised fraud rows and appends synthetic frauds until they make up
 * gan.targetFraudShare of the rows. Generator: latent → 32 → 32 → d (ReLU, linear output, since features are
 * standardised); discriminator: d → 32 → 16 → 1 (leaky ReLU). Adam 2e-4, β1 0.5 (DCGAN).
 */
async function ganOversample(
  x: Float32Array,
  y: Float32Array,
  n: number,
  d: number,
  frauds: number,
  opts: GanOptions,
  rng: Rng,
  hooks: TrainingHooks,
): Promise<{ x: Float32Array; y: Float32Array; n: number; added: number; gan: NonNullable<TrainedClassifier['gan']> }> {
  const real = new Float32Array(frauds * d);
  let k = 0;
  for (let i = 0; i < n; i++) if (y[i] === 1) real.set(x.subarray(i * d, (i + 1) * d), d * k++);
  const g = new Sequential([
    new Dense({ inFeatures: opts.latentDim, outFeatures: 32, init: 'heUniform' }, rng),
    new Activation({ fn: 'relu' }),
    new Dense({ inFeatures: 32, outFeatures: 32, init: 'heUniform' }, rng),
    new Activation({ fn: 'relu' }),
    new Dense({ inFeatures: 32, outFeatures: d }, rng),
  ]);
  const disc = new Sequential([
    new Dense({ inFeatures: d, outFeatures: 32 }, rng),
    new Activation({ fn: 'leakyRelu', alpha: 0.2 }),
    new Dense({ inFeatures: 32, outFeatures: 16 }, rng),
    new Activation({ fn: 'leakyRelu', alpha: 0.2 }),
    new Dense({ inFeatures: 16, outFeatures: 1 }, rng),
  ]);
  // Trained in chunks of GAN_CHUNK steps with the same optimizers and Rng (one continuous run), so progress and
  // cancellation get an await point between chunks.
  const adam = { type: 'adam', lr: 2e-4, beta1: 0.5, beta2: 0.999 } as const;
  const gOpt = createOptimizer(g.parameters(), adam);
  const dOpt = createOptimizer(disc.parameters(), adam);
  let last = { dLoss: Number.NaN, gLoss: Number.NaN };
  let done = 0;
  const data = new Tensor(real, [frauds, d]);
  while (done < opts.steps) {
    const steps = Math.min(GAN_CHUNK, opts.steps - done);
    const result = await trainGan({
      generator: g,
      discriminator: disc,
      generatorOptimizer: gOpt,
      discriminatorOptimizer: dOpt,
      latentDim: opts.latentDim,
      data,
      steps,
      batchSize: Math.min(64, frauds),
      rng,
      signal: hooks.signal,
    });
    const h = result.history;
    if (h.stopReason === 'cancelled') throw new Error('training cancelled');
    if (h.stopReason === 'diverged') throw new Error(`GAN training diverged: ${h.stopMessage}`);
    last = { dLoss: h.dLoss[h.dLoss.length - 1], gLoss: h.gLoss[h.gLoss.length - 1] };
    done += steps;
    await hooks.onEpoch?.({ stage: 'gan', epoch: done, epochs: opts.steps, loss: last.dLoss });
  }

  // frauds + added = share · (n + added)  ⇒  added = (share·n − frauds) / (1 − share)
  const share = opts.targetFraudShare;
  const added = Math.max(0, Math.round((share * n - frauds) / (1 - share)));
  const outN = n + added;
  const outX = new Float32Array(outN * d);
  const outY = new Float32Array(outN);
  outX.set(x.subarray(0, n * d));
  outY.set(y.subarray(0, n));
  if (added > 0) {
    const fake = generateSamples(g, added, opts.latentDim, rng);
    outX.set(fake.data, n * d);
    outY.fill(1, n);
  }
  return { x: outX, y: outY, n: outN, added, gan: { ...last, steps: done } };
}

function setOutputBias(model: Module, value: number): void {
  const layers = (model as Sequential).layers;
  const last = layers[layers.length - 1];
  if (last instanceof Dense && last.bias) last.bias.data[0] = value;
}

/** Fraud probabilities σ(logit) for standardised rows. */
export function predictScores(model: Module, x: Float32Array, n: number, d: number): Float32Array {
  if (n === 0) return new Float32Array(0);
  const logits = predict(model, x, [n, d], 4096).data;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-logits[i]));
  return out;
}
