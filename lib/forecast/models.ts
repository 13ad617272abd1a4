// The neural forecasters — MLP (on the feature row of day t), LSTM, GRU, Transformer encoder, TCN (on the window of
// the last L feature rows) and an echo state network — built from lib/nn, with their settings and defaults, and how
// one of them is trained on one fold's training samples and then predicts. Networks end in a quantile head: three
// outputs trained with the pinball loss at τ = 0.1, 0.5, 0.9 (P10, P50 = the point forecast, P90).
//
// Inputs are the features standardised with the fold's scaler; the target is y / σ_y, σ_y the standard deviation of
// y on the fold's fit samples, so losses are O(1) whatever the asset's volatility. Predictions are scaled back.

import { EchoStateNetwork } from '../nn/esn';
import { type FitHistory, fit, predict } from '../nn/fit';
import { Activation } from '../nn/layers/activation';
import { Dense } from '../nn/layers/dense';
import { Dropout } from '../nn/layers/dropout';
import { LastStep } from '../nn/layers/pooling';
import { SinusoidalPositionalEncoding } from '../nn/layers/positional';
import { GRU, LSTM } from '../nn/layers/recurrent';
import { Sequential } from '../nn/layers/sequential';
import { buildTcn } from '../nn/layers/tcn';
import { TransformerEncoderBlock } from '../nn/layers/transformer';
import { mse, pinball } from '../nn/losses';
import type { Module } from '../nn/module';
import { Rng } from '../nn/rng';
import { Tensor } from '../nn/tensor';
import type { FeatureMatrix } from './features';
import { fitScaler, type ScalerState, scaleRowInto } from './scaler';
import { quantile, std } from './stats';

export const MODEL_TYPES = ['mlp', 'lstm', 'gru', 'transformer', 'tcn', 'esn'] as const;
export type ModelType = (typeof MODEL_TYPES)[number];

export const MODEL_LABELS: Record<ModelType, string> = {
  mlp: 'MLP (lag features)',
  lstm: 'LSTM',
  gru: 'GRU',
  transformer: 'Transformer encoder',
  tcn: 'TCN',
  esn: 'Echo state network',
};

export const QUANTILES = [0.1, 0.5, 0.9] as const;

/** Every setting of a forecaster; which ones apply depends on type (see MODEL_PARAMS). */
export interface ModelConfig {
  type: ModelType;
  /** days L of features a sequence model reads (the MLP reads day t only; the ESN's state carries the history) */
  window: number;
  /** hidden units (MLP, LSTM, GRU), model width d (Transformer), channels (TCN) or reservoir size (ESN) */
  hidden: number;
  /** hidden layers (MLP), stacked layers (LSTM, GRU) or encoder blocks (Transformer) */
  layers: number;
  /** dropout rate while training */
  dropout: number;
  /** attention heads (Transformer; must divide hidden) */
  heads: number;
  /** convolution taps (TCN); blocks are added until the receptive field covers the window */
  kernelSize: number;
  /** most epochs per fit (early stopping usually ends sooner) */
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** epochs without a better validation loss before stopping */
  patience: number;
  /** Adam L2 penalty */
  weightDecay: number;
  /** global gradient-norm clip */
  clipNorm: number;
  /** train a P10/P50/P90 head with the pinball loss (else one output with MSE, interval from validation residuals) */
  quantiles: boolean;
  /** ESN: spectral radius of the reservoir */
  spectralRadius: number;
  /** ESN: leak rate a ∈ (0, 1] */
  leakRate: number;
  /** ESN: input weight scale */
  inputScaling: number;
  /** ESN: steps run before the fitted rows so the state forgets its zero start */
  washout: number;
}

const COMMON = {
  window: 30,
  hidden: 32,
  layers: 1,
  dropout: 0.1,
  heads: 2,
  kernelSize: 3,
  epochs: 30,
  batchSize: 64,
  learningRate: 1e-3,
  patience: 5,
  weightDecay: 0,
  clipNorm: 1,
  quantiles: true,
  spectralRadius: 0.9,
  leakRate: 0.5,
  inputScaling: 0.5,
  washout: 50,
};

