// The credit classifiers, all built and trained on lib/nn. Each outputs a raw score z (a logit; higher = riskier):
//   logistic    Dense(D → 1): logistic regression as a network without hidden layers;
//   mlp         Dense → ReLU → Dropout per hidden width, then Dense(→ 1);
//   resmlp      the tabular ResNet of Gorishniy et al. 2021 (rtdl): Dense(D → w), `blocks` pre-norm residual
//               blocks, then Norm → ReLU → Dense(w → 1);
//   perceptron  Rosenblatt's perceptron trained by the classic rule; its score is the net input x·w + b (the
//               step output only says which side of the line), a baseline.
// Networks minimise binary cross-entropy on logits (optionally class-weighted) with AdamW, early-stopped on a
// stratified validation share of the training rows with the best weights restored.

import {
  Activation,
  BatchNorm,
  bceWithLogits,
  Dense,
  Dropout,
  type FitHistory,
  fit,
  LayerNorm,
  type Module,
  Perceptron,
  predict,
  ResidualBlock,
  Rng,
  Sequential,
  Tensor,
} from '../nn';

export const MODEL_KINDS = ['logistic', 'mlp', 'resmlp', 'perceptron'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

export const MODEL_KIND_LABELS: Record<ModelKind, string> = {
  logistic: 'Logistic regression',
  mlp: 'MLP',
  resmlp: 'Residual MLP',
  perceptron: 'Perceptron',
};

/** Training settings; every field optional, defaults in HYPER_DEFAULTS. */
export type Hyper = {
  /** mlp: widths of the hidden layers */
  hidden?: number[];
  /** resmlp: width of the residual stream */
  width?: number;
  /** resmlp: number of residual blocks */
  blocks?: number;
  /** resmlp: 'layer' or 'batch' normalisation in the blocks */
  norm?: 'layer' | 'batch';
  /** mlp / resmlp dropout rate */
  dropout?: number;
  /** AdamW learning rate */
  lr?: number;
  /** AdamW decoupled weight decay: p ← p·(1 − lr·wd) per step */
  weightDecay?: number;
  /** most epochs (early stopping usually ends sooner) */
  epochs?: number;
  batchSize?: number;
  /** epochs without a lower validation loss before stopping */
  patience?: number;
  /** share of the training rows held out (stratified) for early stopping */
  validationShare?: number;
  /** 'balanced' weighs each class by N / (2·class count); 'none' keeps the loss unweighted */
  classWeight?: 'none' | 'balanced';
  /** perceptron: passes over the data */
  perceptronEpochs?: number;
  /**
   * After early stopping has found the best epoch count on the validation share, train a fresh network on all the
   * training rows for that many epochs (so no training row is spent on validation only). Default true.
   */
  refit?: boolean;
};

/** Chosen by 5-fold CV on German Credit (1000 rows): small, strongly regularised networks do best there. */
export const HYPER_DEFAULTS: Required<Hyper> = {
  hidden: [16],
  width: 16,
  blocks: 1,
  norm: 'layer',
  dropout: 0.5,
  lr: 0.003,
  weightDecay: 1,
  epochs: 200,
  batchSize: 64,
  patience: 20,
  validationShare: 0.2,
  classWeight: 'none',
  perceptronEpochs: 20,
  refit: true,
};

export function resolveHyper(h: Hyper = {}): Required<Hyper> {
  const out = { ...HYPER_DEFAULTS };
  for (const [k, v] of Object.entries(h)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** A fresh, untrained network of `kind` for `inputs` encoded columns. */
export function buildNet(kind: ModelKind, inputs: number, h: Required<Hyper>, rng: Rng): Module {
  switch (kind) {
    case 'logistic':
      return new Sequential([new Dense({ inFeatures: inputs, outFeatures: 1 }, rng)]);
    case 'perceptron':
      return new Perceptron({ inFeatures: inputs }, rng);
    case 'mlp': {
      const layers: Module[] = [];
      let width = inputs;
      for (const hw of h.hidden) {
        layers.push(new Dense({ inFeatures: width, outFeatures: hw, init: 'heUniform' }, rng));
        layers.push(new Activation({ fn: 'relu' }));
        if (h.dropout > 0) layers.push(new Dropout({ rate: h.dropout }, rng));
        width = hw;
      }
      layers.push(new Dense({ inFeatures: width, outFeatures: 1 }, rng));
      return new Sequential(layers);
    }
    case 'resmlp': {
      const w = h.width;
      const layers: Module[] = [new Dense({ inFeatures: inputs, outFeatures: w }, rng)];
      for (let b = 0; b < h.blocks; b++) {
        layers.push(new ResidualBlock({ features: w, hidden: 2 * w, dropout: h.dropout, norm: h.norm }, rng));
      }
      layers.push(h.norm === 'batch' ? new BatchNorm({ features: w }) : new LayerNorm({ features: w }));
      layers.push(new Activation({ fn: 'relu' }));
      layers.push(new Dense({ inFeatures: w, outFeatures: 1 }, rng));
      return new Sequential(layers);
    }
  }
}

/** Raw scores z (N) of the rows of x (N, D): network logits, or the perceptron's net input x·w + b. */
export function rawScores(net: Module, x: Float32Array, n: number, d: number): Float64Array {
  if (n === 0) return new Float64Array(0);
  if (net instanceof Perceptron) {
    const w = net.weight.data;
    const b = net.bias.data[0];
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = b;
      for (let j = 0; j < d; j++) s += x[i * d + j] * w[j];
      out[i] = s;
    }
    return out;
  }
  return Float64Array.from(predict(net, x, [n, d]).data);
}

export type EpochReport = { epoch: number; epochs: number; loss: number; valLoss: number | null };

export type ClassifierHooks = {
  /** after every epoch (networks) or pass (perceptron) */
  onEpoch?: (e: EpochReport) => void;
  signal?: AbortSignal;
};

export type TrainSummary = {
  epochs: number;
  bestEpoch: number | null;
  stopReason: FitHistory['stopReason'] | 'perceptron';
  loss: number[];
  valLoss: number[];
};

/** Splits row indices 0..n−1 into train / validation, stratified by y, `share` of each class to validation. */
export function stratifiedHoldout(y: ArrayLike<number>, share: number, rng: Rng): { train: number[]; val: number[] } {
  const train: number[] = [];
  const val: number[] = [];
  for (const cls of [0, 1]) {
    const idx: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === cls) idx.push(i);
    rng.shuffle(idx);
    const nVal = Math.round(idx.length * share);
    val.push(...idx.slice(0, nVal));
    train.push(...idx.slice(nVal));
  }
  train.sort((a, b) => a - b);
  val.sort((a, b) => a - b);
  return { train, val };
}

function gather(x: Float32Array, d: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * d);
  rows.forEach((r, i) => {
    out.set(x.subarray(r * d, (r + 1) * d), i * d);
  });
  return out;
}

