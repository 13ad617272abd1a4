// Optimizers (SGD with momentum/Nesterov, RMSprop, Adam, AdamW) over a list of parameter tensors, and gradient
// clipping by global norm. Formulas and defaults follow PyTorch's torch.optim; the per-element update is a kernel.

import { K } from './kernels';
import { shapeStr, type Tensor } from './tensor';

export interface SgdConfig {
  /** Learning rate (default 0.01). */
  lr?: number;
  /** Momentum μ (default 0: plain SGD). */
  momentum?: number;
  /** Dampening of the momentum update (default 0). */
  dampening?: number;
  /** L2 penalty added to the gradient, wd·p (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov?: boolean;
}

export interface RmspropConfig {
  /** Learning rate (default 0.01, as PyTorch). */
  lr?: number;
  /** Smoothing constant α of the squared-gradient average (default 0.99). */
  alpha?: number;
  /** Added to the denominator (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum (default 0). */
  momentum?: number;
  /** Normalise by the variance estimate instead of the raw second moment (default false). */
  centered?: boolean;
}

export interface AdamConfig {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay of the first-moment average (default 0.9). */
  beta1?: number;
  /** Decay of the second-moment average (default 0.999). */
  beta2?: number;
  /** Added to the denominator (default 1e-8). */
  eps?: number;
  /** Adam: L2 penalty added to the gradient (default 0). AdamW: decoupled decay p ← p·(1 − lr·wd) (default 0.01). */
  weightDecay?: number;
  /** Use the running maximum of the second moment (default false). */
  amsgrad?: boolean;
}

/** An optimizer described as JSON (what a job or a saved model records). */
export type OptimizerConfig =
  | ({ type: 'sgd' } & SgdConfig)
  | ({ type: 'rmsprop' } & RmspropConfig)
  | ({ type: 'adam' } & AdamConfig)
  | ({ type: 'adamw' } & AdamConfig);

/** Updates parameters in place from their .grad. State buffers are allocated once, at construction. */
export abstract class Optimizer {
  readonly params: Tensor[];
  /** The learning rate the next step() uses; LR schedules set it. */
  lr: number;
  /** The learning rate given at construction (schedules scale this). */
  readonly baseLr: number;
  /** Steps taken per parameter (a parameter without a gradient is skipped and does not count a step). */
  protected readonly steps: Int32Array;

  constructor(params: Tensor[], lr: number) {
    if (!(lr >= 0)) throw new Error(`optimizer: learning rate must be ≥ 0, got ${lr}`);
    const seen = new Set<Tensor>();
    for (const p of params) {
      if (seen.has(p)) throw new Error(`optimizer: parameter ${p.name ?? shapeStr(p.shape)} appears twice`);
      seen.add(p);
    }
    this.params = params.slice();
    this.lr = lr;
    this.baseLr = lr;
    this.steps = new Int32Array(params.length);
  }

  /** One update of every parameter that has a gradient. */
  step(): void {
    for (let i = 0; i < this.params.length; i++) {
      const p = this.params[i];
      const g = p.grad;
      if (g === null) continue;
      if (g.length !== p.data.length) {
        throw new Error(
          `optimizer: gradient of ${p.name ?? 'parameter'} has ${g.length} elements, shape ${shapeStr(p.shape)} needs ${p.data.length}`,
        );
      }
      this.steps[i]++;
      this.update(i, p.data, g, this.steps[i]);
    }
  }

  zeroGrad(): void {
    for (const p of this.params) p.zeroGrad();
  }

  /** The JSON config that rebuilds this optimizer (with its base learning rate). */
  abstract config(): OptimizerConfig;

  protected abstract update(index: number, param: Float32Array, grad: Float32Array, step: number): void;
}

function allocState(params: Tensor[], on: boolean): Float32Array[] {
  const empty = new Float32Array(0);
  return params.map((p) => (on ? new Float32Array(p.data.length) : empty));
}

function checkRange(name: string, value: number, lo: number, hi: number, hiOpen = false): void {
  if (!(value >= lo && (hiOpen ? value < hi : value <= hi))) {
    throw new Error(`optimizer: ${name} must be in [${lo}, ${hi}${hiOpen ? ')' : ']'}, got ${value}`);
  }
}

export class SGD extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  private readonly momentumBufs: Float32Array[];

  constructor(params: Tensor[], cfg: SgdConfig = {}) {
    super(params, cfg.lr ?? 0.01);
    this.momentum = cfg.momentum ?? 0;
    this.dampening = cfg.dampening ?? 0;
    this.weightDecay = cfg.weightDecay ?? 0;
    this.nesterov = cfg.nesterov ?? false;
    checkRange('momentum', this.momentum, 0, 1);
    checkRange('dampening', this.dampening, 0, 1);
    checkRange('weightDecay', this.weightDecay, 0, Number.POSITIVE_INFINITY);
    if (this.nesterov && (this.momentum <= 0 || this.dampening !== 0)) {
      throw new Error(
        `optimizer: Nesterov momentum needs momentum > 0 and dampening 0, got ${this.momentum} and ${this.dampening}`,
      );
    }
    this.momentumBufs = allocState(this.params, this.momentum > 0);
  }

  protected update(i: number, param: Float32Array, grad: Float32Array, step: number): void {
    K.sgdStep(
      param,
      grad,
      this.momentumBufs[i],
      this.lr,
      this.momentum,
      this.dampening,
      this.weightDecay,
      this.nesterov,
      step === 1,
    );
  }

  config(): OptimizerConfig {
    const { baseLr: lr, momentum, dampening, weightDecay, nesterov } = this;
    return { type: 'sgd', lr, momentum, dampening, weightDecay, nesterov };
  }
}