export const MODEL_DEFAULTS: Record<ModelType, ModelConfig> = {
  mlp: { ...COMMON, type: 'mlp', window: 1, hidden: 32, layers: 2, epochs: 50 },
  lstm: { ...COMMON, type: 'lstm' },
  gru: { ...COMMON, type: 'gru' },
  transformer: { ...COMMON, type: 'transformer', hidden: 16, layers: 1, heads: 2 },
  tcn: { ...COMMON, type: 'tcn', hidden: 16 },
  esn: { ...COMMON, type: 'esn', window: 1, hidden: 200, epochs: 0, dropout: 0 },
};

/** The settings the UI shows per type (the rest do not apply to it). */
export const MODEL_PARAMS: Record<ModelType, (keyof ModelConfig)[]> = {
  mlp: ['hidden', 'layers', 'dropout', 'epochs', 'batchSize', 'learningRate', 'patience', 'weightDecay', 'quantiles'],
  lstm: ['window', 'hidden', 'layers', 'dropout', 'epochs', 'batchSize', 'learningRate', 'patience', 'quantiles'],
  gru: ['window', 'hidden', 'layers', 'dropout', 'epochs', 'batchSize', 'learningRate', 'patience', 'quantiles'],
  transformer: [
    'window',
    'hidden',
    'heads',
    'layers',
    'dropout',
    'epochs',
    'batchSize',
    'learningRate',
    'patience',
    'quantiles',
  ],
  tcn: ['window', 'hidden', 'kernelSize', 'dropout', 'epochs', 'batchSize', 'learningRate', 'patience', 'quantiles'],
  esn: ['hidden', 'spectralRadius', 'leakRate', 'inputScaling', 'washout'],
};

/** Defaults of the type, overridden by the given fields, then checked (throws naming the bad field). */
export function resolveModelConfig(partial: Partial<ModelConfig> & { type: ModelType }): ModelConfig {
  const base = MODEL_DEFAULTS[partial.type];
  if (!base)
    throw new Error(`model type must be one of ${MODEL_TYPES.join(', ')}, got ${JSON.stringify(partial.type)}`);
  const defined = Object.fromEntries(Object.entries(partial).filter(([, v]) => v !== undefined));
  const c: ModelConfig = { ...base, ...defined };
  if (c.type === 'mlp' || c.type === 'esn') c.window = 1;
  const int = (k: keyof ModelConfig, min: number, max: number): void => {
    const v = c[k] as number;
    if (!(Number.isInteger(v) && v >= min && v <= max)) {
      throw new Error(`${MODEL_LABELS[c.type]}: ${k} must be an integer in [${min}, ${max}], got ${v}`);
    }
  };
  const num = (k: keyof ModelConfig, min: number, max: number, openMin = false): void => {
    const v = c[k] as number;
    if (!(typeof v === 'number' && (openMin ? v > min : v >= min) && v <= max)) {
      throw new Error(`${MODEL_LABELS[c.type]}: ${k} must be in ${openMin ? '(' : '['}${min}, ${max}], got ${v}`);
    }
  };
  int('window', 1, 250);
  int('hidden', 1, c.type === 'esn' ? 2000 : 512);
  int('layers', 1, 8);
  num('dropout', 0, 0.9);
  int('heads', 1, 16);
  int('kernelSize', 2, 9);
  int('epochs', c.type === 'esn' ? 0 : 1, 1000);
  int('batchSize', 1, 4096);
  num('learningRate', 0, 1, true);
  int('patience', 1, 1000);
  num('weightDecay', 0, 1);
  num('clipNorm', 0, 1e6, true);
  num('spectralRadius', 0, 2, true);
  num('leakRate', 0, 1, true);
  num('inputScaling', 0, 100, true);
  int('washout', 0, 1000);
  if (c.type === 'transformer' && c.hidden % c.heads !== 0) {
    throw new Error(`${MODEL_LABELS.transformer}: hidden (${c.hidden}) must be a multiple of heads (${c.heads})`);
  }
  return c;
}

