// Rosenblatt's perceptron: one unit with a binary step output ŷ = step(x·w + b) (1 when x·w + b ≥ 0, else 0),
// trained by the classic rule w ← w + η(y − ŷ)x, b ← b + η(y − ŷ) one sample at a time, not by gradients.
// By the perceptron convergence theorem it reaches zero training errors on linearly separable data; on data that no
// line separates (XOR) it never does and keeps cycling.

import { type InitName, initialize } from '../init';
import { K } from '../kernels';
import { Module, type ModuleSpec } from '../module';
import type { Rng } from '../rng';
import { parameter, shapeStr, Tensor } from '../tensor';
import { requirePositiveInt } from './validate';

export interface PerceptronConfig {
  inFeatures: number;
  /** Initialiser of the weights (the bias starts at 0). Default 'zeros', Rosenblatt's start. */
  init?: InitName;
}

export interface PerceptronFitOptions {
  /** Maximum passes over the data. Default 100. */
  epochs?: number;
  /** Learning rate η. Default 1. */
  lr?: number;
  /** Visit the samples in a fresh order drawn from this Rng each epoch; in the given order when omitted. */
  shuffle?: Rng;
  /** Stop after the first epoch without a mistake (nothing can change after it). Default true. */
  stopWhenConverged?: boolean;
}

export class Perceptron extends Module {
  readonly config: Required<PerceptronConfig>;
  /** (in, 1), as a Dense weight */
  readonly weight: Tensor;
  /** (1) */
  readonly bias: Tensor;

  constructor(config: PerceptronConfig, rng: Rng) {
    super('perceptron');
    const inFeatures = requirePositiveInt('Perceptron', 'inFeatures', config.inFeatures);
    this.config = { inFeatures, init: config.init ?? 'zeros' };
    this.weight = parameter(initialize(this.config.init, [inFeatures, 1], rng), [inFeatures, 1], 'weight');
    this.bias = parameter(new Float32Array(1), [1], 'bias');
  }

  private checkInput(x: Tensor): number {
    const { inFeatures } = this.config;
    if (x.rank !== 2 || x.shape[1] !== inFeatures) {
      throw new Error(`Perceptron(${inFeatures}): expected input (N, ${inFeatures}), got ${shapeStr(x.shape)}`);
    }
    return x.shape[0];
  }

  /** Step outputs (N, 1) of 0/1. Not differentiable (the step's derivative is 0 almost everywhere), so no graph. */
  forward(x: Tensor): Tensor {
    const n = this.checkInput(x);
    const out = Tensor.zeros([n, 1]); // (N, 1) net input x·w + b, then thresholded
    K.fillRows(this.bias.data, out.data, n, 1);
    K.matmul(x.data, this.weight.data, out.data, n, 1, this.config.inFeatures, false, false, true);
    const z = out.data;
    for (let i = 0; i < n; i++) z[i] = z[i] >= 0 ? 1 : 0;
    return out;
  }

  /** Predicted class (0 or 1) per row of x (N, in). */
  predict(x: Tensor): number[] {
    return Array.from(this.forward(x).data);
  }

  /**
   * Trains with the perceptron rule on x (N, in) and labels y (N values, each 0 or 1). Returns the number of
   * mistakes (updates) in each epoch; a final 0 means every sample is classified correctly.
   */
  fit(x: Tensor, y: Tensor | ArrayLike<number>, options: PerceptronFitOptions = {}): number[] {
    const n = this.checkInput(x);
    const labels = y instanceof Tensor ? y.data : y;
    if (labels.length !== n) {
      throw new Error(`Perceptron.fit: ${labels.length} labels for input ${shapeStr(x.shape)}`);
    }
    for (let i = 0; i < n; i++) {
      if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`Perceptron.fit: label ${i} is ${labels[i]}, not 0 or 1`);
    }
    const epochs = options.epochs ?? 100;
    const lr = options.lr ?? 1;
    const stopWhenConverged = options.stopWhenConverged ?? true;
    const d = this.config.inFeatures;
    const w = this.weight.data;
    const b = this.bias.data;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const errors: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      if (options.shuffle) options.shuffle.shuffle(order);
      let mistakes = 0;
      for (let s = 0; s < n; s++) {
        const i = order[s];
        const row = x.data.subarray(i * d, (i + 1) * d);
        const predicted = K.dot(w, row) + b[0] >= 0 ? 1 : 0;
        const delta = lr * (labels[i] - predicted);
        if (delta === 0) continue;
        K.axpy(delta, row, w);
        b[0] += delta;
        mistakes++;
      }
      errors.push(mistakes);
      if (mistakes === 0 && stopWhenConverged) break;
    }
    return errors;
  }

  ownParameters(): Tensor[] {
    return [this.weight, this.bias];
  }

  spec(): ModuleSpec {
    return { type: 'Perceptron', config: { ...this.config } };
  }
}
