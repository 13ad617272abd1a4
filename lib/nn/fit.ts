// The training loop: mini-batch gradient descent over flat float32 arrays, with shuffling from a seeded Rng, a
// time-ordered validation split, early stopping with best-weights restore, LR schedules, gradient clipping,
// per-sample weights, metrics, progress reports and cancellation; and batched inference (predict).

import type { Dataset } from './datasets';
import { GradNormTracker } from './diagnostics';
import { K } from './kernels';
import type { Module } from './module';
import { clipGradNorm, createOptimizer, Optimizer, type OptimizerConfig } from './optim';
import { Rng } from './rng';
import { type LrSchedule, lrAt } from './schedule';
import { runSteps, runStepsYielding } from './steps';
import { closeStepScope, noGrad, openStepScope, shapeStr, Tensor } from './tensor';

/** A loss as lib/nn/losses defines them: a scalar tensor, the (weighted) mean over samples. */
export type LossFn = (pred: Tensor, target: Tensor, opts?: { sampleWeights?: Float32Array }) => Tensor;

/** A metric on a whole prediction set, e.g. accuracy or AUC: (pred (N, ...), target (N, ...)) → number. */
export type MetricFn = (pred: Tensor, target: Tensor) => number;

export interface EarlyStoppingConfig {
  /** Epochs without improvement before stopping (default 10). */
  patience?: number;
  /** An improvement must lower the monitored loss by more than this (default 0). */
  minDelta?: number;
  /** Put back the weights of the best epoch when training ends (default true). */
  restoreBestWeights?: boolean;
  /** 'valLoss' (default when there is validation data) or 'loss' (training loss). */
  monitor?: 'valLoss' | 'loss';
}

export interface FitProgress {
  /** 'batch' after each training step; 'epochEnd' once per epoch, after validation. */
  phase: 'batch' | 'epochEnd';
  /** 1-based epoch being trained. */
  epoch: number;
  epochs: number;
  /** Batches done in this epoch (1-based; equals batches at the epoch-end report). */
  batch: number;
  batches: number;
  /** Mean training loss over the epoch's batches so far. */
  loss: number;
  /** Validation loss of this epoch, null until the epoch-end report (or without validation data). */
  valLoss: number | null;
  lr: number;
}

export interface EpochLog {
  epoch: number;
  loss: number;
  valLoss: number | null;
  lr: number;
  metrics: Record<string, number>;
  trainMetrics: Record<string, number>;
}

export interface FitOptions {
  loss: LossFn;
  /** An optimizer over model.parameters(), or its config (default Adam, lr 1e-3). */
  optimizer?: Optimizer | OptimizerConfig;
  /** Default 10. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Reshuffle the training rows every epoch (default true). Validation rows are never shuffled. */
  shuffle?: boolean;
  /** Source of the shuffles (default new Rng(seed)). */
  rng?: Rng;
  /** Seed when no rng is given (default 0). */
  seed?: number;
  /** Hold out the LAST fraction of rows (time order kept) for validation, in [0, 1) (default 0). */
  validationSplit?: number;
  /** Explicit validation set; overrides validationSplit. */
  validationData?: Dataset;
  earlyStopping?: EarlyStoppingConfig;
  /** LR schedule applied to the optimizer's base learning rate (default constant). */
  schedule?: LrSchedule;
  /** What the schedule's t counts: 'epoch' (default) or 'batch' (optimizer steps). */
  scheduleUnit?: 'epoch' | 'batch';
  /** Clip gradients to this global L2 norm before each step (default off). */
  clipNorm?: number;
  /** One weight per training row (same order as data), passed to the loss for each batch. */
  sampleWeights?: Float32Array;
  /** Metrics computed each epoch on the validation predictions. */
  metrics?: Record<string, MetricFn>;
  /** Also compute the metrics on the training rows each epoch (an extra inference pass; default false). */
  metricsOnTrain?: boolean;
  /** Record per-layer gradient norms per epoch in history.gradNorms (default false). */
  collectGradNorms?: boolean;
  /** Called after every batch, and once more per epoch with valLoss set. */
  onProgress?: (p: FitProgress) => void;
  onEpochEnd?: (log: EpochLog) => void;
  /** Checked before every batch; true stops training (stopReason 'cancelled'). */
  shouldStop?: () => boolean;
  /** Checked before every batch like shouldStop. */
  signal?: AbortSignal;
  /** fit() (the async variant) yields to the event loop at least this often, in ms (default 20). */
  yieldEveryMs?: number;
}