export class RMSprop extends Optimizer {
  readonly alpha: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly momentum: number;
  readonly centered: boolean;
  private readonly squareAvgs: Float32Array[];
  private readonly gradAvgs: Float32Array[];
  private readonly momentumBufs: Float32Array[];

  constructor(params: Tensor[], cfg: RmspropConfig = {}) {
    super(params, cfg.lr ?? 0.01);
    this.alpha = cfg.alpha ?? 0.99;
    this.eps = cfg.eps ?? 1e-8;
    this.weightDecay = cfg.weightDecay ?? 0;
    this.momentum = cfg.momentum ?? 0;
    this.centered = cfg.centered ?? false;
    checkRange('alpha', this.alpha, 0, 1);
    checkRange('eps', this.eps, 0, Number.POSITIVE_INFINITY);
    checkRange('momentum', this.momentum, 0, 1);
    checkRange('weightDecay', this.weightDecay, 0, Number.POSITIVE_INFINITY);
    this.squareAvgs = allocState(this.params, true);
    this.gradAvgs = allocState(this.params, this.centered);
    this.momentumBufs = allocState(this.params, this.momentum > 0);
  }

  protected update(i: number, param: Float32Array, grad: Float32Array): void {
    K.rmspropStep(
      param,
      grad,
      this.squareAvgs[i],
      this.gradAvgs[i],
      this.momentumBufs[i],
      this.lr,
      this.alpha,
      this.eps,
      this.weightDecay,
      this.momentum,
      this.centered,
    );
  }

  config(): OptimizerConfig {
    const { baseLr: lr, alpha, eps, weightDecay, momentum, centered } = this;
    return { type: 'rmsprop', lr, alpha, eps, weightDecay, momentum, centered };
  }
}

export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  /** true for AdamW: weight decay is applied to the weights, not added to the gradient. */
  protected readonly decoupled: boolean = false;
  private readonly expAvgs: Float32Array[];
  private readonly expAvgSqs: Float32Array[];
  private readonly maxExpAvgSqs: Float32Array[];

  constructor(params: Tensor[], cfg: AdamConfig = {}, defaultWeightDecay = 0) {
    super(params, cfg.lr ?? 1e-3);
    this.beta1 = cfg.beta1 ?? 0.9;
    this.beta2 = cfg.beta2 ?? 0.999;
    this.eps = cfg.eps ?? 1e-8;
    this.weightDecay = cfg.weightDecay ?? defaultWeightDecay;
    this.amsgrad = cfg.amsgrad ?? false;
    checkRange('beta1', this.beta1, 0, 1, true);
    checkRange('beta2', this.beta2, 0, 1, true);
    checkRange('eps', this.eps, 0, Number.POSITIVE_INFINITY);
    checkRange('weightDecay', this.weightDecay, 0, Number.POSITIVE_INFINITY);
    this.expAvgs = allocState(this.params, true);
    this.expAvgSqs = allocState(this.params, true);
    this.maxExpAvgSqs = allocState(this.params, this.amsgrad);
  }

  protected update(i: number, param: Float32Array, grad: Float32Array, step: number): void {
    K.adamStep(
      param,
      grad,
      this.expAvgs[i],
      this.expAvgSqs[i],
      this.maxExpAvgSqs[i],
      this.lr,
      this.beta1,
      this.beta2,
      this.eps,
      this.weightDecay,
      this.decoupled,
      this.amsgrad,
      step,
    );
  }

  config(): OptimizerConfig {
    const { baseLr: lr, beta1, beta2, eps, weightDecay, amsgrad } = this;
    return { type: this.decoupled ? 'adamw' : 'adam', lr, beta1, beta2, eps, weightDecay, amsgrad };
  }
}

/** Adam with decoupled weight decay (Loshchilov & Hutter), as torch.optim.AdamW: default weightDecay 0.01. */
export class AdamW extends Adam {
  protected readonly decoupled: boolean = true;

  constructor(params: Tensor[], cfg: AdamConfig = {}) {
    super(params, cfg, 0.01);
  }
}

/** Builds the optimizer a JSON config describes. */
export function createOptimizer(params: Tensor[], cfg: OptimizerConfig): Optimizer {
  switch (cfg.type) {
    case 'sgd':
      return new SGD(params, cfg);
    case 'rmsprop':
      return new RMSprop(params, cfg);
    case 'adam':
      return new Adam(params, cfg);
    case 'adamw':
      return new AdamW(params, cfg);
    default:
      throw new Error(
        `unknown optimizer type '${(cfg as { type: unknown }).type}' (expected sgd, rmsprop, adam, adamw)`,
      );
  }
}

/** Global L2 norm of the gradients of params (those without a gradient count as zero). */
export function gradNorm(params: readonly Tensor[]): number {
  let sq = 0;
  for (const p of params) if (p.grad !== null) sq += K.dot(p.grad, p.grad);
  return Math.sqrt(sq);
}

/**
 * Scales all gradients together so their global L2 norm is at most maxNorm (torch.nn.utils.clip_grad_norm_:
 * coefficient maxNorm / (norm + 1e-6), applied only when below 1). Returns the norm before clipping. A non-finite
 * norm leaves the gradients unchanged so the caller can see and report the divergence.
 */
export function clipGradNorm(params: readonly Tensor[], maxNorm: number): number {
  if (!(maxNorm > 0)) throw new Error(`clipGradNorm: maxNorm must be > 0, got ${maxNorm}`);
  const norm = gradNorm(params);
  const coef = maxNorm / (norm + 1e-6);
  if (Number.isFinite(norm) && coef < 1) {
    for (const p of params) if (p.grad !== null) K.scale(coef, p.grad, p.grad);
  }
  return norm;
}