/** Builds the network of a (non-ESN) config: input (B, F) for the MLP, (B, L, F) otherwise → (B, outputs). */
export function buildNetwork(c: ModelConfig, features: number, rng: Rng): Module {
  const out = c.quantiles ? QUANTILES.length : 1;
  switch (c.type) {
    case 'mlp': {
      const layers: Module[] = [];
      let width = features;
      for (let l = 0; l < c.layers; l++) {
        layers.push(new Dense({ inFeatures: width, outFeatures: c.hidden, init: 'heNormal' }, rng));
        layers.push(new Activation({ fn: 'relu' }));
        if (c.dropout > 0) layers.push(new Dropout({ rate: c.dropout }, rng));
        width = c.hidden;
      }
      layers.push(new Dense({ inFeatures: width, outFeatures: out }, rng));
      return new Sequential(layers);
    }
    case 'lstm':
    case 'gru': {
      const cfg = {
        inputSize: features,
        hiddenSize: c.hidden,
        numLayers: c.layers,
        dropout: c.layers > 1 ? c.dropout : 0,
      };
      const rnn = c.type === 'lstm' ? new LSTM(cfg, rng) : new GRU(cfg, rng);
      const layers: Module[] = [rnn];
      if (c.dropout > 0) layers.push(new Dropout({ rate: c.dropout }, rng));
      layers.push(new Dense({ inFeatures: c.hidden, outFeatures: out }, rng));
      return new Sequential(layers);
    }
    case 'transformer': {
      const layers: Module[] = [
        new Dense({ inFeatures: features, outFeatures: c.hidden }, rng), // (B, L, d)
        new SinusoidalPositionalEncoding({ dModel: c.hidden }),
      ];
      for (let l = 0; l < c.layers; l++) {
        layers.push(
          new TransformerEncoderBlock(
            { dModel: c.hidden, numHeads: c.heads, ffHidden: 2 * c.hidden, dropout: c.dropout, causal: true },
            rng,
          ),
        );
      }
      layers.push(new LastStep()); // (B, d): the last day's position, which attended to the whole window
      layers.push(new Dense({ inFeatures: c.hidden, outFeatures: out }, rng));
      return new Sequential(layers);
    }
    case 'tcn':
      return new Sequential([
        buildTcn(
          {
            inChannels: features,
            channels: c.hidden,
            kernelSize: c.kernelSize,
            receptiveField: c.window,
            dropout: c.dropout,
          },
          rng,
        ), // (B, L, C)
        new LastStep(), // (B, C)
        new Dense({ inFeatures: c.hidden, outFeatures: out }, rng),
      ]);
    case 'esn':
      throw new Error('buildNetwork: the echo state network is not a gradient-trained network');
  }
}

/** Sample ranges of one fold, as decision days (inclusive ends). */
export interface TrainingRange {
  /** first training sample */
  trainStart: number;
  /** last sample the network is fitted on (validation follows after a gap of h days) */
  fitEnd: number;
  /** validation samples valStart…trainEnd (none when valStart > trainEnd) */
  valStart: number;
  trainEnd: number;
}

export interface EpochReport {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss: number | null;
}

export interface TrainingSummary {
  epochs: number;
  bestEpoch: number | null;
  stopReason: string;
  loss: number | null;
  valLoss: number | null;
}

/** A forecaster trained on one fold: its model, the scaler and target scale it was trained with. */
export interface TrainedForecaster {
  config: ModelConfig;
  scaler: ScalerState;
  /** σ_y: predictions of the network are multiplied by it */
  targetScale: number;
  network: Module | null;
  esn: EchoStateNetwork | null;
  /** residual P10 / P90 offsets, for models without a quantile head */
  residualBand: [number, number] | null;
  training: TrainingSummary;
}

export interface TrainInput {
  features: FeatureMatrix;
  target: ArrayLike<number>;
  range: TrainingRange;
  config: ModelConfig;
  /** seeds initialisation (from scratch) and shuffling */
  seed: number;
  /** continue from this forecaster's weights (warm start) instead of a fresh network */
  previous?: TrainedForecaster | null;
  onEpoch?: (e: EpochReport) => void;
  signal?: AbortSignal;
}

export class TrainingCancelledError extends Error {
  constructor() {
    super('training cancelled');
    this.name = 'TrainingCancelledError';
  }
}

/** Network inputs of the decision days `days`: (N, F) for the MLP, (N, L, F) windows ending at each day otherwise. */
export function networkInputs(f: FeatureMatrix, scaler: ScalerState, days: ArrayLike<number>, c: ModelConfig): Tensor {
  const n = days.length;
  const F = f.cols;
  const L = c.type === 'mlp' ? 1 : c.window;
  const x = new Float32Array(n * L * F);
  for (let i = 0; i < n; i++) {
    const t = days[i];
    for (let k = 0; k < L; k++) scaleRowInto(f, scaler, t - L + 1 + k, x, (i * L + k) * F);
  }
  return new Tensor(x, c.type === 'mlp' ? [n, F] : [n, L, F]); // (N, F) or (N, L, F)
}

