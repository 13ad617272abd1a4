// Recurrent layers SimpleRNN, LSTM and GRU: (B, T, F) → the last hidden state (B, H) or every step's (B, T, H), with
// stacked layers, dropout between them while training, and optional initial / returned states. Each stacked layer is
// one op from ops/recurrent (forward over time and backpropagation through time in one step of the autodiff tape).

import { glorotUniform, orthogonal } from '../init';
import { Module, type ModuleSpec } from '../module';
import { dropout } from '../ops/dropout';
import { gru, lstm, type RecurrentResult, simpleRnn } from '../ops/recurrent';
import type { Rng } from '../rng';
import { parameter, shapeStr, type Tensor } from '../tensor';
import { requireInRange, requirePositiveInt } from './validate';

export interface RecurrentConfig {
  /** Features per time step F of the input (B, T, F). */
  inputSize: number;
  /** Hidden units H per layer. */
  hiddenSize: number;
  /** Stacked layers; layer l > 0 reads the hidden sequence of layer l − 1. Default 1. */
  numLayers?: number;
  /** Dropout rate on each layer's output sequence except the last layer's, while training only. Default 0. */
  dropout?: number;
  /** true: output h_t for every step (B, T, H); false: only the last hidden state (B, H). Default false. */
  returnSequences?: boolean;
}

export interface LSTMConfig extends RecurrentConfig {
  /** Initial bias of the forget gate (Jozefowicz et al. 2015: 1 helps memory early in training). Default 1. */
  forgetBias?: number;
}

/** Per-layer states: element l is layer l's (B, H) tensor; c is the LSTM's cell state (absent for GRU / SimpleRNN). */
export interface RecurrentState {
  h: Tensor[];
  c?: Tensor[];
}

export interface RecurrentOutput {
  /** (B, T, H) or (B, H), as returnSequences says. */
  output: Tensor;
  /** The last state of every layer; gradients flow back through it (e.g. into an encoder). */
  state: RecurrentState;
}

type ResolvedConfig = Required<RecurrentConfig>;

function resolveConfig(layer: string, config: RecurrentConfig): ResolvedConfig {
  const numLayers = requirePositiveInt(layer, 'numLayers', config.numLayers ?? 1);
  const rate = requireInRange(layer, 'dropout', config.dropout ?? 0, 0, 1);
  if (rate === 1) throw new Error(`${layer}: dropout must be below 1, got 1`);
  const returnSequences = config.returnSequences ?? false;
  if (typeof returnSequences !== 'boolean') {
    throw new Error(`${layer}: returnSequences must be true or false, got ${String(returnSequences)}`);
  }
  return {
    inputSize: requirePositiveInt(layer, 'inputSize', config.inputSize),
    hiddenSize: requirePositiveInt(layer, 'hiddenSize', config.hiddenSize),
    numLayers,
    dropout: rate,
    returnSequences,
  };
}

/**
 * A fused [input rows; recurrent rows] weight (inRows + H, cols): Glorot-uniform input rows over (inRows, cols) and
 * orthogonal recurrent rows over (H, cols), as Keras initialises kernel and recurrent_kernel.
 */
function fusedWeight(inRows: number, hidden: number, cols: number, rng: Rng): Float32Array {
  const w = new Float32Array((inRows + hidden) * cols);
  w.set(glorotUniform([inRows, cols], rng));
  w.set(orthogonal([hidden, cols], rng), inRows * cols);
  return w;
}

/** Shared driver: checks the input, runs the stacked layers with dropout between them and collects the states. */
export abstract class RecurrentLayer extends Module {
  readonly config: ResolvedConfig;
  /** Source of the between-layer dropout masks (one uniform per element of each dropped sequence). */
  rng: Rng;
  private readonly kind: string;
  /** Whether the cell carries a state c besides h (LSTM). */
  private readonly hasCellState: boolean;

  protected constructor(kind: string, config: ResolvedConfig, hasCellState: boolean, rng: Rng) {
    super(kind.toLowerCase());
    this.kind = kind;
    this.config = config;
    this.hasCellState = hasCellState;
    this.rng = rng;
  }

  /** Runs stacked layer `layer` on x (B, T, in); its own h0 / c0 may be null. */
  protected abstract runLayer(
    layer: number,
    x: Tensor,
    h0: Tensor | null,
    c0: Tensor | null,
    returnSequences: boolean,
  ): RecurrentResult;

  forward(x: Tensor): Tensor {
    return this.forwardWithState(x).output;
  }

  /** forward from an optional initial state (one (B, H) tensor per layer; zeros when absent), returning the last state. */
  forwardWithState(x: Tensor, initial?: RecurrentState): RecurrentOutput {
    const { inputSize, hiddenSize, numLayers, returnSequences } = this.config;
    if (x.rank !== 3 || x.shape[2] !== inputSize) {
      throw new Error(
        `${this.kind}(${inputSize} → ${hiddenSize}): expected input (B, T, ${inputSize}), got ${shapeStr(x.shape)}`,
      );
    }
    this.checkInitial(initial, numLayers);
    const hs: Tensor[] = [];
    const cs: Tensor[] = [];
    let seq = x; // (B, T, in) of the current layer
    let output = x;
    for (let l = 0; l < numLayers; l++) {
      const last = l === numLayers - 1;
      const r = this.runLayer(l, seq, initial?.h[l] ?? null, initial?.c?.[l] ?? null, last ? returnSequences : true);
      hs.push(r.h);
      if (r.c !== null) cs.push(r.c);
      output = r.output;
      if (!last) seq = this.training ? dropout(r.output, this.config.dropout, this.rng) : r.output; // (B, T, H)
    }
    return { output, state: this.hasCellState ? { h: hs, c: cs } : { h: hs } };
  }

