// Loss functions (pred, target, opts?) → scalar Tensor. A fused kernel computes every loss term and its derivative
// in one pass; reduceLoss then forms the weighted mean and records the backward that scales those derivatives.
//
// Reduction: a loss term ("unit") is one element for element-wise losses and one row for cross-entropy. Each term
// has a weight w = sample weight of its row × class weight (both default 1); 'mean' (default) is Σ w·l / Σ w —
// with no weights, the plain mean over the batch (and over outputs for (B, D) predictions) — and 'sum' is Σ w·l.
// Regression targets may carry gradients (e.g. distillation); classification targets are constants.

import { K, RegressionLoss } from './kernels';
import { record, shapeStr, Tensor } from './tensor';

export type Reduction = 'mean' | 'sum';

export interface LossOptions {
  /** One weight per sample, i.e. per row of pred (length B); default all 1. Must be ≥ 0 and finite. */
  sampleWeights?: Float32Array;
  /** 'mean' (default): Σ w·l / Σ w; 'sum': Σ w·l. */
  reduction?: Reduction;
}

/** Rows of a prediction: its leading dimension (a scalar counts as one sample). */
function batchRows(pred: Tensor): number {
  return pred.rank === 0 ? 1 : pred.shape[0];
}

/** Shape without trailing 1s, so (B,) and (B, 1) compare equal. */
function squeezeTrailing(shape: readonly number[]): number[] {
  let end = shape.length;
  while (end > 0 && shape[end - 1] === 1) end--;
  return shape.slice(0, end);
}

function checkSameShape(op: string, pred: Tensor, target: Tensor): void {
  const a = squeezeTrailing(pred.shape);
  const b = squeezeTrailing(target.shape);
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new Error(
      `${op}: pred ${shapeStr(pred.shape)} and target ${shapeStr(target.shape)} must have the same shape`,
    );
  }
}

function checkUnitInterval(op: string, what: string, t: Tensor): void {
  const d = t.data;
  for (let i = 0; i < d.length; i++) {
    if (!(d[i] >= 0 && d[i] <= 1)) throw new Error(`${op}: ${what} must lie in [0, 1], element ${i} is ${d[i]}`);
  }
}

/**
 * The weight of each of `units` loss terms from the per-sample weights (null when all are 1 and no class weights
 * will be multiplied in later; pass needArray to always get an array).
 */
function unitWeights(
  op: string,
  opts: LossOptions,
  rows: number,
  units: number,
  needArray: boolean,
): Float32Array | null {
  const sw = opts.sampleWeights;
  if (sw === undefined) return needArray ? new Float32Array(units).fill(1) : null;
  if (sw.length !== rows) {
    throw new Error(`${op}: sampleWeights has ${sw.length} entries but the batch has ${rows} samples`);
  }
  for (let i = 0; i < sw.length; i++) {
    if (!(sw[i] >= 0 && Number.isFinite(sw[i]))) {
      throw new Error(`${op}: sampleWeights must be finite and ≥ 0, entry ${i} is ${sw[i]}`);
    }
  }
  const w = new Float32Array(units);
  K.spreadRowWeights(sw, w, rows, rows === 0 ? 0 : units / rows);
  return w;
}

/**
 * Scalar Σ w·l (/ Σ w for 'mean') from per-unit losses `loss` and derivatives `dPred` (len entries of pred per
 * unit). targetBackward(scale), if given, adds the target's gradient for the upstream gradient scale.
 */
function reduceLoss(
  op: string,
  pred: Tensor,
  loss: Float32Array,
  dPred: Float32Array,
  len: number,
  w: Float32Array | null,
  reduction: Reduction,
  target?: Tensor,
  targetBackward?: (scale: number) => void,
): Tensor {
  const units = loss.length;
  if (units === 0) throw new Error(`${op}: empty batch (pred ${shapeStr(pred.shape)})`);
  const total = w === null ? K.sumAll(loss) : K.dot(w, loss);
  const denom = reduction === 'sum' ? 1 : w === null ? units : K.sumAll(w);
  if (!(denom > 0)) throw new Error(`${op}: the loss weights sum to ${denom}; a weighted mean needs a positive sum`);
  const out = Tensor.scalar(total / denom);
  const inputs = target !== undefined && targetBackward !== undefined ? [pred, target] : [pred];
  return record(out, inputs, () => {
    const scale = out.grad![0] / denom;
    if (pred.requiresGrad) K.accumulateWeightedGrad(dPred, w, units, len, scale, pred.gradBuffer());
    if (target?.requiresGrad && targetBackward !== undefined) targetBackward(scale);
  });
}

