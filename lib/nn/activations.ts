// Activation functions: differentiable element-wise ops (kernels in kernels/activation.ts, derivative recorded
// beside the forward), the ACTIVATIONS table of scalar formulas and derivatives for the Lab's plots, and the
// output-layer activation that fits each prediction task.

import { ActivationKind, K } from './kernels';
import { softmax as softmaxRows } from './ops/arithmetic';
import { record, shapeStr, Tensor } from './tensor';

/** y = f(x) element-wise through one kernel; backward adds dy·f'(x) into x's gradient. */
function elementwise(kind: ActivationKind, x: Tensor, alpha = 0): Tensor {
  const n = x.size;
  const out = Tensor.empty(x.shape.slice()); // the kernel writes every element
  K.activationForward(kind, x.data, out.data, n, alpha);
  return record(out, [x], () => K.activationBackward(kind, x.data, out.data, out.grad!, x.gradBuffer(), n, alpha));
}

function checkFinite(op: string, name: string, v: number): void {
  if (!Number.isFinite(v)) throw new Error(`${op}: ${name} must be a finite number, got ${v}`);
}

/** f(x) = x; f' = 1. The output activation for regression. */
export function identity(x: Tensor): Tensor {
  return elementwise(ActivationKind.Identity, x);
}

/**
 * f(x) = 1 for x ≥ 0, else 0 — the perceptron's threshold unit. Its derivative is 0 for every x ≠ 0 (and undefined
 * at 0), so the backward pass passes a zero gradient: a step cannot be trained by gradient descent, because the
 * gradient is zero almost everywhere and no error signal reaches the weights below it. Smooth "soft steps"
 * (sigmoid, tanh) replaced it for exactly this reason.
 */
export function binaryStep(x: Tensor): Tensor {
  return elementwise(ActivationKind.BinaryStep, x);
}

/** Logistic σ(x) = 1 / (1 + e^−x), stable for any |x| (no overflow of e^−x); σ' = σ(1 − σ). */
export function sigmoid(x: Tensor): Tensor {
  return elementwise(ActivationKind.Sigmoid, x);
}

/** tanh(x); tanh' = 1 − tanh². */
export function tanh(x: Tensor): Tensor {
  return elementwise(ActivationKind.Tanh, x);
}

/** tan⁻¹(x); derivative 1 / (1 + x²). */
export function arctan(x: Tensor): Tensor {
  return elementwise(ActivationKind.Arctan, x);
}

/** max(x, 0); derivative 1 for x ≥ 0 (the course's convention at the kink), else 0. */
export function relu(x: Tensor): Tensor {
  return elementwise(ActivationKind.Relu, x);
}

/** x for x ≥ 0, alpha·x below (alpha default 0.01): the negative side keeps a gradient, so units cannot die. */
export function leakyRelu(x: Tensor, alpha = 0.01): Tensor {
  checkFinite('leakyRelu', 'alpha', alpha);
  return elementwise(ActivationKind.LeakyRelu, x, alpha);
}

/**
 * PReLU (He et al. 2015): x for x ≥ 0, alpha·x below, with alpha a learned tensor: one slope (size 1) shared by
 * all elements, or one per channel of x's last axis (size C for x (…, C)). Gradients flow to x and to alpha.
 */
export function prelu(x: Tensor, alpha: Tensor): Tensor {
  const channels = x.rank === 0 ? 1 : x.shape[x.rank - 1];
  if (alpha.size !== 1 && alpha.size !== channels) {
    throw new Error(
      `prelu: alpha ${shapeStr(alpha.shape)} must hold one slope or one per channel of the last axis of x ${shapeStr(x.shape)}`,
    );
  }
  const c = alpha.size; // 1 shares the slope: x is then read as (size, 1)
  const rows = x.size / c;
  const out = Tensor.zeros(x.shape.slice());
  K.preluForward(x.data, alpha.data, out.data, rows, c);
  return record(out, [x, alpha], () =>
    K.preluBackward(
      x.data,
      alpha.data,
      out.grad!,
      x.requiresGrad ? x.gradBuffer() : null,
      alpha.requiresGrad ? alpha.gradBuffer() : null,
      rows,
      c,
    ),
  );
}

/** ELU (Clevert et al. 2015): x for x ≥ 0, alpha·(eˣ − 1) below (alpha default 1); f' = f + alpha for x < 0. */
export function elu(x: Tensor, alpha = 1): Tensor {
  checkFinite('elu', 'alpha', alpha);
  return elementwise(ActivationKind.Elu, x, alpha);
}