/**
 * Trains a classifier of `kind` on the encoded rows x (N, D) with labels y (1 = bad). Everything random (weights,
 * dropout, shuffles, the validation split) is drawn from `seed`.
 */
export async function trainClassifier(
  kind: ModelKind,
  x: Float32Array,
  y: ArrayLike<number>,
  d: number,
  hyper: Hyper,
  seed: number,
  hooks: ClassifierHooks = {},
): Promise<{ net: Module; summary: TrainSummary }> {
  const h = resolveHyper(hyper);
  const n = y.length;
  if (x.length !== n * d) throw new Error(`trainClassifier: x has ${x.length} values, expected ${n}×${d}`);
  const rng = new Rng(seed);
  const net = buildNet(kind, d, h, rng.fork());

  if (net instanceof Perceptron) {
    const errors = net.fit(new Tensor(x, [n, d]), Float32Array.from(y), {
      epochs: h.perceptronEpochs,
      lr: 1,
      shuffle: rng.fork(),
    });
    errors.forEach((e, i) => {
      hooks.onEpoch?.({ epoch: i + 1, epochs: h.perceptronEpochs, loss: e / n, valLoss: null });
    });
    return {
      net,
      summary: {
        epochs: errors.length,
        bestEpoch: null,
        stopReason: 'perceptron',
        loss: errors.map((e) => e / n),
        valLoss: [],
      },
    };
  }

  const split = stratifiedHoldout(y, h.validationShare, rng.fork());
  const fitRng = rng.fork();
  const refitSeed = rng.nextU32();
  const run = (model: Module, train: number[], val: number[], epochs: number, shuffle: Rng) => {
    const yTrain = Float32Array.from(train, (i) => y[i]);
    const yVal = Float32Array.from(val, (i) => y[i]);
    let bads = 0;
    for (const v of yTrain) bads += v;
    const goods = yTrain.length - bads;
    const classWeights =
      h.classWeight === 'balanced' && bads > 0 && goods > 0
        ? { 0: yTrain.length / (2 * goods), 1: yTrain.length / (2 * bads) }
        : undefined;
    return fit(
      model,
      { x: gather(x, d, train), xShape: [train.length, d], y: yTrain, yShape: [yTrain.length, 1] },
      {
        loss: (pred, target, opts) => bceWithLogits(pred, target, { ...opts, classWeights }),
        optimizer: { type: 'adamw', lr: h.lr, weightDecay: h.weightDecay },
        epochs,
        batchSize: h.batchSize,
        rng: shuffle,
        validationData:
          val.length > 0
            ? { x: gather(x, d, val), xShape: [val.length, d], y: yVal, yShape: [yVal.length, 1] }
            : undefined,
        earlyStopping: val.length > 0 ? { patience: h.patience, restoreBestWeights: true } : undefined,
        signal: hooks.signal,
        onEpochEnd: (log) => hooks.onEpoch?.({ epoch: log.epoch, epochs, loss: log.loss, valLoss: log.valLoss }),
      },
    );
  };
  let history = await run(net, split.train, split.val, h.epochs, fitRng);
  let model = net;
  const searched = history;
  if (h.refit && split.val.length > 0 && history.stopReason !== 'cancelled' && history.stopReason !== 'diverged') {
    const epochs = Math.max(1, history.bestEpoch ?? history.epochsCompleted);
    const all = Array.from({ length: n }, (_, i) => i);
    const r2 = new Rng(refitSeed);
    model = buildNet(kind, d, h, r2.fork());
    history = await run(model, all, [], epochs, r2.fork());
  }
  if (history.stopReason === 'cancelled') throw new Error('training was cancelled');
  if (history.stopReason === 'diverged') throw new Error(`training diverged: ${history.stopMessage}`);
  model.eval();
  return {
    net: model,
    summary: {
      epochs: history.epochsCompleted,
      bestEpoch: searched.bestEpoch,
      stopReason: searched.stopReason,
      loss: history.loss,
      valLoss: searched.valLoss,
    },
  };
}