function range(start: number, endInclusive: number): Int32Array {
  const n = Math.max(0, endInclusive - start + 1);
  const r = new Int32Array(n);
  for (let i = 0; i < n; i++) r[i] = start + i;
  return r;
}

/** Trains a forecaster on the fold's training samples (scaler fitted on the fit samples' feature rows only). */
export async function trainForecaster(input: TrainInput): Promise<TrainedForecaster> {
  const { features, target, range: r, config: c } = input;
  if (c.type === 'esn') return trainEsn(input);
  const scaler = fitScaler(features, r.trainStart, r.fitEnd);
  const fitDays = range(r.trainStart, r.fitEnd);
  const valDays = range(r.valStart, r.trainEnd);
  const fitY = Array.from(fitDays, (t) => target[t]);
  const sigma = std(fitY) || 1;
  const yTensor = (days: Int32Array): Tensor =>
    new Tensor(
      Float32Array.from(days, (t) => target[t] / sigma),
      [days.length, 1],
    ); // (N, 1)
  const xFit = networkInputs(features, scaler, fitDays, c);
  const network = input.previous?.network ?? buildNetwork(c, features.cols, new Rng(mixSeed(input.seed, r.trainEnd)));
  const loss = c.quantiles
    ? (p: Tensor, y: Tensor, o?: { sampleWeights?: Float32Array }) => pinball(p, y, { quantiles: [...QUANTILES], ...o })
    : (p: Tensor, y: Tensor, o?: { sampleWeights?: Float32Array }) => mse(p, y, o);
  const hasVal = valDays.length > 0;
  const xVal = hasVal ? networkInputs(features, scaler, valDays, c) : null;
  const history: FitHistory = await fit(
    network,
    { x: xFit.data, xShape: xFit.shape, y: yTensor(fitDays).data, yShape: [fitDays.length, 1] },
    {
      loss,
      optimizer: { type: 'adam', lr: c.learningRate, weightDecay: c.weightDecay },
      epochs: c.epochs,
      batchSize: c.batchSize,
      seed: mixSeed(input.seed, r.trainEnd + 1),
      clipNorm: c.clipNorm,
      validationData: xVal
        ? { x: xVal.data, xShape: xVal.shape, y: yTensor(valDays).data, yShape: [valDays.length, 1] }
        : undefined,
      earlyStopping: { patience: c.patience, restoreBestWeights: true, monitor: hasVal ? 'valLoss' : 'loss' },
      signal: input.signal,
      onEpochEnd: (e) => input.onEpoch?.({ epoch: e.epoch, epochs: c.epochs, loss: e.loss, valLoss: e.valLoss }),
    },
  );
  if (history.stopReason === 'cancelled') throw new TrainingCancelledError();
  if (history.stopReason === 'diverged') {
    throw new Error(`${MODEL_LABELS[c.type]} training diverged (${history.stopMessage}); lower the learning rate`);
  }
  let residualBand: [number, number] | null = null;
  if (!c.quantiles) {
    // interval from the validation residuals (or the fit residuals without validation), in target units
    const days = hasVal ? valDays : fitDays;
    const xs = hasVal && xVal ? xVal : xFit;
    const pred = predict(network, xs.data, xs.shape);
    const res = Array.from(days, (t, i) => target[t] - pred.data[i] * sigma);
    residualBand = [quantile(res, 0.1), quantile(res, 0.9)];
  }
  const best = history.bestEpoch;
  return {
    config: c,
    scaler,
    targetScale: sigma,
    network,
    esn: null,
    residualBand,
    training: {
      epochs: history.epochsCompleted,
      bestEpoch: best,
      stopReason: history.stopReason,
      loss: best !== null ? (history.loss[best - 1] ?? null) : (history.loss.at(-1) ?? null),
      valLoss: best !== null ? (history.valLoss[best - 1] ?? null) : (history.valLoss.at(-1) ?? null),
    },
  };
}

/**
 * The ESN: the reservoir (drawn from the seed, reused by a warm start) runs over the scaled features from `washout`
 * days before the first training sample; the ridge readout is fitted on the training samples' states (its own λ
 * chosen on their last 20 %); the interval comes from the in-sample residual quantiles.
 */