  private checkInitial(initial: RecurrentState | undefined, numLayers: number): void {
    if (initial === undefined) return;
    if (initial.h.length !== numLayers) {
      throw new Error(
        `${this.kind}: initial state needs ${numLayers} h tensors (one per layer), got ${initial.h.length}`,
      );
    }
    if (initial.c !== undefined) {
      if (!this.hasCellState) throw new Error(`${this.kind}: has no cell state, but an initial c was given`);
      if (initial.c.length !== numLayers) {
        throw new Error(
          `${this.kind}: initial state needs ${numLayers} c tensors (one per layer), got ${initial.c.length}`,
        );
      }
    }
  }

  spec(): ModuleSpec {
    return { type: this.kind, config: { ...this.config } };
  }
}

/** Elman RNN: h_t = tanh([x_t, h_{t−1}]·W + b) per layer, W (in + H, H). */
export class SimpleRNN extends RecurrentLayer {
  /** Per layer l: weight (in_l + H, H) — input rows then recurrent rows — and bias (H). */
  readonly weights: Tensor[] = [];
  readonly biases: Tensor[] = [];

  constructor(config: RecurrentConfig, rng: Rng) {
    super('SimpleRNN', resolveConfig('SimpleRNN', config), false, rng);
    const { inputSize, hiddenSize: H, numLayers } = this.config;
    for (let l = 0; l < numLayers; l++) {
      const inRows = l === 0 ? inputSize : H;
      this.weights.push(parameter(fusedWeight(inRows, H, H, rng), [inRows + H, H], `weight_l${l}`));
      this.biases.push(parameter(new Float32Array(H), [H], `bias_l${l}`));
    }
  }

  protected runLayer(l: number, x: Tensor, h0: Tensor | null, _c0: Tensor | null, returnSequences: boolean) {
    return simpleRnn(x, this.weights[l], this.biases[l], { h0, returnSequences });
  }

  ownParameters(): Tensor[] {
    return this.weights.flatMap((w, l) => [w, this.biases[l]]);
  }
}

/** LSTM (Hochreiter & Schmidhuber 1997, with forget gate): one fused weight (in + H, 4H), gates i, f, g, o. */
export class LSTM extends RecurrentLayer {
  readonly forgetBias: number;
  /** Per layer l: weight (in_l + H, 4H) — input rows then recurrent rows — and bias (4H). */
  readonly weights: Tensor[] = [];
  readonly biases: Tensor[] = [];

  constructor(config: LSTMConfig, rng: Rng) {
    super('LSTM', resolveConfig('LSTM', config), true, rng);
    const forgetBias = config.forgetBias ?? 1;
    if (!Number.isFinite(forgetBias)) throw new Error(`LSTM: forgetBias must be a finite number, got ${forgetBias}`);
    this.forgetBias = forgetBias;
    const { inputSize, hiddenSize: H, numLayers } = this.config;
    for (let l = 0; l < numLayers; l++) {
      const inRows = l === 0 ? inputSize : H;
      this.weights.push(parameter(fusedWeight(inRows, H, 4 * H, rng), [inRows + H, 4 * H], `weight_l${l}`));
      const b = new Float32Array(4 * H);
      b.fill(forgetBias, H, 2 * H); // the f block
      this.biases.push(parameter(b, [4 * H], `bias_l${l}`));
    }
  }

  protected runLayer(l: number, x: Tensor, h0: Tensor | null, c0: Tensor | null, returnSequences: boolean) {
    return lstm(x, this.weights[l], this.biases[l], { h0, c0, returnSequences });
  }

  ownParameters(): Tensor[] {
    return this.weights.flatMap((w, l) => [w, this.biases[l]]);
  }

  spec(): ModuleSpec {
    return { type: 'LSTM', config: { ...this.config, forgetBias: this.forgetBias } };
  }
}

/** GRU (Cho et al. 2014) in PyTorch's formulation: W_x (in, 3H), W_h (H, 3H), b_x, b_h (3H), gates r, z, n. */
export class GRU extends RecurrentLayer {
  /** Per layer l: input weight (in_l, 3H), recurrent weight (H, 3H), and their biases (3H). */
  readonly weightsX: Tensor[] = [];
  readonly weightsH: Tensor[] = [];
  readonly biasesX: Tensor[] = [];
  readonly biasesH: Tensor[] = [];

  constructor(config: RecurrentConfig, rng: Rng) {
    super('GRU', resolveConfig('GRU', config), false, rng);
    const { inputSize, hiddenSize: H, numLayers } = this.config;
    for (let l = 0; l < numLayers; l++) {
      const inRows = l === 0 ? inputSize : H;
      this.weightsX.push(parameter(glorotUniform([inRows, 3 * H], rng), [inRows, 3 * H], `weightX_l${l}`));
      this.weightsH.push(parameter(orthogonal([H, 3 * H], rng), [H, 3 * H], `weightH_l${l}`));
      this.biasesX.push(parameter(new Float32Array(3 * H), [3 * H], `biasX_l${l}`));
      this.biasesH.push(parameter(new Float32Array(3 * H), [3 * H], `biasH_l${l}`));
    }
  }

  protected runLayer(l: number, x: Tensor, h0: Tensor | null, _c0: Tensor | null, returnSequences: boolean) {
    return gru(x, this.weightsX[l], this.weightsH[l], this.biasesX[l], this.biasesH[l], { h0, returnSequences });
  }

  ownParameters(): Tensor[] {
    return this.weightsX.flatMap((wx, l) => [wx, this.weightsH[l], this.biasesX[l], this.biasesH[l]]);
  }
}