function regression(
  kind: RegressionLoss,
  op: string,
  pred: Tensor,
  target: Tensor,
  opts: LossOptions,
  delta = 1,
): Tensor {
  checkSameShape(op, pred, target);
  const n = pred.size;
  const loss = new Float32Array(n);
  const dPred = new Float32Array(n);
  K.regressionLossElements(kind, pred.data, target.data, loss, dPred, n, delta);
  const w = unitWeights(op, opts, batchRows(pred), n, false);
  // ∂l/∂target = −∂l/∂pred for every loss of d = pred − target
  return reduceLoss(op, pred, loss, dPred, 1, w, opts.reduction ?? 'mean', target, (scale) =>
    K.accumulateWeightedGrad(dPred, w, n, 1, -scale, target.gradBuffer()),
  );
}

/** Mean squared error: mean of (pred − target)². pred and target (B,) / (B, 1) / (B, D), same shape. */
export function mse(pred: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  return regression(RegressionLoss.Mse, 'mse', pred, target, opts);
}

/** Mean absolute error: mean of |pred − target| (subgradient 0 where they are equal). */
export function mae(pred: Tensor, target: Tensor, opts: LossOptions = {}): Tensor {
  return regression(RegressionLoss.Mae, 'mae', pred, target, opts);
}

export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear, in target units (default 1). */
  delta?: number;
}

/**
 * Huber loss: ½d² for |d| ≤ delta, delta·(|d| − ½delta) beyond (d = pred − target). Quadratic near the target,
 * linear in the tails, so outliers (e.g. return spikes) pull less than under MSE.
 */
export function huber(pred: Tensor, target: Tensor, opts: HuberOptions = {}): Tensor {
  const delta = opts.delta ?? 1;
  if (!(delta > 0 && Number.isFinite(delta))) throw new Error(`huber: delta must be a positive number, got ${delta}`);
  return regression(RegressionLoss.Huber, 'huber', pred, target, opts, delta);
}

export interface PinballOptions extends LossOptions {
  /** Quantile levels τ in (0, 1), one per column of pred, e.g. [0.1, 0.5, 0.9]. */
  quantiles: number[];
}

/**
 * Pinball (quantile) loss for quantile forecasts: pred (B, Q) — or (B,) when Q = 1 — against target (B,) or
 * (B, 1). Per term, with u = target − pred: τ·u if u > 0 else (τ − 1)·u; minimised by the τ-quantile.
 * The mean runs over samples and quantiles.
 */
export function pinball(pred: Tensor, target: Tensor, opts: PinballOptions): Tensor {
  const taus = opts.quantiles;
  const q = taus.length;
  if (q === 0) throw new Error('pinball: quantiles must not be empty');
  for (const t of taus) {
    if (!(t > 0 && t < 1)) throw new Error(`pinball: quantiles must lie in (0, 1), got ${t}`);
  }
  const rows = batchRows(pred);
  const fits = pred.rank === 2 ? pred.shape[1] === q : pred.rank === 1 && q === 1;
  if (!fits) throw new Error(`pinball: pred ${shapeStr(pred.shape)} must be (B, ${q}) for ${q} quantile(s)`);
  if (target.size !== rows || squeezeTrailing(target.shape).length > 1) {
    throw new Error(
      `pinball: target ${shapeStr(target.shape)} must be (${rows}) or (${rows}, 1) for pred ${shapeStr(pred.shape)}`,
    );
  }
  const n = pred.size;
  const loss = new Float32Array(n);
  const dPred = new Float32Array(n);
  K.pinballLossElements(pred.data, target.data, Float32Array.from(taus), loss, dPred, rows, q);
  const w = unitWeights('pinball', opts, rows, n, false);
  return reduceLoss('pinball', pred, loss, dPred, 1, w, opts.reduction ?? 'mean', target, (scale) => {
    // ∂l/∂target = −∂l/∂pred, summed over the Q quantiles of each row
    const perTerm = new Float32Array(n);
    K.accumulateWeightedGrad(dPred, w, n, 1, -scale, perTerm);
    K.sumAxis(perTerm, rows, q, 1, target.gradBuffer(), true);
  });
}