/** ln(1 + eˣ), computed as log1p(e^−|x|) + max(x, 0) so it is finite for any x; derivative σ(x). */
export function softplus(x: Tensor): Tensor {
  return elementwise(ActivationKind.Softplus, x);
}

/** Which GELU formula: 'tanh' approximation (default) or 'none' for the exact erf form (PyTorch's names). */
export type GeluApproximation = 'tanh' | 'none';

/**
 * GELU (Hendrycks & Gimpel 2016), x·Φ(x) with Φ the standard normal CDF. Default: the tanh approximation
 * ½x(1 + tanh(√(2/π)(x + 0.044715x³))), identical to PyTorch's gelu(approximate='tanh'); approximate 'none'
 * evaluates Φ through erf (exact to float32 precision), as PyTorch's default gelu.
 */
export function gelu(x: Tensor, approximate: GeluApproximation = 'tanh'): Tensor {
  return elementwise(approximate === 'tanh' ? ActivationKind.GeluTanh : ActivationKind.GeluErf, x);
}

/** Softmax over the last axis (max-shifted): outputs are positive and sum to 1 along that axis. */
export function softmax(x: Tensor): Tensor {
  if (x.rank === 0) throw new Error(`softmax: needs at least one axis, got shape ${shapeStr(x.shape)}`);
  return softmaxRows(x);
}

// ---------------------------------------------------------------------------------------------------------------
// Table for the Lab: scalar formulas, derivatives and advice (course activation table, ann-lecture.md)

export type ActivationName =
  | 'identity'
  | 'binaryStep'
  | 'sigmoid'
  | 'tanh'
  | 'arctan'
  | 'relu'
  | 'leakyRelu'
  | 'prelu'
  | 'elu'
  | 'softplus'
  | 'gelu'
  | 'softmax';

export const ACTIVATION_NAMES: readonly ActivationName[] = [
  'identity',
  'binaryStep',
  'sigmoid',
  'tanh',
  'arctan',
  'relu',
  'leakyRelu',
  'prelu',
  'elu',
  'softplus',
  'gelu',
  'softmax',
];

export interface ActivationInfo {
  label: string;
  /** f(x) in plain text. */
  formula: string;
  /** f'(x) in plain text. */
  derivativeFormula: string;
  /** Scalar f for plotting (parametric ones at their default alpha). */
  fn: (x: number) => number;
  /** Scalar f' for plotting (right-hand derivative at kinks; 0 everywhere for the step). */
  derivative: (x: number) => number;
  /** Output range, e.g. "(0, 1)". */
  range: string;
  /** Where it belongs: hidden or output layer, and for which task (regression/binary/multiclass/multilabel). */
  use: string;
}

/** Default negative slope of leakyRelu. */
export const LEAKY_RELU_ALPHA = 0.01;
/** Default scale of elu. */
export const ELU_ALPHA = 1;
/** Initial slope of PReLU (He et al. 2015), also the value plotted in the table. */
export const PRELU_INIT_ALPHA = 0.25;