export type StopReason = 'completed' | 'earlyStopping' | 'cancelled' | 'diverged';

export interface FitHistory {
  /** Mean training loss per completed epoch. */
  loss: number[];
  /** Validation loss per completed epoch (empty without validation data). */
  valLoss: number[];
  /** Learning rate at the start of each completed epoch. */
  lr: number[];
  /** Validation metrics per epoch. */
  metrics: Record<string, number[]>;
  trainMetrics: Record<string, number[]>;
  /** Layer label → mean gradient norm per epoch, when collectGradNorms. */
  gradNorms: Record<string, number[]> | null;
  epochsCompleted: number;
  /** 1-based epoch with the best monitored loss (early stopping only). */
  bestEpoch: number | null;
  stopReason: StopReason;
  /** Human-readable reason for 'diverged' / 'cancelled'. */
  stopMessage: string | null;
  restoredBestWeights: boolean;
}

interface Rows {
  x: Float32Array;
  y: Float32Array;
  /** Shapes of one row (without the sample dimension). */
  xRow: number[];
  yRow: number[];
  n: number;
}

function rowShape(shape: readonly number[], data: Float32Array, what: string): { n: number; row: number[] } {
  if (shape.length < 1) throw new Error(`fit: ${what} shape ${shapeStr(shape)} needs a sample dimension`);
  let size = 1;
  for (const d of shape) size *= d;
  if (size !== data.length) {
    throw new Error(`fit: ${what} has ${data.length} values but shape ${shapeStr(shape)} needs ${size}`);
  }
  return { n: shape[0], row: shape.slice(1) };
}

function toRows(d: Dataset, what: string): Rows {
  const x = rowShape(d.xShape, d.x, `${what} x`);
  const y = rowShape(d.yShape, d.y, `${what} y`);
  if (x.n !== y.n) {
    throw new Error(`fit: ${what} x ${shapeStr(d.xShape)} and y ${shapeStr(d.yShape)} have different sample counts`);
  }
  return { x: d.x, y: d.y, xRow: x.row, yRow: y.row, n: x.n };
}