/** Weights of the two classes of a binary target: w0 for y = 0, w1 for y = 1 (e.g. w1 > 1 for rare frauds). */
export interface BinaryClassWeights {
  0: number;
  1: number;
}

export interface BceOptions extends LossOptions {
  /** Weight of the positive term, as PyTorch's pos_weight (default 1); > 1 raises recall on rare positives. */
  posWeight?: number;
  /** Per-class weights multiplied into each term's weight (interpolated for soft targets). */
  classWeights?: BinaryClassWeights;
}

function binaryTargets(op: string, logits: Tensor, targets: Tensor): void {
  checkSameShape(op, logits, targets);
  checkUnitInterval(op, 'targets', targets);
}

function binaryWeights(
  op: string,
  targets: Tensor,
  opts: LossOptions,
  cw: BinaryClassWeights | undefined,
  rows: number,
): Float32Array | null {
  const n = targets.size;
  const w = unitWeights(op, opts, rows, n, cw !== undefined);
  if (cw !== undefined) {
    if (!(cw[0] >= 0 && cw[1] >= 0 && Number.isFinite(cw[0]) && Number.isFinite(cw[1]))) {
      throw new Error(`${op}: classWeights must be finite and ≥ 0, got {0: ${cw[0]}, 1: ${cw[1]}}`);
    }
    K.mulBinaryClassWeights(targets.data, cw[0], cw[1], w!, n);
  }
  return w;
}

/**
 * Binary cross-entropy on logits z (pre-sigmoid outputs) against targets y ∈ [0, 1] of the same shape — (B,), (B, 1)
 * or (B, K) for multilabel. Per term: max(z, 0) − z·y + log1p(e^−|z|), which is −[y·log σ(z) + (1 − y)·log(1 − σ(z))]
 * computed without forming σ, so it stays finite and exact for |z| up to 1e4 and beyond. With posWeight p the
 * positive term is scaled: −[p·y·log σ(z) + (1 − y)·log(1 − σ(z))].
 */
export function bceWithLogits(logits: Tensor, targets: Tensor, opts: BceOptions = {}): Tensor {
  binaryTargets('bceWithLogits', logits, targets);
  const posWeight = opts.posWeight ?? 1;
  if (!(posWeight >= 0 && Number.isFinite(posWeight))) {
    throw new Error(`bceWithLogits: posWeight must be finite and ≥ 0, got ${posWeight}`);
  }
  const n = logits.size;
  const loss = new Float32Array(n);
  const dz = new Float32Array(n);
  K.bceWithLogitsElements(logits.data, targets.data, posWeight, loss, dz, n);
  const w = binaryWeights('bceWithLogits', targets, opts, opts.classWeights, batchRows(logits));
  return reduceLoss('bceWithLogits', logits, loss, dz, 1, w, opts.reduction ?? 'mean');
}

export interface FocalOptions extends LossOptions {
  /** Focusing exponent γ ≥ 0 (default 2): easy, well-classified terms are down-weighted by (1 − p_t)^γ. */
  gamma?: number;
  /** Weight α ∈ [0, 1] of the positive class (default 0.25, 1 − α for negatives); null turns balancing off. */
  alpha?: number | null;
}

/**
 * Binary focal loss on logits (Lin et al. 2017, "Focal Loss for Dense Object Detection"), as torchvision's
 * sigmoid_focal_loss: α_t·(1 − p_t)^γ·BCE(z, y) with p = σ(z), p_t = p for y = 1 and 1 − p for y = 0. The BCE
 * term and 1 − p_t are both formed from stable sigmoids, so large |z| stays finite. γ = 0 and α = null is BCE.
 */