function sigmoidScalar(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

const GELU_K = Math.sqrt(2 / Math.PI);

export const ACTIVATIONS: Record<ActivationName, ActivationInfo> = {
  identity: {
    label: 'Identity (linear)',
    formula: 'f(x) = x',
    derivativeFormula: "f'(x) = 1",
    fn: (x) => x,
    derivative: () => 1,
    range: '(−∞, ∞)',
    use:
      'Output layer for regression (one linear node per predicted number). In hidden layers it adds no ' +
      'non-linearity: stacked linear layers collapse into one linear map.',
  },
  binaryStep: {
    label: 'Binary step',
    formula: 'f(x) = 0 for x < 0, 1 for x ≥ 0',
    derivativeFormula: "f'(x) = 0 for x ≠ 0 (undefined at 0)",
    fn: (x) => (x >= 0 ? 1 : 0),
    derivative: () => 0,
    range: '{0, 1}',
    use:
      "The classic perceptron's threshold. Not trainable by gradient descent: the gradient is zero almost " +
      'everywhere, so no error signal reaches the weights. Shown for contrast with its smooth successors.',
  },
  sigmoid: {
    label: 'Logistic (sigmoid, soft step)',
    formula: 'f(x) = 1 / (1 + e^(−x))',
    derivativeFormula: "f'(x) = f(x)·(1 − f(x))",
    fn: sigmoidScalar,
    derivative: (x) => {
      const s = sigmoidScalar(x);
      return s * (1 - s);
    },
    range: '(0, 1)',
    use:
      'Output layer for binary classification (one node: probability of the positive class) and for multilabel ' +
      'classification (one node per label, each its own probability). The default hidden activation of the ' +
      "1990s; it saturates on both sides (f' ≤ 0.25), so deep stacks suffer vanishing gradients. LSTM gates use it.",
  },
  tanh: {
    label: 'Tanh',
    formula: 'f(x) = tanh(x) = 2 / (1 + e^(−2x)) − 1',
    derivativeFormula: "f'(x) = 1 − f(x)²",
    fn: Math.tanh,
    derivative: (x) => {
      const t = Math.tanh(x);
      return 1 - t * t;
    },
    range: '(−1, 1)',
    use:
      'Hidden layers: zero-centred, the usual default from the late 1990s to the 2010s, and still common in ' +
      'recurrent networks (the LSTM cell output). Saturates for large |x|, so it is prone to vanishing gradients.',
  },
  arctan: {
    label: 'ArcTan',
    formula: 'f(x) = tan⁻¹(x)',
    derivativeFormula: "f'(x) = 1 / (x² + 1)",
    fn: Math.atan,
    derivative: (x) => 1 / (x * x + 1),
    range: '(−π/2, π/2)',
    use: 'Hidden layers: an S-shape like tanh whose tails flatten more slowly (polynomially, not exponentially).',
  },
  relu: {
    label: 'ReLU (rectified linear unit)',
    formula: 'f(x) = 0 for x < 0, x for x ≥ 0',
    derivativeFormula: "f'(x) = 0 for x < 0, 1 for x ≥ 0",
    fn: (x) => Math.max(x, 0),
    derivative: (x) => (x >= 0 ? 1 : 0),
    range: '[0, ∞)',
    use:
      'Hidden layers: the default recommendation for modern networks. Cheap, and it does not saturate for x > 0, ' +
      'which helps against vanishing gradients. A unit whose input stays negative outputs 0 and gets no gradient ' +
      '("dead ReLU"); a lower learning rate or Leaky ReLU helps.',
  },
  leakyRelu: {
    label: 'Leaky ReLU',
    formula: `f(x) = αx for x < 0, x for x ≥ 0 (α = ${LEAKY_RELU_ALPHA})`,
    derivativeFormula: "f'(x) = α for x < 0, 1 for x ≥ 0",
    fn: (x) => (x >= 0 ? x : LEAKY_RELU_ALPHA * x),
    derivative: (x) => (x >= 0 ? 1 : LEAKY_RELU_ALPHA),
    range: '(−∞, ∞)',
    use: 'Hidden layers: a small slope for negative inputs keeps a gradient flowing, so units cannot die.',
  },
  prelu: {
    label: 'PReLU (parametric ReLU)',
    formula: `f(x) = αx for x < 0, x for x ≥ 0 (α learned; plotted at ${PRELU_INIT_ALPHA})`,
    derivativeFormula: "f'(x) = α for x < 0, 1 for x ≥ 0",
    fn: (x) => (x >= 0 ? x : PRELU_INIT_ALPHA * x),
    derivative: (x) => (x >= 0 ? 1 : PRELU_INIT_ALPHA),
    range: '(−∞, ∞)',
    use: 'Hidden layers: Leaky ReLU whose negative slope α is learned, one per channel (He et al. 2015).',
  },
  elu: {
    label: 'ELU (exponential linear unit)',
    formula: `f(x) = α(e^x − 1) for x < 0, x for x ≥ 0 (α = ${ELU_ALPHA})`,
    derivativeFormula: "f'(x) = f(x) + α for x < 0, 1 for x ≥ 0",
    fn: (x) => (x >= 0 ? x : ELU_ALPHA * Math.expm1(x)),
    derivative: (x) => (x >= 0 ? 1 : ELU_ALPHA * Math.exp(x)),
    range: '(−α, ∞)',
    use: 'Hidden layers: smooth for negative inputs and pushes mean activations towards zero (Clevert et al. 2015).',
  },
  softplus: {
    label: 'SoftPlus',
    formula: 'f(x) = ln(1 + e^x)',
    derivativeFormula: "f'(x) = 1 / (1 + e^(−x))",
    fn: (x) => Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0),
    derivative: sigmoidScalar,
    range: '(0, ∞)',
    use:
      'Hidden layers as a smooth ReLU; also an output for strictly positive quantities (e.g. a volatility or ' +
      'a scale parameter).',
  },
  gelu: {
    label: 'GELU (tanh approximation)',
    formula: 'f(x) = ½x·(1 + tanh(√(2/π)·(x + 0.044715x³)))',
    derivativeFormula: "f'(x) = ½(1 + tanh u) + ½x·(1 − tanh²u)·√(2/π)·(1 + 0.134145x²), u = √(2/π)(x + 0.044715x³)",
    fn: (x) => 0.5 * x * (1 + Math.tanh(GELU_K * (x + 0.044715 * x * x * x))),
    derivative: (x) => {
      const t = Math.tanh(GELU_K * (x + 0.044715 * x * x * x));
      return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GELU_K * (1 + 3 * 0.044715 * x * x);
    },
    range: '[≈ −0.17, ∞)',
    use:
      'Hidden layers of Transformers (BERT, GPT): a smooth ReLU-like curve that weights each input by the ' +
      'probability that a standard normal lies below it.',
  },
  softmax: {
    label: 'Softmax',
    formula: 'f(x)_i = e^(x_i) / Σ_j e^(x_j)  (plotted: the first output for inputs [x, 0])',
    derivativeFormula: '∂f_i/∂x_j = f_i·(δ_ij − f_j)  (plotted: f·(1 − f))',
    fn: sigmoidScalar, // softmax([x, 0])₀ = eˣ / (eˣ + 1) = σ(x)
    derivative: (x) => {
      const s = sigmoidScalar(x);
      return s * (1 - s);
    },
    range: '(0, 1) per output; outputs sum to 1',
    use:
      'Output layer for multiclass classification: one node per mutually exclusive class; the outputs are ' +
      'class probabilities that sum to 1.',
  },
};