function rowSize(row: readonly number[]): number {
  let s = 1;
  for (const d of row) s *= d;
  return s;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Rows [start, end) as views (no copy). */
function rowRange(r: Rows, start: number, end: number): Rows {
  const xs = rowSize(r.xRow);
  const ys = rowSize(r.yRow);
  return {
    x: r.x.subarray(start * xs, end * xs),
    y: r.y.subarray(start * ys, end * ys),
    xRow: r.xRow,
    yRow: r.yRow,
    n: end - start,
  };
}

/**
 * Trains model on data and returns the history. The async variant yields to the event loop between batches
 * (every yieldEveryMs), so an AbortSignal, timers and progress writes get to run; see fitSync for a blocking run.
 */
export async function fit(model: Module, data: Dataset, opts: FitOptions): Promise<FitHistory> {
  return runStepsYielding(trainingLoop(model, data, opts), opts.yieldEveryMs ?? 20);
}

/** fit without yielding: blocks until training ends (cancellation then only works through shouldStop). */
export function fitSync(model: Module, data: Dataset, opts: FitOptions): FitHistory {
  return runSteps(trainingLoop(model, data, opts));
}

/** The training loop as a generator that pauses after every batch; fit and fitSync drive it. */
function* trainingLoop(model: Module, data: Dataset, opts: FitOptions): Generator<void, FitHistory, void> {
  const epochs = opts.epochs ?? 10;
  const batchSize = opts.batchSize ?? 32;
  const split = opts.validationSplit ?? 0;
  if (!Number.isInteger(epochs) || epochs < 0) {
    throw new Error(`fit: epochs must be a non-negative integer, got ${epochs}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`fit: batchSize must be a positive integer, got ${batchSize}`);
  }
  if (!(split >= 0 && split < 1)) throw new Error(`fit: validationSplit must be in [0, 1), got ${split}`);
  if (opts.clipNorm !== undefined && !(opts.clipNorm > 0)) {
    throw new Error(`fit: clipNorm must be > 0, got ${opts.clipNorm}`);
  }

  const all = toRows(data, 'training data');
  let train = all;
  let val: Rows | null = null;
  if (opts.validationData !== undefined) {
    val = toRows(opts.validationData, 'validation data');
    if (!sameShape(val.xRow, all.xRow) || !sameShape(val.yRow, all.yRow)) {
      throw new Error(
        `fit: validation rows x ${shapeStr(val.xRow)}, y ${shapeStr(val.yRow)} differ from training rows x ${shapeStr(all.xRow)}, y ${shapeStr(all.yRow)}`,
      );
    }
  } else if (split > 0) {
    // Keras convention: the first ⌊N·(1 − split)⌋ rows train, the rest (the latest, in time order) validate
    const nTrain = Math.floor(all.n * (1 - split));
    if (nTrain < 1 || nTrain >= all.n) {
      throw new Error(
        `fit: validationSplit ${split} of ${all.n} rows leaves ${nTrain} training and ${all.n - nTrain} validation rows`,
      );
    }
    train = rowRange(all, 0, nTrain);
    val = rowRange(all, nTrain, all.n);
  }
  if (train.n < 1) throw new Error('fit: no training rows');
  let weights: Float32Array | undefined;
  if (opts.sampleWeights !== undefined) {
    if (opts.sampleWeights.length !== all.n) {
      throw new Error(`fit: sampleWeights has ${opts.sampleWeights.length} values for ${all.n} rows`);
    }
    weights = opts.sampleWeights.subarray(0, train.n);
  }

  const params = model.parameters();
  const wasTraining = model.training;
  const optimizer =
    opts.optimizer instanceof Optimizer
      ? opts.optimizer
      : createOptimizer(params, opts.optimizer ?? { type: 'adam', lr: 1e-3 });
  const schedule = opts.schedule ?? { type: 'constant' };
  const perBatchSchedule = opts.scheduleUnit === 'batch';
  const rng = opts.rng ?? new Rng(opts.seed ?? 0);
  const shuffle = opts.shuffle ?? true;
  const metricFns = Object.entries(opts.metrics ?? {});
  const tracker = opts.collectGradNorms ? new GradNormTracker(model) : null;

  const es = opts.earlyStopping;
  const monitor = es ? (es.monitor ?? (val ? 'valLoss' : 'loss')) : null;
  if (monitor === 'valLoss' && val === null) {
    throw new Error('fit: early stopping monitors valLoss but there is no validation data');
  }
  const patience = es?.patience ?? 10;
  const minDelta = es?.minDelta ?? 0;
  const restoreBest = es !== undefined && (es.restoreBestWeights ?? true);
  // one snapshot buffer per parameter and buffer (e.g. BatchNorm running statistics), allocated once
  const state = model.namedState().map(([, t]) => t);
  const best = restoreBest ? state.map((t) => new Float32Array(t.size)) : null;
  let bestValue = Number.POSITIVE_INFINITY;
  let bestEpoch: number | null = null;
  let sinceBest = 0;
  // whether the weights moved since the best snapshot (a cancelled epoch may have moved them after it)
  let movedSinceBest = false;

  const history: FitHistory = {
    loss: [],
    valLoss: [],
    lr: [],
    metrics: Object.fromEntries(metricFns.map(([k]) => [k, []])),
    trainMetrics: opts.metricsOnTrain ? Object.fromEntries(metricFns.map(([k]) => [k, []])) : {},
    gradNorms: tracker ? tracker.history : null,
    epochsCompleted: 0,
    bestEpoch: null,
    stopReason: 'completed',
    stopMessage: null,
    restoredBestWeights: false,
  };

  const xSize = rowSize(train.xRow);
  const ySize = rowSize(train.yRow);
  const batches = Math.ceil(train.n / batchSize);
  // batch buffers reused across steps; the last, shorter batch uses views of them
  const xBuf = new Float32Array(Math.min(batchSize, train.n) * xSize);
  const yBuf = new Float32Array(Math.min(batchSize, train.n) * ySize);
  const wBuf = weights ? new Float32Array(Math.min(batchSize, train.n)) : null;
  const order = new Int32Array(train.n);
  for (let i = 0; i < train.n; i++) order[i] = i;
  let globalStep = 0;

  const cancelled = (): boolean => (opts.shouldStop?.() ?? false) || (opts.signal?.aborted ?? false);

  epochLoop: for (let epoch = 1; epoch <= epochs; epoch++) {
    model.train(true);
    if (shuffle) rng.shuffle(order);
    // the lr of the epoch's first step
    const epochLr = lrAt(schedule, optimizer.baseLr, perBatchSchedule ? globalStep : epoch - 1);
    if (!perBatchSchedule) optimizer.lr = epochLr;
    let lossSum = 0;
    let rowsSeen = 0;
    for (let b = 0; b < batches; b++) {
      if (cancelled()) {
        history.stopReason = 'cancelled';
        history.stopMessage = `cancelled in epoch ${epoch} before batch ${b + 1} of ${batches}`;
        break epochLoop;
      }
      if (perBatchSchedule) optimizer.lr = lrAt(schedule, optimizer.baseLr, globalStep);
      const start = b * batchSize;
      const count = Math.min(batchSize, train.n - start);
      const xb = count * xSize === xBuf.length ? xBuf : xBuf.subarray(0, count * xSize);
      const yb = count * ySize === yBuf.length ? yBuf : yBuf.subarray(0, count * ySize);
      K.gatherRows(train.x, xSize, order, start, count, xb);
      K.gatherRows(train.y, ySize, order, start, count, yb);
      let wb: Float32Array | undefined;
      if (weights && wBuf) {
        wb = count === wBuf.length ? wBuf : wBuf.subarray(0, count);
        K.gatherRows(weights, 1, order, start, count, wb);
      }
      // the step's tensors live in a step scope (lib/nn/tensor.ts): only the loss value and the parameters outlive it
      const scope = openStepScope();
      let lossValue: number;
      try {
        optimizer.zeroGrad();
        const pred = model.forward(new Tensor(xb, [count, ...train.xRow]));
        const lossT = opts.loss(pred, new Tensor(yb, [count, ...train.yRow]), wb ? { sampleWeights: wb } : undefined);
        if (lossT.size !== 1) throw new Error(`fit: the loss must return a scalar, got shape ${shapeStr(lossT.shape)}`);
        lossValue = lossT.data[0];
        if (!Number.isFinite(lossValue)) {
          lossT.backwardFn = null;
          lossT.parents = null;
          history.stopReason = 'diverged';
          history.stopMessage = `training loss became ${lossValue} in epoch ${epoch}, batch ${b + 1}`;
          break epochLoop;
        }
        lossT.backward();
        tracker?.accumulate();
        if (opts.clipNorm !== undefined) {
          const norm = clipGradNorm(params, opts.clipNorm);
          if (!Number.isFinite(norm)) {
            history.stopReason = 'diverged';
            history.stopMessage = `gradient norm became ${norm} in epoch ${epoch}, batch ${b + 1}`;
            break epochLoop;
          }
        }
        optimizer.step();
      } finally {
        closeStepScope(scope);
      }
      movedSinceBest = true;
      globalStep++;
      lossSum += lossValue * count;
      rowsSeen += count;
      opts.onProgress?.({
        phase: 'batch',
        epoch,
        epochs,
        batch: b + 1,
        batches,
        loss: lossSum / rowsSeen,
        valLoss: null,
        lr: optimizer.lr,
      });
      yield;
    }

    // end of epoch: validation loss, metrics, early stopping
    const epochLoss = lossSum / rowsSeen;
    let valLoss: number | null = null;
    const metrics: Record<string, number> = {};
    const trainMetrics: Record<string, number> = {};
    if (val !== null) {
      const valPred = predict(model, val.x, [val.n, ...val.xRow], Math.max(batchSize, 1024));
      const valTarget = new Tensor(val.y, [val.n, ...val.yRow]);
      valLoss = noGrad(() => opts.loss(valPred, valTarget).data[0]);
      for (const [k, f] of metricFns) metrics[k] = f(valPred, valTarget);
    }
    if (opts.metricsOnTrain && metricFns.length > 0) {
      const trainPred = predict(model, train.x, [train.n, ...train.xRow], Math.max(batchSize, 1024));
      const trainTarget = new Tensor(train.y, [train.n, ...train.yRow]);
      for (const [k, f] of metricFns) trainMetrics[k] = f(trainPred, trainTarget);
    }
    tracker?.endEpoch();
    history.loss.push(epochLoss);
    if (valLoss !== null) history.valLoss.push(valLoss);
    history.lr.push(epochLr);
    for (const [k] of metricFns) {
      history.metrics[k]?.push(metrics[k]);
      if (opts.metricsOnTrain) history.trainMetrics[k].push(trainMetrics[k]);
    }
    history.epochsCompleted = epoch;
    opts.onProgress?.({
      phase: 'epochEnd',
      epoch,
      epochs,
      batch: batches,
      batches,
      loss: epochLoss,
      valLoss,
      lr: optimizer.lr,
    });
    opts.onEpochEnd?.({ epoch, loss: epochLoss, valLoss, lr: epochLr, metrics, trainMetrics });

    if (monitor !== null) {
      const value = monitor === 'valLoss' ? (valLoss as number) : epochLoss;
      if (!Number.isFinite(value)) {
        history.stopReason = 'diverged';
        history.stopMessage = `${monitor} became ${value} in epoch ${epoch}`;
        break;
      }
      if (value < bestValue - minDelta) {
        bestValue = value;
        bestEpoch = epoch;
        sinceBest = 0;
        movedSinceBest = false;
        if (best) for (let i = 0; i < state.length; i++) best[i].set(state[i].data);
      } else if (++sinceBest >= patience) {
        history.stopReason = 'earlyStopping';
        history.stopMessage = `no improvement of ${monitor} by more than ${minDelta} for ${patience} epochs`;
        break;
      }
    }
  }

  history.bestEpoch = bestEpoch;
  if (best && bestEpoch !== null && movedSinceBest) {
    for (let i = 0; i < state.length; i++) state[i].data.set(best[i]);
    history.restoredBestWeights = true;
  }
  model.train(wasTraining);
  return history;
}

/**
 * Runs model on x (shape xShape, first dimension N) in eval mode without recording gradients, batchSize rows at a
 * time, and returns the outputs stacked as (N, ...). The model's training flag is restored afterwards.
 */
export function predict(model: Module, x: Float32Array, xShape: number[], batchSize = 1024): Tensor {
  const { n, row } = rowShape(xShape, x, 'predict x');
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`predict: batchSize must be a positive integer, got ${batchSize}`);
  }
  const xSize = rowSize(row);
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      let out: Float32Array | null = null;
      let outRow: number[] = [];
      let outSize = 0;
      for (let start = 0; start < n; start += batchSize) {
        const count = Math.min(batchSize, n - start);
        // each batch in a step scope: its tensors may live in the kernels' memory; only the copy in `out` outlives it
        const scope = openStepScope();
        try {
          const y = model.forward(new Tensor(x.subarray(start * xSize, (start + count) * xSize), [count, ...row]));
          if (out === null) {
            if (y.rank < 1 || y.shape[0] !== count) {
              throw new Error(`predict: model output ${shapeStr(y.shape)} does not keep the ${count} input rows first`);
            }
            outRow = y.shape.slice(1);
            outSize = rowSize(outRow);
            out = new Float32Array(n * outSize);
          }
          out.set(y.data, start * outSize);
        } finally {
          closeStepScope(scope);
        }
      }
      if (out === null) throw new Error('predict: no rows to predict');
      return new Tensor(out, [n, ...outRow]);
    });
  } finally {
    model.train(wasTraining);
  }
}