export function focal(logits: Tensor, targets: Tensor, opts: FocalOptions = {}): Tensor {
  binaryTargets('focal', logits, targets);
  const gamma = opts.gamma ?? 2;
  const alpha = opts.alpha === undefined ? 0.25 : opts.alpha;
  if (!(gamma >= 0 && Number.isFinite(gamma))) throw new Error(`focal: gamma must be finite and ≥ 0, got ${gamma}`);
  if (alpha !== null && !(alpha >= 0 && alpha <= 1)) throw new Error(`focal: alpha must lie in [0, 1], got ${alpha}`);
  const n = logits.size;
  const loss = new Float32Array(n);
  const dz = new Float32Array(n);
  K.focalWithLogitsElements(logits.data, targets.data, gamma, alpha ?? -1, loss, dz, n);
  const w = unitWeights('focal', opts, batchRows(logits), n, false);
  return reduceLoss('focal', logits, loss, dz, 1, w, opts.reduction ?? 'mean');
}

export interface SoftmaxCrossEntropyOptions extends LossOptions {
  /**
   * One weight per class (length C) multiplied into each sample's weight, so 'mean' is Σ w·l / Σ w as in PyTorch's
   * CrossEntropyLoss(weight). For target distributions a row's class weight is Σ_j t_j·w_j.
   */
  classWeights?: Float32Array | readonly number[];
}

/**
 * Softmax cross-entropy on logits (B, C): per row, −log softmax(z)[label] = logΣexp(z) − z_label (max-shifted, so
 * any logit range is safe). labels are class indices (Int32Array, length B, each in [0, C)) or a (B, C) Tensor
 * of one-hot rows or target distributions (each row summing to 1 for a proper cross-entropy).
 */
export function softmaxCrossEntropy(
  logits: Tensor,
  labels: Int32Array | Tensor,
  opts: SoftmaxCrossEntropyOptions = {},
): Tensor {
  const op = 'softmaxCrossEntropy';
  if (logits.rank !== 2) throw new Error(`${op}: logits must be (B, C), got ${shapeStr(logits.shape)}`);
  const [rows, cols] = logits.shape;
  let indices: Int32Array | null = null;
  let dist: Float32Array | null = null;
  if (labels instanceof Int32Array) {
    if (labels.length !== rows) {
      throw new Error(`${op}: ${labels.length} labels for logits ${shapeStr(logits.shape)}; need one per row`);
    }
    for (let i = 0; i < rows; i++) {
      if (labels[i] < 0 || labels[i] >= cols) {
        throw new Error(
          `${op}: label ${labels[i]} at row ${i} is outside [0, ${cols}) for logits ${shapeStr(logits.shape)}`,
        );
      }
    }
    indices = labels;
  } else {
    if (labels.rank !== 2 || labels.shape[0] !== rows || labels.shape[1] !== cols) {
      throw new Error(`${op}: target ${shapeStr(labels.shape)} must match logits ${shapeStr(logits.shape)}`);
    }
    dist = labels.data;
  }
  const cw = opts.classWeights;
  if (cw !== undefined && cw.length !== cols) {
    throw new Error(
      `${op}: classWeights has ${cw.length} entries for logits ${shapeStr(logits.shape)} (${cols} classes)`,
    );
  }
  if (cw?.some((v) => !(v >= 0 && Number.isFinite(v)))) {
    throw new Error(`${op}: classWeights must be finite and ≥ 0, got [${cw.join(', ')}]`);
  }
  const loss = new Float32Array(rows);
  const dz = new Float32Array(logits.size);
  K.crossEntropyRows(logits.data, indices, dist, loss, dz, rows, cols);
  const w = unitWeights(op, opts, rows, rows, cw !== undefined);
  if (cw !== undefined) K.mulLabelClassWeights(indices, dist, Float32Array.from(cw), w!, rows, cols);
  return reduceLoss(op, logits, loss, dz, cols, w, opts.reduction ?? 'mean');
}