/** Options of the parametric activations applied by name. */
export interface ActivationOptions {
  /** LeakyReLU negative slope (default 0.01) or ELU scale (default 1); ignored by the others. */
  alpha?: number;
  /** GELU formula (default 'tanh'). */
  approximate?: GeluApproximation;
}

/**
 * Applies an activation by name. 'prelu' has a learned slope and so lives in the PReLU layer
 * (layers/activation.ts); asking for it here throws.
 */
export function applyActivation(x: Tensor, name: ActivationName, opts: ActivationOptions = {}): Tensor {
  switch (name) {
    case 'identity':
      return identity(x);
    case 'binaryStep':
      return binaryStep(x);
    case 'sigmoid':
      return sigmoid(x);
    case 'tanh':
      return tanh(x);
    case 'arctan':
      return arctan(x);
    case 'relu':
      return relu(x);
    case 'leakyRelu':
      return leakyRelu(x, opts.alpha ?? LEAKY_RELU_ALPHA);
    case 'elu':
      return elu(x, opts.alpha ?? ELU_ALPHA);
    case 'softplus':
      return softplus(x);
    case 'gelu':
      return gelu(x, opts.approximate ?? 'tanh');
    case 'softmax':
      return softmax(x);
    case 'prelu':
      throw new Error('applyActivation: prelu has a learned slope; use the PReLU layer or prelu(x, alpha)');
    default:
      throw new Error(`applyActivation: unknown activation '${name as string}'`);
  }
}

export type PredictionTask = 'regression' | 'binary' | 'multiclass' | 'multilabel';

/**
 * The output-layer activation for a task (course: "How to choose an output activation function"):
 * regression → identity (one linear node per target); binary → sigmoid (one node, P(positive));
 * multiclass → softmax (one node per mutually exclusive class, probabilities sum to 1);
 * multilabel → sigmoid applied per class (one node per label, each an independent probability).
 * Training should feed the raw outputs (logits) to bceWithLogits / softmaxCrossEntropy, which fold this activation
 * into a numerically stable loss; apply the activation itself only to report probabilities.
 */
export function outputActivation(task: PredictionTask): ActivationName {
  switch (task) {
    case 'regression':
      return 'identity';
    case 'binary':
      return 'sigmoid';
    case 'multiclass':
      return 'softmax';
    case 'multilabel':
      return 'sigmoid';
    default:
      throw new Error(`outputActivation: unknown task '${task as string}'`);
  }
}