function trainEsn(input: TrainInput): TrainedForecaster {
  const { features, target, range: r, config: c } = input;
  const scaler = fitScaler(features, r.trainStart, r.trainEnd);
  const seqStart = Math.max(features.warmup, r.trainStart - c.washout);
  const washout = Math.min(c.washout, Math.max(0, r.trainEnd - seqStart - 20));
  const esn =
    input.previous?.esn && input.previous.esn.config.washout === washout
      ? input.previous.esn
      : new EchoStateNetwork(
          {
            inputSize: features.cols,
            reservoirSize: c.hidden,
            spectralRadius: c.spectralRadius,
            leakRate: c.leakRate,
            inputScaling: c.inputScaling,
            washout,
            validationSplit: 0.2,
          },
          // a warm start keeps the reservoir; from scratch it is drawn again from the same seed (so it is the same)
          input.previous?.esn ? input.previous.esn.reservoir : new Rng(mixSeed(input.seed, 0)),
        );
  const days = range(seqStart, r.trainEnd);
  const x = esnInputs(features, scaler, days);
  const fitY = Array.from(range(r.trainStart, r.trainEnd), (t) => target[t]);
  const sigma = std(fitY) || 1;
  const y = new Tensor(
    Float32Array.from(days, (t) => target[t] / sigma),
    [days.length, 1],
  ); // (T, 1)
  const report = esn.fit(x, y);
  const pred = esn.predict(x);
  const res: number[] = [];
  for (let i = washout; i < days.length; i++) res.push(target[days[i]] - pred.data[i] * sigma);
  return {
    config: c,
    scaler,
    targetScale: sigma,
    network: null,
    esn,
    residualBand: [quantile(res, 0.1), quantile(res, 0.9)],
    training: {
      epochs: 0,
      bestEpoch: null,
      stopReason: `ridge λ ${report.ridge}`,
      loss: report.rmse ** 2,
      valLoss: null,
    },
  };
}

function esnInputs(f: FeatureMatrix, scaler: ScalerState, days: Int32Array): Tensor {
  const x = new Float32Array(days.length * f.cols);
  for (let i = 0; i < days.length; i++) scaleRowInto(f, scaler, days[i], x, i * f.cols);
  return new Tensor(x, [days.length, f.cols]); // (T, F)
}

export interface QuantileForecast {
  p10: Float64Array;
  p50: Float64Array;
  p90: Float64Array;
}

/** Forecasts of y for decision days start…end − 1 (log returns), with P10 ≤ P50 ≤ P90 (crossing quantiles sorted). */
export function predictForecaster(
  m: TrainedForecaster,
  features: FeatureMatrix,
  start: number,
  end: number,
): QuantileForecast {
  const n = end - start;
  const out: QuantileForecast = { p10: new Float64Array(n), p50: new Float64Array(n), p90: new Float64Array(n) };
  const s = m.targetScale;
  if (m.esn) {
    const seqStart = Math.max(features.warmup, start - m.config.washout);
    const days = range(seqStart, end - 1);
    const pred = m.esn.predict(esnInputs(features, m.scaler, days));
    const [lo, hi] = m.residualBand ?? [0, 0];
    for (let i = 0; i < n; i++) {
      const v = pred.data[start - seqStart + i] * s;
      out.p50[i] = v;
      out.p10[i] = v + lo;
      out.p90[i] = v + hi;
    }
    return out;
  }
  const net = m.network as Module;
  const x = networkInputs(features, m.scaler, range(start, end - 1), m.config);
  const pred = predict(net, x.data, x.shape, 512);
  const k = pred.shape[1] ?? 1;
  for (let i = 0; i < n; i++) {
    if (k === 3) {
      const q = [pred.data[i * 3] * s, pred.data[i * 3 + 1] * s, pred.data[i * 3 + 2] * s].sort((a, b) => a - b);
      out.p10[i] = q[0];
      out.p50[i] = q[1];
      out.p90[i] = q[2];
    } else {
      const v = pred.data[i] * s;
      const [lo, hi] = m.residualBand ?? [0, 0];
      out.p50[i] = v;
      out.p10[i] = v + lo;
      out.p90[i] = v + hi;
    }
  }
  return out;
}

/** A 32-bit seed from a run seed and a salt (fold end, stage), so every fold draws its own stream. */
export function mixSeed(seed: number, salt: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (salt + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
